"""Realistic one-to-one support for the demo college: cases in every tutor's caseload, mostly
self-referred, with shared and private notes; a suggestion waiting for a teacher; one concern.

Created once: if the demo college already has support records, nothing is added (re-running the demo
changes nothing).
"""

from __future__ import annotations

import datetime as dt
import random
from datetime import time

from django.db import transaction
from django.utils import timezone

from protutor.people.models import AcademicYear, Caseload, Institution, StaffMember
from protutor.resources.models import Resource
from protutor.support.models import (
    CaseTutor,
    Interaction,
    PrivateNote,
    Referral,
    Route,
    SafeguardingConcern,
    SupportCase,
)

FOCUS = [
    "questioning",
    "behaviour management",
    "growth mindset",
    "assessment for learning",
    "body language and voice",
    "confidence",
    "new to teaching",
    "gendered attainment gaps",
    "feedback that students act on",
    "stretch and challenge",
]
ASKS = {
    "questioning": "I'd like to get more students answering, not just the same three.",
    "behaviour management": "One Year 12 group is hard work after lunch. Could we talk about routines?",
    "growth mindset": "Students give up quickly on harder tasks; I want ideas to keep them going.",
    "assessment for learning": "I want better ways to check understanding mid-lesson.",
    "body language and voice": "I'm told I speak too fast. Could you watch a lesson and give me feedback?",
    "confidence": "I've lost some confidence this term and would like a neutral person to talk to.",
    "new to teaching": "I came from industry this year and would like help planning sessions.",
    "gendered attainment gaps": "Our boys are behind the girls on coursework. Where do I start?",
    "feedback that students act on": "Marking takes ages and students don't read it.",
    "stretch and challenge": "My most able apprentices are coasting.",
}
SHARED = [
    "We talked through the lesson plan and picked one change to try: {focus}.",
    "Observed the first 30 minutes. Strong relationships; the next step is {focus}.",
    "Coaching conversation: you chose your own goal around {focus}; we agreed to review in two weeks.",
    "Sent you the guide we discussed and two short videos on {focus}.",
]
NEXT = [
    "Try cold calling with thinking time in two lessons this week.",
    "Plan one hinge question per lesson and note the responses.",
    "Film five minutes of a lesson for us to watch together.",
    "Visit a colleague's lesson in Health and Social Care to see their routines.",
]
PRIVATE = [
    "Seemed tired; mentioned workload twice. Check in next week.",
    "Worried about the observation window; keep this developmental.",
    "Good rapport. Ready to move on to peer observation.",
]
RESOURCES = [
    ("Questioning that makes everyone think", "questioning, assessment for learning"),
    ("Ten-minute takeaway: routines for the start of lessons", "behaviour management"),
    ("Growth mindset without the posters", "growth mindset"),
    ("Hinge questions: a short guide", "assessment for learning, questioning"),
    ("Whole-class feedback in FE", "feedback"),
    ("Closing gendered attainment gaps in coursework", "gendered attainment gaps"),
    ("Voice and presence for teachers", "body language and voice"),
    ("Stretch and challenge for apprentices", "stretch and challenge"),
]


