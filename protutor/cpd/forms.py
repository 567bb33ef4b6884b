from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField, WholeNumberField
from protutor.cpd.models import Session
from protutor.observations.forms import StandardChoiceField, StandardsField
from protutor.observations.models import Standard
from protutor.people.models import Department, StaffMember
from protutor.resources.models import Resource


class DevelopmentRequestForm(forms.Form):
    topic = forms.CharField(
        label="What would you like to develop?",
        max_length=300,
        help_text="For example: questioning that gets everyone thinking.",
        error_messages={"required": "Enter what you would like to develop"},
    )
    standard = StandardChoiceField(
        label="Standard", queryset=Standard.objects.none(), required=False, empty_label="No standard"
    )
    anonymous = forms.BooleanField(
        label="Do not show my name to my head of department or tutor", required=False
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["standard"]).queryset = standards


class RequestField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.topic


class SessionForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.none(),
        error_messages={"required": "Select the department"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    aims = forms.CharField(
        label="Aims", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Session.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format"},
    )
    length_minutes = WholeNumberField(
        label="Length in minutes",
        min_value=5,
        max_value=480,
        error_messages={
            "required": "Enter the length in minutes",
            "invalid": "Enter the length as a whole number of minutes, like 30",
            "min_value": "Length must be 5 minutes or more",
            "max_value": "Length must be 480 minutes or fewer",
        },
    )
    starts_at = forms.DateTimeField(
        label="Date and time agreed with the department",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time",
            "invalid": "Enter the date and time, like 2026-12-02 16:00",
        },
    )
    room = forms.CharField(label="Room", max_length=100, required=False)
    focus_standards = StandardsField(
        label="Focus standards",
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requests = RequestField(
        label="Requests it answers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Requests made without a name are not listed one by one: the department's development "
        "needs page shows what they asked for once enough people have asked.",
    )
    resources = ModelMultipleChoiceField(
        label="Materials from the library",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, departments, standards, requests, resources, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["focus_standards"]).queryset = standards
        cast(forms.ModelChoiceField, self.fields["requests"]).queryset = requests
        cast(forms.ModelChoiceField, self.fields["resources"]).queryset = resources

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        from django.utils import timezone

        return {
            "department": session.department_id,
            "title": session.title,
            "aims": session.aims,
            "format": session.format,
            "length_minutes": session.length_minutes,
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "room": session.room,
            "focus_standards": [s.pk for s in session.focus_standards.all()],
            "requests": [r.pk for r in session.requests.all()],
            "resources": [r.pk for r in session.resources.all()],
        }


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        help_text="Everyone invited is told this and sees it on the session's page: keep it to what they "
        "need to know.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the session is cancelled",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class RegisterForm(forms.Form):
    attendees = ModelMultipleChoiceField(
        label="Who came?",
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["attendees"]).queryset = staff


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was the session?",
        choices=[(5, "5: very useful"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not useful")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how useful the session was"},
    )
    will_try = forms.CharField(
        label="What will you try in your teaching?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
