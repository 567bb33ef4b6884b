"""Forms for the teaching-group import and the intern timetable page."""

from __future__ import annotations

from typing import cast

from django import forms

from protutor.core.csvfiles import file_name_problem
from protutor.ite.forms import whole_number
from protutor.ite.models import Intern, TeachingGroup

MAX_UPLOAD = 2 * 1024 * 1024


class GroupImportForm(forms.Form):
    file = forms.FileField(
        label="Timetable export (CSV)",
        help_text="Columns: Class code, Subject, Year group, Teacher (staff code or email), Periods per week, "
        "and optionally Ability.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        problem = file_name_problem(upload.name)
        if problem is not None:
            raise forms.ValidationError(problem)
        return upload


class RunForm(forms.Form):
    class_limit = whole_number(
        "Most interns in any one class across the year", min_value=0, max_value=5, initial=1
    )


class InternChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.staff.full_name} ({obj.subject})"


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code}: {obj.subject}, year {obj.year_group}{', ' + obj.ability if obj.ability else ''}"


class RuleForm(forms.Form):
    intern = InternChoice(
        label="Intern", queryset=Intern.objects.none(), error_messages={"required": "Select the intern"}
    )
    group = GroupChoice(
        label="Class", queryset=TeachingGroup.objects.none(), error_messages={"required": "Select the class"}
    )
    kind = forms.ChoiceField(
        label="The intern teaches this class",
        choices=[
            ("pin", "Always (keep it when re-run)"),
            ("forbid", "Never"),
            ("clear", "Let protutor decide"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select always, never or let protutor decide"},
    )

    def __init__(self, *args, interns, groups, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["intern"]).queryset = interns
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups
