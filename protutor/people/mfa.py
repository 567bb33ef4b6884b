"""Who must use a second factor at sign-in (DESIGN.md section 7: MFA can be required per role; in
production it is on by default for tutors, the safeguarding lead, the programme lead and administrators)."""

from __future__ import annotations

from django.conf import settings

from protutor.people.models import Role, SignInPolicy
from protutor.people.roles import Actor

PROFESSIONAL_TUTOR = "professional_tutor"
EVERYONE = "everyone"
# The roles a policy can name: the assigned roles, plus tutors (who hold a caseload) and all staff.
ROLE_CHOICES = [
    (EVERYONE, "All staff"),
    (PROFESSIONAL_TUTOR, "Professional tutor"),
    *Role.choices,
]
ROLE_LABELS = dict(ROLE_CHOICES)


def roles_held(actor: Actor) -> set[str]:
    """The policy roles `actor` holds today."""
    held = {EVERYONE}
    if actor.is_tutor:
        held.add(PROFESSIONAL_TUTOR)
    if actor.headed_department_ids:
        held.add(Role.HEAD_OF_DEPARTMENT)
    if actor.led_institution_ids:
        held.add(Role.PROGRAMME_LEAD)
    if actor.administered_institution_ids:
        held.add(Role.ADMINISTRATOR)
    if actor.is_safeguarding_lead:
        held.add(Role.SAFEGUARDING_LEAD)
    if actor.is_cover_manager:
        held.add(Role.COVER_MANAGER)
    if actor.ite_tutor_institution_ids:
        held.add(Role.ITE_TUTOR)
    return held


def default_required_roles() -> list[str]:
    return list(settings.PROTUTOR_MFA_REQUIRED_ROLES)


def required_roles(institution_id: int) -> list[str]:
    policy = SignInPolicy.objects.filter(institution_id=institution_id).first()
    return list(policy.mfa_required_roles) if policy is not None else default_required_roles()


def mfa_required(actor: Actor) -> bool:
    """Whether `actor` must have a second factor before they may use the app."""
    if actor.staff is None:
        return False
    required = set(required_roles(actor.staff.institution_id))
    return bool(required & roles_held(actor))
