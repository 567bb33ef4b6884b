import re
from typing import cast

from django import forms

from protutor.core.forms import DecimalNumberField, ModelMultipleChoiceField, date_field
from protutor.people.models import AcademicYear, Department, Role, SsoProvider, StaffMember, Term
from protutor.people.sso import https_or_loopback, parse_saml_metadata


class AcademicYearForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=20,
        help_text="For example, 2026/27",
        error_messages={"required": "Enter a name for the academic year, like 2026/27"},
    )
    starts_on = date_field("Start date of the year")
    ends_on = date_field("End date of the year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, label in enumerate(Term.Name.labels, start=1):
            self.fields[f"term{number}_starts_on"] = date_field(f"{label} term start date")
            self.fields[f"term{number}_ends_on"] = date_field(f"{label} term end date")

    @classmethod
    def initial_for(cls, year: AcademicYear) -> dict:
        initial = {"name": year.name, "starts_on": year.starts_on, "ends_on": year.ends_on}
        for term in year.terms.all():
            initial[f"term{term.number}_starts_on"] = term.starts_on
            initial[f"term{term.number}_ends_on"] = term.ends_on
        return initial

    def term_dates(self) -> list[tuple]:
        data = self.cleaned_data
        return [(data[f"term{n}_starts_on"], data[f"term{n}_ends_on"]) for n in (1, 2, 3)]

    def term_fields(self):
        return [
            (self[f"term{n}_starts_on"], self[f"term{n}_ends_on"], label)
            for n, label in enumerate(Term.Name.labels, 1)
        ]


class CaseloadForm(forms.Form):
    tutor = forms.ModelChoiceField(
        label="Professional tutor",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the professional tutor"},
    )
    academic_year = forms.ModelChoiceField(
        label="Academic year",
        queryset=AcademicYear.objects.none(),
        error_messages={"required": "Select the academic year"},
    )
    departments = ModelMultipleChoiceField(
        label="Departments in the caseload",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A department has one professional tutor a year.",
    )
    remitted_hours = DecimalNumberField(
        label="Remitted hours",
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text="Hours a year taken off the tutor's teaching for the role, for example 150.",
        error_messages={
            "required": "Enter the remitted hours",
            "invalid": "Enter the remitted hours as a number, like 150",
            "min_value": "Remitted hours must be 0 or more",
        },
    )
    full_time_hours = DecimalNumberField(
        label="Teaching caseload hours",
        min_value=1,
        max_digits=6,
        decimal_places=1,
        help_text="The tutor's teaching hours a year before remission, for example 773.",
        error_messages={
            "required": "Enter the teaching caseload hours",
            "invalid": "Enter the teaching caseload hours as a number, like 773",
            "min_value": "Teaching caseload hours must be 1 or more",
        },
    )
    specialisms = forms.CharField(
        label="Specialisms",
        required=False,
        max_length=300,
        help_text="What this tutor leads on across the institution, for example mathematics and numeracy.",
    )

    def __init__(self, *args, institution, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["tutor"]).queryset = StaffMember.objects.filter(
            institution=institution, is_active=True
        )
        cast(forms.ModelChoiceField, self.fields["academic_year"]).queryset = AcademicYear.objects.filter(
            institution=institution
        )
        cast(forms.ModelChoiceField, self.fields["departments"]).queryset = Department.objects.filter(
            institution=institution
        )
        if editing:
            self.fields["tutor"].disabled = True
            self.fields["academic_year"].disabled = True


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    department = forms.ModelChoiceField(
        label="Department (heads of department only)",
        queryset=Department.objects.none(),
        required=False,
    )
    academic_year = forms.ModelChoiceField(
        label="Academic year",
        queryset=AcademicYear.objects.none(),
        required=False,
        empty_label="Every year",
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(institution=institution)
        self.fields["academic_year"].queryset = AcademicYear.objects.filter(institution=institution)

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.HEAD_OF_DEPARTMENT and not data.get("department"):
            self.add_error("department", "Select the department this person leads")
        return data


class StaffSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, staff code or job title", required=False, max_length=100)


def add_service_error(form: forms.Form, error) -> None:
    """Show a ServiceError on its field when the form has that field, else at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class SignInPolicyForm(forms.Form):
    password_sign_in = forms.TypedChoiceField(
        label="Can staff sign in with a password?",
        choices=[("yes", "Yes"), ("no", "No, only with single sign-on (administrators keep their password)")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether staff can sign in with a password"},
    )
    mfa_required_roles = forms.MultipleChoiceField(
        label="Who must use a second step at sign-in",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They set up an authenticator app the next time they sign in, and cannot open any page "
        "until they have.",
    )

    def __init__(self, *args, **kwargs):
        from protutor.people.mfa import ROLE_CHOICES

        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["mfa_required_roles"]).choices = ROLE_CHOICES


DOMAIN = re.compile(r"[a-z0-9.-]+\.[a-z]{2,}")  # an email domain, lower-cased: school.org.uk


class SsoProviderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Provider",
        choices=SsoProvider.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the provider"},
    )
    name = forms.CharField(
        label="Button text (optional)",
        required=False,
        max_length=60,
        help_text="What the sign-in button says, for example \u201cSign in with Microsoft\u201d.",
    )
    client_id = forms.CharField(
        label="Client ID (OpenID Connect: Microsoft, Google and others)",
        required=False,
        max_length=200,
    )
    secret = forms.CharField(
        label="Client secret (OpenID Connect)",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text="Kept encrypted. It is never shown again.",
    )
    tenant = forms.CharField(
        label="Tenant ID (Microsoft Entra ID)",
        required=False,
        max_length=100,
        help_text="The directory (tenant) ID of your Microsoft 365 organisation.",
    )
    domain = forms.CharField(
        label="Domain (Google Workspace; optional for SAML)",
        required=False,
        max_length=200,
        help_text="Your organisation's Google Workspace domain, for example school.org.uk.",
    )
    other_url = forms.URLField(
        assume_scheme="https",
        label="Issuer URL (another OpenID Connect provider)",
        required=False,
        max_length=500,
        error_messages={"invalid": "Enter the issuer URL in the right format, like https://id.example.org"},
    )
    saml_metadata = forms.CharField(
        label="Identity provider metadata XML (SAML)",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Paste the whole metadata file your identity provider publishes (it names the provider, "
        "its sign-on address and its signing certificate).",
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind != SsoProvider.Kind.SAML:
            if not (data.get("client_id") or "").strip():
                self.add_error("client_id", "Enter the client ID (application ID) from the provider")
            if not (data.get("secret") or "").strip():
                self.add_error("secret", "Enter the client secret from the provider")
        if kind == SsoProvider.Kind.ENTRA:
            tenant = (data.get("tenant") or "").strip()
            if not re.fullmatch(r"[0-9a-fA-F-]{36}|[A-Za-z0-9.-]+\.[A-Za-z]{2,}", tenant):
                self.add_error("tenant", "Enter the tenant ID, like 72f988bf-86f1-41af-91ab-2d7cd011db47")
        elif kind == SsoProvider.Kind.GOOGLE:
            domain = (data.get("domain") or "").strip().lower()
            if not DOMAIN.fullmatch(domain):
                self.add_error("domain", "Enter your Google Workspace domain, like school.org.uk")
        elif kind == SsoProvider.Kind.OIDC:
            url = data.get("other_url") or ""
            if not url:
                self.add_error("other_url", "Enter the issuer URL of the provider")
            elif not https_or_loopback(url):
                self.add_error("other_url", "The issuer URL must start with https://")
        elif kind == SsoProvider.Kind.SAML:
            domain = (data.get("domain") or "").strip().lower()
            if domain and not DOMAIN.fullmatch(domain):
                self.add_error("domain", "Enter the email domain, like school.org.uk, or leave it empty")
            if not (data.get("saml_metadata") or "").strip():
                self.add_error("saml_metadata", "Paste the metadata XML of the identity provider")
            else:
                try:
                    parse_saml_metadata(data["saml_metadata"])
                except ValueError as error:
                    self.add_error("saml_metadata", str(error))
        return data
