"""Forms for mentor meetings, the intern's comment, mentors' training and reviews of mentoring. GOV.UK
wording: each message names the field and says what to do. Rules that need the database (dates against
today and the academic year, the standards in use, who may act) live in services_mentoring."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms

from protutor.core.forms import DecimalNumberField, ModelMultipleChoiceField, date_field
from protutor.ite.forms import long_text, text, whole_number
from protutor.ite.models import MentorReview, Provider
from protutor.ite.services_mentoring import FINDING_PROMPTS, FINDINGS, MEETING_MINUTES, follow_up_errors


class StandardsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label}: {obj.heading}"


class MeetingForm(forms.Form):
    held_on = date_field("Date of the meeting")
    minutes = whole_number(
        "Length of the meeting in minutes",
        min_value=MEETING_MINUTES[0],
        max_value=MEETING_MINUTES[1],
        initial=60,
    )
    targets_reviewed = long_text(
        "Targets reviewed", required=False, help_text="How the intern got on with the targets set last time."
    )
    targets_set = long_text("Targets set", message="Enter the targets set at the meeting")
    standards = StandardsField(
        label="Teachers' Standards the targets relate to",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one standard the targets relate to",
            "invalid_choice": "Select standards from the list",
            "invalid_pk_value": "Select standards from the list",
        },
    )
    notes = long_text("Notes", required=False)

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["standards"])
        field.queryset = standards
        # An institution that observes against other frameworks only has no Teachers' Standards to link.
        field.required = standards.exists()


class MeetingCommentForm(forms.Form):
    comment = long_text(
        "Your comment",
        message="Enter your comment",
        help_text="Your mentor, the professional tutor for ITE and the programme lead see your comment.",
    )


class TrainingForm(forms.Form):
    title = text("Title of the training", message="Enter the title of the training")
    completed_on = date_field("Date of the training")
    hours = DecimalNumberField(
        label="Hours",
        min_value=Decimal("0.5"),
        max_value=Decimal("200"),
        max_digits=5,
        decimal_places=1,
        error_messages={
            "required": "Enter the hours of training",
            "invalid": "Enter the hours of training as a number, like 1.5",
            "min_value": "The hours of training must be 0.5 or more",
            "max_value": "The hours of training must be 200 or fewer",
            "max_digits": "Enter the hours of training as a number, like 1.5",
            "max_decimal_places": "Enter the hours of training to one decimal place, like 1.5",
            "max_whole_digits": "The hours of training must be 200 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
    )
    provider: forms.ModelChoiceField[Provider] = forms.ModelChoiceField(
        label="Provider",
        queryset=None,
        required=False,
        empty_label="None: the school's own training",
        help_text="The provider whose mentor training this was, if any.",
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers


class ReviewScheduleForm(forms.Form):
    scheduled_on = date_field("Date planned")


def _finding(name: str, question: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question,
        choices=MentorReview.Finding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": FINDING_PROMPTS[name], "invalid_choice": FINDING_PROMPTS[name]},
    )


class ReviewRecordForm(forms.Form):
    held_on = date_field("Date held")
    programme_set_up = _finding(*FINDINGS[0][:2])
    meetings_logged = _finding(*FINDINGS[1][:2])
    feedback_referenced = _finding(*FINDINGS[2][:2])
    findings = long_text("Findings", required=False)
    actions = long_text(
        "Follow-up actions", required=False, help_text="Needed when anything is not fully in place."
    )
    follow_up_on = date_field("Date to follow up by", required=False)

    def clean(self):
        data = super().clean()
        answers = {name: data.get(name) for name, _, _ in FINDINGS}
        if all(answers.values()):
            for name, message in follow_up_errors(
                findings=answers,
                actions=data.get("actions", ""),
                follow_up_on=data.get("follow_up_on"),
                held_on=data.get("held_on"),
            ):
                if name not in self.errors:
                    self.add_error(name, message)
        return data


class FollowUpDoneForm(forms.Form):
    done_on = date_field("Date the follow-up was done")
