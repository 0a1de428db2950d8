"""A coverage study written out: CSV (UTF-8, ";") and GeoJSON of the communes' outlines.

The GeoJSON joins the figures to the simplified commune outlines of the reference build,
department by department, so that only the area's outlines are read.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from geodata.coverage.study import Study
from geodata.coverage.summary import NOTICE, Figures, band_of
from geodata.reference.files import read_commune_outlines

CSV_COLUMNS = (
    "code_insee",
    "commune",
    "departement",
    "population",
    "distance_km",
    "identifiant",
    "reseau",
    "bande",
)


def commune_rows(study: Study) -> list[dict[str, Any]]:
    """Return one row per commune of the area: its figures and nearest eligible site."""
    nearest = study.nearest
    rows = []
    for index, commune in enumerate(nearest.communes):
        site = nearest.site_of(index)
        distance = float(nearest.distance_km[index])
        rows.append(
            {
                "code_insee": commune.code,
                "commune": commune.name,
                "departement": commune.department,
                "population": commune.population,
                "distance_km": None if math.isnan(distance) else round(distance, 1),
                "identifiant": site.identifiant if site else "",
                "reseau": site.reseau if site else "",
                "bande": band_of(distance),
            }
        )
    return rows


def to_csv(study: Study) -> str:
    """Return the study as CSV text: a header, then one row per commune."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in commune_rows(study):
        writer.writerow(row | {"distance_km": _decimal(row["distance_km"])})
    return stream.getvalue()


def _decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def to_geojson(study: Study) -> dict[str, Any]:
    """Return the study as a GeoJSON FeatureCollection of the communes' outlines.

    A commune without an outline in the reference build (a few restored in 2024) is left out
    of the GeoJSON; the CSV still lists it.
    """
    rows = {row["code_insee"]: row for row in commune_rows(study)}
    features = []
    for department in sorted({row["departement"] for row in rows.values()}):
        for feature in read_commune_outlines(department)["features"]:
            row = rows.get(feature["properties"]["code"])
            if row is not None:
                features.append(
                    {"type": "Feature", "geometry": feature["geometry"], "properties": row}
                )
    return {"type": "FeatureCollection", "notice": NOTICE, "features": features}


def _figures_json(figures: Figures) -> dict[str, Any]:
    return {
        "code": figures.code,
        "nom": figures.name,
        "population": figures.population,
        "a_moins": figures.within,
        "au_dela": figures.beyond,
        "sans_site": figures.without,
        "communes_au_dela": figures.communes_beyond,
    }


def to_json(study: Study) -> dict[str, Any]:
    """Return the figures of the study (`GET /api/v1/couverture`)."""
    request, summary = study.request, study.summary
    rows = commune_rows(study)
    answer: dict[str, Any] = {
        "notice": NOTICE,
        "zone": request.area.label,
        "profil": {
            "cancer": request.profile.cancer,
            "age": request.profile.age,
            "soins": list(request.profile.soins),
        },
        "km": request.km,
        "sites_eligibles": len(study.nearest.sites),
        "total": _figures_json(summary.total),
        "departements": [_figures_json(f) for f in summary.departments],
        "communes_les_plus_peuplees_au_dela": [rows[i] for i in summary.farthest],
    }
    if study.before is not None:
        answer["sans_candidats"] = {"total": _figures_json(study.before.total)}
        answer["communes_gagnees_par_les_candidats"] = len(study.changed)
    return answer
