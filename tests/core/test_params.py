"""The one whole-number parser every import and form uses: it accepts exactly a run of the ASCII digits 0 to
9 whose value is in range, and for anything else raises its own InvalidNumber, never another error."""

import contextlib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from protutor.core.params import BIGINT_MAX, MAX_ID, InvalidNumber, as_id, integer_range, whole_number
from protutor.insights.models import OutcomeRecord
from protutor.ite.models import TeachingGroup

ASCII_DIGITS = re.compile(r"[0-9]+")


def expected(text: str, low: int, high: int) -> int | None:
    if not ASCII_DIGITS.fullmatch(text):
        return None
    if len(text.lstrip("0")) > 100:  # beyond every bound used here (and beyond what int() will read)
        return None
    number = int(text.lstrip("0") or "0")
    return number if low <= number <= high else None


texts = st.one_of(
    st.text(),
    st.text(alphabet="0123456789²³¹٣۴०𝟗 +-_.,e"),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.from_regex(r"\A[0-9]{15,25}\Z"),
)
bounds = st.integers(min_value=0, max_value=2**64)


@given(text=texts, low=bounds, high=bounds)
@example(text="²", low=0, high=BIGINT_MAX)
@example(text="1" * 20, low=0, high=BIGINT_MAX)
@example(text="9" * 5000, low=0, high=BIGINT_MAX)
@example(text="٣", low=0, high=10)
@example(text="", low=0, high=10)
def test_whole_number_accepts_exactly_ascii_digits_in_range(text, low, high):
    want = expected(text, low, high)
    try:
        got = whole_number(text, minimum=low, maximum=high)
    except InvalidNumber as invalid:
        assert want is None
        assert invalid.reason in {"format", "range"}
    else:
        assert got == want


@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.text()))
def test_whole_number_never_raises_another_error_whatever_it_is_given(value):
    with contextlib.suppress(InvalidNumber):
        whole_number(value)


@given(text=texts)
def test_as_id_is_none_unless_the_text_could_be_a_key(text):
    want = expected(text, 0, MAX_ID) if len(text) <= 18 else None  # a key is at most 18 digits written
    assert as_id(text) == want


def test_integer_range_comes_from_the_model_field():
    assert integer_range(OutcomeRecord._meta.get_field("starters")) == (0, 2147483647)
    assert integer_range(TeachingGroup._meta.get_field("periods")) == (1, 40)


@pytest.mark.parametrize("text", ["²", "1²", "٣", "+1", "-1", " 1", "1 ", "1_000", "1,000", "1e3", "0x1"])
def test_whole_number_refuses_what_int_would_read_or_crash_on(text):
    with pytest.raises(InvalidNumber):
        whole_number(text)
