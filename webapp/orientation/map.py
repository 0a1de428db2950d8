"""The map of an orientation answer: the patient's place, the numbered teams of the list and,
greyed, the closer teams left out (their reasons in a popup).

A pure function of plain values. Without tiles the background is the outlines of the
departments around the patient and the teams (`webapp.maps.add_outlines_near`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import folium
from markupsafe import Markup, escape

from geodata.orientation.search import Hit
from webapp.maps import SafePopup, SafeTooltip, add_outlines_near, base_map
from webapp.tiles import TileProvider

# The map frames the teams up to this many times the nearest one's distance (at least
# FRAME_MIN_KM): a far fifth team must not shrink the patient's area to a dot.
FRAME_FACTOR = 2.5
FRAME_MIN_KM = 30.0
# Markers this close (degrees, about 10 m) share a place: a patient and teams all placed at
# their town hall. They are drawn around it, this many pixels away, instead of one over the
# other (a team left out at 0 km hid under the patient).
SAME_PLACE_DEG = 1e-4
SPREAD_PX = 20

Offset = tuple[int, int]  # pixels right and down from where the marker is


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


@dataclass(frozen=True)
class LeftOutPin:
    """A closer team left out: its name, place, distance (French text) and French reasons."""

    name: str
    lat: float
    lon: float
    distance: str
    reasons: tuple[str, ...]

    @classmethod
    def of(cls, hit: Hit, distance: str) -> LeftOutPin:
        location = hit.record.location
        assert location is not None, "a published site always has a location"
        reasons = tuple(reason.message for reason in hit.reasons)
        return cls(hit.record.nom, location.lat, location.lon, distance, reasons)


def _pin_icon(number: int, offset: Offset = (0, 0)) -> folium.DivIcon:
    html = f'<span class="orientation-pin" aria-hidden="true">{number}</span>'
    return _div_icon(html, 28, "orientation-pin-icon", offset)


def _left_out_popup(pin: LeftOutPin) -> Markup:
    reasons = Markup("").join(Markup("<li>{}</li>").format(reason) for reason in pin.reasons)
    return Markup(
        '<p class="left-out-popup__title"><strong>{}</strong> ({})</p>'
        '<p class="left-out-popup__lead">N\'accepte pas ce patient :</p>'
        '<ul class="left-out-popup__reasons">{}</ul>'
    ).format(pin.name, pin.distance, reasons)


def _marker(
    place: tuple[float, float], icon: folium.DivIcon, name: str, z: int = 0
) -> folium.Marker:
    # Leaflet makes markers keyboard buttons; the title is their accessible name.
    return folium.Marker(location=place, icon=icon, title=name, z_index_offset=z)


def _div_icon(html: str, size: int, class_name: str, offset: Offset = (0, 0)) -> folium.DivIcon:
    half = size // 2
    anchor = (half - offset[0], half - offset[1])
    return folium.DivIcon(
        html=html, icon_size=(size, size), icon_anchor=anchor, class_name=class_name
    )


def spread(places: Sequence[tuple[float, float]]) -> list[Offset]:
    """Return where to draw each marker from its place: none for the first at a place (the
    patient comes first), the others around it on a circle, in their order."""
    first_at: dict[tuple[int, int], int] = {}
    offsets: list[Offset] = []
    for lat, lon in places:
        key = (round(lat / SAME_PLACE_DEG), round(lon / SAME_PLACE_DEG))
        rank = first_at[key] = first_at.get(key, -1) + 1
        offsets.append(_around(rank))
    return offsets


def _around(rank: int) -> Offset:
    if rank == 0:
        return (0, 0)
    # Six places on the first ring, starting up and right; then a wider ring, and so on.
    ring, seat = divmod(rank - 1, 6)
    angle = math.radians(60 * seat - 60)
    radius = SPREAD_PX * (ring + 1)
    return (round(radius * math.cos(angle)), round(radius * math.sin(angle)))


def add_left_out(
    fmap: folium.Map, pins: Sequence[LeftOutPin], offsets: Sequence[Offset] = ()
) -> None:
    """Add the teams left out as grey crossed squares, under the teams of the list."""
    html = '<span class="orientation-left-out" aria-hidden="true"></span>'
    for pin, offset in zip(pins, offsets or [(0, 0)] * len(pins), strict=True):
        icon = _div_icon(html, 20, "orientation-left-out-icon", offset)
        marker = _marker((pin.lat, pin.lon), icon, f"Écartée : {pin.name}", -1000).add_to(fmap)
        SafeTooltip(escape(f"Écartée : {pin.name}")).attach(marker)
        SafePopup(_left_out_popup(pin), maxWidth=280).attach(marker)


def add_teams(fmap: folium.Map, teams: Sequence[TeamPin], offsets: Sequence[Offset] = ()) -> None:
    """Add the numbered teams of the list."""
    for pin, offset in zip(teams, offsets or [(0, 0)] * len(teams), strict=True):
        name = f"{pin.number}. {pin.name}"
        marker = _marker((pin.lat, pin.lon), _pin_icon(pin.number, offset), name).add_to(fmap)
        SafeTooltip(escape(name)).attach(marker)


def add_patient(fmap: folium.Map, patient: tuple[float, float], label: str) -> None:
    html = '<span class="orientation-patient" aria-hidden="true"></span>'
    icon = _div_icon(html, 22, "orientation-patient-icon")
    marker = _marker(patient, icon, "Lieu du patient", 1000).add_to(fmap)
    SafeTooltip(escape(f"Patient : {label}")).attach(marker)


def orientation_map(
    provider: TileProvider | None,
    patient: tuple[float, float],
    patient_label: str,
    teams: Sequence[TeamPin],
    left_out: Sequence[LeftOutPin] = (),
) -> folium.Map:
    """Return a map of the patient's place, the teams and the teams left out, framed on the
    patient and the nearer teams of the list (on the teams left out when none is eligible)."""
    nearest = min((pin.distance_km for pin in teams), default=0.0)
    reach = max(nearest * FRAME_FACTOR, FRAME_MIN_KM)
    near = [(pin.lat, pin.lon) for pin in teams if pin.distance_km <= reach]
    framed = [patient, *(near if teams else ((pin.lat, pin.lon) for pin in left_out))]
    fmap = base_map(provider, location=patient, zoom=10)
    if provider is None:
        others = [(pin.lat, pin.lon) for pin in left_out]
        add_outlines_near(fmap, [patient, *((pin.lat, pin.lon) for pin in teams), *others])
    # The patient first, then the list's teams before those left out: the first at a place
    # stays on it.
    offsets = spread(
        [patient, *((p.lat, p.lon) for p in teams), *((p.lat, p.lon) for p in left_out)]
    )
    add_patient(fmap, patient, patient_label)
    add_left_out(fmap, left_out, offsets[1 + len(teams) :])
    add_teams(fmap, teams, offsets[1 : 1 + len(teams)])
    if len(framed) > 1:
        fmap.fit_bounds(_bounds(framed), padding=(30, 30))
    return fmap


def _bounds(points: Sequence[tuple[float, float]]) -> list[list[float]]:
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
