"""Normalise single cells of a directory CSV: text, phone, e-mail, web address, numbers, codes.

Each function takes the stripped cell and returns the normalised value and an optional
French warning, or raises `InvalidValue` whose French message says how to fix the cell.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from geodata.errors import InvalidValue

Normalised = tuple[str, str | None]  # (value, warning)

_LINE_BREAKS = re.compile(r"\r\n?")
# Control characters (but tab and newline), zero-width and bidirectional-override characters:
# invisible in a spreadsheet, they can make a name display differently from what it is.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")
_ESCAPED_FORMULA = re.compile(r"^'[=+\-@]")
_FORMULA = re.compile(r"^=(?![=>])")


def clean_text(column: str, raw: str, *, multiline: bool = False) -> Normalised:
    """Un-escape an exported formula cell, drop invisible characters, tidy the spaces.

    A cell that looks like a spreadsheet formula is kept as text, with a warning: the exporter
    escapes it with a leading "'", and an exported file must import again unchanged.
    """
    if raw.isprintable() and "  " not in raw and not raw.startswith(("'", "=")):
        return raw.strip(), None  # the usual cell: nothing to tidy (checked first for speed)
    text = raw[1:] if _ESCAPED_FORMULA.match(raw) else raw
    warnings: list[str] = []
    if _FORMULA.match(text):
        warnings.append(
            "La cellule commence par « = » comme une formule de tableur : elle est gardée "
            "telle quelle, comme du texte. Si c'est une erreur, écrivez la valeur elle-même."
        )
    text = _LINE_BREAKS.sub("\n", text)
    removed = sorted({f"U+{ord(char):04X}" for char in _INVISIBLE.findall(text)})
    if removed:
        text = _INVISIBLE.sub("", text)
        warnings.append(f"Caractères invisibles ou de contrôle retirés ({', '.join(removed)}).")
    if not multiline:
        text = _SPACES.sub(" ", text)
    return text.strip(), " ".join(warnings) or None


# Overseas departments share the national numbering plan: +262 262 12 34 56 is 02 62 12 34 56.
_OVERSEAS_NATIONAL = ("262", "269", "590", "594", "596")
# Overseas collectivities have their own plans of 6 digits, kept in international form.
_OVERSEAS_OWN = ("508", "681", "687", "689")
_PHONE_NOISE = re.compile(r"[\s.\-/()]+")
_SCIENTIFIC = re.compile(r"^\d[.,]?\d*E\+?\d+$", re.IGNORECASE)


def _pairs(digits: str) -> str:
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def _phone_error(raw: str, message: str) -> InvalidValue:
    return InvalidValue(message, field="telephone", value=raw)


def _international(raw: str, digits: str) -> str:
    for code in ("33", *_OVERSEAS_NATIONAL):
        if digits.startswith(code):
            national = digits[len(code) :].removeprefix("0")
            if len(national) == 9:
                return _pairs("0" + national)
            raise _phone_error(raw, f"Un numéro en +{code} a 9 chiffres après l'indicatif.")
    for code in _OVERSEAS_OWN:
        if digits.startswith(code) and len(digits) in (9, 11):
            return f"+{code} {_pairs(digits[len(code) :])}"
    if 8 <= len(digits) <= 15:
        return "+" + digits
    raise _phone_error(raw, "Numéro international trop court ou trop long.")


def normalise_phone(raw: str) -> Normalised:
    """Return a French number as "03 88 12 34 56" (overseas ones too), others as "+41..."."""
    if _SCIENTIFIC.match(raw.replace(" ", "")):
        raise _phone_error(
            raw,
            "Le tableur a transformé le numéro en nombre (notation « E+ ») et l'a abîmé : "
            "mettez la colonne au format Texte et retapez le numéro.",
        )
    compact = _PHONE_NOISE.sub("", raw.replace("(0)", ""))
    if not re.fullmatch(r"\+?\d+", compact):
        raise _phone_error(
            raw,
            "Numéro de téléphone illisible : un seul numéro, écrit avec des chiffres, espaces, "
            "points ou tirets (ex. 03 88 12 34 56 ou +33 3 88 12 34 56). Mettez les autres "
            "numéros dans « precisions ».",
        )
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        return _international(raw, compact[1:]), None
    if len(compact) == 10 and compact.startswith("0"):
        return _pairs(compact), None
    if len(compact) == 9 and not compact.startswith("0"):
        fixed = _pairs("0" + compact)
        return fixed, f"Zéro initial ajouté (le tableur l'avait retiré) : {fixed}."
    raise _phone_error(raw, "Un numéro français a 10 chiffres (ex. 03 88 12 34 56).")


EMAIL_MAX = 254  # characters: the longest address SMTP carries (RFC 5321), as accounts store it
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?")  # letters (any script), digits


def _valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    return (
        len(labels) >= 2
        and all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        and labels[-1].isalpha()
        and len(labels[-1]) >= 2
    )


def _plausible(address: str, local: str, domain: str) -> bool:
    return (
        len(address) <= EMAIL_MAX
        and len(local) <= 64
        and _EMAIL_LOCAL.fullmatch(local) is not None
        and _valid_domain(domain)
    )


def normalise_email(raw: str) -> Normalised:
    """Return an e-mail address without "mailto:", its domain in lower case.

    The one rule for directory contacts (`courriel`) and accounts. The part before "@" keeps
    its case: the directory publishes it as the network wrote it, and only the receiving server
    may treat its case as meaningless. Accounts fold it on top of this rule, so that signing in
    ignores case (`geodata.accounts.users`).
    """
    address = raw.strip().removeprefix("mailto:").strip()
    local, at, domain = address.rpartition("@")
    if at and _plausible(address, local, domain):
        return f"{local}@{domain.lower()}", None
    if address.count("@") > 1:
        message = "Indiquez une seule adresse de courriel ; mettez les autres dans « precisions »."
    else:
        message = "Adresse de courriel invalide : elle doit ressembler à contact@exemple.fr."
    raise InvalidValue(message, field="courriel", value=raw)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}\.?(?::\d{1,5})?")


def _url_error(raw: str, message: str) -> InvalidValue:
    return InvalidValue(message, field="site_web", value=raw)


def _with_scheme(raw: str) -> str:
    scheme = _SCHEME.match(raw)
    if scheme is None or "." in scheme.group(1):
        return "https:" + raw if raw.startswith("//") else "https://" + raw
    name = scheme.group(1).lower()
    if name == "mailto":
        raise _url_error(raw, "C'est une adresse de courriel : mettez-la dans « courriel ».")
    if name not in ("http", "https"):
        raise _url_error(
            raw,
            f"Adresse « {name}: » refusée : seules les adresses http:// et https:// sont "
            "acceptées (ex. https://www.exemple.fr).",
        )
    return raw


def normalise_url(raw: str) -> Normalised:
    """Return an http(s) address, adding "https://" when no scheme is written.

    Raises:
        InvalidValue: another scheme (javascript:, data:, ftp:...), spaces, no valid host.
    """
    if _SPACES.search(raw):
        raise _url_error(raw, "Une adresse web ne contient pas d'espace : une seule adresse.")
    url = urlsplit(_with_scheme(raw))
    if "@" in url.netloc:
        raise _url_error(raw, "Adresse web refusée : elle ne doit pas contenir « @ ».")
    if not _HOST.fullmatch(url.netloc):
        raise _url_error(raw, "Adresse web invalide : elle doit ressembler à www.exemple.fr.")
    rest = url.geturl()[len(url.scheme) + 3 + len(url.netloc) :]
    return f"{url.scheme.lower()}://{url.netloc.lower()}{rest}", None


_DECIMAL = re.compile(r"[+-]?\d{1,3}(?:[.,]\d+)?")


def parse_degrees(column: str, raw: str) -> float:
    """Return a coordinate in decimal degrees ("48,58" and "48.58" both accepted)."""
    if _DECIMAL.fullmatch(raw):
        return float(raw.replace(",", "."))
    hint = " (pas en degrés, minutes, secondes)" if "°" in raw or "'" in raw else ""
    raise InvalidValue(
        f"Coordonnée illisible : écrivez-la en degrés décimaux{hint}, ex. 48.5839.",
        field=column,
        value=raw,
    )


def _restore_zero(code: str, lengths: tuple[int, ...]) -> str | None:
    """Return `code` with the leading zero a spreadsheet dropped, or None when none was."""
    return "0" + code if code.isdigit() and len(code) in lengths else None


def normalise_postcode(raw: str) -> Normalised:
    """Return the postcode without spaces, restoring the leading zero a spreadsheet dropped.

    The one place postcodes are read: the gazetteer's lookups use it too (`postcode_key`).
    """
    code = _SPACES.sub("", raw).removesuffix(".0")
    fixed = _restore_zero(code, (4,))
    if fixed is not None:
        return fixed, f"Zéro initial ajouté (le tableur l'avait retiré) : {fixed}."
    return code, None


def postcode_key(raw: str) -> str | None:
    """Return the 5-digit postcode written in `raw` ("1000" -> "01000"), or None."""
    code, _ = normalise_postcode(raw)
    return code if len(code) == 5 and code.isdigit() else None


def normalise_zone_code(item: str) -> Normalised:
    """Return a department or commune code upper-cased, restoring a dropped leading zero."""
    code = item.strip().upper()
    fixed = _restore_zero(code, (1, 4))
    if fixed is not None:
        return fixed, f"Zéro initial ajouté à « {code} » (le tableur l'avait retiré) : {fixed}."
    return code, None
