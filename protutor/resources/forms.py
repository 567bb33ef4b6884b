from django import forms


class ResourceForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    url = forms.URLField(
        assume_scheme="https",
        label="Link",
        max_length=500,
        required=False,
        help_text="For example https://example.org/guide",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    tags = forms.CharField(
        label="Tags",
        max_length=300,
        required=False,
        help_text="Separate tags with commas, for example questioning, feedback.",
    )


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label="Search the library", required=False, max_length=100)
