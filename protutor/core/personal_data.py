"""What the app holds about a person, defined once: the subject-access download and the erasure of a
leaver both read this registry (docs/data-protection.md).

Each `Holding` names a model, the lookups that make one of its rows *about* a member of staff, the
columns the person is shown, and what erasure does to those rows:

- ``keep``: structural facts the programme's figures count (dates, attendance, outcome codes, minutes);
- ``blank``: the free text is emptied (by default every encrypted field), the row and its facts stay;
- ``delete``: the row goes (a private journal, a tutor's private note about them, a calendar token).

Every model with a link to a member of staff or an account is either a holding or listed in
`NOT_ABOUT_THE_PERSON` with the reason; tests/people/test_personal_data.py walks every model to hold the
registry to that. The download fetches each holding through the model's visibility scope
(protutor/core/permissions.py) as the person themself, so it holds exactly what the app would show them.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Literal

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from protutor.core import permissions as registry
from protutor.core.crypto import EncryptedTextField
from protutor.core.exports import spreadsheet_safe

Erase = Literal["keep", "blank", "delete", "profile"]


@dataclass(frozen=True)
class Holding:
    label: str  # "app_label.ModelName"
    section: str  # the file in the download, e.g. "support/cases"
    title: str  # what it is, for the README
    about: tuple[str, ...]  # lookups from the model to the StaffMember the row is about
    columns: tuple[str, ...]  # fields shown, in order
    erase: Erase = "keep"
    erase_fields: tuple[str, ...] | None = None  # for "blank": default, every encrypted field
    export: bool = True  # False: held about them, but never shown to them in the app
    log_access: bool = False  # write an access-log entry (reason: export) for each row downloaded

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def about_q(self, staff) -> Q:
        return reduce(or_, (Q(**{lookup: staff.pk if lookup == "pk" else staff}) for lookup in self.about))

    def rows_about(self, staff) -> QuerySet:
        """Every row about `staff`, whoever may read it: for erasure only."""
        return self.model._default_manager.filter(self.about_q(staff)).distinct()

    def blanked_fields(self) -> tuple[str, ...]:
        if self.erase_fields is not None:
            return self.erase_fields
        return tuple(f.name for f in self.model._meta.concrete_fields if isinstance(f, EncryptedTextField))


def _h(label, section, title, about, columns, **kwargs) -> Holding:
    return Holding(label, section, title, tuple(about.split()), tuple(columns.split()), **kwargs)


HOLDINGS: tuple[Holding, ...] = (
    # --- you and your account
    _h(
        "people.StaffMember", "profile/staff-record", "Your entry in the staff list", "pk",
        "staff_code title forename surname email institution department job_title line_manager fte "
        "teaching_hours is_active",
        erase="profile",
    ),
    _h(
        "people.User", "profile/account", "Your sign-in account (never the password)", "staff",
        "username first_name last_name email last_login date_joined is_active",
        erase="profile",
    ),
    _h("people.RoleAssignment", "profile/roles", "Your roles", "staff",
       "role institution department academic_year created_at"),
    _h("audit.AccessRecord", "profile/access-log", "Who opened your confidential records, and when",
       "subject", "at reader_name record_type record_id reason"),
    _h("core.Notification", "profile/updates", "Updates you were emailed about, as shown after you signed in",
       "user__staff", "created_at message opened_at", erase="delete"),
    _h("cpd.CalendarToken", "profile/calendar-feed", "Your calendar feed address (date made, not the key)",
       "user__staff", "created_at", erase="delete"),
    # --- one-to-one support
    _h("support.Referral", "support/referrals", "Requests for support about you", "teacher",
       "created_at route status reason availability responded_at", erase="blank"),
    _h("support.SupportCase", "support/cases", "Your one-to-one support", "teacher",
       "opened_at closed_at route formality span focus_tags status outcome closing_summary tutors",
       erase="blank", log_access=True),
    _h("support.Interaction", "support/interactions", "Meetings, observations and coaching in your support",
       "case__teacher", "case occurred_on kind minutes tutor shared_notes next_steps", erase="blank"),
    _h("support.PrivateNote", "support/private-notes", "Tutors' private notes", "interaction__case__teacher",
       "created_at text", erase="delete", export=False),
    _h("support.SafeguardingConcern", "support/safeguarding", "Safeguarding concerns", "teacher",
       "raised_at text", export=False),
    # --- observations
    _h("observations.Observation", "observations/observations", "Observations of your teaching", "observee",
       "observed_on kind observer department group_name length_minutes outcome feedback_on status "
       "focus_standards agreed_actions observee_response", erase="blank"),
    _h("observations.ObservationPoint", "observations/points",
       "Strengths and areas for development from your observations", "observation__observee",
       "observation kind text standards", erase="blank"),
    # --- communities of practice
    _h("cpd.DevelopmentRequest", "cpd/requests", "Development you asked your department for", "requested_by",
       "created_at department topic anonymous standards"),
    _h("cpd.Attendance", "cpd/attendance", "CPD sessions you attended", "staff", "session recorded_at"),
    _h("cpd.EvaluationReceipt", "cpd/evaluations",
       "Sessions you evaluated (the answers are anonymous and not linked to you)", "staff", "session"),
    # --- support plans
    _h("plans.SupportPlan", "plans/plans", "Support plans", "teacher",
       "starts_on status line_manager assigned_tutor concerns concern_standards support_offered "
       "acknowledged_at teacher_confident_on line_manager_satisfied_on improvement_evidenced_on "
       "improvement_evidence closed_on", erase="blank", log_access=True),
    _h("plans.PlanGoal", "plans/goals", "Goals in your support plans", "plan__teacher",
       "plan position goal success_criteria", erase="blank"),
    _h("plans.PlanReview", "plans/reviews", "Reviews of your support plans", "plan__teacher",
       "plan due_on held_on outcome notes teacher_comment", erase="blank"),
    _h("plans.PlanSupportEntry", "plans/support-given", "Support given under your plans", "plan__teacher",
       "plan given_on minutes tutor summary", erase="blank"),
    # --- coaching
    _h("coaching.AgreementAcceptance", "coaching/agreements", "Coaching agreements you accepted", "staff",
       "agreement accepted_at"),
    _h("coaching.Coach", "coaching/coach", "You as a coach", "staff",
       "cohort strengths free_periods capacity ready_for_ect training_day_on first_follow_up_on "
       "second_follow_up_on active", erase="blank", erase_fields=("strengths",)),
    _h("coaching.CoacheeSignup", "coaching/coachee", "You as a coachee", "staff",
       "focus free_periods outside_department is_ect active created_at", erase="blank", erase_fields=("focus",)),
    _h("coaching.Pairing", "coaching/pairings", "Your coaching pairings", "coach__staff coachee__staff",
       "coach coachee status created_at"),
    _h("coaching.CoachingSession", "coaching/sessions", "Your coaching sessions",
       "pairing__coach__staff pairing__coachee__staff", "pairing starts_at length_minutes"),
    _h("coaching.CoverRequest", "coaching/cover", "Cover requested for you", "staff",
       "starts_at ends_at reason coaching_session"),
    _h("coaching.JournalEntry", "coaching/journal", "Your private coaching journal", "author",
       "written_on text", erase="delete"),
    _h("coaching.SurveyReceipt", "coaching/surveys",
       "Terms you answered the coaching survey (the answers are anonymous)", "staff", "term"),
    # --- teacher education and induction
    _h("ite.Intern", "ite/placements", "You as an intern", "staff",
       "programme subject department mentor tutor_group target_periods status created_at"),
    _h("ite.Placement", "ite/placement-phases", "Your placement phases", "intern__staff",
       "intern name starts_on ends_on"),
    _h("ite.MentorMeeting", "ite/mentor-meetings", "Your weekly mentor meetings", "intern__staff",
       "intern held_on mentor minutes targets_reviewed targets_set notes intern_comment standards",
       erase="blank"),
    _h("ite.Judgement", "ite/judgements", "Judgements against the standards", "intern__staff",
       "intern reference_point standard grade evidence recorded_by recorded_at", erase="blank"),
    _h("ite.ReferencePointReview", "ite/reference-points", "Your assessment reference points", "intern__staff",
       "intern reference_point reflection reflected_at moderation moderation_note moderated_at",
       erase="blank"),
    _h("ite.CauseForConcern", "ite/causes-for-concern", "Causes for concern", "intern__staff",
       "intern raised_on category concern targets support review_on status outcome_on outcome_note",
       erase="blank"),
    _h("ite.TimetableRule", "ite/timetable-rules", "Classes set aside for your timetable", "intern__staff",
       "intern group kind"),
    _h("ite.TimetableAllocation", "ite/timetable", "Your intern timetable", "intern__staff", "run intern group"),
    _h("ite.MentorTraining", "ite/mentor-training", "Your mentor training", "mentor",
       "provider title completed_on hours"),
    _h("ite.MentorReview", "ite/mentor-reviews", "Quality reviews of your mentoring", "mentor",
       "intern scheduled_on held_on programme_set_up meetings_logged feedback_referenced findings actions "
       "follow_up_on follow_up_done_on", erase="blank"),
    _h("ite.PdpAttendance", "ite/pdp", "Professional Development Programme sessions you attended", "staff",
       "session"),
    _h("ite.StaffInduction", "ite/staff-induction", "Your induction as new staff", "staff",
       "template starts_on induction_tutor"),
    _h("ite.ChecklistItem", "ite/staff-induction-checklist", "Your induction checklist", "induction__staff",
       "induction position title done_on"),
    _h("ite.EctInduction", "ite/ect-induction", "Your early-career induction", "staff",
       "starts_on fte induction_tutor mentor appropriate_body legacy_nqt status"),
    _h("ite.InductionEvent", "ite/ect-events", "Progress reviews and assessments in your induction",
       "induction__staff", "kind number due_on held_on outcome notes", erase="blank"),
    _h("ite.InductionEvidence", "ite/ect-evidence", "Evidence recorded in your induction", "induction__staff",
       "standard recorded_on text", erase="blank"),
    _h("ite.ReducedTimetable", "ite/ect-timetable", "Your induction timetable reduction", "induction__staff",
       "induction_year standard_periods taught_periods recorded_on"),
    # --- the tutor team
    _h("people.Caseload", "team/caseloads", "Your caseloads as a professional tutor", "tutor",
       "academic_year remitted_hours full_time_hours specialisms departments"),
    _h("team.TutorTarget", "team/targets", "Your targets as a tutor", "caseload__tutor",
       "caseload description measure target_value"),
    _h("team.TargetReview", "team/target-reviews", "Reviews of your targets", "caseload__tutor",
       "caseload kind held_on figures notes"),
    _h("team.OwnDevelopment", "team/own-development", "Your own development as a tutor", "tutor",
       "kind title done_on notes"),
    _h("team.MeetingAction", "team/actions", "Actions from the tutor team meeting given to you", "owner",
       "meeting description due_on done_on"),
)  # fmt: skip

# Models that link to a member of staff or an account without being about that person.
NOT_ABOUT_THE_PERSON: dict[str, str] = {
    "audit.AuditEvent": "who did what, for the administrators' audit trail; never any confidential text",
    "people.StaffImport": "an administrator's upload of the staff list",
    "people.SignInPolicy": "an institution's sign-in settings and who last changed them",
    "support.CaseTutor": "which tutor holds a case: the case is about its teacher",
    "cpd.Session": "the tutor who planned a session for a department",
    "team.AgendaItem": "an item someone added to the tutor team's agenda",
    "ite.TeachingGroup": "a class on the timetable and its teacher",
    "insights.OutcomeImport": "an upload of outcome figures",
    "insights.SurveyImport": "an upload of survey figures",
    "insights.ImpactReport": "a termly report about the programme, not about a person",
    "resources.Resource": "a shared resource and who added it",
    "resources.ResourceVersion": "a version of a shared resource and who changed it",
    "resources.Collection": "a collection of resources and who made it",
    "resources.CollectionLink": "a link shared with a partner school",
}
# Change history kept by django-simple-history: dates and statuses, never the text (excluded fields).
HISTORY = "the change history of a record: dates and statuses only, never its text"


def not_about_reason(model: type[models.Model]) -> str | None:
    if model.__name__.startswith("Historical"):
        return HISTORY
    return NOT_ABOUT_THE_PERSON.get(model._meta.label)


# --- the download ------------------------------------------------------------------------------------


def _cell(obj: models.Model, name: str) -> str:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(str(item) for item in getattr(obj, name).all())
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# Related models whose str() reads another row.
_NAMED_BY = {"observations.Standard": ("framework",)}


def _related(model: type[models.Model], name: str) -> str:
    related_model = model._meta.get_field(name).related_model
    assert related_model is not None  # only called with the names of relations
    return related_model._meta.label


def _header(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def sections_for(user, staff) -> list[tuple[Holding, list[str], list[list[str]]]]:
    """(holding, column headings, rows) for each section of `staff`'s download, read as `user` sees it."""
    from protutor.audit import services as audit

    result = []
    for entry in HOLDINGS:
        if not entry.export:
            continue
        model = entry.model
        relations = [n for n in entry.columns if model._meta.get_field(n).many_to_one]
        many = [n for n in entry.columns if model._meta.get_field(n).many_to_many]
        # What the related rows' names are made of, so naming them costs no query each.
        relations += [f"{n}__{extra}" for n in relations for extra in _NAMED_BY.get(_related(model, n), ())]
        many += [f"{n}__{extra}" for n in list(many) for extra in _NAMED_BY.get(_related(model, n), ())]
        queryset = (
            registry.readable_by(model, user)
            .filter(entry.about_q(staff))
            .distinct()
            .select_related(*relations)
            .prefetch_related(*many)
            .order_by("pk")
        )
        objects = list(queryset)
        if entry.log_access:
            audit.log_accesses(reader=user, subject=staff, records=objects, reason="export")
        rows = [[_cell(obj, name) for name in entry.columns] for obj in objects]
        result.append((entry, [_header(model, n) for n in entry.columns], rows))
    return result


