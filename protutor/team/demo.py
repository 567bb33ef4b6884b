"""The tutor team's own records for the demo college: last week's meeting with actions, this week's
meeting with the actions carried forward, the partner network, and targets for each tutor. Created once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from protutor.people.models import AcademicYear, Caseload, Institution, StaffMember
from protutor.team.models import (
    AgendaItem,
    MeetingAction,
    OwnDevelopment,
    Partner,
    PartnerMeeting,
    PartnerVisit,
    TeamMeeting,
    TutorTarget,
)

PARTNERS = [
    ("Ribble Valley Sixth Form College", "Sam Hargreaves, Lead Practitioner, s.hargreaves@ribble.example"),
    ("Moorside Training Partnership", "Jo Whittle, Teaching and Learning Coach, jo.whittle@moorside.example"),
    ("St Anne's High School", "Dr Ian Kay, Assistant Head (T&L), i.kay@stannes.example"),
]


@transaction.atomic
def load_team_demo(institution: Institution, progress=lambda message: None) -> int:
    if TeamMeeting.objects.filter(institution=institution).exists():
        return 0
    year = AcademicYear.objects.current().filter(institution=institution).first()
    if year is None:
        return 0
    today = timezone.localdate()
    lead = StaffMember.objects.get(institution=institution, user__username="priya.lead")
    caseloads = list(
        Caseload.objects.filter(academic_year=year).select_related("tutor").order_by("tutor__staff_code")
    )
    last_week = TeamMeeting.objects.create(
        institution=institution,
        held_on=today - dt.timedelta(days=7),
        minutes="Shared learning from the alliance meeting on retrieval practice. Agreed a common approach to 10-minute takeaways.",
        practice_seen="A Level 3 group used mini-whiteboards for every question, so every student answered.",
    )
    this_week = TeamMeeting.objects.create(institution=institution, held_on=today)
    for meeting, titles in (
        (last_week, ["Alliance meeting feedback", "Coverage: who is behind?"]),
        (this_week, ["Self-referrals this term", "Planning spring sessions"]),
    ):
        for title in titles:
            AgendaItem.objects.create(meeting=meeting, title=title, added_by=lead)
    MeetingAction.objects.create(
        meeting=last_week,
        description="Share the retrieval practice guide in the library",
        owner=caseloads[0].tutor,
        due_on=today - dt.timedelta(days=2),
        done_on=today - dt.timedelta(days=3),
    )
    MeetingAction.objects.create(
        meeting=last_week,
        description="Arrange a second session for Construction",
        owner=caseloads[3].tutor,
        due_on=today + dt.timedelta(days=5),
    )
    partners = [
        Partner.objects.create(institution=institution, name=name, contacts=contacts)
        for name, contacts in PARTNERS
    ]
    network = PartnerMeeting.objects.create(
        institution=institution,
        held_on=today - dt.timedelta(days=21),
        agenda="Retrieval practice; coaching culture; sharing CPD materials",
        notes="Each partner to bring one 10-minute takeaway to the next meeting.",
    )
    network.partners.set(partners)
    PartnerVisit.objects.create(
        partner=partners[1],
        direction=PartnerVisit.Direction.OUT,
        visited_on=today - dt.timedelta(days=10),
        purpose="See their apprenticeship coaching model",
    )
    for caseload in caseloads:
        departments = caseload.departments.count()
        TutorTarget.objects.create(
            caseload=caseload,
            description="At least two bespoke sessions per department per term",
            measure=TutorTarget.Measure.SESSIONS,
            target_value=departments * 6,
        )
        TutorTarget.objects.create(
            caseload=caseload,
            description="Take on self-referrals promptly",
            measure=TutorTarget.Measure.SELF_REFERRALS,
            target_value=12,
        )
        OwnDevelopment.objects.create(
            tutor=caseload.tutor,
            kind=OwnDevelopment.Kind.READING,
            title="Rosenshine's principles of instruction",
            done_on=today - dt.timedelta(days=30),
        )
    progress(f"2 tutor meetings, {len(partners)} partners, targets for {len(caseloads)} tutors")
    return 2
