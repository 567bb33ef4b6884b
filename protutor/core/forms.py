from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with GOV.UK Frontend markup (templates/forms, templates/django/forms)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
