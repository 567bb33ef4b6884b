"""Warn and ask to confirm what is unusual (issue 22's bad-input rule: refuse what cannot be right, warn and
ask to confirm what is unusual).

A service that finds something unusual raises `ConfirmationNeeded` unless it was called with
`confirmed=True`; nothing is written. The view shows the warning with a checkbox by calling
`ask_to_confirm(form, error)`; the person ticks it and sends the form again, and the form's cleaned data then
carries `confirmed=True` to the service. A form that may ask mixes in `ConfirmableForm`, so the checkbox,
once shown, is read back on the next POST. Works without JavaScript.
"""

from __future__ import annotations

from django import forms

from protutor.core.errors import ServiceError

CONFIRM_FIELD = "confirmed"


class ConfirmationNeeded(ServiceError):
    """Allowed but unusual: the service goes ahead only when called again with `confirmed=True`.
    `confirm_label` is the checkbox's label, saying what the person confirms."""

    def __init__(self, message: str, *, confirm_label: str, field: str | None = None):
        super().__init__(message, field=field)
        self.confirm_label = confirm_label


def _confirm_field(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class ConfirmableForm(forms.Form):
    """A form whose service may ask to confirm something unusual. The checkbox is not shown until asked;
    once asked, a POST carrying it (ticked) passes `confirmed=True` in `cleaned_data`."""

    confirm_label = "Yes, save it anyway"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and CONFIRM_FIELD in self.data:
            self.fields[CONFIRM_FIELD] = _confirm_field(self.confirm_label)


def ask_to_confirm(form: forms.Form, error: ConfirmationNeeded) -> None:
    """Show the warning on its field (or at the top) and the checkbox to confirm it, unticked."""
    field = error.field if error.field in form.fields else None
    form.fields[CONFIRM_FIELD] = _confirm_field(error.confirm_label)
    if isinstance(form, ConfirmableForm):
        form.confirm_label = error.confirm_label
    form.add_error(field, error.message)
