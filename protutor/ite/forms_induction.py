"""Forms for induction: checklist templates, starting a checklist, ticking an item, an early-career
teacher's induction, its reduced timetable, evidence and events. GOV.UK wording: each message names the
field and says what to do."""

from __future__ import annotations

from typing import cast

from django import forms

from protutor.core.forms import DecimalNumberField, WholeNumberField, date_field
from protutor.ite import services_induction as services
from protutor.ite.forms import StaffField, long_text, text
from protutor.ite.models import ChecklistTemplate, EctInduction, InductionEvent
from protutor.observations.models import Standard
from protutor.people.models import StaffMember


class StandardField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label}: {obj.heading}"


def periods(label: str, **kwargs) -> DecimalNumberField:
    return DecimalNumberField(
        label=label,
        min_value=0,
        max_value=60,
        max_digits=5,
        decimal_places=1,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number, like 18 or 18.5",
            "min_value": f"The {label.lower()} cannot be fewer than 0",
            "max_value": f"The {label.lower()} must be 60 or fewer",
            "max_decimal_places": f"Enter the {label.lower()} to one decimal place at most, like 18.5",
            "max_digits": f"Enter the {label.lower()} to one decimal place at most, like 18.5",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
        **kwargs,
    )


class ChecklistTemplateForm(forms.Form):
    name = text("Template name", max_length=100, message="Enter the template's name, like New staff")
    items_text = long_text(
        "Checklist items",
        rows=12,
        message="Enter at least one item, one on each line",
        help_text="One item on each line, in the order the new member of staff works through them.",
    )


