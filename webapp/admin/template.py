"""The CSV template networks start from, and the explanation of its columns and vocabularies.

The template is the contract's header and one example row only, so that the importer accepts it
back as it is; the explanations live in a separate text file and on the network page.
"""

from __future__ import annotations

from geodata.contract.records import SiteRecord
from geodata.contract.schema import Field, load_schema
from geodata.publishing.export import to_csv

EXAMPLE = SiteRecord(
    identifiant="RESEAU-STRAS-01",
    nom="Équipe d'exemple — Strasbourg",
    structure_porteuse="Association porteuse (exemple)",
    adresse="1 place de l'Étoile",
    code_postal="67000",
    commune="Strasbourg",
    telephone="03 88 00 00 00",
    courriel="contact@example.org",
    site_web="https://example.org",
    cancers=("tous",),
    publics=("adultes",),
    soins=("activite_physique", "dietetique", "psychologie"),
    zone=("67",),
    actif=True,
    precisions="Exemple à remplacer par vos structures : une ligne par lieu d'accueil.",
)


def template_csv() -> str:
    """Return the template: the contract's header and the example row (`;`, UTF-8 with BOM)."""
    return to_csv([EXAMPLE])


def _field_lines(field: Field) -> list[str]:
    need = "obligatoire" if field.required else "facultatif"
    raw = next(f for f in load_schema().raw["fields"] if f["name"] == field.name)
    lines = [f"{field.name} — {field.title} ({need})"]
    if raw.get("description"):
        lines.append(f"    {raw['description']}")
    if field.is_list:
        lines.append("    Plusieurs valeurs séparées par « | » (barre verticale).")
    lines += [f"    {code} : {label}" for code, label in field.vocabulary.items()]
    return lines


def explanations() -> str:
    """Return the French explanation of every column and vocabulary, as plain text."""
    lines = [
        "Modèle de l'annuaire : explication des colonnes",
        "",
        "Le fichier modele-annuaire.csv contient l'en-tête attendu et une ligne d'exemple.",
        "Gardez l'en-tête, remplacez la ligne d'exemple par vos structures (une ligne par lieu),",
        "puis enregistrez au format CSV (séparateur point-virgule, encodage UTF-8) ou .xlsx.",
        "",
    ]
    for field in load_schema().fields:
        lines += [*_field_lines(field), ""]
    return "\n".join(lines)


def vocabularies() -> list[tuple[str, str, dict[str, str]]]:
    """Return (column, title, code -> label) for every column with a vocabulary."""
    return [(f.name, f.title, f.vocabulary) for f in load_schema().fields if f.vocabulary]
