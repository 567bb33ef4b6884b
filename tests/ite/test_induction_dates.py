"""ECT induction dates (protutor.ite.induction): hand-computed schedules over hand-written term dates, the
legacy NQT pattern, estimated term dates, the reduced-timetable check, the errors, and a property test that
recounts the time served with Fraction."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protutor.ite.induction import (
    FORMAL_ASSESSMENT,
    PROGRESS_REVIEW,
    Event,
    ReductionCheck,
    TermDates,
    extend_terms,
    induction_schedule,
    reduction_check,
    time_served,
)

# A school's term dates, typed in by hand. Lengths in days, inclusive:
#   Autumn 2026/27  2 Sep..18 Dec 2026: 29 + 31 + 30 + 18 = 108
#   Spring 2026/27  5 Jan..26 Mar 2027: 27 + 28 + 26      = 81
#   Summer 2026/27 12 Apr..21 Jul 2027: 19 + 31 + 30 + 21 = 101
#   Autumn 2027/28  6 Sep..17 Dec 2027: 25 + 31 + 30 + 17 = 103
#   Spring 2027/28  4 Jan..24 Mar 2028: 28 + 29 + 24      = 81
#   Summer 2027/28 10 Apr..20 Jul 2028: 21 + 31 + 30 + 20 = 102
#   Autumn 2028/29  4 Sep..20 Dec 2028: 27 + 31 + 30 + 20 = 108
#   Spring 2028/29  8 Jan..29 Mar 2029: 24 + 28 + 29      = 81
#   Summer 2028/29 16 Apr..20 Jul 2029: 15 + 31 + 30 + 20 = 96
AUTUMN_26 = TermDates(date(2026, 9, 2), date(2026, 12, 18), "Autumn 2026/27")
SPRING_27 = TermDates(date(2027, 1, 5), date(2027, 3, 26), "Spring 2026/27")
SUMMER_27 = TermDates(date(2027, 4, 12), date(2027, 7, 21), "Summer 2026/27")
AUTUMN_27 = TermDates(date(2027, 9, 6), date(2027, 12, 17), "Autumn 2027/28")
SPRING_28 = TermDates(date(2028, 1, 4), date(2028, 3, 24), "Spring 2027/28")
SUMMER_28 = TermDates(date(2028, 4, 10), date(2028, 7, 20), "Summer 2027/28")
AUTUMN_28 = TermDates(date(2028, 9, 4), date(2028, 12, 20), "Autumn 2028/29")
SPRING_29 = TermDates(date(2029, 1, 8), date(2029, 3, 29), "Spring 2028/29")
SUMMER_29 = TermDates(date(2029, 4, 16), date(2029, 7, 20), "Summer 2028/29")
TERMS = [AUTUMN_26, SPRING_27, SUMMER_27, AUTUMN_27, SPRING_28, SUMMER_28, AUTUMN_28, SPRING_29, SUMMER_29]

# The last year NQTs started on the one-year pattern.
AUTUMN_20 = TermDates(date(2020, 9, 3), date(2020, 12, 18), "Autumn 2020/21")
SPRING_21 = TermDates(date(2021, 1, 4), date(2021, 3, 31), "Spring 2020/21")
SUMMER_21 = TermDates(date(2021, 4, 19), date(2021, 7, 22), "Summer 2020/21")
NQT_TERMS = [AUTUMN_20, SPRING_21, SUMMER_21]


def review(number: int, due_on: date, term: TermDates) -> Event:
    return Event(PROGRESS_REVIEW, number, due_on, term.label, term.estimated)


def formal(number: int, due_on: date, term: TermDates) -> Event:
    return Event(FORMAL_ASSESSMENT, number, due_on, term.label, term.estimated)


def estimated(term: TermDates, years: int) -> TermDates:
    """`term` a year or more on, as extend_terms should estimate it (none of these dates is 29 February)."""
    first, second = term.label.split()[1].split("/")
    season = term.label.split()[0]
    return TermDates(
        term.starts_on.replace(year=term.starts_on.year + years),
        term.ends_on.replace(year=term.ends_on.year + years),
        f"{season} {int(first) + years}/{int(second) + years}",
        estimated=True,
    )


AUTUMN_29 = estimated(AUTUMN_28, 1)  #  4 Sep..20 Dec 2029
SPRING_30 = estimated(SPRING_29, 1)  #  8 Jan..29 Mar 2030: 24 + 28 + 29 = 81 (2030 is not a leap year)
SUMMER_30 = estimated(SUMMER_29, 1)  # 16 Apr..20 Jul 2030


def served(starts_on: date, fte: Fraction, terms: list[TermDates], through: date) -> Fraction:
    """Time served recounted from the rule, independently of the module: each term's served days over its
    days, times the FTE."""
    total = Fraction(0)
    for term in terms:
        first, last = max(starts_on, term.starts_on), min(through, term.ends_on)
        if first <= last:
            total += Fraction((last - first).days + 1, (term.ends_on - term.starts_on).days + 1) * fte
    return total


# 1. Full time from the first day of autumn


def test_full_time_from_first_day_of_autumn():
    # Each whole term is 1 term served: 3 at the end of Summer 2026/27, 6 at the end of Summer 2027/28.
    schedule = induction_schedule(date(2026, 9, 2), 1, TERMS)
    assert schedule.events == [
        review(1, date(2026, 12, 18), AUTUMN_26),
        review(2, date(2027, 3, 26), SPRING_27),
        formal(1, date(2027, 7, 21), SUMMER_27),
        review(3, date(2027, 12, 17), AUTUMN_27),
        review(4, date(2028, 3, 24), SPRING_28),
        formal(2, date(2028, 7, 20), SUMMER_28),
    ]
    assert (schedule.ends_on, schedule.terms_served, schedule.fte) == (date(2028, 7, 20), 6, Fraction(1))
    assert [event.due_on for event in schedule.formal_assessments] == [date(2027, 7, 21), date(2028, 7, 20)]
    assert len(schedule.progress_reviews) == 4


# 2. Half time from the first day of autumn: four school years, the fourth estimated


def test_half_time_takes_four_years_and_estimates_the_fourth():
    # Each whole term is 1/2: 3 after six terms (end of Summer 2027/28), 6 after twelve (end of Summer
    # 2029/30, a year the school has not entered, so estimated from 2028/29: 20 Jul 2029 -> 20 Jul 2030).
    schedule = induction_schedule(date(2026, 9, 2), Decimal("0.5"), TERMS)
    assert schedule.events == [
        review(1, date(2026, 12, 18), AUTUMN_26),
        review(2, date(2027, 3, 26), SPRING_27),
        review(3, date(2027, 7, 21), SUMMER_27),
        review(4, date(2027, 12, 17), AUTUMN_27),
        review(5, date(2028, 3, 24), SPRING_28),
        formal(1, date(2028, 7, 20), SUMMER_28),
        review(6, date(2028, 12, 20), AUTUMN_28),
        review(7, date(2029, 3, 29), SPRING_29),
        review(8, date(2029, 7, 20), SUMMER_29),
        review(9, date(2029, 12, 20), AUTUMN_29),
        review(10, date(2030, 3, 29), SPRING_30),
        formal(2, date(2030, 7, 20), SUMMER_30),
    ]
    assert (schedule.ends_on, schedule.terms_served, schedule.fte) == (date(2030, 7, 20), 12, Fraction(1, 2))
    assert [event.term_label for event in schedule.events if event.estimated] == [
        "Autumn 2029/30",
        "Spring 2029/30",
        "Summer 2029/30",
    ]


# 3. Starting on the first day of spring


def test_full_time_from_first_day_of_spring():
    # Spring 27, Summer 27, Autumn 27 make 3 (formal 1 on 17 Dec 2027); Spring 28, Summer 28, Autumn 28
    # make 6 (formal 2 on 20 Dec 2028).
    schedule = induction_schedule(date(2027, 1, 5), 1, TERMS)
    assert schedule.events == [
        review(1, date(2027, 3, 26), SPRING_27),
        review(2, date(2027, 7, 21), SUMMER_27),
        formal(1, date(2027, 12, 17), AUTUMN_27),
        review(3, date(2028, 3, 24), SPRING_28),
        review(4, date(2028, 7, 20), SUMMER_28),
        formal(2, date(2028, 12, 20), AUTUMN_28),
    ]
    assert (schedule.ends_on, schedule.terms_served) == (date(2028, 12, 20), 6)


# 4. Starting part-way through autumn


def test_full_time_from_mid_autumn_assesses_inside_autumn():
    # Start Mon 5 Oct 2026. Autumn 2026/27 served 5 Oct..18 Dec = 27 + 30 + 18 = 75 of 108 days -> 75/108.
    # Spring and Summer 2026/27 whole -> 2 + 75/108 by 21 Jul 2027; 33/108 still needed for 3.
    # Autumn 2027/28 has 103 days, each worth 1/103: ceil(33/108 * 103) = ceil(3399/108) = ceil(31.47) = 32
    # days, 6 Sep + 31 days = Thu 7 Oct 2027 (31 days give 31/103 < 33/108; 32 give 32/103 >= 33/108).
    # Then 3 + 75/108 by 17 Dec 2027, 5 + 75/108 by 20 Jul 2028; 33/108 still needed for 6.
    # Autumn 2028/29 has 108 days: exactly 33 days, 4 Sep + 32 days = Fri 6 Oct 2028.
    schedule = induction_schedule(date(2026, 10, 5), 1, TERMS)
    assert schedule.events == [
        review(1, date(2026, 12, 18), AUTUMN_26),
        review(2, date(2027, 3, 26), SPRING_27),
        review(3, date(2027, 7, 21), SUMMER_27),
        formal(1, date(2027, 10, 7), AUTUMN_27),
        review(4, date(2028, 3, 24), SPRING_28),
        review(5, date(2028, 7, 20), SUMMER_28),
        formal(2, date(2028, 10, 6), AUTUMN_28),
    ]
    assert (schedule.ends_on, schedule.terms_served) == (date(2028, 10, 6), 7)
    assert time_served(date(2026, 10, 5), 1, TERMS, date(2027, 10, 7)) == 2 + Fraction(75, 108) + Fraction(
        32, 103
    )


# 5. 0.6 FTE, with both points inside terms


def test_point_six_fte_from_november_assesses_inside_terms():
    # Start Mon 2 Nov 2026 at 3/5. Counting in 180ths of a term (a whole term at 3/5 is 108/180):
    #   Autumn 2026/27: 2 Nov..18 Dec = 29 + 18 = 47 of 108 days -> 47/108 * 3/5 = 47/180; running total 47
    #   Spring 27 155, Summer 27 263, Autumn 27 371, Spring 28 479 (of 540 for 3 terms): 61/180 still needed.
    #   Summer 2027/28 (102 days; a day is 3/(5*102)): ceil(61/180 * 102 * 5/3) = ceil(31110/540)
    #   = ceil(57.61) = 58 days, 10 Apr + 57 days = Tue 6 Jun 2028. Formal assessment 1.
    #   Summer 28 587, Autumn 28 695, Spring 29 803, Summer 29 911, Autumn 29 (estimated) 1019, of 1080 for
    #   6: 61/180 still needed. Spring 2029/30 (estimated, 81 days): ceil(61/180 * 81 * 5/3)
    #   = ceil(24705/540) = ceil(45.75) = 46 days, 8 Jan + 45 days = Fri 22 Feb 2030. Formal assessment 2.
    schedule = induction_schedule(date(2026, 11, 2), "0.6", TERMS)
    assert schedule.events == [
        review(1, date(2026, 12, 18), AUTUMN_26),
        review(2, date(2027, 3, 26), SPRING_27),
        review(3, date(2027, 7, 21), SUMMER_27),
        review(4, date(2027, 12, 17), AUTUMN_27),
        review(5, date(2028, 3, 24), SPRING_28),
        formal(1, date(2028, 6, 6), SUMMER_28),
        review(6, date(2028, 12, 20), AUTUMN_28),
        review(7, date(2029, 3, 29), SPRING_29),
        review(8, date(2029, 7, 20), SUMMER_29),
        review(9, date(2029, 12, 20), AUTUMN_29),
        formal(2, date(2030, 2, 22), SPRING_30),
    ]
    assert (schedule.ends_on, schedule.terms_served, schedule.fte) == (date(2030, 2, 22), 11, Fraction(3, 5))


@pytest.mark.parametrize("fte", [Decimal("0.6"), "0.6", 0.6, Fraction(3, 5), "3/5"])
def test_fte_is_converted_exactly(fte):
    schedule = induction_schedule(date(2026, 11, 2), fte, TERMS)
    assert (schedule.fte, schedule.ends_on) == (Fraction(3, 5), date(2030, 2, 22))


# 6. Legacy NQTs


def test_legacy_nqt_full_time_assesses_at_each_term_end():
    schedule = induction_schedule(date(2020, 9, 3), 1, NQT_TERMS, legacy_nqt=True)
    assert schedule.events == [
        formal(1, date(2020, 12, 18), AUTUMN_20),
        formal(2, date(2021, 3, 31), SPRING_21),
        formal(3, date(2021, 7, 22), SUMMER_21),
    ]
    assert (schedule.ends_on, schedule.terms_served, schedule.progress_reviews) == (date(2021, 7, 22), 3, [])


def test_legacy_nqt_half_time_assesses_every_two_terms():
    # Each term is 1/2: 1 after Spring 2020/21, 2 after Autumn 2021/22, 3 after Summer 2021/22 (both
    # estimated from 2020/21).
    schedule = induction_schedule(date(2020, 9, 3), Decimal("0.5"), NQT_TERMS, legacy_nqt=True)
    autumn_21, summer_22 = estimated(AUTUMN_20, 1), estimated(SUMMER_21, 1)
    assert schedule.events == [
        formal(1, date(2021, 3, 31), SPRING_21),
        formal(2, date(2021, 12, 18), autumn_21),
        formal(3, date(2022, 7, 22), summer_22),
    ]
    assert schedule.terms_served == 6


def test_legacy_nqt_refused_for_a_start_from_september_2021():
    with pytest.raises(ValueError) as error:
        induction_schedule(date(2026, 9, 2), 1, TERMS, legacy_nqt=True)
    assert str(error.value) == (
        "The one-year NQT induction applies only to starts before 1 September 2021; this induction starts "
        "on 2 September 2026."
    )


# 7. Starts between terms


@pytest.mark.parametrize(
    ("starts_on", "same_as"),
    [
        (date(2026, 12, 21), date(2027, 1, 5)),  # Christmas holiday: counts from Spring 2026/27
        (date(2026, 12, 19), date(2027, 1, 5)),  # the day after Autumn 2026/27 ends
        (date(2026, 8, 24), date(2026, 9, 2)),  # summer holiday before the first known term
    ],
)
def test_start_between_terms_counts_from_next_term(starts_on, same_as):
    schedule = induction_schedule(starts_on, 1, TERMS)
    reference = induction_schedule(same_as, 1, TERMS)
    assert (schedule.starts_on, schedule.events, schedule.terms_served) == (
        starts_on,
        reference.events,
        6,
    )


def test_start_on_the_last_day_of_a_term_counts_that_day():
    # 18 Dec 2026 is 1/108 of Autumn 2026/27, so that term gets a review; 2 + 1/108 by 21 Jul 2027, so
    # 107/108 is still needed from Autumn 2027/28: ceil(107/108 * 103) = ceil(102.05) = 103 days, its last.
    schedule = induction_schedule(date(2026, 12, 18), 1, TERMS)
    assert schedule.events[:4] == [
        review(1, date(2026, 12, 18), AUTUMN_26),
        review(2, date(2027, 3, 26), SPRING_27),
        review(3, date(2027, 7, 21), SUMMER_27),
        formal(1, date(2027, 12, 17), AUTUMN_27),
    ]
    assert schedule.terms_served == 7


def test_start_long_before_the_known_terms_is_refused():
    with pytest.raises(ValueError) as error:
        induction_schedule(date(2026, 4, 13), 1, TERMS)
    assert str(error.value) == (
        "The induction starts on 13 April 2026, long before the first known term (Autumn 2026/27, from "
        "2 September 2026); add the term dates from the start of induction."
    )


# 8. Estimated term dates


def test_extend_terms_repeats_last_year_a_year_on():
    extended = extend_terms([SUMMER_27, AUTUMN_26, SPRING_27], until=date(2028, 7, 1))
    assert extended == [
        AUTUMN_26,
        SPRING_27,
        SUMMER_27,
        TermDates(date(2027, 9, 2), date(2027, 12, 18), "Autumn 2027/28", estimated=True),
        TermDates(date(2028, 1, 5), date(2028, 3, 26), "Spring 2027/28", estimated=True),
        TermDates(date(2028, 4, 12), date(2028, 7, 21), "Summer 2027/28", estimated=True),
    ]


def test_extend_terms_stops_at_the_first_term_ending_on_or_after_until():
    extended = extend_terms(TERMS[:3], until=date(2027, 12, 18))
    assert extended[3:] == [TermDates(date(2027, 9, 2), date(2027, 12, 18), "Autumn 2027/28", estimated=True)]


def test_extend_terms_leaves_terms_that_already_reach_until():
    assert extend_terms(list(reversed(TERMS)), until=date(2029, 7, 20)) == TERMS


def test_extend_terms_29_february_becomes_28_and_comes_back_in_leap_years():
    # A contrived school whose spring term ends on Tue 29 Feb 2028. Each estimate is shifted from 2027/28
    # itself, so 2029, 2030 and 2031 end on 28 Feb and 2032 (a leap year) on 29 Feb again.
    year = [
        TermDates(date(2027, 9, 6), date(2027, 12, 17), "Autumn 2027/28"),
        TermDates(date(2028, 1, 4), date(2028, 2, 29), "Spring 2027/28"),
        TermDates(date(2028, 3, 13), date(2028, 7, 20), "Summer 2027/28"),
    ]
    extended = extend_terms(year, until=date(2032, 7, 20))
    springs = [(term.label, term.ends_on, term.estimated) for term in extended if term.label.startswith("Sp")]
    assert springs == [
        ("Spring 2027/28", date(2028, 2, 29), False),
        ("Spring 2028/29", date(2029, 2, 28), True),
        ("Spring 2029/30", date(2030, 2, 28), True),
        ("Spring 2030/31", date(2031, 2, 28), True),
        ("Spring 2031/32", date(2032, 2, 29), True),
    ]
    assert extended[-1] == TermDates(date(2032, 3, 13), date(2032, 7, 20), "Summer 2031/32", estimated=True)


def test_extend_terms_labels_without_a_school_year():
    year = [
        TermDates(date(2026, 9, 2), date(2026, 12, 18), "Autumn"),
        TermDates(date(2027, 1, 5), date(2027, 3, 26), "Spring 2027"),
        TermDates(date(2027, 4, 12), date(2027, 7, 21), "Summer 2026-2027"),
    ]
    labels = [term.label for term in extend_terms(year, until=date(2028, 7, 21))[3:]]
    assert labels == ["Autumn 2027", "Spring 2028", "Summer 2027-2028"]


def test_extend_terms_needs_a_whole_year_of_three_terms():
    with pytest.raises(ValueError) as error:
        extend_terms([AUTUMN_26, SPRING_27], until=date(2028, 1, 1))
    assert str(error.value) == (
        "Term dates are needed until 1 January 2028, but the known terms end on 26 March 2027; later years "
        "are estimated from the last school year's three terms, and only 2 term(s) were given."
    )


def test_extend_terms_refuses_half_terms():
    # Six half-terms: the last three (Spring 2 to Summer 2) cover only half a year, so a year on leaves a
    # gap of seven months, not a holiday.
    half_terms = [
        TermDates(date(2026, 9, 2), date(2026, 10, 23), "Autumn 1 2026/27"),
        TermDates(date(2026, 11, 2), date(2026, 12, 18), "Autumn 2 2026/27"),
        TermDates(date(2027, 1, 5), date(2027, 2, 12), "Spring 1 2026/27"),
        TermDates(date(2027, 2, 22), date(2027, 3, 26), "Spring 2 2026/27"),
        TermDates(date(2027, 4, 12), date(2027, 5, 28), "Summer 1 2026/27"),
        TermDates(date(2027, 6, 7), date(2027, 7, 21), "Summer 2 2026/27"),
    ]
    with pytest.raises(ValueError) as error:
        extend_terms(half_terms, until=date(2028, 7, 1))
    assert str(error.value) == (
        "The last three terms (Spring 2 2026/27 to Summer 2 2026/27) do not look like one school year of "
        "three terms, so later term dates cannot be estimated from them."
    )


def test_schedule_with_too_few_terms_to_estimate_from():
    with pytest.raises(ValueError) as error:
        induction_schedule(date(2026, 9, 2), 1, [AUTUMN_26, SPRING_27])
    assert str(error.value) == (
        "The term dates end on 26 March 2027, before the induction does; add at least one whole school "
        "year of three terms so later years can be estimated."
    )


# 9. Reduced timetable


def test_reduction_year_one_at_ninety_percent_is_met():
    assert reduction_check(1, Decimal(20), Decimal(18)) == ReductionCheck(
        induction_year=1,
        required_percent=Decimal(10),
        actual_percent=Decimal(10),
        met=True,
        message="Year 1 of induction needs a reduction of at least 10% on top of PPA (teaching at most 18 "
        "of 20); teaching 18 is a 10% reduction, which meets it.",
    )


def test_reduction_year_one_at_ninety_two_percent_is_not_met():
    # 23 of 25 is 92%: an 8% reduction; at most 25 * 0.9 = 22.5, so 0.5 more must come off.
    assert reduction_check(1, Decimal(25), Decimal(23)) == ReductionCheck(
        induction_year=1,
        required_percent=Decimal(10),
        actual_percent=Decimal(8),
        met=False,
        message="Year 1 of induction needs a reduction of at least 10% on top of PPA (teaching at most 22.5 "
        "of 25); teaching 23 is a reduction of only 8%, so 0.5 more must come off.",
    )


def test_reduction_year_two_at_ninety_five_percent_is_met():
    check = reduction_check(2, Decimal(20), Decimal(19))
    assert (check.required_percent, check.actual_percent, check.met) == (Decimal(5), Decimal(5), True)


def test_reduction_year_two_at_ninety_six_percent_is_not_met():
    # 24 of 25 is 96%: a 4% reduction.
    check = reduction_check(2, Decimal(25), Decimal(24))
    assert (check.actual_percent, check.met) == (Decimal(4), False)


def test_reduction_just_short_is_rounded_down_not_up():
    # 27.01 of 30 hours: (30 - 27.01) / 30 = 9.9666...%, shown as 9.96, not 9.97 or 10.
    check = reduction_check(1, Decimal(30), Decimal("27.01"))
    assert (check.actual_percent, check.met) == (Decimal("9.96"), False)


@pytest.mark.parametrize(
    ("year", "standard", "actual", "message"),
    [
        (3, Decimal(20), Decimal(18), "The year of induction must be 1 or 2; got 3."),
        (0, Decimal(20), Decimal(18), "The year of induction must be 1 or 2; got 0."),
        (1, Decimal(0), Decimal(0), "The standard timetable must be more than 0; got 0."),
        (1, Decimal(20), Decimal(-1), "The actual timetable cannot be less than 0; got -1."),
        (1, Decimal(20), "lots", "The actual timetable must be a number of periods or hours, not 'lots'."),
    ],
)
def test_reduction_check_refuses(year, standard, actual, message):
    with pytest.raises(ValueError) as error:
        reduction_check(year, standard, actual)
    assert str(error.value) == message


# 10. Errors


@pytest.mark.parametrize(
    ("fte", "terms", "message"),
    [
        (1, [], "No term dates were given; add the school's term dates for the induction years."),
        (0, TERMS, "FTE must be more than 0; got 0."),
        (Decimal("1.2"), TERMS, "FTE cannot be more than 1 (full time); got 1.2."),
        ("-0.5", TERMS, "FTE must be more than 0; got -0.5."),
        ("half", TERMS, "FTE must be a number such as 0.6, not 'half'."),
        (Decimal("NaN"), TERMS, "FTE must be a number such as 0.6, not Decimal('NaN')."),
        (
            1,
            [AUTUMN_26, TermDates(date(2026, 12, 1), date(2027, 3, 26), "Spring 2026/27")],
            "Autumn 2026/27 and Spring 2026/27 overlap; check their dates.",
        ),
        (
            1,
            [TermDates(date(2026, 12, 18), date(2026, 9, 2), "Autumn 2026/27")],
            "Autumn 2026/27 ends on 2 September 2026, before it starts.",
        ),
    ],
)
def test_induction_schedule_refuses(fte, terms, message):
    with pytest.raises(ValueError) as error:
        induction_schedule(date(2026, 9, 2), fte, terms)
    assert str(error.value) == message


# Properties over any start in the known years and any FTE from 0.2 to 1 in tenths


@settings(max_examples=300, deadline=None)
@given(
    starts_on=st.dates(min_value=AUTUMN_26.starts_on, max_value=SUMMER_29.ends_on),
    tenths=st.integers(min_value=2, max_value=10),
)
def test_schedule_properties(starts_on, tenths):
    fte = Fraction(tenths, 10)
    schedule = induction_schedule(starts_on, Decimal(tenths) / 10, TERMS)
    terms = extend_terms(TERMS, until=schedule.ends_on)
    events = schedule.events
    formals, reviews = schedule.formal_assessments, schedule.progress_reviews

    assert [event.due_on for event in events] == sorted({event.due_on for event in events})
    assert [(event.kind, event.number) for event in formals] == [
        (FORMAL_ASSESSMENT, 1),
        (FORMAL_ASSESSMENT, 2),
    ]
    assert [event.number for event in reviews] == list(range(1, len(reviews) + 1))
    assert formals[-1].due_on == schedule.ends_on
    assert [event for event in reviews if event.due_on >= schedule.ends_on] == []
    # One event per term touched: a review in every term but the two with a formal assessment.
    assert len({event.term_label for event in events}) == len(events) == schedule.terms_served
    ends_of_terms = {term.ends_on for term in terms}
    assert [event for event in reviews if event.due_on not in ends_of_terms] == []
    assert [event.estimated for event in events] == [
        next(term.estimated for term in terms if term.label == event.term_label) for event in events
    ]
    # Each due date is the first day on which the time served reaches the point: time is counted in whole
    # days, so it equals 3 or 6 exactly only when the point lands on the end of a day, and otherwise
    # passes it by less than a day's worth on the due date.
    for event, point in zip(formals, (3, 6), strict=True):
        assert served(starts_on, fte, terms, event.due_on) >= point
        assert served(starts_on, fte, terms, event.due_on - timedelta(days=1)) < point
    assert time_served(starts_on, fte, terms, schedule.ends_on) == served(
        starts_on, fte, terms, schedule.ends_on
    )
    # Starting on a first day, with 6 / FTE a whole number of terms, it ends on a term's last day, exactly 6.
    if starts_on in {term.starts_on for term in terms} and (6 / fte).denominator == 1:
        assert schedule.ends_on in ends_of_terms
        assert served(starts_on, fte, terms, schedule.ends_on) == 6
