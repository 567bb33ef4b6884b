"""allauth's forms in GOV.UK wording: sentence-case labels and "Enter…" messages."""

from allauth.account.forms import ChangePasswordForm, LoginForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django.core.exceptions import ValidationError


class GovukLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email"
        login.error_messages["required"] = "Enter your username or email address"
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        password = self.fields["password"]
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs.pop("placeholder", None)
        password.help_text = ""

    def clean(self):
        data = super().clean()
        user = getattr(self, "user", None)
        if user is not None and not self.errors:
            from protutor.people.sso import password_sign_in_allowed

            if not password_sign_in_allowed(user):
                raise ValidationError(
                    "Your school or college signs in with single sign-on: use the sign-in button for it"
                )
        return data


class GovukChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "oldpassword": ("Current password", "Enter your current password"),
            "password1": ("New password", "Enter a new password"),
            "password2": ("Confirm new password", "Enter the new password again"),
        }
        for name, (label, required) in labels.items():
            field = self.fields[name]
            field.label = label
            field.error_messages["required"] = required
            field.widget.attrs.pop("placeholder", None)
        self.fields["password1"].help_text = "At least 12 characters, not a common password."

    def clean_oldpassword(self):
        try:
            return super().clean_oldpassword()
        except ValidationError:
            raise ValidationError("Your current password is not right: enter it again") from None


def _code_field(field, label: str, hint: str) -> None:
    field.label = label
    field.help_text = hint
    field.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(
        {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
    )


class GovukActivateTotpForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            "Code from your authenticator app",
            "The 6-digit code the app shows for protutor.",
        )


class GovukAuthenticateForm(AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self.fields["code"],
            "Code",
            "The 6-digit code from your authenticator app, or one of your recovery codes.",
        )
        self.fields["code"].widget.attrs.pop("inputmode")


class GovukReauthenticateMfaForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self.fields["code"], "Code", "The 6-digit code from your authenticator app.")


class GovukAddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.label = "Name for this passkey"
        name.help_text = "So you can tell your passkeys apart, for example \u201cwork laptop\u201d."
        self.fields["credential"].error_messages["required"] = (
            "Your browser did not create a passkey: try again"
        )
