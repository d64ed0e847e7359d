"""Test helpers for the document workflow: journals, correspondents, a registered letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.accounts.models import User
from hromada.control.factories import Org, make_org
from hromada.documents import services
from hromada.documents.models import CaseFile, Correspondent, Document, Journal

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name: str = "скан.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Office:
    """The organisation of control.factories plus journals of department D, a correspondent."""

    org: Org
    incoming: Journal
    outgoing: Journal
    internal: Journal
    correspondent: Correspondent
    case: CaseFile


def make_office() -> Office:
    org = make_org()
    incoming = Journal.objects.create(
        body=org.d, kind=Journal.Kind.INCOMING, code="D-IN", name="Вхідні D"
    )
    outgoing = Journal.objects.create(
        body=org.d,
        kind=Journal.Kind.OUTGOING,
        code="D-OUT",
        name="Вихідні D",
        index_template="01-15/{seq}",
    )
    internal = Journal.objects.create(
        body=org.d,
        kind=Journal.Kind.INTERNAL,
        code="D-ORD",
        name="Розпорядження D",
        doc_kind="розпорядження",
    )
    correspondent = Correspondent.objects.create(
        kind=Correspondent.Kind.ORGANISATION,
        name="ТОВ «Ремонтбуд»",
        code="RB",
        edrpou="12345678",
        search_name="тов «ремонтбуд» rb 12345678",
    )
    case = CaseFile.objects.create(
        body=org.d,
        year=timezone.localdate().year,
        index="01-15",
        title="Листування з підприємствами",
        storage=CaseFile.Storage.TEMPORARY,
        storage_years=3,
    )
    return Office(org, incoming, outgoing, internal, correspondent, case)


def card(office: Office, **changes: Any) -> services.Card:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "summary": "Про ремонт покрівлі будинку № 5 за договором підряду",
        "correspondent": office.correspondent,
        "correspondent_number": "15/3",
        "correspondent_date": today - timedelta(days=2),
        "received_date": today,
        "channel": Document.Channel.POST,
        "addressee": office.org.head_d,
    }
    values.update(changes)
    return services.Card(**values)


def register(
    office: Office, *, actor: User | None = None, files: Any = (), **changes: Any
) -> Document:
    return services.document_register(
        journal=office.incoming,
        actor=actor or office.org.operator,
        card=card(office, **changes),
        files=files,
    )


def years_ago(n: int) -> int:
    return date.today().year - n
