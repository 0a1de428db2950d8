"""The code a network pastes into its own website to show the map (`/embed`), built from the
options its editor chooses on the network page.

One implementation: `embed_snippet` is a pure function of the options; the network page
renders it for the options of its query string (the options form is a GET to that page, so it
works without JavaScript), and `/admin/<slug>/integration` returns it as JSON with the embed's
URL for the live preview (embed-snippet.js).

The options follow the embed's query string: `reseau`, the `cancer`, `public` and `soin` filters,
`affichage` (`carte`, `liste`, `carte-et-liste` by default, then omitted) and `hauteur=auto`,
with which the embed posts `{type: "annuaire-pcs-hauteur", hauteur: <px>}` to its parent: the
snippet then carries a small script that sets the frame's height from those messages only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Response, jsonify, request, url_for
from markupsafe import Markup

from geodata.contract.schema import load_schema
from geodata.errors import FieldError, InvalidFields, InvalidValue
from geodata.orientation.eligibility import ALL_CANCERS
from geodata.storage.networks import get_network
from webapp.admin.auth import login_required, network_required
from webapp.admin.blueprint import bp
from webapp.services import get_db

DISPLAYS = {
    "carte-et-liste": "La carte et la liste des structures",
    "carte": "La carte seule",
    "liste": "La liste seule",
}
DEFAULT_DISPLAY = "carte-et-liste"
DEFAULT_HEIGHT = 600
MIN_HEIGHT, MAX_HEIGHT = 300, 2000
# What the host-side script accepts from the embed: a frame is never made tiny nor endless.
MIN_AUTO_HEIGHT, MAX_AUTO_HEIGHT = 200, 20000
HEIGHT_MESSAGE = "annuaire-pcs-hauteur"
# The embed's filters: query parameter -> the contract's column.
FILTERS = {"cancer": "cancers", "public": "publics", "soin": "soins"}
FILTER_TITLES = {"cancer": "Type de cancer", "public": "Âge", "soin": "Soin"}
HEIGHT_ERROR = (
    f"La hauteur doit être un nombre entier de pixels, entre {MIN_HEIGHT} et {MAX_HEIGHT}."
)


def filter_choices(name: str) -> dict[str, str]:
    """Return code -> French label (capitalised) of one filter's values.

    "tous" is no choice for the cancer: as a filter it would keep only the teams that accept
    every cancer, which no editor means by it.
    """
    vocabulary = load_schema().vocabulary(FILTERS[name])
    return {
        code: label[:1].upper() + label[1:]
        for code, label in vocabulary.items()
        if not (name == "cancer" and code == ALL_CANCERS)
    }


@dataclass(frozen=True)
class EmbedOptions:
    """What the embedded map shows; "" means any value of a filter.

    Raises:
        InvalidFields: on creation, every bad value with a French message.
    """

    reseau: str  # the network's slug; "" for the whole directory
    cancer: str = ""
    public: str = ""
    soin: str = ""
    affichage: str = DEFAULT_DISPLAY
    auto_height: bool = False
    height: int = DEFAULT_HEIGHT  # in px, when the height is fixed

    def __post_init__(self) -> None:
        errors = [*self._filter_errors(), *self._layout_errors()]
        if errors:
            raise InvalidFields(errors)

    def _filter_errors(self) -> list[FieldError]:
        return [
            FieldError(
                name, f"{FILTER_TITLES[name]} inconnu : « {value} ». Choisissez dans la liste."
            )
            for name, value in self.filters().items()
            if value and value not in filter_choices(name)
        ]

    def _layout_errors(self) -> list[FieldError]:
        errors = []
        if self.affichage not in DISPLAYS:
            errors.append(FieldError("affichage", "Choisissez la carte, la liste, ou les deux."))
        if not self.auto_height and not MIN_HEIGHT <= self.height <= MAX_HEIGHT:
            errors.append(FieldError("pixels", HEIGHT_ERROR))
        return errors

    def filters(self) -> dict[str, str]:
        return {"cancer": self.cancer, "public": self.public, "soin": self.soin}

    def query(self) -> dict[str, str]:
        """Return the embed's query parameters, in a fixed order, without the defaults."""
        values = {"reseau": self.reseau, **self.filters()}
        if self.affichage != DEFAULT_DISPLAY:
            values["affichage"] = self.affichage
        if self.auto_height:
            values["hauteur"] = "auto"
        return {name: value for name, value in values.items() if value}


def embed_url(embed_base: str, options: EmbedOptions) -> str:
    """Return the URL of the embed (`embed_base` is the absolute URL of `/embed`)."""
    query = urlencode(options.query())
    return f"{embed_base}?{query}" if query else embed_base


def _title(options: EmbedOptions, network_name: str) -> str:
    what = "Liste des structures" if options.affichage == "liste" else "Carte des structures"
    scope = network_name if options.reseau else "tout l’annuaire"
    return f"{what} — {scope}"