README = """Everything protutor holds about you
===================================

{name}, downloaded {when}.

This download holds what the app shows you about yourself, across every part of it, in two forms:
everything.json (all sections in one file) and one CSV file per section (open them with a spreadsheet).

{index}

What is not in this download
----------------------------
- Tutors' private notes from your one-to-one support, and any safeguarding record. You may still have a
  right to see them: ask your data protection officer, who can make a full subject access request.
- Your answers to CPD evaluations and coaching surveys: they are anonymous and cannot be linked to you.
- Records you wrote about colleagues (observations you made, notes as a tutor or mentor). They are about
  those colleagues; they name you as their author.
- The audit trail of who changed what, kept by your administrators.

Your school or college must answer a subject access request within one calendar month.
"""


def download(user, staff) -> bytes:
    """The ZIP: README.txt, everything.json and one CSV per section."""
    sections = sections_for(user, staff)
    now = timezone.localtime()
    index = "\n".join(
        f"- {entry.section}.csv: {entry.title} ({len(rows)} row{'s' if len(rows) != 1 else ''})"
        for entry, _, rows in sections
    )
    everything = {
        "generated_at": now.isoformat(timespec="seconds"),
        "person": {"name": staff.full_name, "staff_code": staff.staff_code, "email": staff.email},
        "sections": {
            entry.section: {
                "title": entry.title,
                "rows": [dict(zip(headings, row, strict=True)) for row in rows],
            }
            for entry, headings, rows in sections
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(name=staff.full_name, when=now.strftime("%-d %B %Y %H:%M"), index=index),
        )
        archive.writestr("everything.json", json.dumps(everything, indent=2, ensure_ascii=False))
        for entry, headings, rows in sections:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(headings)
            writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
            archive.writestr(f"{entry.section}.csv", "\ufeff" + text.getvalue())  # BOM: Excel reads UTF-8
    return buffer.getvalue()