class ChecklistForm(forms.Form):
    staff = StaffField(
        label="New member of staff",
        queryset=StaffMember.objects.none(),
        error_messages={
            "required": "Select the new member of staff",
            "invalid_choice": "Select the new member of staff from the list",
        },
    )
    template = forms.ModelChoiceField(
        label="Checklist",
        queryset=ChecklistTemplate.objects.none(),
        error_messages={
            "required": "Select a checklist template",
            "invalid_choice": "Select a checklist template from the list",
        },
    )
    starts_on = date_field("Start date", help_text="Their first day, or the day the checklist begins.")
    induction_tutor = StaffField(
        label="Induction tutor",
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label="None",
        help_text="They can tick items off with the new member of staff.",
        error_messages={"invalid_choice": "Select the induction tutor from the list of staff"},
    )

    def __init__(self, *args, staff, templates, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates
        cast(forms.ModelChoiceField, self.fields["induction_tutor"]).queryset = staff

    def clean(self):
        data = super().clean()
        person, tutor = data.get("staff"), data.get("induction_tutor")
        if person is not None and tutor is not None and person.pk == tutor.pk:
            self.add_error("induction_tutor", "A new member of staff cannot be their own induction tutor")
        return data


class TickForm(forms.Form):
    item = WholeNumberField(widget=forms.HiddenInput, error_messages={"required": "Select an item"})
    undo = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EctFields(forms.Form):
    starts_on = date_field(
        "Induction start date", help_text="The first day of the post in which they serve induction."
    )
    fte = DecimalNumberField(
        label="FTE",
        min_value=0.1,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        initial=1,
        help_text="1 for full time, 0.6 for three days a week. Part-time induction runs pro rata.",
        error_messages={
            "required": "Enter the FTE, like 1 for full time or 0.6",
            "invalid": "Enter the FTE as a number from 0.1 to 1, like 0.6",
            "min_value": "The FTE must be 0.1 or more",
            "max_value": "The FTE must be 1 (full time) or less",
            "max_decimal_places": "Enter the FTE to 3 decimal places at most, like 0.6",
            "max_digits": "Enter the FTE to 3 decimal places at most, like 0.6",
            "max_whole_digits": "The FTE must be 1 (full time) or less",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.001"}),
    )
    induction_tutor = StaffField(
        label="Induction tutor",
        queryset=StaffMember.objects.none(),
        error_messages={
            "required": "Select the induction tutor",
            "invalid_choice": "Select the induction tutor from the list of staff",
        },
        help_text="A qualified teacher who holds the progress reviews and the formal assessments.",
    )
    mentor = StaffField(
        label="Mentor",
        queryset=StaffMember.objects.none(),
        error_messages={
            "required": "Select the mentor",
            "invalid_choice": "Select the mentor from the list of staff",
        },
        help_text="A qualified teacher, normally not the induction tutor: the mentor supports and does not assess.",
    )
    appropriate_body = text(
        "Appropriate body", required=False, help_text="For example, the teaching school hub."
    )
    legacy_nqt = forms.BooleanField(
        label="ECT (formerly NQT) on the one-year pattern: started before 1 September 2021",
        required=False,
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["induction_tutor"]).queryset = colleagues
        cast(forms.ModelChoiceField, self.fields["mentor"]).queryset = colleagues

    # The early-career teacher, when already known (changing an induction); else the form's `staff`.
    known_ect: StaffMember | None = None

    def clean(self):
        data = super().clean()
        ect = self.known_ect or data.get("staff")
        tutor, mentor = data.get("induction_tutor"), data.get("mentor")
        if ect is not None and tutor is not None and ect.pk == tutor.pk:
            self.add_error("induction_tutor", "An early-career teacher cannot be their own induction tutor")
        if ect is not None and mentor is not None and ect.pk == mentor.pk:
            self.add_error("mentor", "An early-career teacher cannot be their own mentor")
        elif tutor is not None and mentor is not None and tutor.pk == mentor.pk:
            self.add_error(
                "mentor",
                "Select a mentor who is not the induction tutor: the induction tutor assesses, the mentor "
                "does not",
            )
        return data


class EctForm(EctFields):
    staff = StaffField(
        label="Early-career teacher",
        queryset=StaffMember.objects.none(),
        error_messages={
            "required": "Select the early-career teacher",
            "invalid_choice": "Select the early-career teacher from the list of staff without an induction",
        },
    )

    field_order = [
        "staff",
        "starts_on",
        "fte",
        "induction_tutor",
        "mentor",
        "appropriate_body",
        "legacy_nqt",
    ]

    def __init__(self, *args, staff, colleagues, **kwargs):
        super().__init__(*args, colleagues=colleagues, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff


class EctEditForm(EctFields):
    status = forms.ChoiceField(
        label="Status",
        choices=EctInduction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the induction's status"},
    )

    def __init__(self, *args, induction: EctInduction, colleagues, **kwargs):
        self.known_ect = induction.staff
        super().__init__(*args, colleagues=colleagues, **kwargs)


class TimetableForm(forms.Form):
    induction_year = forms.TypedChoiceField(
        label="Year of induction",
        coerce=int,
        choices=[(1, "Year 1"), (2, "Year 2")],
        widget=forms.RadioSelect,
        help_text="For a part-time early-career teacher, year 1 is the first half of their induction.",
        error_messages={
            "required": "Select the year of induction",
            "invalid_choice": "Select year 1 or year 2",
        },
    )
    standard_periods = periods(
        "Standard timetable (periods a week)",
        help_text="What a teacher on the main pay range at the same FTE teaches, not counting PPA time.",
    )
    taught_periods = periods("Periods taught a week", help_text="What they teach, not counting PPA time.")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["induction_year"])
        field.choices = [(year, f"Year {year}") for year in years]
        if len(years) == 1:
            field.error_messages["invalid_choice"] = "Select year 1"

    def clean_standard_periods(self):
        value = self.cleaned_data["standard_periods"]
        if value is not None and value <= 0:
            raise forms.ValidationError("The standard timetable must be more than 0 periods")
        return value


class EvidenceForm(forms.Form):
    standard = StandardField(
        label="Teachers' Standard",
        queryset=Standard.objects.none(),
        error_messages={
            "required": "Select a Teachers' Standard",
            "invalid_choice": "Select a Teachers' Standard",
        },
    )
    recorded_on = date_field("Date of the evidence")
    text = long_text("Evidence", message="Enter the evidence", help_text="What they did, and what it shows.")

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["standard"]).queryset = standards


class EventForm(forms.Form):
    held_on = date_field("Date held")
    outcome = forms.ChoiceField(label="Outcome", choices=(), widget=forms.RadioSelect)
    notes = long_text("Notes", required=False, rows=6)

    def __init__(self, *args, event: InductionEvent, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["outcome"])
        # The choices and their question come from the one rule the service checks.
        field.choices = [(outcome.value, outcome.label) for outcome in services.outcomes_for(event)]
        question = services.outcome_question(event)
        field.error_messages = {**field.error_messages, "required": question, "invalid_choice": question}
        if services.is_final_assessment(event):
            field.label = "Recommendation to the appropriate body"
            field.help_text = (
                "The appropriate body decides whether induction is passed, failed or extended, from this "
                "recommendation."
            )
