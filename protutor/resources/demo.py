"""The demo college's library: guides, research summaries, session materials and short videos, tagged to
standards and departments; a few with a small file, a few revised or retired; one collection shared with a
partner in the network. Published through the services by a demo tutor, so versions and the search index
are filled the real way. Safe to re-run: once the collection exists, nothing more is made."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from protutor.people.models import Department, StaffMember
from protutor.resources.models import Collection, Resource, ResourceFormat, ResourceVersion

COLLECTION = "Alliance starter pack: questioning and feedback"

# title, format, tags, ETF standard numbers, department names, audience, summary, file ("pdf"/"txt"/"")
LIBRARY = [
    (
        "Rosenshine's principles of instruction: a one-page summary",
        ResourceFormat.RESEARCH,
        "rosenshine, retrieval practice, questioning",
        ["4", "14"],
        [],
        "All teaching staff",
        "The ten principles from Barak Rosenshine's 2012 paper, with an example of each from a vocational classroom: daily review, small steps, checking for understanding and guided practice.",
        "pdf",
    ),
    (
        "EEF guidance report: Teacher feedback to improve pupil learning",
        ResourceFormat.RESEARCH,
        "feedback, eef, assessment for learning",
        ["14", "15"],
        [],
        "All teaching staff",
        "The Education Endowment Foundation's recommendations on feedback: lay the foundations first, deliver it at the right time, focus on what the learner does next, and plan for how they will use it.",
        "",
    ),
    (
        "EEF guidance report: Metacognition and self-regulated learning",
        ResourceFormat.RESEARCH,
        "metacognition, eef, independent learning",
        ["4", "14"],
        [],
        "Experienced teachers",
        "Seven recommendations for teaching learners to plan, monitor and evaluate their own learning, with the model of explicit instruction the report suggests.",
        "",
    ),
    (
        "Hinge questions in practice: a ten-minute takeaway",
        ResourceFormat.SESSION,
        "questioning, assessment for learning, hinge questions",
        ["14", "15"],
        ["Mathematics", "Science"],
        "Teachers of theory lessons",
        "Slides and a handout for a ten-minute takeaway: write one multiple-choice hinge question whose wrong answers reveal a misconception, and decide in the moment what to do next.",
        "pdf",
    ),
    (
        "Cold calling without the fear",
        ResourceFormat.VIDEO,
        "questioning, behaviour for learning",
        ["1", "14"],
        [],
        "New teachers and assessors",
        "A four-minute classroom clip: a Level 2 group answers every question after thinking time, with names called after the question, not before.",
        "",
    ),
    (
        "Behaviour for learning: routines for the first five minutes",
        ResourceFormat.GUIDE,
        "behaviour for learning, routines",
        ["1", "2"],
        ["Construction", "Engineering"],
        "Teachers of practical and workshop sessions",
        "Meet and greet, a do-now task on the board, and a clear signal for attention: three routines that make the start of a workshop calm and safe.",
        "txt",
    ),
    (
        "Adaptive teaching: planning for the whole class",
        ResourceFormat.GUIDE,
        "adaptive teaching, scaffolding, send",
        ["3", "13"],
        [],
        "All teaching staff",
        "How to plan one lesson that every learner can reach: anticipate the barriers, scaffold then fade, and group flexibly rather than by fixed ability.",
        "",
    ),
    (
        "Literacy across the curriculum: disciplinary vocabulary",
        ResourceFormat.GUIDE,
        "literacy, vocabulary, reading",
        ["5", "18"],
        ["Health and Social Care", "Business"],
        "All teaching staff",
        "Teach the words of your subject explicitly: choose the tier-three words that matter, show their parts and origins, and have learners use them in speech and writing.",
        "",
    ),
    (
        "Stretch and challenge: questions that go deeper",
        ResourceFormat.SESSION,
        "stretch and challenge, questioning",
        ["4", "13"],
        [],
        "Teachers of Level 3 groups",
        "A 30-minute community of practice session: Bloom-style question stems, 'say it again, better', and extension tasks that deepen rather than add more of the same.",
        "",
    ),
    (
        "Whole-class feedback: a template and a worked example",
        ResourceFormat.SESSION,
        "feedback, marking workload",
        ["14", "15"],
        [],
        "All teaching staff",
        "Read the work, note the common errors and the best examples, and give the feedback to the whole class in the next lesson: quicker than written comments, and acted on.",
        "pdf",
    ),
    (
        "Modelling with the visualiser",
        ResourceFormat.VIDEO,
        "modelling, explanation",
        ["4"],
        ["Art and Design", "Engineering"],
        "Teachers of practical subjects",
        "A three-minute clip of a tutor thinking aloud while annotating an exemplar under the visualiser.",
        "",
    ),
    (
        "Retrieval practice: low-stakes quizzing",
        ResourceFormat.GUIDE,
        "retrieval practice, memory",
        ["4", "14"],
        [],
        "All teaching staff",
        "Short, frequent, no-stakes quizzes on last week's and last term's content, with the answers gone through straight away.",
        "",
    ),
]
VIDEO_LINKS = {
    "Cold calling without the fear": "https://video.example.org/protutor-demo/cold-calling",
    "Modelling with the visualiser": "https://video.example.org/protutor-demo/visualiser",
}
RETIRED = ["Growth mindset without the posters", "Retrieval practice: low-stakes quizzing"]
REVISED = {
    "Rosenshine's principles of instruction: a one-page summary": "Added a further-education example for each principle",
    "Hinge questions in practice: a ten-minute takeaway": "New slides after feedback from Science",
}
IN_COLLECTION = [
    "Rosenshine's principles of instruction: a one-page summary",
    "Hinge questions in practice: a ten-minute takeaway",
    "Whole-class feedback: a template and a worked example",
    "Cold calling without the fear",
    "EEF guidance report: Teacher feedback to improve pupil learning",
]


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, lines: list[str] | tuple[str, ...] = ()) -> bytes:
    """A small, valid one-page PDF with a heading and some lines of text (Helvetica)."""
    text = ["BT", "/F1 18 Tf", "72 760 Td", f"({_pdf_escape(title[:80])}) Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -18 Td", f"({_pdf_escape(line[:100])}) Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _file_for(kind: str, title: str, summary: str):
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:50]
    if kind == "pdf":
        words = summary.split()
        lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
        return SimpleUploadedFile(f"{slug}.pdf", simple_pdf(title, lines), content_type="application/pdf")
    if kind == "txt":
        return SimpleUploadedFile(
            f"{slug}.txt", f"{title}\n\n{summary}\n".encode(), content_type="text/plain"
        )
    return None


def _link_for(title: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return f"https://example.org/protutor-demo/{slug}"


def _standards(numbers):
    from protutor.observations.models import Standard

    return list(Standard.objects.filter(framework__code="ETF", number__in=numbers, parent__isnull=True))


@transaction.atomic
def load_resources_demo(institution, *, progress=lambda message: None) -> int:
    from protutor.resources import services

    if Collection.objects.filter(institution=institution).exists():
        return 0
    author = (
        StaffMember.objects.filter(institution=institution, user__username="tamsin.tutor")
        .select_related("user")
        .first()
    )
    if author is None:
        return 0
    created = 0
    # Resources added before versions existed (the support demo's) become version 1 of themselves.
    for resource in Resource.objects.filter(institution=institution, versions__isnull=True):
        ResourceVersion.objects.create(
            resource=resource,
            number=1,
            title=resource.title,
            summary=resource.description,
            url=resource.url,
            change_note="First version",
        )
        created += 1
    departments = {d.name: d for d in Department.objects.filter(institution=institution)}
    made = {}
    for title, fmt, tags, numbers, department_names, audience, summary, file_kind in LIBRARY:
        if Resource.objects.filter(institution=institution, title=title).exists():
            continue
        made[title] = services.publish_resource(
            actor=author.user,
            title=title,
            summary=summary,
            url=VIDEO_LINKS.get(title) or ("" if file_kind else _link_for(title)),
            format=fmt,
            audience=audience,
            tags=tags,
            standards=_standards(numbers),
            departments=[departments[name] for name in department_names if name in departments],
            file=_file_for(file_kind, title, summary),
        )
        created += 1
    for title, note in REVISED.items():
        if title not in made:
            continue
        resource = made[title]
        services.revise_resource(
            resource,
            actor=author.user,
            title=resource.title,
            summary=resource.description + " Each principle now has a further-education example.",
            url=resource.url,
            format=resource.format,
            audience=resource.audience,
            tags=resource.tags,
            standards=list(resource.standards.all()),
            departments=list(resource.departments.all()),
            file=_file_for("pdf", resource.title, resource.description),
            change_note=note,
        )
        created += 1
    for resource in Resource.objects.filter(
        institution=institution, title__in=RETIRED, retired_at__isnull=True
    ):
        services.retire_resource(resource, actor=author.user)
    created += _share(institution, author)
    created += _attach_to_sessions(institution)
    progress(
        f"{Resource.objects.filter(institution=institution).count()} library resources, one shared collection"
    )
    return created


def _share(institution, author) -> int:
    from protutor.resources import services
    from protutor.team.models import Partner

    collection = services.save_collection(
        actor=author.user,
        title=COLLECTION,
        description="Five resources the alliance agreed to try this term, shared with our partner schools.",
        resources=list(Resource.objects.filter(institution=institution, title__in=IN_COLLECTION)),
    )
    partner = Partner.objects.filter(institution=institution).order_by("name").first()
    if partner is not None:
        services.issue_collection_link(collection, actor=author.user, partner=partner)
        return 2
    return 1


def _attach_to_sessions(institution) -> int:
    """Link delivered CPD sessions to the library's materials on the same theme."""
    from protutor.cpd.models import Session

    themes = {
        "question": "Hinge questions in practice: a ten-minute takeaway",
        "feedback": "Whole-class feedback: a template and a worked example",
        "retrieval": "Rosenshine's principles of instruction: a one-page summary",
        "routine": "Behaviour for learning: routines for the first five minutes",
    }
    library = {
        r.title: r for r in Resource.objects.filter(institution=institution, title__in=themes.values())
    }
    linked = 0
    for session in Session.objects.filter(department__institution=institution).order_by("pk"):
        for word, title in themes.items():
            if word in session.title.lower() and title in library:
                session.resources.add(library[title])
                linked += 1
                break
    return linked
