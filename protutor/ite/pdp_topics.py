"""The Professional Development Programme's standard topics, as data.

The topics are the list in the school professional tutor's job description (seed 002, section b,
"Leading the PDP Programme in school": "Develop a Professional Development Programme which explores at
least: ..."), one topic for each of its 22 bullets, in the seed's order and wording. The only changes: a
capital after a semicolon is lower case, the apostrophe is a plain one and the last bullet loses its full
stop.

Each topic is tagged to the Teachers' Standards it serves: the top-level standards of Part One ("1" to
"8") and the Part Two statements ("P2.1" to "P2.3"), numbered as in protutor/observations/standards_data.py.
"""

from __future__ import annotations

from typing import NamedTuple

STANDARDS_FRAMEWORK = "TS"


class SeedTopic(NamedTuple):
    title: str
    standards: tuple[str, ...]


TOPICS: tuple[SeedTopic, ...] = (
    SeedTopic(
        "Safeguarding; day-to-day health, safety and legal issues; child protection", ("7", "P2.1", "P2.3")
    ),
    SeedTopic(
        "Stereotyping, e.g. issues of race, gender, class, ability, sexual orientation", ("1", "5", "P2.1")
    ),
    SeedTopic("Transition - the student experience of moving from primary to secondary school", ("2", "5")),
    SeedTopic("Behaviour for learning", ("1", "7")),
    SeedTopic("Pupil premium including differentiation", ("2", "5")),
    SeedTopic("The most able including differentiation", ("1", "5")),
    SeedTopic("Inclusion: meeting the needs of the individual student", ("5",)),
    SeedTopic("Working with Teaching Assistants and other support staff", ("5", "8")),
    SeedTopic("Marking, assessment and feedback", ("6",)),
    SeedTopic("Working with form tutors, tutor groups and pastoral care", ("1", "8")),
    SeedTopic("The student voice", ("1", "8")),
    SeedTopic("Assessment for learning", ("2", "6")),
    SeedTopic("Using data to inform teaching and learning", ("2", "6")),
    SeedTopic(
        "Home/school links and relationships, including consultation meetings with parents and carers",
        ("8",),
    ),
    SeedTopic(
        "Inter-agency liaison: working with other professionals, e.g. educational psychologists, "
        "counsellors, social workers etc.",
        ("5", "8"),
    ),
    SeedTopic(
        "Professionalism and the legal and statutory duties of teachers", ("8", "P2.1", "P2.2", "P2.3")
    ),
    SeedTopic("14-19 issues: beyond conventional courses and qualifications", ("3",)),
    SeedTopic("Job applications and interviews", ("8",)),
    SeedTopic(
        "Teachers' professional development (including mentoring, coaching, peer observation, etc.); "
        "the Standards framework; performance management",
        ("8",),
    ),
    SeedTopic("Out of classroom and off-site learning", ("4", "8")),
    SeedTopic("Making the most of the first year of teaching", ("8", "P2.2")),
    SeedTopic("Cross-curricular links, perspectives and possibilities", ("3", "4")),
)
