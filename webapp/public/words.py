"""Words for codes on the public map: vocabulary labels as on `/orienter`, territories by name.

A site's declared zone lists department codes ("88", "2A") and commune INSEE codes ("51108");
patients read "Vosges (88)" and "Châlons-en-Champagne", never the codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from geodata.contract.schema import load_schema
from geodata.orientation.directory import DirectoryEntry
from geodata.reference.gazetteer import Gazetteer

VOCABULARIES = ("cancers", "publics", "soins")


def capitalised(text: str) -> str:
    """Return `text` with its first letter upper-case, as the orientation page shows labels."""
    return text[:1].upper() + text[1:]


def vocabularies() -> dict[str, dict[str, str]]:
    """Return code -> label of the filtered list columns, labels capitalised."""
    schema = load_schema()
    return {
        name: {code: capitalised(label) for code, label in schema.vocabulary(name).items()}
        for name in VOCABULARIES
    }


def department_label(code: str, gazetteer: Gazetteer) -> str:
    """Return "Vosges (88)" for a department code, or the code when it names none."""
    department = gazetteer.department(code)
    return f"{department.name} ({department.code})" if department else code


def territory_label(code: str, gazetteer: Gazetteer) -> str:
    """Return the name of a zone code: a department with its code, a commune by its name."""
    if gazetteer.department(code) is not None:
        return department_label(code, gazetteer)
    commune = gazetteer.commune(code)
    return gazetteer.current(commune).name if commune is not None else code


def territory_text(codes: Sequence[str], gazetteer: Gazetteer) -> str:
    """Return the zone as words, names in the file's order, each name once."""
    names = dict.fromkeys(territory_label(code, gazetteer) for code in codes)
    return ", ".join(names)


def territories(entries: Iterable[DirectoryEntry], gazetteer: Gazetteer) -> dict[str, str]:
    """Return site key -> its zone in words, for the sites that declare one."""
    return {
        entry.key: territory_text(entry.record.zone, gazetteer)
        for entry in entries
        if entry.record.zone
    }


def department_names(gazetteer: Gazetteer) -> dict[str, str]:
    """Return department code -> name, for the search's "Saint-Julien (Var, 83)" labels."""
    return {department.code: department.name for department in gazetteer.departments()}


def labels(codes: Iterable[str], vocabulary: Mapping[str, str]) -> str:
    """Return the labels of `codes`, comma separated (an unknown code is shown as is)."""
    return ", ".join(vocabulary.get(code, code) for code in codes)