# The host page's side of `hauteur=auto`. Plain ES5 (a network's site may be old); it trusts a
# message only from this snippet's own frame, at the app's origin, with a sane height.
HOST_SCRIPT = Markup(
    "<script>\n"
    "(function (frame) {{\n"
    '  window.addEventListener("message", function (event) {{\n'
    "    var data = event.data;\n"
    "    if (!frame || event.source !== frame.contentWindow) {{ return; }}\n"
    "    if (event.origin !== {origin}) {{ return; }}\n"
    '    if (!data || data.type !== "{kind}" || typeof data.hauteur !== "number") {{ return; }}\n'
    "    if (!isFinite(data.hauteur) || data.hauteur <= 0) {{ return; }}\n"
    "    var height = Math.round(Math.min(Math.max(data.hauteur, {low}), {high}));\n"
    '    frame.style.height = height + "px";\n'
    "  }});\n"
    "}})(document.currentScript && document.currentScript.previousElementSibling);\n"
    "</script>"
)


def _js_string(text: str) -> Markup:
    """Return `text` as a JavaScript string literal that cannot end the <script> element."""
    literal = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(literal.replace("&", "\\u0026"))


def embed_snippet(options: EmbedOptions, embed_base: str, network_name: str) -> str:
    """Return the HTML a network pastes into its website: the frame, and with an automatic
    height the script that sizes it. Every value is escaped (the name may hold anything)."""
    src = embed_url(embed_base, options)
    height = DEFAULT_HEIGHT if options.auto_height else options.height
    frame = Markup(
        '<iframe src="{}" title="{}" width="100%" height="{}" '
        'style="border:0" loading="lazy"></iframe>'
    ).format(src, _title(options, network_name), height)
    if not options.auto_height:
        return str(frame)
    parts = urlsplit(embed_base)
    script = HOST_SCRIPT.format(
        origin=_js_string(f"{parts.scheme}://{parts.netloc}"),
        kind=HEIGHT_MESSAGE,
        low=MIN_AUTO_HEIGHT,
        high=MAX_AUTO_HEIGHT,
    )
    return str(frame + Markup("\n") + script)


def _whole_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def options_from(args: Mapping[str, str], slug: str) -> EmbedOptions:
    """Return the options of the form's query string (`perimetre`, the filters, `affichage`,
    `hauteur` = fixe or auto, `pixels`); missing ones take their default.

    Raises:
        InvalidFields: every bad value, with a French message.
    """
    values = {name: args.get(name, "").strip() for name in (*FILTERS, "affichage", "pixels")}
    scope, mode = args.get("perimetre", "reseau"), args.get("hauteur", "fixe")
    errors = []
    if scope not in ("reseau", "tout"):
        errors.append(FieldError("perimetre", "Choisissez vos structures ou tout l'annuaire."))
    if mode not in ("fixe", "auto"):
        errors.append(FieldError("hauteur", "Choisissez une hauteur fixe ou automatique."))
    pixels = _whole_number(values["pixels"] or str(DEFAULT_HEIGHT))
    if pixels is None and mode != "auto":
        errors.append(FieldError("pixels", HEIGHT_ERROR))
    try:
        options = EmbedOptions(
            reseau="" if scope == "tout" else slug,
            **{name: values[name] for name in FILTERS},
            affichage=values["affichage"] or DEFAULT_DISPLAY,
            auto_height=mode == "auto",
            height=DEFAULT_HEIGHT if pixels is None else pixels,
        )
    except InvalidFields as error:
        errors += error.errors
    if errors:
        raise InvalidFields(errors)
    return options


def snippet_for(options: EmbedOptions, network_name: str) -> tuple[str, str]:
    """Return the snippet and the embed's URL, at this request's host."""
    embed_base = url_for("public.embed", _external=True)
    return embed_snippet(options, embed_base, network_name), embed_url(embed_base, options)


def form_context(slug: str, network_name: str, args: Mapping[str, str]) -> dict[str, Any]:
    """Return what the network page's embed section shows for the options in `args`.

    Bad options show their messages beside the default snippet.
    """
    errors: list[FieldError] = []
    try:
        options = options_from(args, slug)
    except InvalidFields as error:
        errors, options = error.errors, EmbedOptions(reseau=slug)
    snippet, preview = snippet_for(options, network_name)
    return {
        "options": options,
        "snippet": snippet,
        "preview": preview,
        "errors": errors,
        "choices": {name: filter_choices(name) for name in FILTERS},
        "displays": DISPLAYS,
        "bounds": (MIN_HEIGHT, MAX_HEIGHT),
    }


@bp.get("/<slug>/integration")
@login_required
def embed_code(slug: str) -> Response | tuple[Response, int]:
    """The snippet and the preview's URL for the options of the query string, as JSON."""
    network_required(slug)
    network = get_network(get_db(), slug)
    try:
        options = options_from(request.args, slug)
    except InvalidValue as error:
        return _bad_options(error), 400
    snippet, preview = snippet_for(options, network.name)
    return jsonify({"snippet": snippet, "apercu": preview})


def _bad_options(error: InvalidValue) -> Response:
    found = (
        error.errors
        if isinstance(error, InvalidFields)
        else [FieldError(error.field, error.message)]
    )
    messages = [{"champ": item.field, "message": item.message} for item in found]
    return jsonify({"erreur": " ".join(item.message for item in found), "erreurs": messages})
