"""Forms for providers, programmes, reference points, capacity and placements. GOV.UK wording: each
message names the field and says what to do."""

from __future__ import annotations

from typing import cast

from django import forms

from protutor.core.confirm import ConfirmableForm
from protutor.core.forms import WholeNumberField, date_field
from protutor.ite.models import Intern, Programme, Provider
from protutor.people.models import AcademicYear, Department, StaffMember


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        department = f" ({obj.department.name})" if getattr(obj, "department", None) else ""
        return f"{obj.full_name}{department}"


def text(label: str, *, required: bool = True, max_length: int = 200, message: str = "", **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": message or f"Enter the {label.lower()}",
            "max_length": f"The {label.lower()} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def long_text(label: str, *, required: bool = True, rows: int = 4, message: str = "", **kwargs):
    return text(
        label,
        required=required,
        max_length=5000,
        message=message,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def whole_number(label: str, *, min_value: int, max_value: int, **kwargs) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a whole number",
            "min_value": f"The {label.lower()} must be {min_value} or more",
            "max_value": f"The {label.lower()} must be {max_value} or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        **kwargs,
    )


class ProviderForm(forms.Form):
    name = text("Name", message="Enter the provider's name")
    kind = forms.ChoiceField(
        label="Kind of provider",
        choices=Provider.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of provider"},
    )
    contact_name = text("Partnership contact", required=False)
    contact_email = forms.EmailField(
        label="Contact email",
        required=False,
        error_messages={"invalid": "Enter the contact email in the right format, like name@example.ac.uk"},
    )
    contact_phone = text("Contact phone", required=False, max_length=40)
    link_tutor_name = text(
        "Link tutor", required=False, help_text="The provider's tutor for the school (the general tutor)."
    )
    link_tutor_email = forms.EmailField(
        label="Link tutor email",
        required=False,
        error_messages={
            "invalid": "Enter the link tutor's email in the right format, like name@example.ac.uk"
        },
    )
    mentor_requirements = long_text(
        "What the partnership agreement asks of mentors",
        required=False,
        help_text="For example: initial mentor training, a weekly mentor meeting of at least 1.5 hours.",
    )
    mentor_training_hours = whole_number(
        "Mentor training hours required",
        min_value=0,
        max_value=200,
        initial=0,
        help_text="0 if the agreement sets no number.",
    )


class ProgrammeForm(forms.Form):
    name = text("Programme name", message="Enter the programme's name, like Secondary PGCE")
    route = forms.ChoiceField(
        label="Route", choices=Programme.Route.choices, error_messages={"required": "Select the route"}
    )
    academic_year = forms.ModelChoiceField(
        label="Academic year",
        queryset=AcademicYear.objects.none(),
        error_messages={"required": "Select the academic year"},
    )
    scale_text = long_text(
        "Judgement scale",
        required=False,
        rows=3,
        help_text="One judgement on each line, lowest first. Leave empty for: Not yet meeting, Meeting.",
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["academic_year"]).queryset = years


class ReferencePointForm(forms.Form):
    name = text(
        "Name", max_length=100, message="Enter the reference point's name, like Assessment Reference Point 1"
    )
    due_on = date_field("Due date")

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        for standard in self.standards:
            self.fields[f"descriptor_{standard.pk}"] = forms.CharField(
                label=f"{standard.label}: {standard.heading}",
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"The descriptor for {standard.label} must be 3,000 characters or fewer"
                },
            )

    def descriptors(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"descriptor_{s.pk}", "") for s in self.standards}


class PlacementFields(forms.Form):
    phase_name = text(
        "Placement phase",
        max_length=100,
        initial="Main placement",
        help_text="For example: autumn joint weeks, spring placement.",
    )
    starts_on = date_field("Placement start date")
    ends_on = date_field("Placement end date")


class InternForm(ConfirmableForm, PlacementFields):
    staff = StaffField(
        label="Intern from the staff list",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Not on the staff list yet: add them below",
    )
    forename = text("First name", required=False, max_length=100)
    surname = text("Last name", required=False, max_length=100)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter the email address in the right format, like name@example.org"},
    )
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=Programme.objects.none(),
        error_messages={"required": "Select the programme"},
    )
    subject = text("Subject", max_length=100, message="Enter the intern's subject, like Mathematics")
    department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.none(),
        error_messages={"required": "Select the department"},
    )
    mentor = StaffField(
        label="Mentor",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="Not appointed yet",
        help_text="A qualified teacher of the intern's subject.",
    )
    tutor_group = text("Form (tutor) group", required=False, max_length=40)
    target_periods = whole_number(
        "Target teaching load (periods a week)", min_value=0, max_value=60, initial=12
    )

    field_order = [
        "staff",
        "forename",
        "surname",
        "email",
        "programme",
        "subject",
        "department",
        "mentor",
        "tutor_group",
        "target_periods",
        "phase_name",
        "starts_on",
        "ends_on",
    ]

    def __init__(self, *args, staff, programmes, departments, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["mentor"]).queryset = mentors

    def clean(self):
        data = super().clean()
        if not data.get("staff"):
            for name, message in (
                ("forename", "Enter the intern's first name, or select them from the staff list"),
                ("surname", "Enter the intern's last name"),
                ("email", "Enter the intern's email address"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class InternEditForm(ConfirmableForm):
    subject = text("Subject", max_length=100, message="Enter the intern's subject, like Mathematics")
    department = forms.ModelChoiceField(
        label="Department",
        queryset=Department.objects.none(),
        error_messages={"required": "Select the department"},
    )
    mentor = StaffField(
        label="Mentor", queryset=StaffMember.objects.none(), required=False, empty_label="Not appointed yet"
    )
    tutor_group = text("Form (tutor) group", required=False, max_length=40)
    target_periods = whole_number("Target teaching load (periods a week)", min_value=0, max_value=60)
    status = forms.ChoiceField(
        label="Status",
        choices=Intern.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intern's status"},
    )

    def __init__(self, *args, departments, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["mentor"]).queryset = mentors


class PlacementForm(forms.Form):
    name = text("Placement phase", max_length=100, help_text="For example: spring placement.")
    starts_on = date_field("Start date")
    ends_on = date_field("End date")


class CapacityForm(forms.Form):
    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        for department in self.departments:
            self.fields[f"places_{department.pk}"] = whole_number(
                f"Intern places in {department.name}", min_value=0, max_value=20, required=False
            )
            # The helper's messages lower-case the label; a department's name keeps its capitals.
            field = self.fields[f"places_{department.pk}"]
            field.error_messages.update(
                invalid=f"Enter the intern places in {department.name} as a whole number",
                min_value=f"The intern places in {department.name} must be 0 or more",
                max_value=f"The intern places in {department.name} must be 20 or fewer",
            )

    def places(self) -> dict[int, int | None]:
        """Each department's places; None where the field was left empty (no places stated)."""
        return {d.pk: self.cleaned_data.get(f"places_{d.pk}") for d in self.departments}
