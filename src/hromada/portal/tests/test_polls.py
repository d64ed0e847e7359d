"""Visitor polls: voting once, e-mail confirmation, results, staff screens, export."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hromada.accounts.factories import UserFactory, staff_with_role
from hromada.accounts.roles import Role
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent
from hromada.portal.demo import load_demo_polls
from hromada.portal.models import Poll, PollOption, PollVote
from hromada.portal.selectors import poll_results
from hromada.portal.services import (
    poll_link_token,
    poll_save,
    poll_vote,
    poll_vote_confirm,
    poll_voter_for_email,
    poll_voter_for_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks_and_no_second_factor(settings: Any) -> None:
    settings.HROMADA_MFA_ENFORCED = False
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }


def make_poll(*, days_open: int = 7, published: bool = True, **kwargs: Any) -> Poll:
    now = timezone.now()
    return poll_save(
        poll_id=None,
        question=kwargs.pop("question", "Де облаштувати новий сквер?"),
        description="",
        opens_at=kwargs.pop("opens_at", now - timedelta(days=1)),
        closes_at=kwargs.pop("closes_at", now + timedelta(days=days_open)),
        is_published=published,
        on_home=True,
        options=kwargs.pop("options", ["Біля ЦНАПу", "На Соборності", "У парку"]),
        actor=None,
    )


def first_option(poll: Poll) -> PollOption:
    option = poll.options.order_by("order").first()
    assert option is not None
    return option


# --- services ---------------------------------------------------------------------------


def test_a_registered_citizen_votes_once_and_a_second_vote_is_refused_in_ukrainian() -> None:
    poll = make_poll()
    citizen = UserFactory()
    voter = poll_voter_for_user(citizen)
    poll_vote(poll_id=poll.pk, option_id=first_option(poll).pk, voter=voter, actor=citizen)
    with pytest.raises(ApplicationError, match="вже проголосували"):
        poll_vote(poll_id=poll.pk, option_id=first_option(poll).pk, voter=voter, actor=citizen)
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_a_vote_in_a_closed_poll_is_refused() -> None:
    now = timezone.now()
    poll = make_poll(opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1))
    with pytest.raises(ApplicationError, match="завершено"):
        poll_vote(poll_id=poll.pk, option_id=first_option(poll).pk, voter="u:1", actor=None)


def test_a_vote_for_another_polls_option_is_refused() -> None:
    poll, other = make_poll(), make_poll(question="Інше")
    with pytest.raises(ApplicationError, match="Оберіть"):
        poll_vote(poll_id=poll.pk, option_id=first_option(other).pk, voter="u:1", actor=None)


def test_a_poll_needs_two_distinct_options_and_a_closing_after_opening() -> None:
    with pytest.raises(ApplicationError, match="два варіанти"):
        make_poll(options=["Так"])
    with pytest.raises(ApplicationError, match="повторюватися"):
        make_poll(options=["Так", "так"])
    now = timezone.now()
    with pytest.raises(ApplicationError, match="пізніше"):
        make_poll(opens_at=now, closes_at=now)
    assert not Poll.objects.exists()


def test_options_cannot_change_once_somebody_voted() -> None:
    poll = make_poll()
    poll_vote(poll_id=poll.pk, option_id=first_option(poll).pk, voter="u:1", actor=None)
    with pytest.raises(ApplicationError, match="варіанти відповіді змінювати не можна"):
        poll_save(
            poll_id=poll.pk,
            question=poll.question,
            description="",
            opens_at=poll.opens_at,
            closes_at=poll.closes_at,
            is_published=True,
            on_home=True,
            options=["Зовсім інше", "Ще інше"],
            actor=None,
        )
    assert list(poll.options.values_list("text", flat=True)) == [
        "Біля ЦНАПу",
        "На Соборності",
        "У парку",
    ]


def test_results_count_votes_per_option_with_percentages() -> None:
    poll = make_poll()
    a, b, _c = list(poll.options.order_by("order"))
    for n, option in enumerate([a, a, a, b]):
        poll_vote(poll_id=poll.pk, option_id=option.pk, voter=f"u:{n}", actor=None)
    results = poll_results(poll)
    assert results.total == 4
    assert [(r.votes, r.percent) for r in results.options] == [(3, 75), (1, 25), (0, 0)]


def test_the_vote_is_audited_without_personal_data() -> None:
    poll = make_poll()
    email = "olena@example.com"
    poll_vote(
        poll_id=poll.pk,
        option_id=first_option(poll).pk,
        voter=poll_voter_for_email(email),
        actor=None,
    )
    event = AuditEvent.objects.get(action="portal.poll.voted")
    assert event.data == {"option": first_option(poll).pk, "via": "email"}
    assert "olena" not in str(event.data)
    assert "olena" not in PollVote.objects.get().voter


def test_a_forged_or_expired_link_is_refused(settings: Any) -> None:
    poll = make_poll()
    token = poll_link_token(poll_id=poll.pk, option_id=first_option(poll).pk, email="a@b.ua")
    with pytest.raises(ApplicationError, match="недійсне"):
        poll_vote_confirm(token=token[:-2] + "xx")
    with pytest.raises(ApplicationError, match="недійсне"):
        poll_vote_confirm(token="'; drop table" * 50)
    assert not PollVote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_count_each_voter_exactly_once() -> None:
    poll = make_poll()
    options = list(poll.options.order_by("order"))
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def vote(i: int) -> None:
        # Four voters, each voting twice at the same moment.
        voter = f"u:{i % 4}"
        try:
            barrier.wait(timeout=10)
            poll_vote(poll_id=poll.pk, option_id=options[i % 3].pk, voter=voter, actor=None)
            result = "ok"
        except ApplicationError as exc:
            result = "twice" if "вже проголосували" in exc.message else exc.message
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["ok"] * 4 + ["twice"] * 4
    assert PollVote.objects.filter(poll=poll).count() == 4
    assert poll_results(poll).total == 4
    assert AuditEvent.objects.filter(action="portal.poll.voted").count() == 4


# --- pages ------------------------------------------------------------------------------


def test_an_anonymous_vote_counts_only_after_the_emailed_link_is_confirmed(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    poll = make_poll()
    option = first_option(poll)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:poll", args=[poll.pk]),
            {"option": option.pk, "email": "mykola@example.com"},
            follow=True,
        )
    assert "Ми надіслали лист" in response.content.decode()
    assert not PollVote.objects.exists()
    assert mail.outbox[0].to == ["mykola@example.com"]
    link = re.search(r"http://\S+/polls/confirm/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    assert client.get(path).status_code == 200  # a button, no vote yet
    assert not PollVote.objects.exists()
    response = client.post(path, follow=True)
    assert "Ваш голос зараховано" in response.content.decode()
    assert PollVote.objects.get().option == option
    assert 'id="voted"' in response.content.decode()
    assert "Результати" in response.content.decode()
    # The same link again (or from another browser): a clear refusal, the count unchanged.
    again = Client().post(path)
    assert again.status_code == 400
    assert "вже проголосували" in again.content.decode()
    assert PollVote.objects.count() == 1


def test_an_anonymous_visitor_must_give_an_email(client: Client) -> None:
    poll = make_poll()
    response = client.post(
        reverse("portal:poll", args=[poll.pk]), {"option": first_option(poll).pk}
    )
    assert response.status_code == 400
    assert "Вкажіть адресу електронної пошти" in response.content.decode()
    assert not PollVote.objects.exists()


def test_a_second_link_to_the_same_address_is_not_sent_at_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    poll = make_poll()
    data = {"option": first_option(poll).pk, "email": "ira@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:poll", args=[poll.pk]), data)
        response = client.post(reverse("portal:poll", args=[poll.pk]), data)
    assert response.status_code == 400
    assert "вже надіслано" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_signed_in_citizen_votes_and_sees_results_then_a_second_vote_is_refused(
    client: Client,
) -> None:
    poll = make_poll()
    client.force_login(UserFactory())
    url = reverse("portal:poll", args=[poll.pk])
    before = client.get(url).content.decode()
    assert 'id="poll-form"' in before
    assert "portal-poll-results" not in before
    response = client.post(url, {"option": first_option(poll).pk}, follow=True)
    assert "Ваш голос зараховано" in response.content.decode()
    assert "Результати" in response.content.decode()
    assert PollVote.objects.count() == 1


def test_results_are_shown_to_everybody_after_closing(client: Client) -> None:
    now = timezone.now()
    poll = make_poll(opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))
    PollVote.objects.create(poll=poll, option=first_option(poll), voter="u:9")
    page = client.get(reverse("portal:poll", args=[poll.pk])).content.decode()
    assert "Результати" in page
    assert "poll-form" not in page
    listing = client.get(reverse("portal:polls")).content.decode()
    assert "Усього голосів: 1" in listing


def test_a_draft_poll_is_not_public(client: Client) -> None:
    poll = make_poll(published=False)
    assert client.get(reverse("portal:poll", args=[poll.pk])).status_code == 404
    assert poll.question not in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_open_polls(client: Client) -> None:
    poll = make_poll(question="Чи потрібен місту нічний автобус?")
    page = client.get(reverse("home")).content.decode()
    assert "Чи потрібен місту нічний автобус?" in page
    assert reverse("portal:poll", args=[poll.pk]) in page


def test_html_in_a_question_is_escaped(client: Client) -> None:
    poll = make_poll(question="<script>alert(1)</script>")
    page = client.get(reverse("portal:poll", args=[poll.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


# --- staff ------------------------------------------------------------------------------


def test_an_editor_creates_a_poll_in_the_staff_workspace(client: Client) -> None:
    client.force_login(staff_with_role(Role.EDITOR))
    response = client.post(
        reverse("portal:staff_poll_new"),
        {
            "question": "Яку назву дати новому скверу?",
            "options": "Сквер Героїв\n\nСквер Миру\n",
            "opens_at": "2026-01-10T09:00",
            "closes_at": "2026-02-10T09:00",
            "is_published": "on",
            "on_home": "on",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert list(poll.options.values_list("text", flat=True)) == ["Сквер Героїв", "Сквер Миру"]
    assert AuditEvent.objects.filter(action="portal.poll.created", object_id=str(poll.pk)).exists()


def test_staff_without_the_editor_role_cannot_manage_polls(client: Client) -> None:
    client.force_login(staff_with_role(Role.OPERATOR))
    assert client.get(reverse("portal:staff_polls")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("portal:staff_polls")).status_code == 403


def test_staff_export_the_results_as_csv_and_xlsx_without_voter_data(client: Client) -> None:
    poll = make_poll(options=["=1+1", "Ні"])
    PollVote.objects.create(poll=poll, option=first_option(poll), voter="e:secret")
    client.force_login(staff_with_role(Role.EDITOR))
    csv_body = client.get(reverse("portal:staff_poll_export", args=[poll.pk, "csv"]))
    text = csv_body.content.decode("utf-8-sig")
    assert "'=1+1,1,100" in text
    assert "secret" not in text
    xlsx = client.get(reverse("portal:staff_poll_export", args=[poll.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("'=1+1", 1, 100) in rows
    assert ("Ні", 0, 0) in rows


def test_demo_polls_have_open_and_closed_polls_with_votes() -> None:
    assert load_demo_polls() is not None
    now = timezone.now()
    assert Poll.objects.filter(closes_at__gt=now).count() == 2
    assert Poll.objects.filter(closes_at__lte=now).count() == 2
    assert PollVote.objects.count() > 1000
    assert load_demo_polls() is None
