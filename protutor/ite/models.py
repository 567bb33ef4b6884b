"""Initial Teacher Education and induction: providers, programmes, interns and their placements, mentors
and their quality assurance, weekly mentor meetings, Assessment Reference Points, causes for concern,
teaching groups and balanced intern timetables, the Professional Development Programme, the induction of
new staff and the statutory induction of early-career teachers.

Visibility (DESIGN.md section 2, the "trainee and early-career records" row; permissions.py): an intern's
record belongs to the intern, their mentor, the institution's ITE tutor (the professional tutor who
coordinates ITE) and the programme lead; an early-career teacher's to the ECT, their mentor, their
induction tutor, the ITE tutor and the programme lead. Nobody else: not heads of department, not other
teachers, not administrators.

Free text about a person (meeting notes, judgements' evidence, reflections, concerns) is encrypted at
rest; dates, statuses and standards stay in plain columns so they can be queried.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from protutor.core.crypto import EncryptedTextField
from protutor.people.models import AcademicYear, Department, Institution, StaffMember, User


class Provider(models.Model):
    """An ITE provider: a university, a SCITT or a School Direct lead school."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University"
        SCITT = "scitt", "SCITT"
        SCHOOL_DIRECT = "school_direct", "School Direct lead school"
        OTHER = "other", "Other accredited provider"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="ite_providers")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contact_name = models.CharField("partnership contact", max_length=200, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact phone", max_length=40, blank=True)
    link_tutor_name = models.CharField(
        "link tutor",
        max_length=200,
        blank=True,
        help_text="The provider's tutor for the school (general tutor).",
    )
    link_tutor_email = models.EmailField("link tutor email", blank=True)
    mentor_requirements = models.TextField(
        "what the partnership agreement asks of mentors",
        blank=True,
        help_text="For example: initial mentor training, a weekly mentor meeting of at least 1.5 hours.",
    )
    mentor_training_hours = models.PositiveSmallIntegerField(
        "mentor training hours required", default=0, help_text="0 if the agreement sets no number."
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("institution", "name", name="provider_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ite:provider-detail", args=[self.pk])


DEFAULT_SCALE = [
    {"code": "not_yet", "label": "Not yet meeting"},
    {"code": "meeting", "label": "Meeting"},
]


class Programme(models.Model):
    """A provider's programme in one academic year: its cohort of interns and its reference points."""

    class Route(models.TextChoices):
        PGCE = "pgce", "PGCE with QTS"
        SCHOOL_DIRECT = "school_direct", "School Direct"
        SCITT = "scitt", "SCITT"
        APPRENTICESHIP = "apprenticeship", "Postgraduate teaching apprenticeship"
        OTHER = "other", "Other route to QTS"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="programmes")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="ite_programmes")
    name = models.CharField(max_length=200)
    route = models.CharField(max_length=20, choices=Route.choices)
    scale = models.JSONField(default=list, help_text="The judgement scale: [{code, label}, ...].")

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint("provider", "academic_year", "name", name="programme_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year.name}"

    @property
    def scale_choices(self) -> list[tuple[str, str]]:
        return [(s["code"], s["label"]) for s in self.scale or DEFAULT_SCALE]


class ReferencePoint(models.Model):
    """An Assessment Reference Point: when the mentor judges progress against the provider's descriptors."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reference_points")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=100)
    due_on = models.DateField("due date")

    class Meta:
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint("programme", "number", name="reference_point_unique")]

    def __str__(self) -> str:
        return self.name


class Descriptor(models.Model):
    """What the provider expects of an intern against one standard at one reference point."""

    reference_point = models.ForeignKey(ReferencePoint, on_delete=models.CASCADE, related_name="descriptors")
    standard = models.ForeignKey("observations.Standard", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["standard__position"]
        constraints = [models.UniqueConstraint("reference_point", "standard", name="descriptor_unique")]

    def __str__(self) -> str:
        return f"{self.reference_point}: {self.standard.label}"


class DepartmentCapacity(models.Model):
    """How many interns a department can host in a year."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="ite_capacities")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    places = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint("department", "academic_year", name="department_capacity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.places}"


class Intern(models.Model):
    """A trainee teacher placed in the school, on one programme."""

    class Status(models.TextChoices):
        ACTIVE = "active", "On placement"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="internships")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="interns")
    subject = models.CharField(max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="interns")
    mentor = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="mentees"
    )
    tutor_group = models.CharField("form (tutor) group", max_length=40, blank=True)
    target_periods = models.PositiveSmallIntegerField(
        "target teaching load (periods a week)", default=12, validators=[MaxValueValidator(60)]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    # Not a field: the weeks without a mentor meeting (services.meeting_gaps), set by the pages that show them.
    gaps: list[dt.date]

    class Meta:
        ordering = ["staff__surname", "staff__forename"]
        constraints = [models.UniqueConstraint("staff", "programme", name="intern_once_per_programme")]

    def __str__(self) -> str:
        return self.staff.full_name

    def get_absolute_url(self) -> str:
        return reverse("ite:intern-detail", args=[self.pk])


class Placement(models.Model):
    """One phase of an intern's placement in the school (autumn joint weeks, spring, a second school...)."""

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="placements")
    name = models.CharField(max_length=100)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MentorTraining(models.Model):
    """A mentor's training: the provider's initial mentor training, updates, the school's own sessions."""

    mentor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="mentor_training")
    provider = models.ForeignKey(Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    completed_on = models.DateField("date")
    hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class MentorReview(models.Model):
    """Quality assurance of one intern's mentoring, scheduled and then held by the ITE tutor."""

    class Finding(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="mentor_reviews")
    mentor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="mentor_reviews")
    reviewer = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    scheduled_on = models.DateField("date planned")
    held_on = models.DateField("date held", null=True, blank=True)
    programme_set_up = models.CharField(
        "mentor programme set up", max_length=10, choices=Finding.choices, blank=True
    )
    meetings_logged = models.CharField(
        "weekly mentor meetings happening and logged", max_length=10, choices=Finding.choices, blank=True
    )
    feedback_referenced = models.CharField(
        "lesson feedback detailed and referenced to the standards",
        max_length=10,
        choices=Finding.choices,
        blank=True,
    )
    findings = EncryptedTextField(blank=True)
    actions = EncryptedTextField("follow-up actions", blank=True)
    follow_up_on = models.DateField("follow up by", null=True, blank=True)
    follow_up_done_on = models.DateField("followed up on", null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_on", "-pk"]

    def __str__(self) -> str:
        return f"Mentor review {self.scheduled_on}"

    @property
    def all_yes(self) -> bool:
        return {self.programme_set_up, self.meetings_logged, self.feedback_referenced} == {"yes"}


class MentorMeeting(models.Model):
    """The weekly meeting of an intern with their mentor: targets reviewed and set, linked to standards."""

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="meetings")
    mentor = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date", db_index=True)
    minutes = models.PositiveSmallIntegerField("length in minutes", default=60)
    targets_reviewed = EncryptedTextField("targets reviewed", blank=True)
    targets_set = EncryptedTextField("targets set")
    notes = EncryptedTextField(blank=True)
    standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    intern_comment = EncryptedTextField("intern's comment", blank=True)
    commented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Mentor meeting {self.held_on}"


class Judgement(models.Model):
    """The mentor's judgement against one standard at one reference point, with its evidence."""

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="judgements")
    reference_point = models.ForeignKey(ReferencePoint, on_delete=models.CASCADE, related_name="judgements")
    standard = models.ForeignKey("observations.Standard", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=40)
    evidence = EncryptedTextField(blank=True)
    observations = models.ManyToManyField("observations.Observation", blank=True, related_name="+")
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["evidence"])
    # Not a field: who made the change, set by the services before save() for simple_history's history row.
    _history_user: User

    class Meta:
        ordering = ["standard__position"]
        constraints = [
            models.UniqueConstraint("intern", "reference_point", "standard", name="judgement_unique")
        ]

    def __str__(self) -> str:
        return f"Judgement {self.pk}"


class ReferencePointReview(models.Model):
    """The intern's reflection at a reference point and the ITE tutor's moderation of the judgements."""

    class Moderation(models.TextChoices):
        AGREED = "agreed", "Judgements agreed"
        CHANGES = "changes", "Judgements to be looked at again"

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="reference_reviews")
    reference_point = models.ForeignKey(ReferencePoint, on_delete=models.CASCADE, related_name="+")
    reflection = EncryptedTextField("intern's reflection", blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    moderation = models.CharField(max_length=20, choices=Moderation.choices, blank=True)
    moderation_note = EncryptedTextField("moderation note", blank=True)
    moderated_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["reflection", "moderation_note"])
    # Not a field: who made the change, set by the services before save() for simple_history's history row.
    _history_user: User

    class Meta:
        constraints = [models.UniqueConstraint("intern", "reference_point", name="reference_review_unique")]

    def __str__(self) -> str:
        return f"Reference point review {self.pk}"


