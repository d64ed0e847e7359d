"""The mayor's e-mailbox (електронна скринька міського голови): IMAP intake of appeals.

A background task (`tasks.poll_mailbox`, kept queued every HROMADA_APPEALS_IMAP_POLL_MINUTES
by `hromada appeals mailbox --every`) reads the folder HROMADA_APPEALS_IMAP_FOLDER over IMAP
and turns every new message into a draft appeal (channel EMAIL, in the default body's
journal) with its attachments, for an operator to check and register.

Never lose, never duplicate:

- the folder is read by UID; `MailboxState` keeps the folder's UIDVALIDITY and the last UID
  taken in. Each message is taken in by `mail_ingest` in its own transaction that stores the
  raw message (`IncomingMail.raw`), creates the draft, and advances `last_uid` — all or
  nothing. A run that dies half-way leaves the committed messages done and the others to
  the next run;
- `IncomingMail` is unique on (mailbox, UIDVALIDITY, UID), and a message whose Message-ID
  (or, without one, whose content hash) was taken in before is skipped: when the server
  renumbers the folder (a new UIDVALIDITY) the folder is read again from the start without
  a second draft of any message;
- a message that cannot be turned into a draft (no text, a broken structure…) is kept raw
  with state FAILED and the error, shown in the staff list "Листи зі скриньки", and the
  operators of the default body get an in-app notification.

Messages are read with BODY.PEEK[]: the mailbox's "seen" flags are left to people.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import imaplib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hromada.accounts.models import OrgUnit, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.appeals import selectors, services
from hromada.appeals.models import Channel, IncomingMail, MailboxState
from hromada.core.audit import audit_record
from hromada.core.uploads import DOCUMENTS, validate_upload

log = logging.getLogger(__name__)

MAX_SUBJECT = 500
# Charsets Ukrainian mail still arrives in when a part declares none or a wrong one.
FALLBACK_CHARSETS = ("utf-8", "windows-1251", "koi8-u")
_PATRONYMIC = re.compile(r"(ович|евич|йович|івна|ївна|овна|ич|ична)$", re.IGNORECASE)
_SURNAME = re.compile(
    r"(енко|єнко|ук|юк|чук|ський|цький|зький|ська|цька|зька|ов|ова|ев|ева|єв|єва|ін|іна|"
    r"ин|ина|ич|ко|як|ак|ейко|ishyn|enko|uk|chuk|skyi|ska|ov|ova)$",
    re.IGNORECASE,
)
_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h[1-6]|p|div|li|tr|h[1-6])\b[^>]*>", re.I)
_DROP_BLOCKS = re.compile(r"<\s*(script|style|head)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


class MailParseError(Exception):
    """A message that cannot be turned into a draft appeal (the message says why, in Ukrainian)."""


# --- configuration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MailboxConfig:
    """Where the mailbox is: host, port, TLS, login, folder (from HROMADA_APPEALS_IMAP_*)."""

    host: str
    user: str
    password: str
    folder: str = "INBOX"
    port: int = 993
    ssl: bool = True
    timeout: int = 60

    @property
    def key(self) -> str:
        """The mailbox's name in MailboxState and IncomingMail (no password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"[:200]

    @classmethod
    def from_settings(cls) -> MailboxConfig | None:
        """Return the configured mailbox, or None when the intake is off (no host)."""
        if not settings.HROMADA_APPEALS_IMAP_HOST:
            return None
        return cls(
            host=settings.HROMADA_APPEALS_IMAP_HOST,
            user=settings.HROMADA_APPEALS_IMAP_USER,
            password=settings.HROMADA_APPEALS_IMAP_PASSWORD,
            folder=settings.HROMADA_APPEALS_IMAP_FOLDER,
            port=settings.HROMADA_APPEALS_IMAP_PORT,
            ssl=settings.HROMADA_APPEALS_IMAP_SSL,
            timeout=settings.HROMADA_APPEALS_IMAP_TIMEOUT,
        )


# --- parsing ----------------------------------------------------------------------------------


