"""Reading uploaded CSV bytes: encodings, delimiters, tolerant headers, file-level problems."""

from __future__ import annotations

import codecs

import pytest

from geodata.contract.headers import fold
from geodata.contract.tabular import MAX_BYTES, MAX_ROWS, decode_bytes, detect_delimiter, read_table
from geodata.errors import UnreadableFile
from geodata.problems import Problem, Severity
from geodata.text import name_key

HEADER = "identifiant;nom;adresse;code_postal;commune;cancers;publics;soins"
ROW = "GE-01;Espace santé;1 rue Haute;67000;Strasbourg;tous;adultes;dietetique"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def messages(problems: list[Problem]) -> str:
    return "\n".join(p.message for p in problems)


def test_utf8_without_bom_is_read_as_utf8() -> None:
    assert decode_bytes("Sélestat".encode()) == ("Sélestat", "utf-8")


def test_utf8_bom_is_removed_from_the_text() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "Sélestat".encode()) == ("Sélestat", "utf-8-sig")


def test_windows_1252_bytes_fall_back_to_cp1252() -> None:
    assert decode_bytes("Sélestat ’".encode("cp1252")) == ("Sélestat ’", "cp1252")


def test_utf16_from_excel_unicode_text_is_read() -> None:
    assert decode_bytes("a\tb".encode("utf-16")) == ("a\tb", "utf-16")


def test_bom_followed_by_cp1252_bytes_names_the_line() -> None:
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(codecs.BOM_UTF8 + "a;b\nSélestat".encode("cp1252"))
    assert caught.value.line == 2
    assert "BOM" in caught.value.message


def test_utf8_file_with_one_windows_1252_line_names_it_and_says_encodings_are_mixed() -> None:
    data = "a;b\nÉquipe;1\n".encode() + "Équipe;2\n".encode("cp1252") + "Sélestat;3\n".encode()
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(data)
    assert caught.value.line == 3
    assert "ligne 3" in caught.value.message
    assert "mélange" in caught.value.message


def test_mixed_encodings_file_is_refused_at_its_first_bad_line() -> None:
    data = csv_bytes(ROW, ROW).replace(b"sant\xc3\xa9", b"sant\xe9", 1)
    table, problems = read_table(data)
    assert table is None
    assert [p.line for p in problems] == [2]
    assert "ligne 2" in messages(problems)


def test_windows_1252_file_without_any_utf8_character_is_still_read_as_cp1252() -> None:
    assert decode_bytes("Sélestat\nÉquipe œuvre".encode("cp1252"))[1] == "cp1252"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00", "classeur Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "ancien format (.xls)"),
        (b"%PDF-1.4", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"<!DOCTYPE html><html>", "page web"),
        (b"a;b\x00\x00c", "binaire"),
    ],
)
def test_binary_uploads_are_refused_with_save_as_csv_advice(data: bytes, kind: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(data)
    assert kind in caught.value.message
    assert "CSV" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c\n1,5;2;3", ";"),
        ("a,b,c\n1;2;3", ","),
        ("a\tb\tc\n", "\t"),
        ('"x;y",b,c\n', ","),
        ("sep=,\na;b;c\n", ","),
        ("identifiant\n", ";"),
    ],
)
def test_delimiter_is_judged_from_the_header_line(text: str, expected: str) -> None:
    assert detect_delimiter(text) == expected


def test_header_matching_tolerates_case_accents_spaces_and_aliases() -> None:
    header = "Identifiant;NOM;Adresse;CP;Ville;Cancers;Publics;Soins proposés;Téléphone;E-mail"
    table, problems = read_table(csv_bytes(ROW + ";03 88 00 00 00;a@b.fr", header=header))
    assert table is not None and problems == []
    assert table.columns[3:5] == ("code_postal", "commune")
    assert table.rows[0][1]["courriel"] == "a@b.fr"
    assert table.rows[0][1]["telephone"] == "03 88 00 00 00"


@pytest.mark.parametrize("name", ["Œuvre Straße", "Ægidius", "Cœur-de-Lion", "Saint-Étienne"])
def test_header_folding_and_place_name_folding_agree(name: str) -> None:
    assert fold(name).replace("_", " ") == name_key(name)


def test_line_numbers_count_spreadsheet_rows_not_text_lines() -> None:
    row_with_newline = ROW.replace("Espace santé", '"Espace\nsanté"')
    table, _ = read_table(csv_bytes(row_with_newline, "", ";;;;", ROW.replace("01", "02")))
    assert table is not None
    assert [line for line, _ in table.rows] == [2, 5]
    assert table.rows[0][1]["nom"] == "Espace\nsanté"


