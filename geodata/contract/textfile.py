"""Turn uploaded bytes into text: refuse binary files, find the encoding and the delimiter.

Networks export from Excel or LibreOffice: UTF-8 with or without BOM, Windows-1252
("CSV (séparateur : point-virgule)" in French Excel), sometimes UTF-16 ("Texte Unicode").
"""

from __future__ import annotations

import codecs
import re

from geodata.errors import UnreadableFile

DELIMITERS = (";", ",", "\t")
SAVE_AS_CSV = (
    "Ouvrez-le dans votre tableur et utilisez « Enregistrer sous » au format « CSV UTF-8 » "
    "ou « CSV (séparateur : point-virgule) »."
)
# Leading bytes of the files people upload instead of a CSV, and what to call them.
_SIGNATURES = (
    (b"PK\x03\x04", "un classeur Excel (.xlsx), LibreOffice (.ods) ou une archive zip"),
    (b"\xd0\xcf\x11\xe0", "un classeur Excel ancien format (.xls)"),
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"{\\rtf", "un document RTF"),
)
_MARKUP = re.compile(rb"^\s*<(?:!doctype html|html|\?xml)", re.IGNORECASE)
_SEP_LINE = re.compile(r"^sep=(.)\r?$")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_SHOWN_LINES = 5  # bad lines named in a message; the first one is what matters


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if _MARKUP.match(data[:200]):
        return "une page web ou un fichier XML"
    if b"\x00" in data[:65536]:
        return "un fichier binaire"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode_utf8_with_bom(data: bytes) -> tuple[str, str]:
    body = data[len(codecs.BOM_UTF8) :]
    try:
        return body.decode("utf-8"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        line = _line_of(body, exc.start)
        raise UnreadableFile(
            f"Le fichier s'annonce en UTF-8 (il commence par une marque BOM) mais la ligne {line} "
            "contient des caractères dans un autre encodage (Windows-1252 ?) : il a été modifié "
            f"par deux logiciels différents. {SAVE_AS_CSV}",
            line=line,
        ) from exc


def _decode_cp1252(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise UnreadableFile(
            f"La ligne {line} contient un octet qui n'est ni de l'UTF-8 ni du Windows-1252 : "
            f"l'encodage du fichier est inconnu. {SAVE_AS_CSV}",
            line=line,
        ) from exc


def _shown_lines(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:_SHOWN_LINES])
    return shown + (", …" if len(lines) > _SHOWN_LINES else "")


def _refuse_mixed_encodings(data: bytes, error: UnicodeDecodeError) -> None:
    """Raise when UTF-8 text has a few lines in another encoding; return for a cp1252 file.

    A file mostly in UTF-8 with a few bad lines was completed with another program: read as
    Windows-1252, its correct accents would all turn into "Ã©" and the bad lines stay unnamed.
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = len(_NON_ASCII.findall(text)) - invalid
    if valid < invalid:
        return  # a Windows-1252 file: its accents are (nearly) never valid UTF-8
    line = _line_of(data, error.start)
    bad = [number for number, part in enumerate(text.split("\n"), 1) if "\ufffd" in part]
    raise UnreadableFile(
        f"Le fichier mélange deux encodages : il est en UTF-8, mais la ligne {line} contient "
        "des caractères dans un autre encodage (Windows-1252 ?), sans doute ajoutés avec un "
        f"autre logiciel. Lignes concernées : {_shown_lines(bad)}. Retapez les caractères "
        f"accentués de ces lignes, ou repartez du fichier d'origine. {SAVE_AS_CSV}",
        line=line,
    )


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return the text of an uploaded CSV and the name of its encoding.

    UTF-8 (with or without BOM) is tried first, then UTF-16 with a BOM, then Windows-1252.

    Raises:
        UnreadableFile: a binary file (spreadsheet, PDF, image), or bytes that fit none of
            those encodings; the French message says how to save the file as CSV.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"Le fichier UTF-16 est abîmé. {SAVE_AS_CSV}") from exc
    kind = _binary_kind(data)
    if kind is not None:
        raise UnreadableFile(f"Ce fichier est {kind}, pas un fichier CSV. {SAVE_AS_CSV}", line=0)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_utf8_with_bom(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_mixed_encodings(data, exc)
        return _decode_cp1252(data)


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for current in line:
        if current == '"':
            quoted = not quoted
        elif current == char and not quoted:
            count += 1
    return count


def sep_directive(text: str) -> str | None:
    """Return the delimiter of an Excel `sep=;` first line, or None when there is none."""
    match = _SEP_LINE.match(text.partition("\n")[0])
    return match.group(1) if match else None


def detect_delimiter(text: str) -> str:
    """Return the delimiter of a CSV text (";", "," or tab), judged from its header line.

    An Excel `sep=` first line wins; otherwise the candidate seen most often outside quotes
    in the first non-empty line, ";" on a tie (French Excel's choice).
    """
    directive = sep_directive(text)
    if directive is not None:
        return directive
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {char: _count_outside_quotes(header, char) for char in DELIMITERS}
    best = max(DELIMITERS, key=lambda char: counts[char])
    return best if counts[best] > counts[";"] else ";"