class CauseForConcern(models.Model):
    """A formal cause for concern about an intern's progress, against named standards, with its plan."""

    class Category(models.TextChoices):
        PROGRESS = "progress", "Progress for the stage"
        PROFESSIONALISM = "professionalism", "Professionalism (punctuality, response to feedback)"
        ATTENDANCE = "attendance", "Attendance"
        DEADLINES = "deadlines", "Missed deadlines"
        CONDUCT = "conduct", "Conduct"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        EXTENDED = "extended", "Extended"
        ESCALATED = "escalated", "Escalated to the provider"

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField("date raised", default=timezone.localdate)
    category = models.CharField(max_length=20, choices=Category.choices)
    concern = EncryptedTextField("the concern")
    standards = models.ManyToManyField("observations.Standard", related_name="+")
    targets = EncryptedTextField("targets")
    support = EncryptedTextField("support and who gives it")
    review_on = models.DateField("review date")
    neutral_observer_requested = models.BooleanField(
        "ask the professional tutor to observe as a neutral observer", default=False
    )
    supporters = models.ManyToManyField(
        StaffMember, blank=True, related_name="+", verbose_name="everyone supporting the intern"
    )
    link_tutor_informed_on = models.DateField("provider's link tutor informed on", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    outcome_note = EncryptedTextField("outcome", blank=True)
    history = HistoricalRecords(excluded_fields=["concern", "targets", "support", "outcome_note"])
    # Not a field: who made the change, set by the services before save() for simple_history's history row.
    _history_user: User

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Cause for concern {self.raised_on}"

    def get_absolute_url(self) -> str:
        return reverse("ite:concern-detail", args=[self.pk])


class TeachingGroup(models.Model):
    """A class the school teaches this year, imported from the timetable (CSV)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="teaching_groups")
    code = models.CharField("class code", max_length=40)
    subject = models.CharField(max_length=100)
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(14)])
    ability = models.CharField(max_length=40, blank=True)
    teacher = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    teacher_code = models.CharField(max_length=30, blank=True)
    periods = models.PositiveSmallIntegerField(
        "periods a week", validators=[MinValueValidator(1), MaxValueValidator(40)]
    )

    class Meta:
        ordering = ["subject", "year_group", "code"]
        constraints = [
            models.UniqueConstraint("institution", "academic_year", "code", name="teaching_group_unique")
        ]

    def __str__(self) -> str:
        return self.code


class TimetableRule(models.Model):
    """The ITE tutor's pin (always teaches) or ban (never teaches) of one group for one intern."""

    class Kind(models.TextChoices):
        PIN = "pin", "Always"
        FORBID = "forbid", "Never"

    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="timetable_rules")
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint("intern", "group", name="timetable_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.group}"


class TimetableRun(models.Model):
    """The last proposed intern timetable for an institution's year, and what could not be covered."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    class_limit = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    feasible = models.BooleanField(default=True)
    optimal = models.BooleanField(default=False)
    objective = models.IntegerField(default=0)
    seconds = models.FloatField(default=0)
    problems = models.JSONField(default=list)
    uncovered = models.JSONField(default=dict, help_text="{group id: reason}")
    short = models.JSONField(default=dict, help_text="{intern id: why they teach less than their target}")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Timetable run {self.pk}"


class TimetableAllocation(models.Model):
    """A group an intern teaches, from the last run (or pinned)."""

    run = models.ForeignKey(TimetableRun, on_delete=models.CASCADE, related_name="allocations")
    intern = models.ForeignKey(Intern, on_delete=models.CASCADE, related_name="allocations")
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("run", "intern", "group", name="allocation_unique")]

    def __str__(self) -> str:
        return f"{self.intern} teaches {self.group}"


class PdpTopic(models.Model):
    """A topic of the Professional Development Programme for interns and new teachers."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="pdp_topics")
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint("institution", "title", name="pdp_topic_unique")]

    def __str__(self) -> str:
        return self.title


