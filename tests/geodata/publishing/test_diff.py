from __future__ import annotations

from dataclasses import replace

from geodata.publishing.diff import diff_records
from tests.helpers import STRASBOURG, site


def test_identical_directories_have_an_empty_diff() -> None:
    records = [site("A"), site("B")]
    diff = diff_records(records, list(records))
    assert diff.empty
    assert diff.unchanged == 2


def test_added_changed_and_removed_sites_are_reported_by_identifiant() -> None:
    old = [site("A"), site("B", telephone="03 88 00 00 00")]
    new = [site("B", telephone="03 88 11 11 11"), site("C")]
    diff = diff_records(old, new)
    assert diff.added == ("C",)
    assert diff.removed == ("A",)
    [change] = diff.changed
    assert change.identifiant == "B"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("telephone", "03 88 00 00 00", "03 88 11 11 11")
    ]
    assert diff.summary() == "1 ajout, 1 modification, 1 suppression"


def test_a_moved_site_is_a_change_of_position() -> None:
    moved = replace(STRASBOURG, lat=STRASBOURG.lat + 0.01)
    diff = diff_records([site("A")], [site("A", location=moved)])
    assert [c.field for c in diff.changed[0].changes] == ["position"]


def test_float_noise_below_a_metre_is_not_a_change() -> None:
    noisy = replace(STRASBOURG, lat=STRASBOURG.lat + 1e-9)
    assert diff_records([site("A")], [site("A", location=noisy)]).empty