@dataclass
class ParsedMail:
    """What a message says: sender, subject, text and attachments."""

    message_id: str
    from_name: str
    from_address: str
    surname: str
    given_name: str
    patronymic: str
    subject: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def message_key(raw: bytes) -> str:
    """Return the message's identity: its Message-ID, or a hash of the content without one."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        value = str(headers.get("Message-ID", "") or "").strip()
    except Exception:  # a broken header block still has a content hash
        value = ""
    value = " ".join(value.split())
    if value and len(value) <= 490:
        return value
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def guess_name(display: str) -> tuple[str, str, str]:
    """Guess (surname, given name, patronymic) from a sender's display name; a hint only."""
    words = [w.strip(" ,.\"'") for w in display.replace(",", " ").split()]
    words = [w for w in words if w and "@" not in w][:3]
    if len(words) == 3:
        if _PATRONYMIC.search(words[2]):
            return words[0], words[1], words[2]
        if _PATRONYMIC.search(words[1]):
            return words[2], words[0], words[1]
        return words[0], words[1], words[2]
    if len(words) == 2:
        if _SURNAME.search(words[0]) and not _SURNAME.search(words[1]):
            return words[0], words[1], ""
        return words[1], words[0], ""
    if len(words) == 1:
        return words[0], "", ""
    return "", "", ""


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML body: blocks become lines, tags and scripts go."""
    text = _DROP_BLOCKS.sub("", markup)
    text = _BLOCK_TAGS.sub("\n", text)
    text = html.unescape(_TAGS.sub("", text))
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _decode_bytes(payload: bytes, charset: str | None) -> str:
    for name in ([charset] if charset else []) + list(FALLBACK_CHARSETS):
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    return _decode_bytes(payload, charset)


def _header(message: Message, name: str) -> str:
    """Return a header as text, decoding RFC 2047 words in any charset Python knows."""
    raw = message.get(name)
    if raw is None:
        return ""
    try:
        return " ".join(str(make_header(decode_header(str(raw)))).split())
    except (LookupError, UnicodeError, ValueError, TypeError):
        chunks = []
        for chunk, charset in decode_header(str(raw)):
            chunks.append(_decode_bytes(chunk, charset) if isinstance(chunk, bytes) else str(chunk))
        return " ".join("".join(chunks).split())


def _filename(part: Message) -> str:
    name = part.get_filename() or ""
    if name:
        with contextlib.suppress(LookupError, UnicodeError, ValueError, TypeError):
            name = str(make_header(decode_header(name)))
    return name


def _walk(message: Message) -> Iterator[Message]:
    if message.is_multipart():
        payload = message.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    yield from _walk(sub)
        return
    yield message


def parse_mail(raw: bytes) -> ParsedMail:
    """Read a raw RFC 5322 message into a ParsedMail; raise MailParseError if it has no text."""
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    if message.is_multipart() and not isinstance(message.get_payload(), list):
        raise MailParseError(_("Пошкоджена структура листа: не знайдено частин (boundary)."))
    from_header = _header(message, "From")
    addresses = getaddresses([from_header]) if from_header else []
    from_name, from_address = addresses[0] if addresses else ("", "")
    from_name = " ".join(from_name.split())
    from_address = from_address.strip().lower()
    surname, given_name, patronymic = guess_name(from_name)
    subject = _header(message, "Subject")[:MAX_SUBJECT]

    plain: list[str] = []
    htmls: list[str] = []
    attachments: list[tuple[str, bytes]] = []
    for part in _walk(message):
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        name = _filename(part)
        if disposition == "attachment" or (name and not ctype.startswith("text/")):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                attachments.append((name or "вкладення", data))
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/html":
            htmls.append(_part_text(part))
        elif name:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                attachments.append((name, data))
    text = "\n\n".join(t.strip() for t in plain if t.strip())
    if not text and htmls:
        text = "\n\n".join(html_to_text(h) for h in htmls if h.strip())
    text = text.replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        if subject and attachments:
            text = subject
        else:
            raise MailParseError(_("Лист не містить тексту звернення."))
    return ParsedMail(
        message_id=message_key(raw),
        from_name=from_name,
        from_address=from_address,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        subject=subject,
        text=text[: services.MAX_TEXT],
        attachments=attachments,
    )


def _checked_attachments(attachments: Sequence[tuple[str, bytes]]) -> tuple[list[Any], list[str]]:
    """Return the attachments that pass the upload checks (as files) and notes on the others."""
    files: list[Any] = []
    notes: list[str] = []
    limit = settings.HROMADA_APPEALS_MAX_FILES
    for name, data in attachments:
        upload = ContentFile(data, name=name)
        try:
            validate_upload(
                upload, allowed=DOCUMENTS, max_bytes=settings.HROMADA_APPEALS_MAX_FILE_BYTES
            )
        except ValidationError as exc:
            notes.append(
                _("Вкладення «%(name)s» не прийнято: %(why)s")
                % {"name": name[:120], "why": " ".join(exc.messages)}
            )
            continue
        if len(files) >= limit:
            notes.append(
                _("Вкладення «%(name)s» не прийнято: більше %(max)s файлів.")
                % {"name": name[:120], "max": limit}
            )
            continue
        upload.seek(0)
        files.append(upload)
    return files, notes


# --- taking a message in ----------------------------------------------------------------------


def _operators_of(body: OrgUnit) -> list[User]:
    """The people who register appeals in the body's journal (operators whose scope covers it)."""
    grants = RoleAssignment.objects.filter(role=Role.OPERATOR, user__is_active=True).filter(
        Q(unit__isnull=True)
        | Q(unit=body)
        | Q(include_subunits=True, unit__path__in=_ancestors(body))
    )
    ids = set(grants.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _ancestors(body: OrgUnit) -> list[str]:
    width = len(OrgUnit.path_segment(1))
    return [body.path[:i] for i in range(width, len(body.path) + 1, width)]


def _report_failure(mail: IncomingMail) -> None:
    """Tell the operators of the default body that a message needs their eyes."""
    from hromada.core.notifications import notify

    url = reverse("appeals:mailbox") + "?state=failed"
    title = _("Лист зі скриньки не вдалося розібрати: %(subject)s") % {
        "subject": mail.subject or mail.from_address or f"UID {mail.uid}"
    }
    for operator in _operators_of(selectors.default_body()):
        notify(
            recipient=operator,
            key=f"appeals:mail:{mail.pk}:failed",
            title=title,
            body=mail.error[:1000],
            url=url,
        )


@transaction.atomic
def mail_ingest(*, mailbox: str, uid_validity: int, uid: int, raw: bytes) -> IncomingMail | None:
    """Take one message in: keep it raw, make a draft appeal (or mark it FAILED), advance the UID.

    Returns None when the message was taken in before (same UID, or same Message-ID).
    """
    state = MailboxState.objects.select_for_update().get(mailbox=mailbox)
    if state.uid_validity != uid_validity or uid <= state.last_uid:
        return None  # another run took it in meanwhile, or the folder was renumbered since
    state.last_uid = uid
    state.save(update_fields=["last_uid"])
    key = message_key(raw)
    if IncomingMail.objects.filter(
        Q(mailbox=mailbox, uid_validity=uid_validity, uid=uid) | Q(mailbox=mailbox, message_id=key)
    ).exists():
        return None
    mail = IncomingMail(
        mailbox=mailbox,
        uid_validity=uid_validity,
        uid=uid,
        message_id=key,
        size=len(raw),
        state=IncomingMail.State.DRAFTED,
    )
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        mail.subject = _header(headers, "Subject")[:MAX_SUBJECT]
        mail.from_address = _header(headers, "From")[:300]
    except Exception as exc:  # a broken header block is reported by the parse below
        log.info("Mailbox %s UID %s: unreadable headers: %s", mailbox, uid, exc)
    mail.raw.save(f"{uid}.eml", ContentFile(raw), save=False)
    notes: list[str] = []
    try:
        with transaction.atomic():
            parsed = parse_mail(raw)
            mail.subject = parsed.subject
            mail.from_address = (
                f"{parsed.from_name} <{parsed.from_address}>"
                if parsed.from_name
                else parsed.from_address
            )[:300]
            files, notes = _checked_attachments(parsed.attachments)
            card = services.AppealCard(
                text=parsed.text,
                summary=(parsed.subject or parsed.text.split("\n")[0])[: services.MAX_SUMMARY],
                surname=parsed.surname,
                given_name=parsed.given_name,
                patronymic=parsed.patronymic,
                email=parsed.from_address[:254],
                source_ref=parsed.message_id[:200],
            )
            mail.appeal = services.appeal_draft_create(
                body=selectors.default_body(), channel=Channel.EMAIL, card=card, files=files
            )
    except Exception as exc:  # any fault in one message must not stop the intake
        log.warning("Mailbox %s UID %s not parsed: %s", mailbox, uid, exc)
        mail.state = IncomingMail.State.FAILED
        mail.appeal = None
        notes = [str(exc) or exc.__class__.__name__]
    mail.error = "\n".join(notes)
    mail.save()
    audit_record(
        actor=None,
        action="appeals.mail.received",
        target=mail,
        data={
            "mailbox": mailbox,
            "uid_validity": uid_validity,
            "uid": uid,
            "state": mail.state,
            "appeal": mail.appeal_id,
            "size": mail.size,
        },
    )
    if mail.state == IncomingMail.State.FAILED:
        _report_failure(mail)
    return mail


@transaction.atomic
def mailbox_state_sync(*, mailbox: str, uid_validity: int) -> MailboxState:
    """Return the mailbox's state for this UIDVALIDITY; a new UIDVALIDITY starts from UID 0."""
    state, created = MailboxState.objects.select_for_update().get_or_create(
        mailbox=mailbox, defaults={"uid_validity": uid_validity}
    )
    if not created and state.uid_validity != uid_validity:
        audit_record(
            actor=None,
            action="appeals.mailbox.uidvalidity_changed",
            target=state,
            data={"old": state.uid_validity, "new": uid_validity, "last_uid": state.last_uid},
        )
        state.uid_validity = uid_validity
        state.last_uid = 0
        state.save(update_fields=["uid_validity", "last_uid"])
    return state


def _state_note(*, mailbox: str, error: str) -> None:
    MailboxState.objects.filter(mailbox=mailbox).update(
        checked_at=timezone.now(), last_error=error[:2000]
    )


# --- IMAP -------------------------------------------------------------------------------------


@dataclass
class PollResult:
    """What one run did."""

    fetched: int = 0
    drafted: int = 0
    failed: int = 0
    skipped: int = 0
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fetched": self.fetched,
            "drafted": self.drafted,
            "failed": self.failed,
            "skipped": self.skipped,
            "error": self.error,
        }


