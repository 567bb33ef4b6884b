from typing import cast

from django import forms

from protutor.core.forms import ModelMultipleChoiceField
from protutor.observations.forms import StandardChoiceField, StandardsField
from protutor.observations.models import Standard
from protutor.people.models import Department, Institution
from protutor.resources.models import Resource, ResourceFormat
from protutor.resources.uploads import allowed_description, check_upload, max_bytes


class DepartmentsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name


class ResourceForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    format = forms.ChoiceField(
        label="Kind of resource",
        choices=ResourceFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of resource"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="What it is and why a teacher would use it, in two or three sentences.",
        error_messages={
            "required": "Enter a summary",
            "max_length": "Summary must be 2000 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Notes or full text",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        error_messages={"max_length": "Notes must be 20,000 characters or fewer"},
    )
    url = forms.URLField(
        assume_scheme="https",
        label="Link",
        max_length=500,
        required=False,
        help_text="For a video or a web page, for example https://example.org/guide",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )
    file = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput,
        error_messages={
            "invalid": "The selected file could not be read",
            "empty": "The selected file is empty",
        },
    )
    audience = forms.CharField(
        label="Audience",
        max_length=200,
        required=False,
        help_text="For example new teachers, assessors, all staff.",
    )
    tags = forms.CharField(
        label="Tags",
        max_length=300,
        required=False,
        help_text="Separate tags with commas, for example questioning, feedback.",
        error_messages={"max_length": "Tags must be 300 characters or fewer"},
    )
    standards = StandardsField(
        label="Standards it supports",
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = DepartmentsField(
        label="Departments it suits",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, standards, departments, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["standards"]).queryset = standards
        cast(forms.ModelChoiceField, self.fields["departments"]).queryset = departments
        self.fields[
            "file"
        ].help_text = f"A {allowed_description()} file, up to {max_bytes() // (1024 * 1024)} MB."

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload or None


class ReviseResourceForm(ResourceForm):
    remove_file = forms.BooleanField(label="Remove the current file from the new version", required=False)
    change_note = forms.CharField(
        label="What changed",
        max_length=300,
        help_text="For example: updated for the new framework. Earlier versions stay available.",
        error_messages={"required": "Enter what changed in this version"},
    )

    def __init__(self, *args, has_file: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_file:
            del self.fields["remove_file"]
        else:
            self.fields["file"].label = "Replace the file"

    @staticmethod
    def initial_for(resource: Resource, version) -> dict:
        return {
            "title": resource.title,
            "format": resource.format,
            "summary": resource.description,
            "body": version.body if version else "",
            "url": resource.url,
            "audience": resource.audience,
            "tags": resource.tags,
            "standards": [s.pk for s in resource.standards.all()],
            "departments": [d.pk for d in resource.departments.all()],
        }


CHOICE_ERRORS = {
    "standard": "Select a standard in the list",
    "department": "Select a department in the list",
    "format": "Select a kind of resource in the list",
}


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label="Search the library", required=False, max_length=100)
    format = forms.ChoiceField(
        label="Kind", choices=[("", "Any kind"), *ResourceFormat.choices], required=False
    )
    standard = StandardChoiceField(
        label="Standard", queryset=Standard.objects.none(), required=False, empty_label="Any standard"
    )
    department = forms.ModelChoiceField(
        label="Department", queryset=Department.objects.none(), required=False, empty_label="Any department"
    )
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    retired = forms.BooleanField(label="Include retired resources", required=False)

    def __init__(self, *args, standards, departments, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["standard"]).queryset = standards
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        for name, message in CHOICE_ERRORS.items():
            self.fields[name].error_messages["invalid_choice"] = message


class InstitutionsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class ResourcesField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.title} (retired)" if obj.retired_at else obj.title


class CollectionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    resources = ResourcesField(
        label="Resources in the collection",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_with = InstitutionsField(
        label="Share with institutions in this installation",
        help_text="Their staff can then read these resources and this collection.",
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, resources, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["resources"]).queryset = resources
        cast(forms.ModelChoiceField, self.fields["shared_with"]).queryset = institutions
        if not institutions.exists():
            del self.fields["shared_with"]


class PartnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CollectionLinkForm(forms.Form):
    partner = PartnerField(
        label="Partner in the network",
        queryset=None,
        empty_label="Select a partner",
        error_messages={"required": "Select a partner", "invalid_choice": "Select a partner from the list"},
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners
