"""Access matrix entries for assessment: Assessment Reference Points, the progress grid and causes for
concern. `build(world)` writes the records through the services; ROUTES says who gets 200 on GET."""

import datetime as dt

from django.utils import timezone

from protutor.ite import services_assessment as assessment
from tests.factories.ite import ReferencePointFactory

# An intern's record: the intern, their mentor, the ITE tutor and the programme lead (DESIGN.md section 2).
READERS = {"intern", "mentor", "ite_tutor", "programme_lead"}


def build(world) -> None:
    """Judgements for `world.intern_record` at a reference point (the mentor), the intern's reflection,
    and a cause for concern raised by the mentor. Sets `world.assessment_point` and
    `world.assessment_concern`."""
    intern = world.intern_record
    point = getattr(world, "reference_point", None)
    if point is None or point.programme_id != intern.programme_id:
        # Another area's build may have added points to the programme: take the next free number.
        last = intern.programme.reference_points.order_by("-number").first()
        point = ReferencePointFactory(
            programme=intern.programme,
            number=(last.number + 1) if last else 1,
            name="Assessment matrix point",
        )
    standards = list(assessment.standards_to_judge(intern.programme.provider.institution_id))
    lowest = assessment.lowest_grade(intern)
    assessment.record_judgements(
        actor=world.mentor.user,
        intern=intern,
        reference_point=point,
        entries={standards[0].pk: assessment.Entry(grade=lowest, evidence=f"Evidence {world.sentinel}")},
    )
    assessment.add_reflection(
        actor=world.intern.user,
        intern=intern,
        reference_point=point,
        reflection=f"Reflection {world.sentinel}",
    )
    world.assessment_point = point
    world.assessment_concern = assessment.raise_concern(
        actor=world.mentor.user,
        intern=intern,
        category="progress",
        concern=f"Concern {world.sentinel}",
        standards=standards[:1],
        targets="Targets for the next fortnight",
        support="Weekly support from the mentor",
        review_on=timezone.localdate() + dt.timedelta(days=14),
    )


# url name -> (reverse() args from the world, personas who get 200 on GET; None for POST-only routes)
ROUTES = {
    "ite:reference-point-record": (lambda w: [w.intern_record.pk, w.assessment_point.pk], READERS),
    # The ITE tutor and programme lead see every current intern; a mentor their own mentees (other_mentor
    # mentors another intern of the programme, so gets the page, without Ines).
    "ite:progress-grid": (lambda w: [], {"mentor", "other_mentor", "ite_tutor", "programme_lead"}),
    "ite:concern-create": (lambda w: [w.intern_record.pk], {"mentor", "ite_tutor"}),
    "ite:concern-detail": (lambda w: [w.assessment_concern.pk], READERS),
    "ite:concern-outcome": (lambda w: [w.assessment_concern.pk], None),
    "ite:concern-update": (lambda w: [w.assessment_concern.pk], None),
}

# POST-only routes: who may POST (everyone else gets a 404).
POST_ALLOWED = {
    "ite:concern-outcome": {"ite_tutor"},
    "ite:concern-update": {"ite_tutor"},
}

# Where `build` writes `world.sentinel`, by the page that shows it to its readers (ROUTES' allowed set):
# - Judgement.evidence (TS 1 at world.assessment_point) and ReferencePointReview.reflection: shown on
#   "ite:reference-point-record";
# - CauseForConcern.concern (world.assessment_concern): shown on "ite:concern-detail", and on the POST-only
#   "ite:concern-outcome" when the ITE tutor's POST fails validation and the detail page comes back with
#   its errors (an empty POST does). An empty POST to "ite:concern-update" is a valid update (no date, no
#   supporters) and redirects, so it shows nothing.
# No other page of this area shows any of them: the progress grid shows grades only, the intern page's
# section shows counts and statuses only, and concern-create is an empty form.
SENTINEL_VISIBLE = {
    "ite:reference-point-record": READERS,
    "ite:concern-detail": READERS,
}
SENTINEL_FIELDS = {
    "ite:reference-point-record": ["Judgement.evidence", "ReferencePointReview.reflection"],
    "ite:concern-detail": ["CauseForConcern.concern"],
    "ite:concern-outcome": ["CauseForConcern.concern"],
}