def connect(config: MailboxConfig) -> imaplib.IMAP4:
    """Open and log in to the IMAP server."""
    client: imaplib.IMAP4
    if config.ssl:
        client = imaplib.IMAP4_SSL(config.host, config.port, timeout=config.timeout)
    else:
        client = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    client.login(config.user, config.password)
    return client


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uid_validity(client: imaplib.IMAP4, folder: str) -> int:
    typ, _data = client.select(_quote(folder), readonly=True)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"SELECT {folder}: {typ}")
    values = client.untagged_responses.get("UIDVALIDITY") or []
    if not values:
        typ, data = client.status(_quote(folder), "(UIDVALIDITY)")
        match = re.search(rb"UIDVALIDITY (\d+)", b" ".join(d for d in data if isinstance(d, bytes)))
        if not match:
            raise imaplib.IMAP4.error("The server did not tell the folder's UIDVALIDITY.")
        return int(match.group(1))
    last = values[-1]
    return int(last if isinstance(last, bytes) else last[0])


def _new_uids(client: imaplib.IMAP4, after: int) -> list[int]:
    typ, data = client.uid("SEARCH", "UID", f"{after + 1}:*")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH: {typ}")
    found = b" ".join(d for d in data if isinstance(d, bytes)).split()
    # "n:*" always matches the last message, even when its UID is below n.
    return sorted(uid for uid in (int(x) for x in found) if uid > after)


