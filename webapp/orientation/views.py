"""The physician's orientation page (`/orienter`) and the printable orientation sheet.

The patient's address, age and cancer travel only in POST bodies, are never logged, and every
page that shows them carries `Cache-Control: no-store`. The sheet receives only the team (and
an optional second team), the prescribed cares and the prescription deadline: whatever the
physician writes about the patient stays in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import folium
from flask import Blueprint, Response, make_response, render_template, request

from geodata.contract.records import SiteRecord
from geodata.errors import GeodataError, InvalidFields, InvalidValue, NotFound, PlaceNotFound
from geodata.geocoding import needs_town
from geodata.orientation.pathway import fee_combinations, prescription_deadline
from geodata.orientation.request import OrientationQuery, parse_form
from geodata.orientation.service import NEEDS_TOWN, OrientationAnswer, orient
from geodata.publishing.versions import published_records
from geodata.storage.networks import find_network
from webapp.maps import render_map
from webapp.orientation import presenters as view
from webapp.orientation import sheet as exchange
from webapp.orientation.map import LeftOutPin, TeamPin, orientation_map
from webapp.services import get_db, get_gazetteer_service, get_geocoder, get_settings
from webapp.tiles import tile_provider

bp = Blueprint("orientation", __name__, url_prefix="/orienter")

FORM_FIELDS = ("adresse", "cancer", "age", "fin_traitement")


def _no_store(body: str, status: int = 200) -> Response:
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_values() -> dict[str, Any]:
    """Return what the physician typed, as the form and `parse_form` expect it."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    values["soins"] = request.form.getlist("soins")
    return values


def _render_form(values: Mapping[str, Any], errors: Mapping[str, str], **extra: Any) -> str:
    return render_template(
        "orientation/form.html", form=view.form_options(values), errors=errors, **extra
    )


@bp.get("")
def form() -> Response:
    return _no_store(_render_form({"soins": []}, {}, autofocus=True))


@bp.post("")
def results() -> Response:
    """Answer the form: the nearest eligible teams, or the form again with French errors."""
    values = _form_values()
    today = date.today()
    far_km = get_settings().far_km
    typed = {**values, "fin_traitement": exchange.typed_date(values["fin_traitement"])}
    try:
        query = parse_form(typed, today)
        answer = orient(get_db(), query, get_geocoder(), get_gazetteer_service(), today, far_km)
    except InvalidValue as error:
        return _no_store(_render_form(values, _every_error(error, values)), 400)
    except NotFound as error:
        # The geocoder found nothing for the address (PlaceNotFound), maybe saying what to add.
        return _no_store(_render_form(values, {"adresse": error.message}), 400)
    page = render_template("orientation/results.html", **_results_context(values, query, answer))
    return _no_store(page)


def _every_error(error: InvalidValue, values: Mapping[str, Any]) -> dict[str, str]:
    """Return the fields' errors and, first, whether the geocoder knows the address."""
    errors = _field_errors(error, values)
    if "adresse" in errors:
        return errors
    return {**_address_error(values["adresse"]), **errors}


def _address_error(address: str) -> dict[str, str]:
    """Return the error of an address the geocoder does not know, for a form that has other
    errors: every problem is then said at once. {} when it is found, empty or not checkable."""
    if not address:
        return {}
    try:
        found = get_geocoder().geocode(address, limit=1)
    except GeodataError:
        return {}  # an external geocoder that does not answer is said once the form is right
    if found:
        return {}
    return {"adresse": PlaceNotFound(NEEDS_TOWN if needs_town(address) else "").message}


def _field_errors(error: InvalidValue, values: Mapping[str, Any]) -> dict[str, str]:
    """Return every bad field's French message, by field, in the form's order.

    A date that is not a day in the form's format gets a message naming that format (JJ/MM/AAAA).
    """
    if isinstance(error, InvalidFields):
        errors = {item.field: item.message for item in error.errors}
    else:
        errors = {error.field: error.message}
    if "fin_traitement" in errors and not exchange.is_date(values["fin_traitement"]):
        errors["fin_traitement"] = exchange.DATE_FORMAT_ERROR
    return errors


def _results_context(
    values: Mapping[str, Any], query: OrientationQuery, answer: OrientationAnswer
) -> dict[str, Any]:
    deadline = prescription_deadline(query.fin_traitement) if query.fin_traitement else None
    teams = [view.team(hit) for hit in answer.results]
    return {
        "form": view.form_options(values),
        "errors": {},
        "query": query,
        "place": answer.place,
        "precision": answer.place.type.placed_label,
        "teams": teams,
        "second_choices": view.second_choices(teams),
        **view.split_left_out(answer),
        "left_out_line": view.left_out_line(len(answer.left_out)),
        "warnings": answer.warnings,
        "fees": fee_combinations(query.soins),
        "soins_labels": view.labels("soins", query.soins),
        "deadline": view.french_date(deadline) if deadline else "",
        "deadline_iso": deadline.isoformat() if deadline else "",
        "parts": render_map(_answer_map(answer)),
    }


def _answer_map(answer: OrientationAnswer) -> folium.Map:
    provider = tile_provider(get_settings().tiles)
    pins = [TeamPin.of(number, hit) for number, hit in enumerate(answer.results, start=1)]
    others = [LeftOutPin.of(hit, view.km(hit.distance_km)) for hit in answer.left_out]
    place = answer.place
    return orientation_map(provider, (place.lat, place.lon), place.label, pins, others)


def _sheet_soins(codes: list[str]) -> tuple[str, ...]:
    vocabulary = view.vocabulary("soins")
    unknown = [code for code in codes if code not in vocabulary]
    if unknown or not codes:
        raise InvalidValue(
            "Choisissez au moins un soin à prescrire dans la page d'orientation.",
            field="soins",
            value="",
        )
    return tuple(dict.fromkeys(codes))


def _find_team(slug: str, identifiant: str) -> tuple[SiteRecord, str]:
    """Return the published team and its network's name.

    Raises:
        NotFound: no such network or team (a French 404 page).
    """
    network = find_network(get_db(), slug) if slug else None
    if network is not None:
        for record in published_records(get_db(), network):
            if record.identifiant == identifiant:
                return record, network.name
    raise NotFound(
        "Cette équipe n'est pas (ou plus) dans l'annuaire publié. "
        "Relancez la recherche depuis la page « Orienter un patient ».",
        kind="site",
        key=identifiant[:64],
    )


def _second_team(key: str, first: SiteRecord) -> tuple[SiteRecord, str] | None:
    """Return the second team the physician asked for, if any and not the first one."""
    parts = exchange.split_key(key)
    if parts is None or parts[1] == first.identifiant:
        return None
    return _find_team(*parts)


@bp.post("/fiche")
def sheet() -> Response:
    """Render the printable orientation sheet of one team (and maybe a second) for the cares."""
    record, network_name = _find_team(
        request.form.get("reseau", ""), request.form.get("identifiant", "")
    )
    second = _second_team(request.form.get("seconde", ""), record)
    soins = _sheet_soins(request.form.getlist("soins"))
    deadline = exchange.read_iso(request.form.get("echeance", "").strip())
    page = render_template(
        "orientation/sheet.html",
        team=view.team_sheet(record, network_name),
        second=view.team_sheet(*second) if second else None,
        soins=view.care_descriptions(soins),
        fees=fee_combinations(soins),
        deadline=view.french_date(deadline) if deadline else "",
        today=date.today().strftime("%d/%m/%Y"),
    )
    return _no_store(page)
