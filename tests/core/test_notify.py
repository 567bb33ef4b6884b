"""Every email the app sends is the one neutral email (DESIGN.md section 7): the subject "protutor: there is
an update for you", a body naming nothing, an opaque link that takes its recipient alone to the update
after sign-in, and `Auto-Submitted: auto-generated`. Walked over every call site in the code, and over the
real flows."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

import protutor
from protutor.core.models import Notification
from protutor.core.notify import SUBJECT, notify, notify_after_commit, send_notification
from tests.factories.support import concern, encourage, open_case_for
from tests.notifications import LINK, update_of, updates

pytestmark = pytest.mark.django_db

ROOT = Path(protutor.__file__).parent
# Words that must never reach a subject, a preview or a link (a shared mailbox, a lock screen).
SENSITIVE = re.compile(
    r"support|safeguard|concern|plan|coach|observ|feedback|referr|request|case|tutor|mentor|review|"
    r"intern|induction|\bect\b|cover|cpd|journal|judgement|assessment|grade|evaluat|session|target|"
    r"manager|health|wellbeing|capability|allegation|/support/|/plans/|/coaching/|/ite/|/observations/",
    re.IGNORECASE,
)
SENSITIVE_PATH = "/support/cases/12/concern/"


def call_sites() -> list[tuple[str, int, str, str]]:
    """(file, line, subject, message) of every call of notify_after_commit or notify in the project, the
    literal words of each (an f-string's placeholders as "X")."""

    def text(node) -> str:
        if node is None:
            return ""
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.JoinedStr):
            return "".join(text(v) if isinstance(v, ast.Constant) else "X" for v in node.values)
        return "X"

    sites = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "notify.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
                "notify_after_commit",
                "notify",
            }:
                words = {k.arg: text(k.value) for k in node.keywords}
                rel = str(path.relative_to(ROOT.parent))
                sites.append((rel, node.lineno, words.get("subject", ""), words.get("message", "")))
    return sites


def assert_neutral(email):
    assert email.subject == SUBJECT
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    found = LINK.search(email.body)
    assert found is not None
    assert found.group(0).endswith(f"/updates/{found.group(1)}/")
    # The app's own name holds "tutor": it is the one word allowed.
    words = email.body.replace(found.group(0), "").replace("protutor", "")
    assert SENSITIVE.findall(words) == []
    assert SENSITIVE.findall(email.subject.replace("protutor", "")) == []


def test_the_walk_finds_the_call_sites():
    files = {site[0] for site in call_sites()}
    assert {"protutor/support/services.py", "protutor/plans/services.py", "protutor/ite/services.py"} <= files


@pytest.mark.parametrize("site", call_sites(), ids=lambda site: f"{site[0]}:{site[1]}")
def test_every_call_site_sends_the_neutral_email(
    site, teacher, django_capture_on_commit_callbacks, mailoutbox
):
    _, _, subject, message = site
    with django_capture_on_commit_callbacks(execute=True):
        notify_after_commit([teacher.user], subject=subject, message=message, path=SENSITIVE_PATH)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert_neutral(email)
    for said in (subject, message, SENSITIVE_PATH, teacher.full_name):
        if len(said.strip()) > 3:
            assert said not in email.subject + email.body
    update = update_of(email)
    assert (update.user, update.message, update.path) == (teacher.user, message.strip(), SENSITIVE_PATH)


def test_only_notify_sends_mail():
    """No module but protutor/core/notify.py sends email, so no caller can put words in a subject."""
    sending = re.compile(
        r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives|mail_admins|mail_managers|"
        r"get_connection)\b"
    )
    senders = sorted(
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.py")
        if path.name != "notify.py" and sending.search(path.read_text())
    )
    assert senders == []


def test_real_flows_send_only_neutral_email(
    teacher, line_manager, tutor, dsl, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        encourage(line_manager, teacher, reason="SECRET-REASON")
        case = open_case_for(teacher, tutor, reason="SECRET-REASON")
        concern(case, tutor, text="SECRET-CONCERN")
    assert len(mailoutbox) == 4  # the suggestion, the request, its acceptance, the concern
    for email in mailoutbox:
        assert_neutral(email)
        assert "SECRET" not in email.body
    assert [(to, path) for to, _, path in updates(mailoutbox)] == [
        ([teacher.email], teacher.referrals.get(route="line_manager").get_absolute_url()),
        ([tutor.email], teacher.referrals.get(route="self").get_absolute_url()),
        ([teacher.email], case.get_absolute_url()),
        ([dsl.email], case.concerns.get().get_absolute_url()),
    ]


def test_the_link_takes_its_recipient_alone_to_the_page_with_the_message(
    client, client_for, teacher, colleague, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_after_commit(
            [teacher.user], message="Your tutor has added notes.", path=reverse("support:index")
        )
    update = update_of(mailoutbox[0])
    link = reverse("notification", args=[update.token])

    anonymous = client.get(link)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert SENSITIVE.findall(anonymous["Location"].replace("protutor", "")) == []

    assert client_for(colleague).get(link).status_code == 404
    response = client_for(teacher).get(link, follow=True)
    assert response.redirect_chain == [(reverse("support:index"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Your tutor has added notes."]
    update.refresh_from_db()
    assert update.opened_at is not None


def test_a_path_elsewhere_is_never_followed(client_for, teacher):
    notify_after_commit([teacher.user], message="Hello", path="https://evil.example/")
    update = Notification.objects.get()
    response = client_for(teacher).get(reverse("notification", args=[update.token]))
    assert response["Location"] == reverse("home")


def test_a_rolled_back_change_keeps_no_update_and_sends_nothing(teacher, mailoutbox):
    from django.db import transaction

    with transaction.atomic():
        notify_after_commit([teacher.user], message="Hello", path="/")
        transaction.set_rollback(True)
    assert (Notification.objects.count(), mailoutbox) == (0, [])


def test_nobody_without_an_address_or_an_active_account_is_emailed(teacher, colleague, mailoutbox):
    colleague.user.is_active = False
    colleague.user.save()
    assert notify([teacher.user, colleague.user, None], message="Hello", path="/") == 1
    assert [email.to for email in mailoutbox] == [[teacher.user.email]]


def test_work_queued_before_updates_were_kept_is_sent_neutrally(teacher, mailoutbox):
    send_notification.call(
        [teacher.user.pk], "a safeguarding concern", "Read it today.", "/support/concerns/1/"
    )
    assert updates(mailoutbox) == [([teacher.user.email], "Read it today.", "/support/concerns/1/")]


def test_sign_in_emails_are_marked_automatic_too(client, teacher, mailoutbox):
    """allauth's own emails (here a password reset) carry Auto-Submitted, so out-of-office replies do
    not answer them either."""
    response = client.post(reverse("account_reset_password"), {"email": teacher.user.email})
    assert response.status_code == 302
    (email,) = mailoutbox
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_an_update_that_lists_what_changed_shows_it_as_a_list(
    client_for, teacher, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_after_commit(
            [teacher.user],
            message="A session you are invited to has changed.\n- Room: now Lab 3 (was Room 111)\n- Time: 15:30",
            path=reverse("home"),
        )
    link = reverse("notification", args=[update_of(mailoutbox[0]).token])
    page = client_for(teacher).get(link, follow=True).content.decode()
    assert (
        '<p class="govuk-notification-banner__heading">A session you are invited to has changed.</p>' in page
    )
    assert "<li>Room: now Lab 3 (was Room 111)</li>" in page and "<li>Time: 15:30</li>" in page