@transaction.atomic
def load_support_demo(institution: Institution, progress=lambda message: None) -> int:
    if SupportCase.objects.filter(institution=institution).exists():
        return 0
    rng = random.Random(4)
    year = AcademicYear.objects.current().filter(institution=institution).first()
    if year is None:
        return 0
    autumn = year.terms.get(number=1)
    today = timezone.localdate()
    last_day = min(today, autumn.ends_on)
    span_days = max((last_day - autumn.starts_on).days, 1)
    resources = []
    created = 0
    for title, tags in RESOURCES:
        resources.append(
            Resource.objects.create(
                institution=institution,
                title=title,
                tags=tags,
                url="https://example.org/protutor-demo/" + title.lower().replace(" ", "-").replace(":", ""),
                description=f"A practical guide for busy teachers: {tags}.",
            )
        )
        created += 1
    for caseload in (
        Caseload.objects.filter(academic_year=year).select_related("tutor").order_by("tutor__staff_code")
    ):
        tutor = caseload.tutor
        staff = list(
            StaffMember.objects.filter(department__in=caseload.departments.all(), is_active=True)
            .exclude(pk=tutor.pk)
            .order_by("staff_code")
        )
        for index in range(9):
            teacher = staff[(index * 7) % len(staff)]
            focus = FOCUS[rng.randrange(len(FOCUS))]
            route = rng.choices([Route.SELF, Route.LINE_MANAGER, Route.TUTOR], weights=[6, 2, 2])[0]
            opened_day = autumn.starts_on + dt.timedelta(days=rng.randrange(span_days))
            opened_at = timezone.make_aware(dt.datetime.combine(opened_day, time(10, 0)))
            referral = None
            if route != Route.TUTOR:
                referral = Referral.objects.create(
                    teacher=teacher,
                    route=route,
                    referred_by=teacher if route == Route.SELF else (teacher.line_manager or teacher),
                    department=teacher.department,
                    reason=ASKS[focus],
                    availability="Tuesday period 3 or Thursday after 4pm",
                    status=Referral.Status.ACCEPTED,
                    created_at=opened_at - dt.timedelta(days=2),
                )
            closed = index % 4 == 3
            case = SupportCase.objects.create(
                teacher=teacher,
                referral=referral,
                department=teacher.department,
                institution=institution,
                route=route,
                formality=rng.choice(["formal", "semi_formal", "informal", "informal"]),
                span="one_touch" if index % 5 == 4 else "ongoing",
                focus_tags=focus,
                opened_at=opened_at,
                status="closed" if closed else "open",
                outcome="goals_met" if closed else "",
                closing_summary="You said you now feel confident with this; well done." if closed else "",
                closed_at=opened_at + dt.timedelta(days=20) if closed else None,
            )
            if referral and closed:
                referral.status = Referral.Status.CLOSED
                referral.save(update_fields=["status"])
            CaseTutor.objects.create(case=case, tutor=tutor, started_at=opened_at)
            for step in range(1 + index % 3):
                day = min(opened_day + dt.timedelta(days=7 * step), today)
                interaction = Interaction.objects.create(
                    case=case,
                    tutor=tutor,
                    kind=["conversation", "observation", "feedback", "coaching"][(index + step) % 4],
                    occurred_on=day,
                    minutes=[20, 30, 45, 60][(index + step) % 4],
                    shared_notes=SHARED[(index + step) % len(SHARED)].format(focus=focus),
                    next_steps=NEXT[(index + step) % len(NEXT)],
                )
                if step == 0 and index % 2 == 0:
                    PrivateNote.objects.create(
                        interaction=interaction, author=tutor, text=PRIVATE[index % len(PRIVATE)]
                    )
                matching = [r for r in resources if focus.split()[0] in r.tags]
                if matching:
                    interaction.resources.add(matching[0])
            created += 1
    _named_examples(institution, autumn, today)
    progress(
        f"{SupportCase.objects.filter(institution=institution).count()} support cases and {len(resources)} resources"
    )
    return created


def _named_examples(institution, autumn, today):
    """The cases a demo visitor meets when signing in as tess.teacher, omar.tutor, liam.manager or dee."""
    tess = StaffMember.objects.get(institution=institution, user__username="tess.teacher")
    omar = StaffMember.objects.get(institution=institution, user__username="omar.tutor")
    liam = StaffMember.objects.get(institution=institution, user__username="liam.manager")
    ruth = StaffMember.objects.get(institution=institution, user__username="ruth.tutor")
    opened = timezone.make_aware(
        dt.datetime.combine(max(autumn.starts_on, today - dt.timedelta(days=14)), time(9, 0))
    )
    referral = Referral.objects.create(
        teacher=tess,
        route=Route.SELF,
        referred_by=tess,
        department=tess.department,
        reason="I'd like help with questioning in my Year 12 physics group: the same few students answer.",
        availability="Tuesday period 3",
        status=Referral.Status.ACCEPTED,
        created_at=opened,
    )
    case = SupportCase.objects.create(
        teacher=tess,
        referral=referral,
        department=tess.department,
        institution=institution,
        route=Route.SELF,
        formality="informal",
        span="ongoing",
        focus_tags="questioning, assessment for learning",
        opened_at=opened,
    )
    CaseTutor.objects.create(case=case, tutor=omar, started_at=opened)
    interaction = Interaction.objects.create(
        case=case,
        tutor=omar,
        kind="coaching",
        occurred_on=opened.date(),
        minutes=45,
        shared_notes="You set the goal: more students answering. We planned no-hands-up questioning with 5 seconds' thinking time.",
        next_steps="Try it with Year 12 on Thursday; note who answers.",
    )
    PrivateNote.objects.create(
        interaction=interaction, author=omar, text="Tess is anxious about next month's formal observation."
    )
    colleague = (
        StaffMember.objects.filter(line_manager=liam).exclude(pk=tess.pk).order_by("staff_code").first()
    )
    if colleague is not None:
        Referral.objects.create(
            teacher=colleague,
            route=Route.LINE_MANAGER,
            referred_by=liam,
            department=colleague.department,
            reason="Feedback from the learning walk suggests support with lesson starts would help.",
            status=Referral.Status.AWAITING_TEACHER,
            created_at=opened,
        )
    concern_case = (
        SupportCase.objects.filter(institution=institution, holdings__tutor=ruth).order_by("pk").first()
    )
    if concern_case is not None:
        SafeguardingConcern.objects.create(
            case=concern_case,
            institution=institution,
            teacher=concern_case.teacher,
            raised_by=ruth,
            text="During our conversation they described a student's disclosure that they had not passed on.",
            raised_at=opened,
        )
