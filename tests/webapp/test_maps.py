"""Map rendering: nothing a CSV holds can end the inline script or run as code."""

from __future__ import annotations

import json
import re

import folium
from markupsafe import escape

from webapp.maps import SafePopup, base_map, render_map, script_string

HOSTILE = "</script><script>alert(1)</script> `${alert(2)}` <!-- \u2028"


def test_a_marker_title_cannot_close_the_inline_script() -> None:
    fmap = base_map(None)
    folium.Marker((48.58, 7.75), title=HOSTILE).add_to(fmap)
    script = render_map(fmap).script
    assert "</" not in script and "<!--" not in script


def test_a_safe_popup_shows_escaped_html_whatever_the_text() -> None:
    fmap = base_map(None)
    marker = folium.Marker((48.58, 7.75)).add_to(fmap)
    SafePopup(escape(HOSTILE), maxWidth=320).attach(marker)
    script = render_map(fmap).script
    [literal] = re.findall(r'bindPopup\(("(?:[^"\\]|\\.)*")', script)
    assert json.loads(literal) == str(escape(HOSTILE))
    assert '{"maxWidth": 320}' in script


def test_script_strings_are_json_without_any_markup_character() -> None:
    literal = script_string(HOSTILE)
    assert not set("<>&") & set(literal)
    assert json.loads(literal) == HOSTILE


def test_maps_without_tiles_have_a_max_zoom_for_marker_clusters() -> None:
    assert base_map(None).options["maxZoom"] == 13
