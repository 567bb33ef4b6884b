from django import forms
from django.forms.renderers import TemplatesSetting


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
