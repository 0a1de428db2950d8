from __future__ import annotations

from datetime import date

import pytest

from geodata.errors import InvalidValue
from geodata.orientation.pathway import (
    ANNUAL_CAP_EUR,
    FeeCombination,
    fee_combinations,
    prescription_deadline,
    window_warning,
)


def test_three_cares_give_the_three_typical_combinations_of_the_regulation() -> None:
    found = fee_combinations(["activite_physique", "dietetique", "psychologie"])
    assert found == [
        FeeCombination(1, 6, 180.0),
        FeeCombination(2, 4, 180.0),
        FeeCombination(3, 2, 180.0),
    ]


def test_physical_activity_alone_is_one_assessment_without_consultations() -> None:
    assert fee_combinations(["activite_physique"]) == [FeeCombination(1, 0, 45.0)]


def test_one_consulting_care_allows_at_most_six_consultations() -> None:
    assert fee_combinations(["dietetique"]) == [FeeCombination(1, 6, 180.0)]


def test_repeated_cares_count_once() -> None:
    assert fee_combinations(["dietetique", "dietetique"]) == [FeeCombination(1, 6, 180.0)]


def test_no_care_gives_no_combination() -> None:
    assert fee_combinations([]) == []


def test_every_combination_fits_in_the_annual_cap() -> None:
    for combination in fee_combinations(["activite_physique", "psychologie", "dietetique"]):
        assert combination.total_eur <= ANNUAL_CAP_EUR


def test_deadline_is_twelve_months_after_the_end_of_treatment() -> None:
    assert prescription_deadline(date(2025, 3, 31)) == date(2026, 3, 31)


def test_deadline_after_a_29_february_is_28_february() -> None:
    assert prescription_deadline(date(2024, 2, 29)) == date(2025, 2, 28)


def test_no_warning_on_the_last_day_of_the_window() -> None:
    assert window_warning(date(2025, 3, 31), today=date(2026, 3, 31)) is None


def test_warning_the_day_after_the_window_names_the_deadline() -> None:
    warning = window_warning(date(2025, 3, 31), today=date(2026, 4, 1))
    assert warning is not None
    assert "31/03/2026" in warning
    assert "dépassé" in warning


def test_a_deadline_past_the_calendar_is_an_invalid_end_of_treatment_not_an_overflow() -> None:
    with pytest.raises(InvalidValue) as raised:
        prescription_deadline(date(9999, 1, 31))
    assert raised.value.field == "fin_traitement"
