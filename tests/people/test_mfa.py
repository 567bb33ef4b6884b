"""A second factor at sign-in, required per role (DESIGN.md section 7)."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from protutor.core import crypto
from protutor.core.errors import ServiceError
from protutor.people import mfa, services
from protutor.people.models import Role, SignInPolicy
from protutor.people.roles import actor_for
from tests.pages import error_summary

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with the authenticator-app defaults (SHA-1, 30 s, 6 digits), computed here, not by allauth."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1)
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    value = struct.unpack(">I", raw[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def require(admin, *roles):
    return services.set_sign_in_policy(
        actor=admin.user, institution=admin.institution, mfa_required_roles=roles
    )


def sign_in(client, username):
    return client.post(reverse("account_login"), {"login": username, "password": PASSWORD})


def enrol(client):
    """Open the set-up page, read the secret it shows and confirm it with a code: what a person does with
    their phone."""
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302
    return secret


def test_roles_held_follow_the_persons_records(tutor, programme_lead, dsl, admin, hod, teacher):
    assert mfa.roles_held(actor_for(tutor.user)) == {mfa.EVERYONE, mfa.PROFESSIONAL_TUTOR}
    assert Role.PROGRAMME_LEAD in mfa.roles_held(actor_for(programme_lead.user))
    assert Role.SAFEGUARDING_LEAD in mfa.roles_held(actor_for(dsl.user))
    assert Role.ADMINISTRATOR in mfa.roles_held(actor_for(admin.user))
    assert Role.HEAD_OF_DEPARTMENT in mfa.roles_held(actor_for(hod.user))
    assert mfa.roles_held(actor_for(teacher.user)) == {mfa.EVERYONE}


def test_production_requires_mfa_of_tutors_safeguarding_programme_lead_and_administrators():
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "PROTUTOR_ENCRYPTION_KEYS": "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ=",
        "ALLOWED_HOSTS": "protutor.example.org",
    }
    code = "import protutor.settings as s; print(','.join(s.PROTUTOR_MFA_REQUIRED_ROLES))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert set(result.stdout.strip().split(",")) == {
        "professional_tutor",
        "ite_tutor",
        "safeguarding_lead",
        "programme_lead",
        "administrator",
    }


def test_with_no_policy_saved_the_servers_default_applies(programme_lead, teacher):
    with override_settings(PROTUTOR_MFA_REQUIRED_ROLES=["programme_lead"]):
        assert mfa.mfa_required(actor_for(programme_lead.user))
        assert not mfa.mfa_required(actor_for(teacher.user))


def test_a_saved_policy_replaces_the_default(admin, programme_lead, tutor):
    with override_settings(PROTUTOR_MFA_REQUIRED_ROLES=["programme_lead"]):
        require(admin, mfa.PROFESSIONAL_TUTOR)
        assert not mfa.mfa_required(actor_for(programme_lead.user))
        assert mfa.mfa_required(actor_for(tutor.user))


def test_only_an_administrator_sets_the_policy(programme_lead, admin):
    with pytest.raises(ServiceError):
        services.set_sign_in_policy(
            actor=programme_lead.user, institution=admin.institution, mfa_required_roles=["everyone"]
        )
    assert not SignInPolicy.objects.exists()


def test_an_unknown_role_is_refused(admin):
    with pytest.raises(ServiceError, match="Unknown role: wizard"):
        require(admin, "wizard")


def test_the_administrator_chooses_roles_on_the_sign_in_settings_page(client_for, admin):
    client = client_for(admin)
    page = client.get(reverse("people:sign-in-policy"))
    assert "Sign-in settings" in page.content.decode()
    response = client.post(
        reverse("people:sign-in-policy"),
        {"password_sign_in": "yes", "mfa_required_roles": ["programme_lead", "safeguarding_lead"]},
    )
    assert response.status_code == 302
    assert SignInPolicy.objects.get().mfa_required_roles == ["programme_lead", "safeguarding_lead"]
    response = client.post(
        reverse("people:sign-in-policy"), {"password_sign_in": "yes", "mfa_required_roles": ["wizard"]}
    )
    assert error_summary(response)[0][1].startswith("Select a valid choice")
    assert SignInPolicy.objects.get().mfa_required_roles == ["programme_lead", "safeguarding_lead"]


def test_a_role_that_needs_mfa_reaches_no_page_before_enrolling(client, admin, programme_lead):
    require(admin, Role.PROGRAMME_LEAD)
    assert sign_in(client, "programme_lead").status_code == 302
    for url in ("/", reverse("people:year-list"), reverse("support:index"), reverse("cpd:session-list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    enrol(client)
    assert client.get(reverse("people:year-list")).status_code == 200


def test_someone_whose_role_needs_no_mfa_is_not_stopped(client, admin, teacher):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "teacher")
    assert client.get("/").status_code == 200


def test_signing_out_is_allowed_before_enrolling(client, admin, programme_lead):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"].startswith(reverse("account_login"))


def test_after_enrolling_sign_in_asks_for_a_code(client, admin, programme_lead):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    secret = enrol(client)
    client.post(reverse("account_logout"))
    response = sign_in(client, "programme_lead")
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302  # the password alone does not let them in
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    # A code from the next time step would be refused too; the current one is accepted once.
    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client, admin, programme_lead):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    enrol(client)
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert len(codes) == 10
    client.post(reverse("account_logout"))
    sign_in(client, "programme_lead")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("account_logout"))
    sign_in(client, "programme_lead")
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert client.get("/").status_code == 302


def test_authenticator_secrets_are_encrypted_at_rest(client, admin, programme_lead):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    secret = enrol(client)
    stored = Authenticator.objects.get(user=programme_lead.user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret
    assert crypto.decrypt(stored) == secret
    seed = Authenticator.objects.get(user=programme_lead.user, type=Authenticator.Type.RECOVERY_CODES)
    assert crypto.is_under_newest_key(seed.data["seed"])


def test_key_rotation_re_encrypts_authenticator_secrets(client, admin, programme_lead, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    secret = enrol(client)
    settings.PROTUTOR_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.PROTUTOR_ENCRYPTION_KEYS]
    call_command("rotate_keys", stdout=open("/dev/null", "w"))
    stored = Authenticator.objects.get(user=programme_lead.user, type=Authenticator.Type.TOTP).data["secret"]
    assert crypto.is_under_newest_key(stored)
    assert crypto.decrypt(stored) == secret


def test_a_sign_in_older_than_the_reauthentication_timeout_asks_for_the_password_again(
    client, admin, programme_lead
):
    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    with override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=0):
        response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_the_administrator_resets_a_lost_phone_and_the_person_is_signed_out(client, admin, programme_lead):
    from django.test import Client

    require(admin, Role.PROGRAMME_LEAD)
    sign_in(client, "programme_lead")
    enrol(client)
    assert client.get("/").status_code == 200
    admin_client = Client()
    admin_client.force_login(admin.user)
    page = admin_client.get(reverse("people:staff-detail", args=[programme_lead.pk])).content.decode()
    assert "Reset two-step sign-in" in page
    response = admin_client.post(reverse("people:second-factor-reset", args=[programme_lead.pk]))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=programme_lead.user).exists()
    assert client.get("/")["Location"].startswith(reverse("account_login"))
    sign_in(client, "programme_lead")
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_only_an_administrator_resets_and_never_their_own(client_for, admin, programme_lead):
    assert (
        client_for(programme_lead).post(reverse("people:second-factor-reset", args=[admin.pk])).status_code
        == 404
    )
    with pytest.raises(ServiceError, match="another administrator"):
        services.reset_second_factor(actor=admin.user, staff=admin)
