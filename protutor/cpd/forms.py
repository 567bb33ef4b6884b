from typing import cast

from django import forms

from protutor.observations.forms import StandardChoiceField
from protutor.observations.models import Standard


class DevelopmentRequestForm(forms.Form):
    topic = forms.CharField(
        label="What would you like to develop?",
        max_length=300,
        help_text="For example: questioning that gets everyone thinking.",
        error_messages={"required": "Enter what you would like to develop"},
    )
    standard = StandardChoiceField(
        label="Standard (optional)",
        queryset=Standard.objects.none(),
        required=False,
        empty_label="No standard",
    )
    anonymous = forms.BooleanField(
        label="Do not show my name to my head of department or tutor", required=False
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["standard"]).queryset = standards