_FETCH_UID = re.compile(rb"UID (\d+)")


def _fetch(client: imaplib.IMAP4, uids: Sequence[int]) -> dict[int, bytes]:
    typ, data = client.uid("FETCH", ",".join(str(u) for u in uids), "(UID BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH: {typ}")
    messages: dict[int, bytes] = {}
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            match = _FETCH_UID.search(item[0])
            if match:
                messages[int(match.group(1))] = item[1]
    return messages


def mailbox_poll(
    *, config: MailboxConfig | None = None, batch_size: int = 20, limit: int | None = None
) -> PollResult:
    """Take in the folder's new messages (at most `limit` in this run); see the module doc."""
    config = config or MailboxConfig.from_settings()
    result = PollResult()
    if config is None:
        result.error = "IMAP intake is off (HROMADA_APPEALS_IMAP_HOST is empty)."
        return result
    try:
        client = connect(config)
    except (imaplib.IMAP4.error, OSError) as exc:
        result.error = f"connect: {exc}"
        _state_note(mailbox=config.key, error=result.error)
        raise
    try:
        uid_validity = _uid_validity(client, config.folder)
        state = mailbox_state_sync(mailbox=config.key, uid_validity=uid_validity)
        uids = _new_uids(client, state.last_uid)
        if limit is not None:
            uids = uids[:limit]
        for start in range(0, len(uids), batch_size):
            chunk = uids[start : start + batch_size]
            raws = _fetch(client, chunk)
            for uid in chunk:
                raw = raws.get(uid)
                if raw is None:  # expunged meanwhile
                    result.skipped += 1
                    continue
                result.fetched += 1
                mail = mail_ingest(mailbox=config.key, uid_validity=uid_validity, uid=uid, raw=raw)
                if mail is None:
                    result.skipped += 1
                elif mail.state == IncomingMail.State.FAILED:
                    result.failed += 1
                else:
                    result.drafted += 1
        _state_note(mailbox=config.key, error="")
    except (imaplib.IMAP4.error, OSError) as exc:
        result.error = f"{exc.__class__.__name__}: {exc}"
        _state_note(mailbox=config.key, error=result.error)
        raise
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
    return result


