"""Forms of the Professional Development Programme: an own topic, a session, a register."""

from __future__ import annotations

from typing import cast

from django import forms

from protutor.ite.forms import text, whole_number
from protutor.ite.services_pdp import NOT_A_PARTICIPANT, Participant
from protutor.observations.forms import StandardsField
from protutor.observations.models import Standard


class TopicForm(forms.Form):
    title = text("Topic", max_length=300, message="Enter the topic")
    standards = StandardsField(
        label="Standards it is tagged to",
        queryset=Standard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one standard",
            "invalid_choice": "Select standards from the list",
        },
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["standards"]).queryset = standards


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class SessionForm(forms.Form):
    topic = TopicChoiceField(
        label="Topic",
        queryset=None,
        empty_label="Select a topic",
        error_messages={"required": "Select the topic"},
    )
    speaker = text("Speaker", message="Enter the speaker's name", help_text="Who leads the session.")
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time of the session",
            "invalid": "Enter the date and time of the session as a real date and time, like 2026-12-02 16:00",
        },
    )
    length_minutes = whole_number("Length in minutes", min_value=5, max_value=480, initial=60)
    room = text("Room", required=False, max_length=100, help_text="Leave empty if it is not booked yet.")

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = topics


class RegisterForm(forms.Form):
    attendees = forms.TypedMultipleChoiceField(
        label="Who attended?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_A_PARTICIPANT},
    )

    def __init__(self, *args, people: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["attendees"]).choices = [
            (p.staff.pk, p.label) for p in people
        ]
