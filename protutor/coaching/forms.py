from django import forms

from protutor.core.confirm import ConfirmableForm
from protutor.core.forms import WholeNumberField

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PERIODS = range(1, 7)
FREE_CHOICES = [(f"{d}-{p}", f"{DAYS[d]} period {p}") for d in range(5) for p in PERIODS]


def free_periods_field(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=FREE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every period you are usually free.",
    )


class VolunteerForm(forms.Form):
    strengths = forms.CharField(
        label="What could you coach on?",
        max_length=300,
        required=False,
        help_text="Separate areas with commas, for example: questioning, behaviour, feedback.",
    )
    capacity = WholeNumberField(
        label="How many people could you coach this year?",
        min_value=1,
        max_value=6,
        initial=2,
        error_messages={
            "required": "Enter how many people you could coach",
            "invalid": "Enter a whole number",
            "min_value": "Enter 1 or more",
            "max_value": "Enter 6 or fewer",
        },
    )
    ready_for_ect = forms.BooleanField(label="I am ready to coach early-career teachers", required=False)
    free_periods = free_periods_field("When are you usually free?")


class SignupForm(forms.Form):
    focus = forms.CharField(
        label="What would you like to work on?",
        max_length=300,
        help_text="Separate areas with commas, for example: questioning, an appraisal target.",
        error_messages={"required": "Enter what you would like to work on"},
    )
    outside_department = forms.BooleanField(
        label="I would like a coach from outside my department", required=False
    )
    is_ect = forms.BooleanField(
        label="I am an early-career teacher (coaching can use my induction time)", required=False
    )
    free_periods = free_periods_field("When are you usually free?")


class AgreementForm(forms.Form):
    text = forms.CharField(
        label="The coaching agreement",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the agreement"},
    )


class TrainingForm(forms.Form):
    step = forms.ChoiceField(
        label="Training step",
        choices=[
            ("training_day_on", "Initial training day"),
            ("first_follow_up_on", "First follow-up one-to-one"),
            ("second_follow_up_on", "Second follow-up one-to-one"),
        ],
        error_messages={"required": "Select a training step"},
    )
    on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date", "invalid": "Enter the date as a real date"},
    )


class SessionForm(ConfirmableForm):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time",
            "invalid": "Enter the date and time, like 2026-12-02 10:00",
        },
    )
    length_minutes = WholeNumberField(
        label="Length in minutes",
        min_value=15,
        max_value=120,
        initial=50,
        error_messages={
            "required": "Enter the length",
            "invalid": "Enter a whole number of minutes",
            "min_value": "Length must be 15 minutes or more",
            "max_value": "Length must be 120 minutes or fewer",
        },
    )


class JournalForm(forms.Form):
    text = forms.CharField(
        label="New entry",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text="Only you will ever see this.",
        error_messages={"required": "Write something first"},
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall, how valuable has coaching been this term?",
        choices=[(5, "5: very valuable"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not valuable")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating"},
    )
    thought = forms.CharField(
        label="What did you think of it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    found = forms.CharField(
        label="What did you find?", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    do_differently = forms.CharField(
        label="What do you now do differently?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="About your own practice. Please do not describe what was said in sessions.",
    )
