"""The problems of a checked file, on both databases: the team of each line, and the problems as
a CSV written like the uploaded file; restoring a version only once its changes were seen."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session, sessionmaker

from geodata.contract.textfile import decode_bytes, detect_delimiter
from geodata.errors import StaleCheck
from geodata.geocoding.local import LocalGeocoder
from geodata.problems import Problem
from geodata.publishing.importing import ImportCheck, check_file, publish_check
from geodata.publishing.pending import restore_version
from geodata.publishing.pending_json import check_from_json, check_to_json
from geodata.publishing.problem_file import FileFormat, Team, problems_csv
from geodata.publishing.versions import current_version, restoration
from geodata.reference.gazetteer import get_gazetteer
from geodata.storage.networks import ensure_network, get_network

HEADER = ("identifiant", "nom", "adresse", "code_postal", "commune", "cancers", "publics", "soins")
GOOD = ("GE-01", "Équipe de Strasbourg", "1 rue", "67000", "Strasbourg", "tous", "adultes",
        "dietetique")  # fmt: skip
BAD_POSTCODE = ("GE-02", "Équipe de Metz", "2 rue", "57A00", "Metz", "tous", "adultes",
                "psychologie")  # fmt: skip
BAD_CARE = ("=GE-03", "Équipe de Nancy", "3 rue", "54000", "Nancy", "tous", "adultes",
            "natation")  # fmt: skip


def encoded(rows: list[tuple[str, ...]], fmt: FileFormat) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=fmt.delimiter, lineterminator="\r\n").writerows([HEADER, *rows])
    return fmt.encode(out.getvalue())


def checked(sessions: sessionmaker[Session], data: bytes) -> ImportCheck:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = ensure_network(session, "neon")
        return check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))


def test_each_line_with_a_problem_is_named_by_its_team_as_the_file_wrote_it(
    sessions: sessionmaker[Session],
) -> None:
    check = checked(sessions, encoded([GOOD, BAD_POSTCODE, BAD_CARE], FileFormat()))
    assert {p.line for p in check.errors} == {3, 4}
    assert check.teams[3] == Team("GE-02", "Équipe de Metz")
    assert check.teams[4] == Team("=GE-03", "Équipe de Nancy")
    assert 2 not in check.teams  # a line without a problem needs no name


def test_a_clean_file_keeps_no_teams(sessions: sessionmaker[Session]) -> None:
    check = checked(sessions, encoded([GOOD], FileFormat("cp1252", ",")))
    assert check.problems == () and dict(check.teams) == {}


@pytest.mark.parametrize(
    "fmt",
    [FileFormat("utf-8-sig", ";"), FileFormat("utf-8", ","), FileFormat("cp1252", ";"),
     FileFormat("utf-16", "\t")],
    ids=["utf8-bom-semicolon", "utf8-comma", "windows-1252", "utf16-tab"],
)  # fmt: skip
def test_the_problems_csv_reopens_with_the_encoding_and_delimiter_of_the_file(
    sessions: sessionmaker[Session], fmt: FileFormat
) -> None:
    check = checked(sessions, encoded([GOOD, BAD_POSTCODE, BAD_CARE], fmt))
    assert check.file_format == fmt
    body = problems_csv(check.problems, check.teams, check.file_format, lambda c: c or "")
    text, encoding = decode_bytes(body)
    assert encoding == fmt.encoding and detect_delimiter(text) == fmt.delimiter
    rows = list(csv.reader(io.StringIO(text), delimiter=fmt.delimiter))
    assert rows[0] == ["Ligne", "Identifiant", "Nom", "Colonne", "Valeur", "Gravité", "Problème"]
    metz = next(row for row in rows if row[0] == "3" and row[5] == "Erreur")
    assert metz[1:5] == ["GE-02", "Équipe de Metz", "code_postal", "57A00"]
    assert "Code postal" in metz[6]


def test_a_value_a_spreadsheet_would_run_as_a_formula_is_neutralised() -> None:
    problem = Problem(4, "identifiant", "=HYPERLINK(1)", "Identifiant invalide.")
    body = problems_csv([problem], {4: Team("=GE-03", "@nom")}, FileFormat(), str)
    row = body.decode("utf-8-sig").splitlines()[1].split(";")
    assert row[1:5] == ["'=GE-03", "'@nom", "identifiant", "'=HYPERLINK(1)"]


def test_a_kept_check_keeps_its_teams_and_format_and_older_ones_still_load(
    sessions: sessionmaker[Session],
) -> None:
    check = checked(sessions, encoded([GOOD, BAD_POSTCODE], FileFormat("cp1252", ",")))
    again = check_from_json(check_to_json(check))
    assert again.teams == check.teams and again.file_format == FileFormat("cp1252", ",")
    older = check_to_json(check).replace('"teams"', '"x_teams"').replace('"format"', '"x"')
    assert check_from_json(older).file_format == FileFormat()


def _publish(sessions: sessionmaker[Session], rows: list[tuple[str, ...]]) -> None:
    gazetteer = get_gazetteer()
    with sessions() as session, session.begin():
        network = ensure_network(session, "neon")
        data = encoded(rows, FileFormat())
        check = check_file(session, network, data, gazetteer, LocalGeocoder(gazetteer))
        publish_check(session, network, check)


def test_restoring_shows_the_changes_of_an_import_preview_against_what_is_published(
    sessions: sessionmaker[Session],
) -> None:
    metz = (*BAD_POSTCODE[:3], "57000", *BAD_POSTCODE[4:])
    _publish(sessions, [GOOD])
    _publish(sessions, [GOOD, metz])
    with sessions() as session:
        planned = restoration(session, get_network(session, "neon"), 1)
    assert planned.current == 2 and planned.diff.removed == ("GE-02",)
    assert planned.diff.added == () and planned.diff.unchanged == 1
    assert [r.identifiant for r in planned.restored] == ["GE-01"]


def test_a_restore_confirmed_before_another_publication_is_refused(
    sessions: sessionmaker[Session],
) -> None:
    metz = (*BAD_POSTCODE[:3], "57000", *BAD_POSTCODE[4:])
    _publish(sessions, [GOOD])
    _publish(sessions, [GOOD, metz])
    with sessions() as session, session.begin(), pytest.raises(StaleCheck):
        restore_version(session, "neon", 1, author="a@example.org", seen=1)
    with sessions() as session, session.begin():
        restore_version(session, "neon", 1, author="a@example.org", seen=2)
        assert current_version(session, get_network(session, "neon")) == 3


def test_a_file_that_tells_excel_its_delimiter_gets_problems_that_tell_it_too(
    sessions: sessionmaker[Session],
) -> None:
    data = b"sep=,\r\n" + encoded([GOOD, BAD_POSTCODE], FileFormat("utf-8", ","))
    check = checked(sessions, data)
    assert check.file_format == FileFormat("utf-8", ",", sep_line=True)
    body = problems_csv(check.problems, check.teams, check.file_format, lambda c: c or "")
    assert body.startswith(b"sep=,\r\nLigne,Identifiant,")
    assert check_from_json(check_to_json(check)).file_format == check.file_format
