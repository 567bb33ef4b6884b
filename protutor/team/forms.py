from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField, WholeNumberField, date_field
from protutor.core.params import integer_range
from protutor.people.models import StaffMember
from protutor.resources.models import Resource
from protutor.team.models import OwnDevelopment, Partner, PartnerVisit, TargetReview, TutorTarget


class MeetingForm(forms.Form):
    held_on = date_field("Date of the meeting")


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Add to the agenda", max_length=200, error_messages={"required": "Enter the agenda item"}
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes", widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
    )
    practice_seen = forms.CharField(
        label="The practice we saw this week",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="Describe the practice, never the person: no staff names.",
    )


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    owner = OwnerField(
        label="Owner",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select who owns the action"},
    )
    due_on = date_field("Due date")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = team


class PartnerForm(forms.Form):
    name = forms.CharField(
        label="Partner institution", max_length=200, error_messages={"required": "Enter the partner's name"}
    )
    contacts = forms.CharField(
        label="Contacts", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )


class PartnerMeetingForm(forms.Form):
    held_on = date_field("Date of the meeting")
    partners = ModelMultipleChoiceField(
        label="Partners there",
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label="Agenda", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    resources = ModelMultipleChoiceField(
        label="Resources shared",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, partners, resources, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partners"]).queryset = partners
        cast(forms.ModelChoiceField, self.fields["resources"]).queryset = resources


class VisitForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Partner", queryset=Partner.objects.none(), error_messages={"required": "Select the partner"}
    )
    direction = forms.ChoiceField(
        label="Who visited?",
        choices=PartnerVisit.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who visited"},
    )
    visited_on = date_field("Date of the visit")
    purpose = forms.CharField(
        label="Purpose", max_length=300, error_messages={"required": "Enter the purpose of the visit"}
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners


class TargetForm(forms.Form):
    description = forms.CharField(
        label="Target", max_length=300, error_messages={"required": "Enter the target"}
    )
    measure = forms.ChoiceField(
        label="How protutor measures it",
        choices=TutorTarget.Measure.choices,
        error_messages={"required": "Select how it is measured"},
    )
    target_value = WholeNumberField(
        label="Number to reach",
        min_value=0,
        max_value=integer_range(TutorTarget._meta.get_field("target_value"))[1],
        required=False,
        error_messages={
            "invalid": "Enter a whole number",
            "max_value": "The number to reach must be %(limit_value)s or fewer",
        },
    )


class TargetReviewForm(forms.Form):
    kind = forms.ChoiceField(
        label="Review",
        choices=TargetReview.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select mid-year or end-of-year"},
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )


class OwnDevelopmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=OwnDevelopment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind"},
    )
    title = forms.CharField(label="What", max_length=200, error_messages={"required": "Enter what you did"})
    done_on = date_field("Date")
    notes = forms.CharField(
        label="What you took from it",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
