"""Batch geocoding of any CSV, against a real local BAN-shaped HTTP server."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.batch import MAX_CONSECUTIVE_ERRORS, RESULT_COLUMNS, BatchSummary, geocode_csv
from etl.batch import geocode_command as command
from geodata.config import Settings
from geodata.errors import InvalidValue
from geodata.geocoding import make_geocoder
from geodata.geocoding.ban import BanGeocoder
from tests.fakes import FakeBan, ban_feature, serve_fake_ban

STRASBOURG = ban_feature(
    "1 Parc de l'Étoile 67000 Strasbourg",
    48.573581,
    7.753211,
    citycode="67482",
    postcode="67000",
    city="Strasbourg",
    context="67, Bas-Rhin, Grand Est",
    score=0.961234,
)
EPINAL = ban_feature(
    "Épinal",
    48.1724,
    6.4495,
    citycode="88160",
    postcode="88000",
    city="Épinal",
    context="88, Vosges, Grand Est",
    score=0.5,
    kind="municipality",
)


@pytest.fixture
def fake_ban() -> Iterator[FakeBan]:
    with serve_fake_ban() as fake:
        fake.answers["1 parc de l'Étoile 67000 Strasbourg"] = [STRASBOURG]
        fake.answers["Épinal"] = [EPINAL]
        yield fake


def run(data: bytes, fake: FakeBan, columns: list[str] | None = None) -> tuple[str, BatchSummary]:
    out = io.StringIO()
    summary = geocode_csv(data, out, BanGeocoder(fake.url, timeout=0.5), columns)
    return out.getvalue(), summary


def test_rows_get_ban_result_columns_and_a_status(fake_ban: FakeBan) -> None:
    data = (
        "nom;adresse;cp;ville\n"
        "Équipe A;1 parc de l'Étoile;67000;Strasbourg\n"
        "Équipe B;nulle part;00000;Inconnue\n"
    ).encode()
    text, summary = run(data, fake_ban, ["adresse", "cp", "ville"])
    assert text.splitlines() == [
        "nom;adresse;cp;ville;" + ";".join(RESULT_COLUMNS),
        "Équipe A;1 parc de l'Étoile;67000;Strasbourg;48.573581;7.753211;"
        "1 Parc de l'Étoile 67000 Strasbourg;0.9612;housenumber;67482;67000;Strasbourg;ok",
        "Équipe B;nulle part;00000;Inconnue;;;;;;;;;not-found",
    ]
    assert summary == BatchSummary(rows=2, found=1, not_found=1, errors=0)
    assert fake_ban.queries()[0] == {"q": "1 parc de l'Étoile 67000 Strasbourg", "limit": "1"}


def test_default_query_joins_the_address_columns_in_order_and_leaves_the_others_out(
    fake_ban: FakeBan,
) -> None:
    data = "id;Nom;Adresse;Code postal;Commune;Précisions\n7;D;1 parc de l'Étoile;67000;"
    _, summary = run((data + "Strasbourg;Rue libre\n").encode(), fake_ban)
    assert summary.found == 1
    assert [q["q"] for q in fake_ban.queries()] == ["1 parc de l'Étoile 67000 Strasbourg"]


def test_without_any_address_column_the_file_is_refused_naming_the_options(
    fake_ban: FakeBan,
) -> None:
    with pytest.raises(InvalidValue, match=r"--columns.*--all-columns.*« nom », « note »"):
        run(b"nom;note\nD;x\n", fake_ban)
    assert fake_ban.queries() == []


def test_every_column_makes_the_query_only_when_asked(fake_ban: FakeBan) -> None:
    out = io.StringIO()
    data = b"nom;ville\nD;\xc3\x89pinal\n"
    geocode_csv(data, out, BanGeocoder(fake_ban.url, timeout=0.5), all_columns=True)
    assert [q["q"] for q in fake_ban.queries()] == ["D Épinal"]


def test_default_query_joins_every_address_column_in_order(fake_ban: FakeBan) -> None:
    _, summary = run(b"adresse,cp,ville\n1 parc de l'\xc3\x89toile,67000,Strasbourg\n", fake_ban)
    assert summary.found == 1
    assert [q["q"] for q in fake_ban.queries()] == ["1 parc de l'Étoile 67000 Strasbourg"]


def test_comma_delimiter_is_kept_and_cells_with_commas_are_quoted(fake_ban: FakeBan) -> None:
    fake_ban.answers["Épinal"] = [
        ban_feature(
            "Épinal, Vosges",
            48.17,
            6.45,
            citycode="88160",
            postcode="88000",
            city="Épinal",
            context="88, Vosges, Grand Est",
        )
    ]
    text, _ = run(b'nom,ville\n"Site, le premier",\xc3\x89pinal\n', fake_ban, ["ville"])
    header, row = text.splitlines()
    assert header == "nom,ville," + ",".join(RESULT_COLUMNS)
    assert row.startswith('"Site, le premier",Épinal,48.17,6.45,"Épinal, Vosges",')


def test_windows_1252_input_is_decoded_and_output_gets_a_bom(fake_ban: FakeBan) -> None:
    data = "ville;commentaire\nÉpinal;près de la gare\n".encode("cp1252")
    text, summary = run(data, fake_ban, ["ville"])
    assert summary.found == 1
    assert text.startswith("\ufeffville;commentaire;latitude;")
    assert "Épinal;près de la gare;48.1724;" in text


def test_utf8_bom_is_not_part_of_the_first_column_name(fake_ban: FakeBan) -> None:
    data = "\ufeffville;x\nÉpinal;1\n".encode()
    text, summary = run(data, fake_ban, ["ville"])
    assert summary.found == 1
    assert text.startswith("\ufeffville;x;latitude;")
    assert text.count("\ufeff") == 1


def test_utf8_without_bom_gives_output_without_bom(fake_ban: FakeBan) -> None:
    text, _ = run("ville\nÉpinal\n".encode(), fake_ban)
    assert text.startswith("ville;latitude;")


def test_existing_latitude_and_longitude_are_overwritten_in_place(fake_ban: FakeBan) -> None:
    fake_ban.answers["Épinal x"] = [EPINAL]
    data = b"ville;latitude;longitude;note\n\xc3\x89pinal;1.5;2.5;x\n"
    out = io.StringIO()
    geocode_csv(data, out, BanGeocoder(fake_ban.url, timeout=0.5), all_columns=True)
    text = out.getvalue()
    header, row = text.splitlines()
    assert header == "ville;latitude;longitude;note;" + ";".join(RESULT_COLUMNS[2:])
    assert row == "Épinal;48.1724;6.4495;x;Épinal;0.5;municipality;88160;88000;Épinal;ok"
    # Coordinates are not part of the query, even of every column: only "Épinal x" was asked.
    assert [q["q"] for q in fake_ban.queries()] == ["Épinal x"]


def test_a_second_run_replaces_the_previous_results(fake_ban: FakeBan) -> None:
    first, _ = run("ville\nÉpinal\n".encode(), fake_ban)
    second, summary = run(first.encode(), fake_ban)
    assert second == first
    assert summary.found == 1


def test_unknown_column_lists_the_available_ones(fake_ban: FakeBan) -> None:
    with pytest.raises(InvalidValue) as info:
        run(b"adresse;ville\nx;y\n", fake_ban, ["adresse", "commune"])
    assert "« commune »" in info.value.message
    assert "Colonnes disponibles : « adresse », « ville »" in info.value.message
    assert fake_ban.requests == []


def test_a_failing_row_is_marked_error_and_the_others_go_on(fake_ban: FakeBan) -> None:
    fake_ban.failing.add("Metz")
    text, summary = run("ville\nMetz\nÉpinal\n".encode(), fake_ban)
    rows = text.splitlines()[1:]
    assert rows[0] == "Metz;;;;;;;;;error"
    assert rows[1].endswith(";ok")
    assert summary == BatchSummary(rows=2, found=1, not_found=0, errors=1)


def test_a_dead_service_is_not_asked_for_every_row(fake_ban: FakeBan) -> None:
    fake_ban.status = 503
    lines = "\n".join(f"ville {n}" for n in range(20))
    text, summary = run(f"ville\n{lines}\n".encode(), fake_ban)
    assert summary == BatchSummary(rows=20, found=0, not_found=0, errors=20)
    assert len(fake_ban.requests) == MAX_CONSECUTIVE_ERRORS
    assert all(line.endswith(";error") for line in text.splitlines()[1:])


def test_repeated_queries_are_asked_once(fake_ban: FakeBan) -> None:
    _, summary = run("ville\nÉpinal\nÉpinal\nÉpinal\n".encode(), fake_ban)
    assert summary.found == 3
    assert len(fake_ban.requests) == 1


def test_rows_with_empty_query_are_not_found_without_asking(fake_ban: FakeBan) -> None:
    text, summary = run("nom;ville\nA;\n\n;;\nB;Épinal\n".encode(), fake_ban, ["ville"])
    assert summary == BatchSummary(rows=2, found=1, not_found=1, errors=0)
    assert text.splitlines()[1] == "A;;;;;;;;;;not-found"
    assert len(fake_ban.requests) == 1


def test_short_rows_are_padded_to_the_header(fake_ban: FakeBan) -> None:
    text, _ = run("ville;note;autre\nÉpinal\n".encode(), fake_ban, ["ville"])
    assert text.splitlines()[1].startswith("Épinal;;;48.1724;")


def test_excel_sep_line_is_kept(fake_ban: FakeBan) -> None:
    text, summary = run("sep=,\r\nville,note\r\nÉpinal,a;b\r\n".encode(), fake_ban, ["ville"])
    assert text.splitlines()[:2] == ["sep=,", "ville,note," + ",".join(RESULT_COLUMNS)]
    assert summary.found == 1


def test_empty_file_gives_empty_output(fake_ban: FakeBan) -> None:
    assert run(b"", fake_ban) == ("", BatchSummary(0, 0, 0, 0))


def test_addresses_never_reach_the_logs(
    fake_ban: FakeBan, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_ban.status = 500
    run(b"ville\n7 impasse Confidentielle\n", fake_ban)
    assert "Confidentielle" not in caplog.text


@pytest.fixture
def ban_env(fake_ban: FakeBan, monkeypatch: pytest.MonkeyPatch) -> FakeBan:
    monkeypatch.setenv("ANNUAIRE_GEOCODER", "ban")
    monkeypatch.setenv("ANNUAIRE_BAN_URL", fake_ban.url)
    return fake_ban


def test_command_writes_the_csv_to_stdout_and_a_summary_to_stderr(
    ban_env: FakeBan, tmp_path: Path
) -> None:
    source = tmp_path / "lieux.csv"
    source.write_bytes("id;ville;adresse\n1;Épinal;\n2;Nowhere;x\n".encode())
    result = CliRunner().invoke(command, [str(source), "--columns", "ville, adresse"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "id;ville;adresse;" + ";".join(RESULT_COLUMNS)
    assert lines[1].endswith(";ok") and lines[2].endswith(";not-found")
    assert "2 ligne(s) : 1 trouvée(s), 1 non trouvée(s), 0 en erreur." in result.stderr
    assert result.stdout_bytes.decode("utf-8") == result.stdout


def test_command_unknown_column_exits_2_with_a_french_message(
    ban_env: FakeBan, tmp_path: Path
) -> None:
    source = tmp_path / "lieux.csv"
    source.write_bytes(b"id;ville\n1;Metz\n")
    result = CliRunner().invoke(command, [str(source), "--columns", "commune"])
    assert result.exit_code == 2
    assert "Erreur : Colonne(s) introuvable(s)" in result.stderr
    assert "« id », « ville »" in result.stderr
    assert result.stdout == ""


def test_command_reports_an_unreadable_file_in_french(ban_env: FakeBan, tmp_path: Path) -> None:
    source = tmp_path / "lieux.xlsx"
    source.write_bytes(b"PK\x03\x04 not a csv")
    result = CliRunner().invoke(command, [str(source)])
    assert result.exit_code == 1
    assert "pas un fichier CSV" in result.stderr


DEMO = Path(__file__).resolve().parents[2] / "geodata" / "data" / "demo"


def test_local_geocoder_places_every_demo_site_in_its_commune() -> None:
    out = io.StringIO()
    geocoder = make_geocoder(Settings(geocoder="local"))
    data = (DEMO / "onco-aura.csv").read_bytes()
    summary = geocode_csv(data, out, geocoder, ["adresse", "code_postal", "commune"])
    assert summary == BatchSummary(rows=22, found=22, not_found=0, errors=0)
    rows = {
        row["identifiant"]: row
        for row in csv.DictReader(io.StringIO(out.getvalue()), delimiter=";")
    }
    assert rows["AURA-LYON3-01"]["result_citycode"] == "69383"  # the arrondissement
    assert rows["AURA-PUY-01"]["result_city"] == "Le Puy-en-Velay"
    assert {row["result_type"] for row in rows.values()} == {"municipality"}
    assert all(row["result_status"] == "ok" for row in rows.values())


def test_command_uses_the_local_geocoder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNUAIRE_GEOCODER", raising=False)
    source = tmp_path / "lieux.csv"
    source.write_bytes("nom,cp,ville\nA,88000,Épinal\nB,99999,Atlantide\n".encode("cp1252"))
    result = CliRunner().invoke(command, [str(source), "--columns", "cp,ville"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == "nom,cp,ville," + ",".join(RESULT_COLUMNS)
    assert lines[1].startswith("A,88000,Épinal,48.17518,6.45047,Épinal,")
    assert lines[1].endswith(",municipality,88160,88000,Épinal,ok")
    assert lines[2] == "B,99999,Atlantide,,,,,,,,,not-found"
