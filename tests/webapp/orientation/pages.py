"""What the orientation tests post and how they read the pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

CHILD_IN_STRASBOURG = {
    "adresse": "Strasbourg",
    "cancer": "sein",
    "age": "8",
    "soins": ["activite_physique"],
}
ADULT_IN_LYON_7 = {
    "adresse": "69007 Lyon",
    "cancer": "sein",
    "age": "54",
    "soins": ["activite_physique", "psychologie"],
    "fin_traitement": "",
}


class _Forms(HTMLParser):
    """Collect each <form>'s action and the names of the fields it would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.named_outside: list[tuple[str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action"), "fields": []})
        elif tag in ("input", "select", "textarea") and values.get("name"):
            target = self.forms[-1]["fields"] if self.forms else self.named_outside
            target.append((values["name"], values.get("value")))


def forms_of(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


def team_names(html: str) -> list[str]:
    return re.findall(r'<h3 class="team__name">([^<]*)</h3>', html)
