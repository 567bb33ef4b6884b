"""Mentoring's part of the ITE access matrix: who gets each page of mentor meetings, mentors and their
quality assurance.

`build(world)` writes, through the services and as the people who would do it:
- world.meeting: a mentor meeting with world.intern_record logged by world.mentor, with a comment by the
  intern;
- world.recorded_review: a review of world.mentor's mentoring held today (partly in place, with follow-up
  actions), and world.scheduled_review: the next one, planned;
- world.training: a mentor training entry for world.mentor.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from protutor.ite import services_mentoring as mentoring

MEETING_READERS = {"intern", "mentor", "ite_tutor", "programme_lead"}
MENTOR_RECORD_READERS = {"mentor", "ite_tutor", "programme_lead"}

ROUTES = {
    "ite:meeting-create": (lambda w: [w.intern_record.pk], {"mentor", "ite_tutor"}),
    "ite:meeting-detail": (lambda w: [w.meeting.pk], MEETING_READERS),
    "ite:meeting-comment": (lambda w: [w.meeting.pk], None),
    "ite:meeting-edit": (lambda w: [w.meeting.pk], {"mentor", "ite_tutor"}),
    "ite:mentor-list": (lambda w: [], {"ite_tutor", "programme_lead"}),
    "ite:mentor-detail": (lambda w: [w.mentor.pk], MENTOR_RECORD_READERS),
    "ite:training-add": (lambda w: [w.mentor.pk], None),
    "ite:review-create": (lambda w: [w.intern_record.pk], {"ite_tutor"}),
    "ite:review-record": (lambda w: [w.recorded_review.pk], {"ite_tutor"}),
}

# POST-only routes: who gets past the 404 (an empty POST then answers 200 with the form's errors).
POST_ALLOWED = {
    "ite:meeting-comment": {"intern"},
    "ite:training-add": {"ite_tutor"},
}

# Text fields `build` fills with world.sentinel, and who may read each:
# - meeting.targets_set and meeting.intern_comment (intern, mentor, ite_tutor, programme_lead);
# - recorded_review.findings and recorded_review.actions, training.title (mentor, ite_tutor,
#   programme_lead).
SENTINEL_FIELDS = {
    "meeting": (("targets_set", "intern_comment"), MEETING_READERS),
    "recorded_review": (("findings", "actions"), MENTOR_RECORD_READERS),
    "training": (("title",), MENTOR_RECORD_READERS),
}

# Who finds world.sentinel in each GET page of this area:
# - meeting-detail shows the meeting's targets set and the intern's comment;
# - meeting-create shows the targets set at the last meeting, for the next ones to be reviewed;
# - mentor-detail shows the reviews' findings and actions and the training titles;
# - review-record shows the review's findings and actions in its form;
# - mentor-list and review-create show no free text: nobody finds it there.
# Outside this area, the mentoring section of the intern's page (ite:intern-detail) shows the targets set,
# in short, to the meeting's readers.
SENTINEL_VISIBLE = {
    "ite:meeting-detail": MEETING_READERS,
    "ite:meeting-create": {"mentor", "ite_tutor"},
    "ite:mentor-detail": MENTOR_RECORD_READERS,
    "ite:review-record": {"ite_tutor"},
    "ite:mentor-list": set(),
    "ite:review-create": set(),
}


def build(world) -> None:
    today = timezone.localdate()
    year = world.intern_record.programme.academic_year
    institution_id = world.intern_record.programme.provider.institution_id
    standard = mentoring.meeting_standards(institution_id).first()
    world.meeting = mentoring.log_meeting(
        actor=world.mentor.user,
        intern=world.intern_record,
        held_on=today,
        minutes=60,
        targets_reviewed="Routines for entry",
        targets_set=f"Cold calling {world.sentinel}",
        standards=[standard],
    )
    world.meeting = mentoring.comment_on_meeting(
        actor=world.intern.user, meeting=world.meeting, comment=f"Agreed {world.sentinel}"
    )
    review = mentoring.schedule_review(
        actor=world.ite_tutor.user, intern=world.intern_record, scheduled_on=today
    )
    world.recorded_review = mentoring.record_review(
        actor=world.ite_tutor.user,
        review=review,
        held_on=today,
        programme_set_up="yes",
        meetings_logged="partly",
        feedback_referenced="yes",
        findings=f"Findings {world.sentinel}",
        actions=f"Actions {world.sentinel}",
        follow_up_on=min(today + dt.timedelta(days=14), year.ends_on),
    )
    world.scheduled_review = mentoring.schedule_review(
        actor=world.ite_tutor.user,
        intern=world.intern_record,
        scheduled_on=min(today + dt.timedelta(days=28), year.ends_on),
    )
    world.training = mentoring.add_training(
        actor=world.ite_tutor.user,
        mentor=world.mentor,
        title=f"Initial mentor training {world.sentinel}",
        completed_on=today,
        hours=Decimal("6"),
        provider=world.intern_record.programme.provider,
    )
