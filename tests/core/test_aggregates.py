"""Small-number suppression (DESIGN.md section 2): no figure about fewer than the threshold of people."""

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from protutor.core.aggregates import count_of_people, rate_of_people

counts = st.integers(min_value=0, max_value=1000)
thresholds = st.integers(min_value=1, max_value=10)


@given(n=counts, t=thresholds)
def test_count_of_people_suppressed_exactly_below_threshold(n, t):
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=t):
        figure = count_of_people(n)
    if 0 < n < t:
        assert (figure.suppressed, figure.value, str(figure)) == (True, None, f"fewer than {t}")
    else:
        assert (figure.suppressed, figure.value, str(figure)) == (False, n, str(n))


@given(n=counts, people=counts, t=thresholds)
def test_count_of_people_judged_by_people_behind_it(n, people, t):
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=t):
        figure = count_of_people(n, people=people)
    assert figure.suppressed == (0 < people < t)
    assert str(figure) == (f"fewer than {t}" if 0 < people < t else str(n))


def test_count_of_people_zero_is_shown():
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=5):
        assert str(count_of_people(0)) == "0"


def test_count_of_people_default_threshold_is_five():
    assert (str(count_of_people(4)), str(count_of_people(5))) == ("fewer than 5", "5")


@given(data=st.data(), t=thresholds)
def test_rate_of_people_suppressed_below_threshold_else_one_decimal(data, t):
    denominator = data.draw(counts, label="denominator")
    numerator = data.draw(st.integers(min_value=0, max_value=denominator), label="numerator")
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=t):
        rate = rate_of_people(numerator, denominator)
    if 0 < denominator < t:
        assert (rate.suppressed, rate.numerator, rate.percent, str(rate)) == (
            True,
            None,
            None,
            f"fewer than {t} people",
        )
    elif denominator == 0:
        assert (rate.suppressed, rate.percent, str(rate)) == (False, None, "none yet")
    else:
        assert rate.suppressed is False
        assert abs(rate.percent - 100 * numerator / denominator) <= 0.05 + 1e-9
        shown = str(rate)
        assert shown.endswith("%")
        assert float(shown[:-1]) == rate.percent
        assert len(shown[:-1].partition(".")[2]) <= 1


def test_rate_of_people_examples():
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=5):
        assert [
            str(rate_of_people(n, d))
            for n, d in [(1, 3), (2, 3), (5, 5), (0, 7), (1, 8), (1, 6), (0, 0), (4, 4)]
        ] == [
            "fewer than 5 people",
            "fewer than 5 people",
            "100%",
            "0%",
            "12.5%",
            "16.7%",
            "none yet",
            "fewer than 5 people",
        ]
