"""The rules of the post-cancer care pathway: fees and the prescription window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, date

from geodata.errors import InvalidValue

ANNUAL_CAP_EUR = 180
ASSESSMENT_EUR = 45
CONSULTATION_EUR = 22.5
MAX_CONSULTATIONS = 6
PRESCRIPTION_MONTHS = 12

# Cares that continue with follow-up consultations after their assessment; physical activity
# is an assessment only.
CONSULTATION_CARES = frozenset({"dietetique", "psychologie"})


@dataclass(frozen=True)
class FeeCombination:
    """A number of assessments and consultations whose fees fit in the annual cap."""

    assessments: int
    consultations: int
    total_eur: float


def fee_combinations(soins: Sequence[str]) -> list[FeeCombination]:
    """Return, for 1 to len(soins) assessments, the most consultations that fit in 180 EUR.

    Each prescribed care may open with its assessment; only dietary and psychological cares
    go on with consultations (at most 6 in total). Fewest assessments first; [] without cares.
    """
    cares = list(dict.fromkeys(soins))
    consulting = any(code in CONSULTATION_CARES for code in cares)
    combinations = []
    for assessments in range(1, len(cares) + 1):
        left = ANNUAL_CAP_EUR - assessments * ASSESSMENT_EUR
        if left < 0:
            break
        consultations = min(MAX_CONSULTATIONS, int(left // CONSULTATION_EUR)) if consulting else 0
        total = assessments * ASSESSMENT_EUR + consultations * CONSULTATION_EUR
        combinations.append(FeeCombination(assessments, consultations, total))
    return combinations


def prescription_deadline(end_of_treatment: date) -> date:
    """Return the last day the pathway may be prescribed: 12 months after the end of treatment.

    A 29 February end gives 28 February of the next year (the month has no 29th).

    Raises:
        InvalidValue: the deadline would fall after the last year of the calendar (9999).
    """
    months = end_of_treatment.month - 1 + PRESCRIPTION_MONTHS
    year, month = end_of_treatment.year + months // 12, months % 12 + 1
    if year > MAXYEAR:
        raise InvalidValue(
            "La date de fin de traitement est trop lointaine.",
            field="fin_traitement",
            value=end_of_treatment.isoformat(),
        )
    for day in (end_of_treatment.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")  # pragma: no cover


def window_warning(end_of_treatment: date, today: date) -> str | None:
    """Return a French warning when the prescription window has passed; None while in time."""
    deadline = prescription_deadline(end_of_treatment)
    if today <= deadline:
        return None
    return (
        "Le délai de prescription est dépassé : le parcours se prescrit dans les 12 mois "
        f"suivant la fin du traitement (ici jusqu'au {deadline:%d/%m/%Y})."
    )
