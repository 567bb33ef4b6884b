from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField, WholeNumberField
from protutor.people.models import StaffMember
from protutor.resources.models import Resource
from protutor.support.models import Interaction, SupportCase


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.full_name}{f', {obj.department}' if obj.department_id else ''}"


class TutorChoiceField(forms.ModelChoiceField):
    """Tutors are shown with their specialisms, so a teacher can choose, say, the maths specialist."""

    def label_from_instance(self, obj) -> str:
        specialisms = getattr(obj, "specialisms", "")
        return f"{obj.full_name}{f' ({specialisms})' if specialisms else ''}"


class SelfReferralForm(forms.Form):
    reason = forms.CharField(
        label="What would you like help with?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="A few words are enough. Only the professional tutor who takes this on will read it.",
        error_messages={"required": "Enter what you would like help with"},
    )
    preferred_tutor = TutorChoiceField(
        label="Would you like a particular professional tutor?",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="No preference: my department's tutor",
        help_text="For example a specialist outside your department.",
    )
    availability = forms.CharField(
        label="When are you usually free?",
        max_length=500,
        required=False,
        help_text="For example: Tuesday period 3, or after 4pm on Thursdays.",
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["preferred_tutor"]).queryset = tutors


class EncourageReferralForm(forms.Form):
    teacher = StaffChoiceField(
        label="Who are you suggesting support for?",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the member of staff"},
    )
    reason = forms.CharField(
        label="Why are you suggesting it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="The teacher and their tutor will read this. You will only see whether it is waiting for them, accepted, declined or closed.",
        error_messages={"required": "Enter why you are suggesting support"},
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["teacher"]).queryset = reports


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label="Would you like support from a professional tutor?",
        choices=[("accept", "Yes, I would like support"), ("decline", "No, not now")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    availability = forms.CharField(label="When are you usually free?", max_length=500, required=False)


class CaseShapeForm(forms.Form):
    formality = forms.ChoiceField(
        label="Formality",
        choices=SupportCase.Formality.choices,
        widget=forms.RadioSelect,
        initial=SupportCase.Formality.INFORMAL,
        error_messages={"required": "Select how formal the support is"},
    )
    span = forms.ChoiceField(
        label="Span",
        choices=SupportCase.Span.choices,
        widget=forms.RadioSelect,
        initial=SupportCase.Span.ONGOING,
        error_messages={"required": "Select one-touch or ongoing"},
    )
    focus_tags = forms.CharField(
        label="Focus",
        max_length=300,
        required=False,
        help_text="Separate areas with commas, for example: questioning, behaviour management.",
    )


class OpenCaseForm(CaseShapeForm):
    teacher = StaffChoiceField(
        label="Member of staff",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the member of staff"},
    )
    teacher_agreed = forms.BooleanField(
        label="They have agreed to this support",
        error_messages={"required": "Confirm that they have agreed to this support"},
    )
    field_order = ["teacher", "formality", "span", "focus_tags", "teacher_agreed"]

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["teacher"]).queryset = staff


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What was it?",
        choices=Interaction.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of support it was"},
    )
    occurred_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date",
            "invalid": "Enter the date as a real date, like 2026-11-25",
        },
    )
    minutes = WholeNumberField(
        label="Minutes spent",
        min_value=1,
        max_value=600,
        help_text="Counts towards your remitted time.",
        error_messages={
            "required": "Enter the minutes spent",
            "invalid": "Enter the minutes as a whole number, like 45",
            "min_value": "Minutes spent must be 1 or more",
            "max_value": "Minutes spent must be 600 or fewer",
        },
    )
    shared_notes = forms.CharField(
        label="Notes shared with the teacher",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    next_steps = forms.CharField(
        label="Agreed next steps", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    private_note = forms.CharField(
        label="Private note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
        help_text="Only you will ever see this: not the teacher, not another tutor.",
    )
    resources = ModelMultipleChoiceField(
        label="Resources signposted",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["resources"]).queryset = resources
        if not resources.exists():
            del self.fields["resources"]


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=SupportCase.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    summary = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="Shared with the teacher.",
    )


class HandOverForm(forms.Form):
    to_tutor = TutorChoiceField(
        label="Hand over to",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the professional tutor"},
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_tutor"]).queryset = tutors


class ConcernForm(forms.Form):
    text = forms.CharField(
        label="The concern",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="Write only what the safeguarding lead needs. They will see this and the teacher's name, nothing else of the case.",
        error_messages={"required": "Describe the concern"},
    )


class CaseSearchForm(forms.Form):
    q = forms.CharField(label="Search your cases by name or focus", required=False, max_length=100)
