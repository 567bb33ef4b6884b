"""Every whole-number field of every form reads numbers with the one parser (core.params.whole_number): a
superscript or other Unicode digit is "not a whole number", and a number longer than a database column is
out of range, a message and never a server error. The fields are found by walking the forms."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from protutor.core.forms import DecimalNumberField, WholeNumberField
from protutor.core.params import BIGINT_MAX
from tests.core.test_multiselect import FORMS

NUMBER_FIELDS = [
    pytest.param(form, name, id=f"{form.__module__}.{form.__qualname__}.{name}")
    for form in FORMS
    for name, field in form.base_fields.items()
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField)
]


def test_the_walk_finds_the_number_fields():
    ids = {p.id for p in NUMBER_FIELDS}
    assert "protutor.support.forms.InteractionForm.minutes" in ids
    assert "protutor.team.forms.TargetForm.target_value" in ids


@pytest.mark.parametrize(("form", "name"), NUMBER_FIELDS)
def test_every_number_field_uses_the_one_parser_and_fits_a_database_column(form, name):
    field = form.base_fields[name]
    assert isinstance(field, WholeNumberField)
    assert field.max_value is not None and field.max_value <= BIGINT_MAX


@pytest.mark.parametrize(("form", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize("posted", ["²", "1²", "٣", "𝟗", "1" * 20, "9" * 5000, "1e3", "1_0", "0x10", "--1"])
def test_every_number_field_refuses_what_is_not_a_whole_number_in_range(form, name, posted):
    with pytest.raises(ValidationError):
        form.base_fields[name].clean(posted)


@given(text=st.text(max_size=40))
def test_whole_number_field_answers_a_number_or_a_validation_error(text):
    field = WholeNumberField(min_value=1, max_value=600, required=False)
    try:
        value = field.clean(text)
    except ValidationError:
        return
    assert value is None or (1 <= value <= 600 and text.strip().isascii())


DECIMAL_FIELDS = [
    pytest.param(form, name, id=f"{form.__module__}.{form.__qualname__}.{name}")
    for form in FORMS
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DecimalField)
]


def test_the_walk_finds_the_decimal_fields():
    assert "protutor.people.forms.CaseloadForm.remitted_hours" in {p.id for p in DECIMAL_FIELDS}


@pytest.mark.parametrize(("form", "name"), DECIMAL_FIELDS)
@pytest.mark.parametrize("posted", ["²", "٣", "𝟗.5", "1_0", "1e1", "NaN", "Infinity", "0,5", "1.2.3", "--1"])
def test_every_decimal_field_refuses_what_nobody_means_as_a_number(form, name, posted):
    field = form.base_fields[name]
    assert isinstance(field, DecimalNumberField)
    with pytest.raises(ValidationError):
        field.clean(posted)