class PdpSession(models.Model):
    """A session of the programme: a topic, a speaker, a date and a room."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="pdp_sessions")
    topic = models.ForeignKey(PdpTopic, on_delete=models.PROTECT, related_name="sessions")
    speaker = models.CharField(max_length=200)
    starts_at = models.DateTimeField("date and time")
    length_minutes = models.PositiveSmallIntegerField("length in minutes", default=60)
    room = models.CharField(max_length=100, blank=True)
    register_taken = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.starts_at:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("ite:pdp-session", args=[self.pk])


class PdpAttendance(models.Model):
    session = models.ForeignKey(PdpSession, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="pdp_attendance")

    class Meta:
        constraints = [models.UniqueConstraint("session", "staff", name="pdp_attendance_once")]

    def __str__(self) -> str:
        return f"{self.staff} at {self.session}"


class ChecklistTemplate(models.Model):
    """The induction checklist for new staff, configurable per institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    items = models.JSONField(default=list, help_text="The items, in order.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("institution", "name", name="checklist_template_unique")]

    def __str__(self) -> str:
        return self.name


class StaffInduction(models.Model):
    """A new member of staff's induction: the checklist they work through with their induction tutor."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="staff_inductions")
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("start date")
    induction_tutor = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"Induction of {self.staff}"

    def get_absolute_url(self) -> str:
        return reverse("ite:checklist-detail", args=[self.pk])


class ChecklistItem(models.Model):
    induction = models.ForeignKey(StaffInduction, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class EctInduction(models.Model):
    """An early-career teacher's statutory induction (two years full time, pro rata part time)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        PASSED = "passed", "Passed"
        EXTENDED = "extended", "Extended"
        FAILED = "failed", "Failed"
        LEFT = "left", "Left the school (interim assessment)"

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="ect_induction")
    starts_on = models.DateField("induction start date")
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )
    induction_tutor = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="ects_tutored")
    mentor = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="ects_mentored")
    appropriate_body = models.CharField(max_length=200, blank=True)
    legacy_nqt = models.BooleanField(
        "ECT (formerly NQT) on the one-year pattern",
        default=False,
        help_text="Started before 1 September 2021.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["staff__surname"]

    def __str__(self) -> str:
        return f"Induction of {self.staff}"

    def get_absolute_url(self) -> str:
        return reverse("ite:ect-detail", args=[self.pk])


class ReducedTimetable(models.Model):
    """The ECT's teaching load in one year of induction, against a standard timetable at their FTE."""

    induction = models.ForeignKey(EctInduction, on_delete=models.CASCADE, related_name="timetables")
    induction_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    standard_periods = models.DecimalField(
        "standard timetable (periods a week at their FTE)", max_digits=5, decimal_places=1
    )
    taught_periods = models.DecimalField("periods taught a week", max_digits=5, decimal_places=1)
    recorded_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["induction_year"]
        constraints = [
            models.UniqueConstraint("induction", "induction_year", name="reduced_timetable_once_a_year")
        ]

    def __str__(self) -> str:
        return f"Year {self.induction_year} timetable"


class InductionEvent(models.Model):
    """A progress review or formal assessment, its due date computed from the start date and FTE."""

    class Kind(models.TextChoices):
        PROGRESS_REVIEW = "progress_review", "Progress review"
        FORMAL_ASSESSMENT = "formal_assessment", "Formal assessment"
        INTERIM = "interim", "Interim assessment"

    class Outcome(models.TextChoices):
        # Progress reviews, the interim assessment and every formal assessment but the last.
        ON_TRACK = "on_track", "Making satisfactory progress"
        NOT_ON_TRACK = "not_on_track", "Not making satisfactory progress"
        # The last formal assessment: the recommendation to the appropriate body, which decides.
        MET = "met", "Recommended: has met the Teachers' Standards"
        NOT_MET = "not_met", "Recommended: has not met the Teachers' Standards"
        EXTEND = "extend", "Recommended: induction should be extended"

    induction = models.ForeignKey(EctInduction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField("due date")
    estimated = models.BooleanField(default=False)
    held_on = models.DateField("date held", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "kind", "number"]
        constraints = [models.UniqueConstraint("induction", "kind", "number", name="induction_event_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class InductionEvidence(models.Model):
    """Evidence of an ECT's practice against a Teachers' Standard."""

    induction = models.ForeignKey(EctInduction, on_delete=models.CASCADE, related_name="evidence")
    standard = models.ForeignKey("observations.Standard", on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField("date", default=timezone.localdate)
    text = EncryptedTextField("evidence")
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"Evidence {self.pk}"
