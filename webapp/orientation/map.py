"""The map of an orientation answer: the patient's place and the numbered teams of the list.

A pure function of plain values. Without tiles the background is the outlines of the
departments around the patient and the teams (`webapp.maps.add_outlines_near`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from markupsafe import escape

from geodata.orientation.search import Hit
from webapp.maps import SafeTooltip, add_outlines_near, base_map
from webapp.tiles import TileProvider

# The map frames the teams up to this many times the nearest one's distance (at least
# FRAME_MIN_KM): a far fifth team must not shrink the patient's area to a dot.
FRAME_FACTOR = 2.5
FRAME_MIN_KM = 30.0


@dataclass(frozen=True)
class TeamPin:
    """A team on the map: its number in the list, name and place."""

    number: int
    name: str
    lat: float
    lon: float
    distance_km: float

    @classmethod
    def of(cls, number: int, hit: Hit) -> TeamPin:
        location = hit.record.location
        assert location is not None, "a published site always has a location"
        return cls(number, hit.record.nom, location.lat, location.lon, hit.distance_km)


def _pin_icon(number: int) -> folium.DivIcon:
    return folium.DivIcon(
        html=f'<span class="orientation-pin" aria-hidden="true">{number}</span>',
        icon_size=(28, 28),
        icon_anchor=(14, 14),
        class_name="orientation-pin-icon",
    )


def orientation_map(
    provider: TileProvider | None,
    patient: tuple[float, float],
    patient_label: str,
    teams: Sequence[TeamPin],
) -> folium.Map:
    """Return a map of the patient's place and the teams, framed on all of them."""
    points = [patient, *((pin.lat, pin.lon) for pin in teams)]
    nearest = min((pin.distance_km for pin in teams), default=0.0)
    reach = max(nearest * FRAME_FACTOR, FRAME_MIN_KM)
    fmap = base_map(provider, location=patient, zoom=10)
    if provider is None:
        add_outlines_near(fmap, points)
    patient_marker = folium.Marker(
        location=patient,
        icon=folium.DivIcon(
            html='<span class="orientation-patient" aria-hidden="true"></span>',
            icon_size=(22, 22),
            icon_anchor=(11, 11),
            class_name="orientation-patient-icon",
        ),
        title="Lieu du patient",
        z_index_offset=1000,
    ).add_to(fmap)
    SafeTooltip(escape(f"Patient : {patient_label}")).attach(patient_marker)
    for pin in teams:
        marker = folium.Marker(
            location=(pin.lat, pin.lon),
            icon=_pin_icon(pin.number),
            # Leaflet makes markers keyboard buttons; the title is their accessible name.
            title=f"{pin.number}. {pin.name}",
        ).add_to(fmap)
        SafeTooltip(escape(f"{pin.number}. {pin.name}")).attach(marker)
    framed = [patient, *((pin.lat, pin.lon) for pin in teams if pin.distance_km <= reach)]
    if len(framed) > 1:
        fmap.fit_bounds(_bounds(framed), padding=(30, 30))
    return fmap


def _bounds(points: Sequence[tuple[float, float]]) -> list[list[float]]:
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