def test_excel_sep_line_is_hidden_like_excel_does() -> None:
    table, problems = read_table(b"sep=,\r\n" + csv_bytes(ROW).replace(b";", b","))
    assert table is not None and problems == []
    assert table.delimiter == "," and table.rows[0][0] == 2


@pytest.mark.parametrize("blank", ["\r\n", "\r\n;;;\r\n", "  \r\n\r\n"])
def test_blank_lines_before_the_header_are_skipped(blank: str) -> None:
    table, problems = read_table(blank.encode() + csv_bytes(ROW))
    assert problems == []
    assert table is not None and table.columns[0] == "identifiant"
    blank_rows = blank.count("\n")
    assert [line for line, _ in table.rows] == [2 + blank_rows]


def test_header_problems_name_the_line_the_header_is_on() -> None:
    _, problems = read_table(b"\r\n" + csv_bytes(ROW, header=HEADER + ";Horaires"))
    assert [p.line for p in problems] == [2]


def test_missing_required_columns_are_each_named_and_the_file_is_unusable() -> None:
    header = "identifiant;nom;adresse;code_postal;cancers;publics"
    table, problems = read_table(csv_bytes("a;b;c;67000;tous;adultes", header=header))
    assert table is None
    assert [p.column for p in problems] == ["commune", "soins"]
    assert "Colonnes trouvées : « identifiant »" in problems[0].message


def test_unknown_column_is_a_warning_and_is_ignored() -> None:
    table, problems = read_table(csv_bytes(ROW + ";9h-12h", header=HEADER + ";Horaires"))
    assert table is not None
    assert [(p.severity, p.value) for p in problems] == [(Severity.WARNING, "Horaires")]
    assert "Horaires" not in table.rows[0][1]


def test_duplicate_header_names_are_an_error() -> None:
    table, problems = read_table(csv_bytes(ROW + ";Colmar", header=HEADER + ";Ville"))
    assert table is not None
    assert "désignent toutes deux « commune »" in messages(problems)
    assert table.rows[0][1]["commune"] == "Strasbourg"


def test_row_with_more_cells_than_the_header_is_an_error_but_empty_extras_are_not() -> None:
    table, problems = read_table(csv_bytes(ROW + ";;", ROW + ";oups"))
    assert table is not None
    assert [(p.line, p.value) for p in problems] == [(3, "oups")]


def test_short_rows_get_empty_cells() -> None:
    table, _ = read_table(csv_bytes("GE-01;Nom"))
    assert table is not None
    assert table.rows[0][1]["soins"] == ""


def test_header_only_file_is_unusable() -> None:
    table, problems = read_table(csv_bytes())
    assert table is None
    assert "ne contient que l'en-tête" in messages(problems)


def test_file_over_the_size_limit_is_refused_before_reading() -> None:
    table, problems = read_table(b"a" * (MAX_BYTES + 1))
    assert table is None
    assert "Mo" in messages(problems)


def test_file_over_the_row_limit_is_refused() -> None:
    data = csv_bytes(*(["a;b"] * (MAX_ROWS + 1)))
    table, problems = read_table(data)
    assert table is None
    assert f"plus de {MAX_ROWS} lignes" in messages(problems)


def test_huge_cell_is_reported_and_the_following_rows_are_still_read() -> None:
    table, problems = read_table(csv_bytes("GE-01;" + "x" * 200_000, ROW))
    assert table is not None
    assert [p.line for p in problems] == [2]
    assert "démesurée" in problems[0].message
    assert [line for line, _ in table.rows] == [3]


def test_mojibake_cell_is_reported_with_the_likely_intended_text() -> None:
    table, problems = read_table(csv_bytes(ROW.replace("santé", "santÃ©")))
    assert table is not None
    assert problems[0].column == "nom"
    assert "« Espace santé » était sans doute voulu" in problems[0].message


def test_unclosed_quote_swallowing_rows_is_reported() -> None:
    table, problems = read_table(csv_bytes(ROW.replace("Espace", '"Espace'), ROW, ROW))
    assert table is not None
    assert "guillemet" in messages(problems)


def test_problem_json_uses_french_keys_and_shortens_values() -> None:
    problem = Problem(3, "nom", "x" * 200, "Trop long.")
    assert problem.to_json() == {
        "ligne": 3,
        "colonne": "nom",
        "valeur": "x" * 79 + "…",
        "message": "Trop long.",
        "gravite": "erreur",
    }