# --- the periodic task ----------------------------------------------------------------------------


@task()
def poll_mailbox(*, reschedule: bool = False) -> dict[str, Any]:
    """Take in the mailbox's new messages; with `reschedule`, queue the next poll first."""
    if reschedule:
        # Queued before the work, so that a poll that fails does not end the cycle (this
        # task is RUNNING now, so it does not count as waiting).
        schedule_mailbox_poll()
    try:
        return mailbox_poll().as_dict()
    except (imaplib.IMAP4.error, OSError) as exc:
        # The error is on MailboxState.last_error; the next poll tries again.
        return {**PollResult().as_dict(), "error": str(exc)}


def _poll_waiting() -> bool:
    """Return whether a poll is already queued (database task backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: a second poll is harmless (UIDs are locked)
        return False
    return DBTaskResult.objects.filter(task_path=poll_mailbox.module_path, status="READY").exists()


def next_poll_time(now: datetime | None = None) -> datetime:
    """Return when the next poll is due: HROMADA_APPEALS_IMAP_POLL_MINUTES from now."""
    return (now or timezone.now()) + timedelta(
        minutes=max(1, int(settings.HROMADA_APPEALS_IMAP_POLL_MINUTES))
    )


def schedule_mailbox_poll(*, now: datetime | None = None, force: bool = False) -> bool:
    """Queue the next poll unless one is waiting (or intake is off); it queues the following."""
    if MailboxConfig.from_settings() is None:
        return False
    if not force and _poll_waiting():
        return False
    poll_mailbox.using(run_after=next_poll_time(now)).enqueue(reschedule=True)
    return True


# --- reads --------------------------------------------------------------------------------------


def incoming_mail(*, state: str = "") -> QuerySet[IncomingMail]:
    """The staff list "Листи зі скриньки": newest first, optionally only one state."""
    qs = IncomingMail.objects.select_related("appeal").order_by("-received_at", "-pk")
    if state in IncomingMail.State.values:
        qs = qs.filter(state=state)
    return qs
