from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.forms.renderers import TemplatesSetting

from protutor.core.params import BIGINT_MAX, DECIMAL_TEXT, InvalidNumber, integer_range, whole_number


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with GOV.UK Frontend markup (templates/forms, templates/django/forms)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def date_field(label: str, *, required: bool = True, **kwargs) -> forms.DateField:
    """A date as a native date input, with GOV.UK messages naming the field."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, like 2026-09-01",
        },
        **kwargs,
    )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's multi-select of records, refusing a posted value that cannot be a key before it reaches the
    database. Django checks each value by building a query, not running it, and then runs `pk__in`, which
    (unlike `pk=`) is not guarded against numbers beyond the column: an id of 2**70 was a server error
    (SQLite's OverflowError, PostgreSQL's out-of-range error). Every multi-select of records in protutor is
    this field or a subclass (tests/core/test_multiselect.py walks every form to check)."""

    default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "invalid_pk_value": "Select options from the list",
    }

    def _check_values(self, value):
        model = self.queryset.model
        target = (
            model._meta.pk
            if self.to_field_name in (None, "pk")
            else model._meta.get_field(self.to_field_name)
        )
        while target is not None and target.is_relation:
            target = target.target_field
        if isinstance(target, models.IntegerField):
            low, high = integer_range(target)
            for pk in value:
                try:
                    whole_number(str(pk).strip(), minimum=max(low, 0), maximum=high)
                except InvalidNumber:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    ) from None
        return super()._check_values(value)


class WholeNumberField(forms.IntegerField):
    """A whole number read by the one parser (core.params.whole_number): only the digits 0 to 9, so "²" and
    other Unicode digits are refused as not a number, and never more than a 64-bit database column holds
    (Django's IntegerField reads any length, and a 20-digit number failed when it reached the database).
    Every whole-number field of every form is this one (tests/core/test_number_fields.py checks)."""

    def __init__(self, *, max_value: int | None = None, min_value: int | None = 0, **kwargs):
        super().__init__(
            max_value=BIGINT_MAX if max_value is None else max_value, min_value=min_value, **kwargs
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text in self.empty_values:
            return None
        # A minus sign is read, so that "-1" gets the field's "0 or more" message, not "not a number".
        sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
        try:
            return sign * whole_number(digits, maximum=10**30)
        except InvalidNumber as invalid:
            if invalid.reason == "range":
                message = self.error_messages.get("max_value", MaxValueValidator.message)
                raise ValidationError(
                    message, code="max_value", params={"limit_value": self.max_value}
                ) from None
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DecimalNumberField(forms.DecimalField):
    """A decimal read as people type it (core.params.DECIMAL_TEXT): the digits 0 to 9 and one decimal
    point; Django's DecimalField also takes "1_000", "1e3" and Unicode digits such as "٣", which nobody
    means. Every decimal field of every form is this one (tests/core/test_number_fields.py checks)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text and not DECIMAL_TEXT.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)
