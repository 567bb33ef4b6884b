"""Statutory induction for early career teachers (ECTs) in England: when the progress reviews and formal
assessments fall, and whether a timetable has the required reduction. Pure functions over dates, with no
database access; the web layer passes in the school's term dates. Source: DfE statutory guidance
*Induction for early career teachers (England)*, summarised in the shared domain reference, section 3.

The rules, as this module applies them:

Length
    Full-time induction is six terms (two school years). Part-time induction runs pro rata: it is complete
    when the FTE-weighted time served reaches six full-time terms, so 0.5 FTE takes twelve terms (four
    school years).

Counting time served
    Time is counted by term, in order of start date. For each term, the fraction served is the number of
    days from the later of the induction start and the term start to the term end (inclusive), divided by
    the number of days in the term (inclusive); the term contributes that fraction times the FTE. A start
    that falls between terms counts from the next term, and holidays between terms never count. The
    arithmetic is exact (`fractions.Fraction`), so 0.6 FTE is 3/5, not a float near it.

    Terms must be the three statutory terms of the school year (autumn, spring, summer), not half-terms.

Formal assessments
    Formal assessment 1 is due on the day time served reaches three full-time terms; formal assessment 2,
    which ends the induction, on the day it reaches six. When that point falls inside a term, the due
    date is the first day on which it is reached, counting the term's days (weekends included) at an
    equal share each. So a full-time ECT who starts on the first day of autumn has formal assessment 1 on
    the last day of summer of year 1 and formal assessment 2 on the last day of summer of year 2.

Progress reviews
    One on the last day of each term of the induction in which no formal assessment falls, whatever the
    FTE ("termly regardless of FTE"). A term with a formal assessment has no progress review, and there is
    none after the induction has ended.

Legacy NQTs (started before 1 September 2021)
    Three terms full-time equivalent, with three formal assessments, one at each point where time served
    reaches one, two and three full-time terms, and no progress reviews. NQTs who had not finished by
    1 September 2023 moved to the two-year ECT induction for the remainder; the caller decides which
    pattern applies to a record.

Reduced timetable
    In year 1 of induction an ECT teaches at most 90% of a standard timetable (a 10% reduction); in year 2
    at most 95% (5%). Both reductions are on top of PPA time, so both loads given to `reduction_check`
    should be teaching time only, measured the same way (periods or hours), with the standard load being
    what a teacher on the main pay range at the same FTE would teach.

Term dates beyond those known
    A part-time induction can run past the academic years a school has entered. `extend_terms` then
    repeats the last three terms one calendar year later, and again, on the same month and day (29 February
    becomes 28 February in a year without one), marking each such term `estimated`, so the page can say the
    dates are estimated from this year's term dates. `induction_schedule` does this itself when the known
    terms run out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise

PROGRESS_REVIEW = "progress_review"
FORMAL_ASSESSMENT = "formal_assessment"

# Full-time-equivalent terms served at which each formal assessment is due; the last one ends induction.
ECT_ASSESSMENT_POINTS = (Fraction(3), Fraction(6))
LEGACY_NQT_ASSESSMENT_POINTS = (Fraction(1), Fraction(2), Fraction(3))
LEGACY_NQT_STARTED_BEFORE = date(2021, 9, 1)

TERMS_PER_YEAR = 3
REQUIRED_REDUCTION_PERCENT = {1: Decimal(10), 2: Decimal(5)}

# The longest gap between terms that can be a school holiday (a long independent-school summer is about
# ten weeks). It tells a start in the holiday before the first known term from a start whose earlier
# terms are missing, and three consecutive terms that make one school year from three half-terms.
MAX_HOLIDAY_DAYS = 100


@dataclass(frozen=True)
class TermDates:
    starts_on: date
    ends_on: date
    label: str  # e.g. "Autumn 2026/27"
    estimated: bool = False

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


@dataclass(frozen=True)
class Event:
    kind: str  # PROGRESS_REVIEW or FORMAL_ASSESSMENT
    number: int  # 1-based, counted separately per kind
    due_on: date
    term_label: str
    estimated: bool  # the term's dates were extrapolated


@dataclass(frozen=True)
class Schedule:
    starts_on: date
    fte: Fraction
    events: list[Event]  # sorted by due_on then kind
    ends_on: date  # the day induction is complete (= the last formal assessment)
    terms_served: int  # how many terms the induction touches

    @property
    def formal_assessments(self) -> list[Event]:
        return [event for event in self.events if event.kind == FORMAL_ASSESSMENT]

    @property
    def progress_reviews(self) -> list[Event]:
        return [event for event in self.events if event.kind == PROGRESS_REVIEW]


@dataclass(frozen=True)
class ReductionCheck:
    induction_year: int
    required_percent: Decimal
    actual_percent: Decimal  # rounded down to 2 decimal places, so it never shows a pass that is not one
    met: bool
    message: str


def as_fte(value: Decimal | Fraction | float | int | str) -> Fraction:
    """`value` as an exact fraction of full time; floats are read by their shortest decimal form, so 0.6 is
    3/5. Raises ValueError unless 0 < FTE <= 1."""
    if isinstance(value, bool):
        raise ValueError(f"FTE must be a number such as 0.6, not {value!r}.")
    try:
        fte = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, InvalidOperation):
        raise ValueError(f"FTE must be a number such as 0.6, not {value!r}.") from None
    if fte <= 0:
        raise ValueError(f"FTE must be more than 0; got {_show(fte)}.")
    if fte > 1:
        raise ValueError(f"FTE cannot be more than 1 (full time); got {_show(fte)}.")
    return fte


def extend_terms(terms: Sequence[TermDates], until: date) -> list[TermDates]:
    """The terms in date order, followed if need be by estimated ones, until a term ends on or after
    `until`. Estimates repeat the last three terms shifted by whole calendar years, always counted from
    those three (so 29 February comes back in leap years). Raises ValueError when there are no terms, when
    terms overlap, or when more are needed but the last three do not make one school year."""
    ordered = _in_order(terms)
    if ordered[-1].ends_on >= until:
        return ordered
    if len(ordered) < TERMS_PER_YEAR:
        raise ValueError(
            f"Term dates are needed until {_day(until)}, but the known terms end on "
            f"{_day(ordered[-1].ends_on)}; later years are estimated from the last school year's "
            f"three terms, and only {len(ordered)} term(s) were given."
        )
    year = ordered[-TERMS_PER_YEAR:]
    holiday = (_shift_years(year[0].starts_on, 1) - year[-1].ends_on).days - 1
    if not 0 <= holiday <= MAX_HOLIDAY_DAYS:
        raise ValueError(
            f"The last three terms ({year[0].label} to {year[-1].label}) do not look like one school "
            f"year of three terms, so later term dates cannot be estimated from them."
        )
    extended = list(ordered)
    years_on = 0
    while extended[-1].ends_on < until:
        years_on += 1
        for term in year:
            starts_on = _shift_years(term.starts_on, years_on)
            extended.append(
                TermDates(
                    starts_on=starts_on,
                    ends_on=_shift_years(term.ends_on, years_on),
                    label=_shift_label(term.label, years_on, starts_on),
                    estimated=True,
                )
            )
            if extended[-1].ends_on >= until:
                break
    return extended


def time_served(
    starts_on: date, fte: Decimal | Fraction | float | str, terms: Sequence[TermDates], through: date
) -> Fraction:
    """Full-time-equivalent terms served from `starts_on` to the end of `through`, counted as the module
    docstring says. Only the terms given count: this does not estimate later ones."""
    fraction = as_fte(fte)
    served = Fraction(0)
    for term in _in_order(terms):
        first = max(starts_on, term.starts_on)
        last = min(through, term.ends_on)
        if last >= first:
            served += Fraction((last - first).days + 1, term.days) * fraction
    return served


def induction_schedule(
    starts_on: date,
    fte: Decimal | Fraction | float | str,
    terms: Sequence[TermDates],
    *,
    legacy_nqt: bool = False,
) -> Schedule:
    """The progress reviews and formal assessments of an induction starting on `starts_on` at `fte`, under
    the rules in the module docstring. `terms` should run from the start of induction; later terms are
    estimated when they run out. Raises ValueError, with a message to show, for no terms, an FTE outside
    0 < FTE <= 1, overlapping terms, a start long before the first known term, or a legacy NQT pattern for
    a start on or after 1 September 2021."""
    fraction = as_fte(fte)
    if not terms:
        raise ValueError("No term dates were given; add the school's term dates for the induction years.")
    timeline = _in_order(terms)
    if (timeline[0].starts_on - starts_on).days - 1 > MAX_HOLIDAY_DAYS:
        raise ValueError(
            f"The induction starts on {_day(starts_on)}, long before the first known term "
            f"({timeline[0].label}, from {_day(timeline[0].starts_on)}); add the term dates from the "
            f"start of induction."
        )
    if legacy_nqt and starts_on >= LEGACY_NQT_STARTED_BEFORE:
        raise ValueError(
            f"The one-year NQT induction applies only to starts before 1 September 2021; this induction "
            f"starts on {_day(starts_on)}."
        )
    points = list(LEGACY_NQT_ASSESSMENT_POINTS if legacy_nqt else ECT_ASSESSMENT_POINTS)

    events: list[Event] = []
    formal_count = review_count = terms_served = 0
    served = Fraction(0)
    index = 0
    while points:
        if index == len(timeline):
            if len(timeline) < TERMS_PER_YEAR:
                raise ValueError(
                    f"The term dates end on {_day(timeline[-1].ends_on)}, before the induction does; add "
                    f"at least one whole school year of three terms so later years can be estimated."
                )
            # Enough estimated years for the time still to serve at this FTE, and one to spare.
            years = math.ceil((points[-1] - served) / fraction / TERMS_PER_YEAR) + 1
            timeline = extend_terms(timeline, until=_shift_years(timeline[-1].ends_on, years))
        term = timeline[index]
        index += 1
        if term.ends_on < starts_on:
            continue
        first = max(starts_on, term.starts_on)
        terms_served += 1
        served_after = served + Fraction((term.ends_on - first).days + 1, term.days) * fraction
        assessed = False
        while points and points[0] <= served_after:
            # The first day d with served + (d - first + 1) * fraction / term.days >= the point.
            days_needed = math.ceil((points.pop(0) - served) * term.days / fraction)
            formal_count += 1
            events.append(
                Event(
                    kind=FORMAL_ASSESSMENT,
                    number=formal_count,
                    due_on=first + timedelta(days=days_needed - 1),
                    term_label=term.label,
                    estimated=term.estimated,
                )
            )
            assessed = True
        if not assessed and not legacy_nqt:
            review_count += 1
            events.append(
                Event(
                    kind=PROGRESS_REVIEW,
                    number=review_count,
                    due_on=term.ends_on,
                    term_label=term.label,
                    estimated=term.estimated,
                )
            )
        served = served_after

    events.sort(key=lambda event: (event.due_on, event.kind))
    return Schedule(
        starts_on=starts_on,
        fte=fraction,
        events=events,
        ends_on=events[-1].due_on,
        terms_served=terms_served,
    )


def reduction_check(
    induction_year: int, standard_load: Decimal | int | str, actual_load: Decimal | int | str
) -> ReductionCheck:
    """Whether `actual_load` (what the ECT teaches) is reduced enough from `standard_load` (what a teacher
    on the main pay range at the same FTE teaches), both excluding PPA and in the same unit. Year 1 needs
    at least 10% off, year 2 at least 5%. Raises ValueError for another year or impossible loads."""
    if isinstance(induction_year, bool) or induction_year not in REQUIRED_REDUCTION_PERCENT:
        raise ValueError(f"The year of induction must be 1 or 2; got {induction_year!r}.")
    standard = _as_load(standard_load, "standard timetable")
    actual = _as_load(actual_load, "actual timetable")
    if standard <= 0:
        raise ValueError(f"The standard timetable must be more than 0; got {_show(standard)}.")
    if actual < 0:
        raise ValueError(f"The actual timetable cannot be less than 0; got {_show(actual)}.")
    required = REQUIRED_REDUCTION_PERCENT[induction_year]
    reduction = (standard - actual) * 100 / standard
    met = reduction >= Fraction(required)
    actual_percent = Decimal(math.floor(reduction * 100)) / 100
    most = Fraction(standard) * (100 - Fraction(required)) / 100
    need = (
        f"Year {induction_year} of induction needs a reduction of at least {_show(required)}% on top of PPA "
        f"(teaching at most {_show(most)} of {_show(standard)})"
    )
    if met:
        message = f"{need}; teaching {_show(actual)} is a {_show(actual_percent)}% reduction, which meets it."
    else:
        message = (
            f"{need}; teaching {_show(actual)} is a reduction of only {_show(actual_percent)}%, so "
            f"{_show(actual - most)} more must come off."
        )
    return ReductionCheck(
        induction_year=induction_year,
        required_percent=required,
        actual_percent=actual_percent,
        met=met,
        message=message,
    )


def _in_order(terms: Sequence[TermDates]) -> list[TermDates]:
    if not terms:
        raise ValueError("No term dates were given; add the school's term dates for the induction years.")
    ordered = sorted(terms, key=lambda term: term.starts_on)
    for term in ordered:
        if term.ends_on < term.starts_on:
            raise ValueError(f"{term.label} ends on {_day(term.ends_on)}, before it starts.")
    for earlier, later in pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            raise ValueError(f"{earlier.label} and {later.label} overlap; check their dates.")
    return ordered


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return date(day.year + years, 2, 28)


_YEARS_IN_LABEL = re.compile(r"(?<!\d)(\d{4})(?:([/-])(\d{4}|\d{2}))?(?!\d)")


def _shift_label(label: str, years: int, starts_on: date) -> str:
    """A year on, "Autumn 2026/27" becomes "Autumn 2027/28"; a label without a year gets the term's."""

    def shifted(match: re.Match[str]) -> str:
        first = str(int(match[1]) + years)
        if match[3] is None:
            return first
        second = int(match[3]) + years
        return f"{first}{match[2]}{second % 100:02d}" if len(match[3]) == 2 else f"{first}{match[2]}{second}"

    new, count = _YEARS_IN_LABEL.subn(shifted, label)
    return new if count else f"{label} {starts_on.year}"


def _as_load(value: Decimal | int | str, name: str) -> Fraction:
    try:
        return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, InvalidOperation):
        raise ValueError(f"The {name} must be a number of periods or hours, not {value!r}.") from None


def _show(number: Fraction | Decimal) -> str:
    """A number for a message: 18, 18.5, or 3 decimal places at most for a fraction like 1/3."""
    if isinstance(number, Fraction):
        number = Decimal(number.numerator) / Decimal(number.denominator)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number: "n", "N" or "F" only for NaN and infinity
    if exponent < -3:
        number = number.quantize(Decimal("0.001"))
    return f"{number.normalize():f}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
