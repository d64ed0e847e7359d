"""The mayor's e-mailbox against a real IMAP server (dovecot on loopback, started per test)."""

from __future__ import annotations

import base64
import imaplib
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core.management import call_command

from hromada.appeals import mailbox
from hromada.appeals.models import Appeal, AppealFile, Channel, IncomingMail, MailboxState
from hromada.appeals.tests.imap_server import ImapServer, available, running_dovecot
from hromada.control.factories import Org
from hromada.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def imap(settings: Any, org: Org) -> Iterator[ImapServer]:
    if not available():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    with running_dovecot() as server:
        settings.HROMADA_APPEALS_IMAP_HOST = server.host
        settings.HROMADA_APPEALS_IMAP_PORT = server.port
        settings.HROMADA_APPEALS_IMAP_SSL = False
        settings.HROMADA_APPEALS_IMAP_USER = server.user
        settings.HROMADA_APPEALS_IMAP_PASSWORD = server.password
        settings.HROMADA_APPEALS_IMAP_FOLDER = "INBOX"
        settings.HROMADA_APPEALS_DEFAULT_BODY = org.d.code
        yield server


def letter(
    *,
    subject: str = "Не працює освітлення у дворі",
    sender: str = "Коваленко Олена Петрівна <olena@example.org>",
    text: str = "Прошу відновити освітлення у дворі будинку № 12 по вул. Свободи.",
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "mayor@example.gov.ua"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    message.set_content(text)
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def poll(**kwargs: Any) -> mailbox.PollResult:
    return mailbox.mailbox_poll(**kwargs)


def test_new_messages_become_email_drafts_with_their_attachments(imap: ImapServer) -> None:
    imap.append(
        letter(
            attachments=(("фото двору.png", "image/png", PNG), ("акт.pdf", "application/pdf", PDF))
        )
    )
    imap.append(letter(sender="Ivan Petrenko <ivan@example.org>", subject="Яма на дорозі"))
    result = poll()
    assert (result.fetched, result.drafted, result.failed) == (2, 2, 0)
    first, second = Appeal.objects.order_by("pk")
    assert first.state == Appeal.State.DRAFT
    assert first.channel == Channel.EMAIL
    assert (first.surname, first.given_name, first.patronymic) == ("Коваленко", "Олена", "Петрівна")
    assert first.email == "olena@example.org"
    assert first.summary == "Не працює освітлення у дворі"
    assert "вул. Свободи" in first.text
    assert sorted(AppealFile.objects.filter(appeal=first).values_list("name", flat=True)) == [
        "акт.pdf",
        "фото двору.png",
    ]
    assert (second.surname, second.given_name) == ("Petrenko", "Ivan")
    mails = list(IncomingMail.objects.order_by("uid"))
    assert [m.state for m in mails] == [IncomingMail.State.DRAFTED] * 2
    assert mails[0].appeal == first
    assert mails[0].raw.read().startswith(b"From:") or b"Subject:" in mails[0].raw.read()
    state = MailboxState.objects.get()
    assert state.last_uid == 2
    assert state.uid_validity == imap.uid_validity()


def test_a_second_run_takes_nothing_twice(imap: ImapServer) -> None:
    imap.append(letter())
    poll()
    again = poll()
    assert (again.fetched, again.drafted) == (0, 0)
    imap.append(letter(subject="Ще одне питання", sender="Бондар Іван <bondar@example.org>"))
    third = poll()
    assert third.drafted == 1
    assert Appeal.objects.count() == 2
    assert IncomingMail.objects.count() == 2


def test_the_raw_message_is_kept_byte_for_byte(imap: ImapServer) -> None:
    raw = letter()
    imap.append(raw)
    poll()
    stored = IncomingMail.objects.get().raw.read()
    assert stored.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_messages_are_read_without_marking_them_seen(imap: ImapServer) -> None:
    imap.append(letter())
    poll()
    client = imap.client()
    try:
        client.select("INBOX", readonly=True)
        _typ, data = client.uid("SEARCH", "UNSEEN")
    finally:
        client.logout()
    assert data[0].split() == [b"1"]


def test_a_message_without_text_is_kept_as_failed_and_reported(imap: ImapServer, org: Org) -> None:
    imap.append(b"From: someone@example.org\r\nSubject: \r\nMessage-ID: <empty@x>\r\n\r\n\r\n")
    imap.append(letter())
    result = poll()
    assert (result.drafted, result.failed) == (1, 1)
    failed = IncomingMail.objects.get(state=IncomingMail.State.FAILED)
    assert failed.appeal is None
    assert "не містить тексту" in failed.error
    assert failed.raw.read()
    assert Appeal.objects.count() == 1
    note = Notification.objects.get(recipient=org.operator)
    assert note.url == "/staff/appeals/mailbox/?state=failed"
    assert MailboxState.objects.get().last_uid == 2  # the failure does not block the intake
    assert AuditEvent.objects.filter(action="appeals.mail.received").count() == 2


def test_a_multipart_message_with_a_broken_boundary_is_failed_not_lost(imap: ImapServer) -> None:
    raw = (
        b"From: =?utf-8?b?0JrQvtCy0LDQu9C10L3QutC+?= <k@example.org>\r\n"
        b"Subject: test\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="nowhere"\r\n\r\n'
        b"garbage without any boundary line\r\n"
    )
    imap.append(raw)
    result = poll()
    assert result.failed == 1
    mail = IncomingMail.objects.get()
    assert mail.state == IncomingMail.State.FAILED
    assert mail.error


def test_ukrainian_charsets_and_encoded_headers_are_decoded(imap: ImapServer) -> None:
    koi = "Прошу полагодити ліфт у під'їзді 3.".encode("koi8-u")
    imap.append(
        b"From: =?koi8-u?b?" + base64.b64encode("Шевченко Тарас".encode("koi8-u")) + b"?="
        b" <taras@example.org>\r\n"
        b"Subject: =?windows-1251?q?=CB=B3=F4=F2?=\r\n"
        b"Message-ID: <koi@example.org>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=koi8-u\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + koi + b"\r\n"
    )
    cp = "<p>Вода не надходить<br>третій день</p><script>alert(1)</script>".encode("cp1251")
    imap.append(
        b"From: =?windows-1251?b?" + base64.b64encode("Олена Бойко".encode("cp1251")) + b"?="
        b" <olena.boyko@example.org>\r\nSubject: Voda\r\nMessage-ID: <cp@example.org>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=windows-1251\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + cp + b"\r\n"
    )
    poll()
    lift, water = Appeal.objects.order_by("pk")
    assert lift.text == "Прошу полагодити ліфт у під'їзді 3."
    assert (lift.surname, lift.given_name) == ("Шевченко", "Тарас")
    assert lift.summary == "Ліфт"
    assert water.text == "Вода не надходить\nтретій день"
    assert (water.surname, water.given_name) == ("Бойко", "Олена")


def test_an_attachment_refused_by_upload_checks_is_left_out_and_noted(imap: ImapServer) -> None:
    imap.append(
        letter(
            attachments=(
                ("virus.pdf", "application/pdf", b"MZ\x90\x00 this is a windows program"),
                ("план.pdf", "application/pdf", PDF),
            )
        )
    )
    poll()
    mail = IncomingMail.objects.get()
    assert mail.state == IncomingMail.State.DRAFTED
    assert "virus.pdf" in mail.error
    assert list(AppealFile.objects.values_list("name", flat=True)) == ["план.pdf"]


def test_a_run_that_dies_mid_batch_is_continued_by_the_next(
    imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        imap.append(letter(subject=f"Питання {i}", sender=f"Person{i} Test <p{i}@example.org>"))
    real_uid = imaplib.IMAP4.uid
    fetches = {"n": 0}

    def dropping_uid(self: imaplib.IMAP4, command: str, *args: Any) -> Any:
        if command == "FETCH":
            fetches["n"] += 1
            if fetches["n"] == 2:
                raise imaplib.IMAP4.abort("connection lost")
        return real_uid(self, command, *args)

    monkeypatch.setattr(imaplib.IMAP4, "uid", dropping_uid)
    with pytest.raises(imaplib.IMAP4.abort):
        poll(batch_size=2)
    assert Appeal.objects.count() == 2
    assert MailboxState.objects.get().last_uid == 2
    assert "connection lost" in MailboxState.objects.get().last_error
    monkeypatch.setattr(imaplib.IMAP4, "uid", real_uid)
    result = poll(batch_size=2)
    assert result.drafted == 3
    assert sorted(Appeal.objects.values_list("summary", flat=True)) == [
        f"Питання {i}" for i in range(5)
    ]
    assert MailboxState.objects.get().last_error == ""


def test_a_limited_run_leaves_the_rest_for_the_next(imap: ImapServer) -> None:
    for i in range(3):
        imap.append(letter(subject=f"Лист {i}", sender=f"Person{i} Test <p{i}@example.org>"))
    assert poll(limit=1).drafted == 1
    assert poll().drafted == 2
    assert IncomingMail.objects.count() == 3


def test_ingesting_the_same_uid_twice_does_nothing_the_second_time(imap: ImapServer) -> None:
    imap.append(letter())
    config = mailbox.MailboxConfig.from_settings()
    assert config is not None
    poll()
    state = MailboxState.objects.get()
    again = mailbox.mail_ingest(
        mailbox=config.key, uid_validity=state.uid_validity, uid=1, raw=letter()
    )
    assert again is None
    assert Appeal.objects.count() == 1


def test_a_new_uidvalidity_rereads_the_folder_without_duplicates(
    imap: ImapServer, settings: Any
) -> None:
    settings.HROMADA_APPEALS_IMAP_FOLDER = "Appeals"
    imap.create_folder("Appeals")
    old = [letter(subject=f"Старий {i}", message_id=f"<old{i}@example.org>") for i in range(2)]
    for raw in old:
        imap.append(raw, folder="Appeals")
    poll()
    before = imap.uid_validity("Appeals")
    imap.recreate_folder("Appeals")
    assert imap.uid_validity("Appeals") != before
    for raw in old:  # the server renumbered the folder: the same messages, new UIDs
        imap.append(raw, folder="Appeals")
    imap.append(letter(subject="Новий", message_id="<new@example.org>"), folder="Appeals")
    result = poll()
    assert (result.drafted, result.skipped) == (1, 2)
    assert sorted(Appeal.objects.values_list("summary", flat=True)) == [
        "Новий",
        "Старий 0",
        "Старий 1",
    ]
    state = MailboxState.objects.get()
    assert (state.uid_validity, state.last_uid) == (imap.uid_validity("Appeals"), 3)
    assert AuditEvent.objects.filter(action="appeals.mailbox.uidvalidity_changed").exists()


def test_wrong_password_records_the_error_and_changes_nothing(
    imap: ImapServer, settings: Any
) -> None:
    settings.HROMADA_APPEALS_IMAP_PASSWORD = "wrong"
    imap.append(letter())
    with pytest.raises(imaplib.IMAP4.error):
        poll()
    assert not Appeal.objects.exists()


def test_the_periodic_task_takes_mail_in_and_queues_the_next_poll(imap: ImapServer) -> None:
    from django_tasks_db.models import DBTaskResult

    imap.append(letter())
    outcome = mailbox.poll_mailbox.call(reschedule=True)
    assert outcome["drafted"] == 1
    waiting = DBTaskResult.objects.filter(task_path=mailbox.poll_mailbox.module_path)
    assert waiting.filter(status="READY").count() == 1
    assert mailbox.schedule_mailbox_poll() is False  # one is waiting already


def test_the_command_polls_now(imap: ImapServer, capsys: pytest.CaptureFixture[str]) -> None:
    imap.append(letter())
    call_command("appeals", "mailbox", "--now")
    assert "1 draft" in capsys.readouterr().out
    assert Appeal.objects.filter(channel=Channel.EMAIL).count() == 1


def test_intake_is_off_without_a_host(settings: Any, org: Org) -> None:
    settings.HROMADA_APPEALS_IMAP_HOST = ""
    assert poll().error.startswith("IMAP intake is off")
    assert mailbox.schedule_mailbox_poll() is False


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("Коваленко Олена Петрівна", ("Коваленко", "Олена", "Петрівна")),
        ("Олена Петрівна Коваленко", ("Коваленко", "Олена", "Петрівна")),
        ("Шевчук Андрій", ("Шевчук", "Андрій", "")),
        ("Андрій Шевчук", ("Шевчук", "Андрій", "")),
        ("", ("", "", "")),
    ],
)
def test_name_is_guessed_from_the_display_name(display: str, expected: tuple[str, ...]) -> None:
    assert mailbox.guess_name(display) == expected


def test_staff_mailbox_list_shows_failed_letters_and_their_raw_message(
    org: Org, settings: Any, login: Any
) -> None:
    settings.HROMADA_APPEALS_DEFAULT_BODY = org.d.code
    MailboxState.objects.create(mailbox="box", uid_validity=7)
    mailbox.mail_ingest(mailbox="box", uid_validity=7, uid=1, raw=letter(subject="Ліхтар"))
    mailbox.mail_ingest(
        mailbox="box",
        uid_validity=7,
        uid=2,
        raw=b"From: x@example.org\r\nSubject: <b>x</b>\r\n\r\n",
    )
    client = login(org.operator)
    page = client.get("/staff/appeals/mailbox/", {"state": "failed"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in body
    assert "Ліхтар" not in body
    failed = IncomingMail.objects.get(state=IncomingMail.State.FAILED)
    raw = client.get(f"/staff/appeals/mailbox/{failed.pk}/raw/")
    assert raw.status_code == 200
    assert b"Subject: <b>x</b>" in b"".join(raw.streaming_content)
    assert AuditEvent.objects.filter(action="appeals.incomingmail.viewed").exists()
    assert login(org.spec_d).get("/staff/appeals/mailbox/").status_code == 403
