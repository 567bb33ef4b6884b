from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField, WholeNumberField, date_field
from protutor.observations.models import Framework, Observation, ObservationPoint, Standard
from protutor.people.models import StaffMember

POINT_ROWS = 3


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Standard) -> str:
        return f"{obj.framework.code} {obj.number}: {obj.heading}"


class StandardsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Standard) -> str:
        return f"{obj.framework.code} {obj.number}: {obj.heading}"


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.surname}, {obj.forename}{f' ({obj.department})' if obj.department_id else ''}"


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of observation",
        choices=Observation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of observation"},
    )
    observee = StaffField(
        label="Who did you observe?",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select who you observed"},
    )
    observed_on = date_field("Date")
    group_name = forms.CharField(label="Class or group", max_length=100, required=False)
    length_minutes = WholeNumberField(
        label="Length in minutes",
        min_value=5,
        max_value=300,
        error_messages={
            "required": "Enter the length in minutes",
            "invalid": "Enter the length as a whole number of minutes, like 30",
            "min_value": "Length must be 5 minutes or more",
            "max_value": "Length must be 300 minutes or fewer",
        },
    )
    focus_standards = StandardsField(
        label="Focus areas",
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The standards the observation looked at.",
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[], help_text="Formal observations only."
    )
    feedback_on = forms.DateField(
        label="Feedback conversation date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the feedback conversation date as a real date"},
    )
    agreed_actions = forms.CharField(
        label="Agreed actions", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, staff, standards, focus_standards, outcome_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["observee"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["focus_standards"]).queryset = focus_standards
        if outcome_choices:
            cast(forms.ChoiceField, self.fields["outcome"]).choices = [("", "No outcome"), *outcome_choices]
        else:
            del self.fields["outcome"]
        self.point_names = []
        for kind, label in ObservationPoint.Kind.choices:
            for row in range(1, POINT_ROWS + 1):
                text_name, standard_name = f"{kind}_{row}_text", f"{kind}_{row}_standard"
                self.fields[text_name] = forms.CharField(
                    label=f"{label} {row}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=2000,
                )
                self.fields[standard_name] = StandardChoiceField(
                    label=f"Standard for {label.lower()} {row}",
                    queryset=standards,
                    required=False,
                    empty_label="No standard",
                )
                self.point_names.append((kind, text_name, standard_name))

    def _rows(self, kind):
        return [(self[t], self[s]) for k, t, s in self.point_names if k == kind]

    @property
    def strength_rows(self):
        return self._rows(ObservationPoint.Kind.STRENGTH)

    @property
    def development_rows(self):
        return self._rows(ObservationPoint.Kind.DEVELOPMENT)

    def points(self):
        from protutor.observations.services import Point

        data = self.cleaned_data
        return [
            Point(kind=k, text=data[t], standards=[data[s]] if data.get(s) else [])
            for k, t, s in self.point_names
            if data.get(t)
        ]

    @classmethod
    def initial_for(cls, observation: Observation) -> dict:
        initial = {
            "kind": observation.kind,
            "observee": observation.observee_id,
            "observed_on": observation.observed_on,
            "group_name": observation.group_name,
            "length_minutes": observation.length_minutes,
            "focus_standards": [s.pk for s in observation.focus_standards.all()],
            "outcome": observation.outcome,
            "feedback_on": observation.feedback_on,
            "agreed_actions": observation.agreed_actions,
        }
        rows: dict[str, int] = {}
        for point in observation.points.all():
            rows[point.kind] = rows.get(point.kind, 0) + 1
            row = rows[point.kind]
            if row <= POINT_ROWS:
                initial[f"{point.kind}_{row}_text"] = point.text
                first = point.standards.first()
                initial[f"{point.kind}_{row}_standard"] = first.pk if first else None
        return initial


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="Your response",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="Optional. The observer will read it.",
    )
    acknowledge = forms.BooleanField(label="I have read this feedback", required=False)


class ShareWithTutorForm(forms.Form):
    tutor = forms.ModelChoiceField(
        label="Share with a professional tutor",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Nobody (stop sharing)",
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["tutor"]).queryset = tutors


class ObservationSearchForm(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)


class CustomFrameworkForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name for the framework"}
    )
    code = forms.RegexField(
        label="Short code",
        max_length=20,
        regex=r"^[A-Za-z0-9-]+$",
        help_text="Letters, numbers and hyphens, shown before each standard, for example NBC.",
        error_messages={
            "required": "Enter a short code",
            "invalid": "Use only letters, numbers and hyphens in the short code",
        },
    )
    standards = forms.CharField(
        label="Standards, one per line",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="A number, a space, then the heading, for example: Q1 Questioning that makes everyone think",
        error_messages={"required": "Enter at least one standard, one per line"},
    )


class FrameworkChoiceForm(forms.Form):
    frameworks: forms.ModelMultipleChoiceField[Framework] = ModelMultipleChoiceField(
        label="Frameworks your institution observes against",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one framework"},
    )
    grading_enabled = forms.BooleanField(
        label="Give formal observations an outcome (effective or not yet effective)", required=False
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["frameworks"]).queryset = frameworks
