"""Writes to the programme's structure. Each runs in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from protutor.audit import services as audit
from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.people import permissions
from protutor.people.models import (
    AcademicYear,
    Caseload,
    CaseloadDepartment,
    Department,
    Institution,
    Role,
    RoleAssignment,
    SignInPolicy,
    StaffMember,
    Term,
)


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise ServiceError("You do not have permission to do that.")


@transaction.atomic
def save_academic_year(
    *,
    actor,
    institution: Institution,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    terms: list[tuple[dt.date, dt.date]],
    year: AcademicYear | None = None,
) -> AcademicYear:
    """Create or change an academic year and its three terms together, or change nothing.

    The terms must lie inside the year, in order, without overlapping; the year must not overlap another
    year of the same institution.
    """
    _deny_unless(permissions.can_manage_years(actor, institution))
    if year is not None and year.institution_id != institution.pk:
        raise ServiceError("You do not have permission to do that.")
    if len(terms) != 3:
        raise ServiceError("Enter the dates of all three terms.")
    year = year or AcademicYear(institution=institution)
    year.name, year.starts_on, year.ends_on = name, starts_on, ends_on
    try:
        year.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=field) from exc
    previous_end: dt.date | None = None
    for number, (start, end) in enumerate(terms, start=1):
        label = Term.Name.choices[number - 1][1]
        if end <= start:
            raise ServiceError(f"{label} term must end after it starts", field=f"term{number}_ends_on")
        if start < starts_on or end > ends_on:
            raise ServiceError(
                f"{label} term must be inside the academic year", field=f"term{number}_starts_on"
            )
        if previous_end is not None and start <= previous_end:
            raise ServiceError(
                f"{label} term must start after the previous term ends", field=f"term{number}_starts_on"
            )
        previous_end = end
    created = year.pk is None
    year.save()
    for number, (start, end) in enumerate(terms, start=1):
        Term.objects.update_or_create(
            academic_year=year,
            number=number,
            defaults={"name": Term.Name.choices[number - 1][0], "starts_on": start, "ends_on": end},
        )
    audit.record(actor=actor, action="people.year_created" if created else "people.year_changed", target=year)
    return year


@transaction.atomic
def save_caseload(
    *,
    actor,
    tutor: StaffMember,
    academic_year: AcademicYear,
    remitted_hours: Decimal,
    full_time_hours: Decimal,
    specialisms: str,
    departments: Iterable[Department],
    caseload: Caseload | None = None,
) -> Caseload:
    """Assign a tutor their caseload of departments for a year and record their remitted hours.

    A department has one tutor a year: taking a department already in another tutor's caseload is refused
    with that tutor's name, rather than silently moving it.
    """
    institution = academic_year.institution
    _deny_unless(permissions.can_manage_caseloads(actor, institution))
    if tutor.institution_id != institution.pk:
        raise ServiceError("Select a tutor from this institution", field="tutor")
    departments = list(departments)
    if any(d.institution_id != institution.pk for d in departments):
        raise ServiceError("Select departments of this institution", field="departments")
    if caseload is not None and (
        caseload.tutor_id != tutor.pk or caseload.academic_year_id != academic_year.pk
    ):
        raise ServiceError(
            "A caseload keeps its tutor and year: assign a new caseload instead", field="tutor"
        )
    if caseload is None:
        if Caseload.objects.filter(tutor=tutor, academic_year=academic_year).exists():
            raise ServiceError(f"{tutor} already has a caseload for {academic_year}", field="tutor")
        caseload = Caseload(tutor=tutor, academic_year=academic_year)
    caseload.remitted_hours = remitted_hours
    caseload.full_time_hours = full_time_hours
    caseload.specialisms = specialisms
    try:
        caseload.full_clean(exclude=["tutor", "academic_year"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=field) from exc
    taken = (
        CaseloadDepartment.objects.filter(academic_year=academic_year, department__in=departments)
        .exclude(caseload_id=caseload.pk)
        .select_related("department", "caseload__tutor")
        .first()
    )
    if taken is not None:
        raise ServiceError(
            f"{taken.department} is already in {taken.caseload.tutor}'s caseload for {academic_year}",
            field="departments",
        )
    created = caseload.pk is None
    caseload.save()
    wanted = {d.pk for d in departments}
    CaseloadDepartment.objects.filter(caseload=caseload).exclude(department_id__in=wanted).delete()
    have = set(CaseloadDepartment.objects.filter(caseload=caseload).values_list("department_id", flat=True))
    CaseloadDepartment.objects.bulk_create(
        [
            CaseloadDepartment(caseload=caseload, department_id=pk, academic_year=academic_year)
            for pk in sorted(wanted - have)
        ]
    )
    audit.record(
        actor=actor,
        action="people.caseload_created" if created else "people.caseload_changed",
        target=caseload,
        departments=sorted(wanted),
        remitted_hours=str(remitted_hours),
    )
    return caseload


@transaction.atomic
def assign_role(
    *,
    actor,
    staff: StaffMember,
    role: Role,
    department: Department | None = None,
    academic_year: AcademicYear | None = None,
) -> RoleAssignment:
    """Give a member of staff a role in their institution (a head of department also names the department)."""
    _deny_unless(permissions.can_manage_accounts(actor, staff))
    if role == Role.HEAD_OF_DEPARTMENT and department is None:
        raise ServiceError("Select the department this person leads", field="department")
    if role != Role.HEAD_OF_DEPARTMENT:
        department = None
    if department is not None and department.institution_id != staff.institution_id:
        raise ServiceError("Select a department of this institution", field="department")
    if academic_year is not None and academic_year.institution_id != staff.institution_id:
        raise ServiceError("Select an academic year of this institution", field="academic_year")
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                staff=staff,
                role=role,
                institution=staff.institution,
                department=department,
                academic_year=academic_year,
            )
    except IntegrityError as exc:
        raise ServiceError(f"{staff} already holds that role", field="role") from exc
    audit.record(actor=actor, action="people.role_assigned", target=staff, role=str(role))
    return assignment


@transaction.atomic
def remove_role(*, actor, assignment: RoleAssignment) -> None:
    staff = assignment.staff
    _deny_unless(permissions.can_manage_accounts(actor, staff))
    if assignment.role == Role.ADMINISTRATOR and staff.user_id == actor.pk:
        raise ServiceError("You cannot remove your own administrator role; ask another administrator.")
    role = assignment.role
    assignment.delete()
    audit.record(actor=actor, action="people.role_removed", target=staff, role=role)


@transaction.atomic
def set_account_active(*, actor, staff: StaffMember, active: bool) -> StaffMember:
    """Let a member of staff sign in, or stop them (a leaver); their records are kept either way."""
    _deny_unless(permissions.can_manage_accounts(actor, staff))
    if not active and staff.user_id == actor.pk:
        raise ServiceError("You cannot close your own account.")
    user = staff.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    staff.is_active = active
    staff.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="people.account_opened" if active else "people.account_closed", target=staff
    )
    return staff


@transaction.atomic
def set_sign_in_policy(
    *, actor, institution: Institution, mfa_required_roles: Iterable[str], password_sign_in: bool = True
) -> SignInPolicy:
    """Choose the roles of `institution` that must use a second factor at sign-in, and whether staff may
    sign in with a password (off needs a single sign-on provider, or nobody but administrators could)."""
    from protutor.people.mfa import ROLE_LABELS

    _deny_unless(permissions.institutions_administered_by(actor).filter(pk=institution.pk).exists())
    roles = sorted(set(mfa_required_roles))
    unknown = [role for role in roles if role not in ROLE_LABELS]
    if unknown:
        raise ServiceError(f"Unknown role: {', '.join(unknown)}")
    policy, _ = SignInPolicy.objects.select_for_update().get_or_create(institution=institution)
    if not password_sign_in and not institution.sso_providers.exists():
        raise ServiceError("Set up a single sign-on provider before you switch off passwords.")
    policy.mfa_required_roles = roles
    policy.password_sign_in = password_sign_in
    policy.updated_by = StaffMember.objects.filter(user=actor, institution=institution).first()
    policy.save()
    audit.record(
        actor=actor,
        action="people.sign_in_policy_changed",
        target=policy,
        roles=roles,
        password_sign_in=password_sign_in,
    )
    return policy


@transaction.atomic
def reset_second_factor(*, actor, staff: StaffMember) -> int:
    """Remove a person's authenticator app, passkeys and recovery codes (a lost phone). They are signed
    out everywhere, and set up a second factor again at their next sign-in if their role needs one."""
    from allauth.mfa.models import Authenticator

    _deny_unless(permissions.can_manage_accounts(actor, staff))
    if staff.user_id == actor.pk:
        raise ServiceError("You cannot reset your own two-step sign-in: ask another administrator.")
    removed, _ = Authenticator.objects.filter(user_id=staff.user_id).delete()
    _end_sessions(staff.user_id)
    audit.record(actor=actor, action="people.second_factor_reset", target=staff)
    return removed


def _end_sessions(user_id: int) -> None:
    """Sign the account out everywhere (database sessions)."""
    from django.contrib.sessions.models import Session

    wanted = str(user_id)
    stale = [s.pk for s in Session.objects.iterator() if s.get_decoded().get("_auth_user_id") == wanted]
    Session.objects.filter(pk__in=stale).delete()


ERASED_ACTION = "people.erased"
HELD_RECORDS = (
    "Some records about them must be kept for now under the institution's policies. Ask the data "
    "protection officer, who checks with the people who hold them when they may be erased."
)


def erasure_refusals(staff: StaffMember) -> list[str]:
    """Why `staff`'s data may not be erased yet; empty when it may. The policy (docs/data-protection.md):
    only a leaver, and never while a safeguarding record or an open support plan concerns them."""
    from protutor.plans.models import SupportPlan
    from protutor.support.models import SafeguardingConcern

    if AuditEvent.objects.filter(
        action=ERASED_ACTION, target_type=staff._meta.label_lower, target_id=str(staff.pk)
    ).exists():
        return ["This person's data has already been erased."]
    reasons = []
    if staff.is_active:
        reasons.append("They are still on the staff list: close their account (mark them as a leaver) first.")
    # The administrator may not know that a safeguarding concern or a support plan exists (DESIGN.md
    # section 2), so one reason covers both and names neither.
    if (
        SafeguardingConcern.objects.filter(teacher=staff).exists()
        or SupportPlan.objects.filter(teacher=staff, status=SupportPlan.Status.OPEN).exists()
    ):
        reasons.append(HELD_RECORDS)
    return reasons


@transaction.atomic
def erase_leaver(*, actor, staff: StaffMember) -> dict[str, int]:
    """Erase a leaver's personal data where the policy allows, keeping every figure the programme counts.

    Driven by protutor/core/personal_data.py: rows marked `delete` go, the free text of rows marked
    `blank` is emptied, and the staff record and account are anonymised (they stay, so that counts of
    observations, cases, attendance and minutes are unchanged). Returns the rows touched per model."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from protutor.core.personal_data import HOLDINGS

    _deny_unless(permissions.can_manage_accounts(actor, staff))
    staff = StaffMember.objects.select_for_update().select_related("user").get(pk=staff.pk)
    refusals = erasure_refusals(staff)
    if refusals:
        raise ServiceError(" ".join(refusals))
    touched: dict[str, int] = {}
    for entry in HOLDINGS:
        rows = entry.rows_about(staff)
        if entry.erase == "delete":
            touched[entry.label] = entry.model._default_manager.filter(pk__in=rows.values("pk")).delete()[0]
        elif entry.erase == "blank" and entry.blanked_fields():
            touched[entry.label] = entry.model._default_manager.filter(pk__in=rows.values("pk")).update(
                **dict.fromkeys(entry.blanked_fields(), "")
            )
    user = staff.user
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _end_sessions(user.pk)
    marker = f"erased-{staff.pk}"
    user.username, user.first_name, user.last_name, user.email = marker, "", "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    staff.title, staff.forename, staff.surname, staff.job_title = "", "Former", "staff member", ""
    staff.email = f"{marker}@erased.invalid"
    staff.staff_code = marker
    staff.line_manager = None
    staff.save()
    audit.record(actor=actor, action=ERASED_ACTION, target=staff, rows=sum(touched.values()))
    return touched
