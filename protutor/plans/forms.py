from typing import cast

from django import forms

from protutor.core.forms import WholeNumberField, date_field
from protutor.observations.forms import StandardsField
from protutor.observations.models import Standard
from protutor.people.models import StaffMember
from protutor.plans.models import PlanReview


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PlanForm(forms.Form):
    teacher = StaffField(
        label="Member of staff",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the member of staff"},
    )
    concerns = forms.CharField(
        label="Concerns",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe the concerns"},
    )
    concern_standards = StandardsField(
        label="Standards the concerns relate to",
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goal_1 = forms.CharField(
        label="Goal 1", max_length=1000, error_messages={"required": "Enter at least one goal"}
    )
    criteria_1 = forms.CharField(label="Success criteria for goal 1", max_length=1000, required=False)
    goal_2 = forms.CharField(label="Goal 2", max_length=1000, required=False)
    criteria_2 = forms.CharField(label="Success criteria for goal 2", max_length=1000, required=False)
    goal_3 = forms.CharField(label="Goal 3", max_length=1000, required=False)
    criteria_3 = forms.CharField(label="Success criteria for goal 3", max_length=1000, required=False)
    support_offered = forms.CharField(
        label="Support offered",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
        help_text="For example: developmental observations with the professional tutor, a coaching pair, CPD sessions.",
    )
    assigned_tutor = StaffField(
        label="Professional tutor",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="None yet",
    )
    first_review_on = date_field("First review date")

    def __init__(self, *args, staff, tutors, standards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["concern_standards"]).queryset = standards
        cast(forms.ModelChoiceField, self.fields["teacher"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["assigned_tutor"]).queryset = tutors

    def goals(self):
        return [(self.cleaned_data[f"goal_{n}"], self.cleaned_data[f"criteria_{n}"]) for n in (1, 2, 3)]


class SupportEntryForm(forms.Form):
    given_on = date_field("Date")
    minutes = WholeNumberField(
        label="Minutes",
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Enter the minutes",
            "invalid": "Enter the minutes as a whole number",
            "min_value": "Minutes must be 1 or more",
            "max_value": "Minutes must be 600 or fewer",
        },
    )
    summary = forms.CharField(
        label="Support given",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages={"required": "Describe the support given"},
    )


class ReviewForm(forms.Form):
    held_on = date_field("Date of the review")
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=PlanReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    next_review_on = date_field("Next review date", required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages={"required": "Enter your comment"},
    )


class ExitForm(forms.Form):
    condition = forms.ChoiceField(
        label="Which exit condition?",
        choices=[
            ("teacher_confident", "The teacher feels confident"),
            ("line_manager_satisfied", "The line manager is satisfied"),
            ("improvement_evidenced", "The improvement shows in practice"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select an exit condition"},
    )
    on = date_field("Date")
    evidence = forms.CharField(
        label="Evidence of improvement",
        max_length=2000,
        required=False,
        help_text="For example: formal observation on 3 March judged effective.",
    )
