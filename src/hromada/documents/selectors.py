"""Reads of the document workflow: visible documents, search, journals, cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hromada.accounts.models import OrgUnit
from hromada.accounts.permissions import acting_for_ids, has_role, is_everything, scope_q
from hromada.accounts.roles import Role
from hromada.control.models import Assignment, Resolution
from hromada.control.types import WaitingItem
from hromada.documents import search
from hromada.documents.models import (
    Approval,
    CaseFile,
    Correspondent,
    DestructionAct,
    Document,
    DocumentFile,
    FileVersion,
    Journal,
)


def _document_type() -> ContentType:
    return ContentType.objects.get_for_model(Document)


def _resolutions() -> QuerySet[Resolution]:
    return Resolution.objects.filter(item_type=_document_type(), item_id=OuterRef("pk"))


def visible_documents_q(user: Any) -> Q:
    """Return a filter for the documents the user may see (twin of documents.view_document)."""
    ids = list(acting_for_ids(user))
    scope = scope_q(user, [Role.OPERATOR, Role.CONTROLLER, Role.HEAD])
    if is_everything(scope):
        return scope  # a city-wide grant: everything
    q = Q(access=Document.Access.PUBLIC) | scope
    q |= (
        Q(registered_by_id__in=ids)
        | Q(addressee_id__in=ids)
        | Q(author_id__in=ids)
        | Q(signer_id__in=ids)
    )
    resolutions = _resolutions()
    q |= Q(
        Exists(
            resolutions.filter(
                Q(author_id__in=ids) | Q(controller_id__in=ids) | Q(entered_by_id__in=ids)
            )
        )
    )
    executors = Assignment.objects.filter(
        resolution__item_type=_document_type(), resolution__item_id=OuterRef("pk")
    )
    q |= Q(Exists(executors.filter(executor_id__in=ids)))
    if has_role(user, Role.HEAD):
        q |= Q(Exists(executors.filter(scope_q(user, [Role.HEAD]))))
    q |= Q(Exists(Approval.objects.filter(document=OuterRef("pk"), official_id__in=ids)))
    return q


def visible_documents(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(visible_documents_q(user))


@dataclass
class DocumentFilter:
    query: str = ""
    journal_id: int | None = None
    direction: str = ""
    start: date | None = None
    end: date | None = None
    correspondent_id: int | None = None
    executor_id: int | None = None
    case_id: int | None = None
    control: str = ""  # on_control, removed, none, overdue
    state: str = ""


CONTROL_FILTERS = ("on_control", "removed", "none", "overdue")


def documents_list(*, user: Any, criteria: DocumentFilter) -> QuerySet[Document]:
    """Return the documents the user may see that match the criteria, newest first."""
    qs = visible_documents(user).select_related("journal", "correspondent", "case_file")
    if criteria.journal_id:
        qs = qs.filter(journal_id=criteria.journal_id)
    if criteria.direction:
        qs = qs.filter(direction=criteria.direction)
    if criteria.state:
        qs = qs.filter(state=criteria.state)
    if criteria.start:
        qs = qs.filter(reg_date__gte=criteria.start)
    if criteria.end:
        qs = qs.filter(reg_date__lte=criteria.end)
    if criteria.correspondent_id:
        qs = qs.filter(correspondent_id=criteria.correspondent_id)
    if criteria.case_id:
        qs = qs.filter(case_file_id=criteria.case_id)
    if criteria.executor_id:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    resolution__item_type=_document_type(),
                    resolution__item_id=OuterRef("pk"),
                    executor_id=criteria.executor_id,
                )
            )
        )
    if criteria.control == "on_control":
        qs = qs.filter(
            Exists(_resolutions().filter(control_state=Resolution.ControlState.ON_CONTROL))
        )
    elif criteria.control == "removed":
        qs = qs.filter(Exists(_resolutions().filter(control_state=Resolution.ControlState.REMOVED)))
    elif criteria.control == "none":
        qs = qs.exclude(Exists(_resolutions()))
    elif criteria.control == "overdue":
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    resolution__item_type=_document_type(),
                    resolution__item_id=OuterRef("pk"),
                    state__in=Assignment.OPEN_STATES,
                    due_date__lt=timezone.localdate(),
                )
            )
        )
    if criteria.query:
        # Registration indexes and correspondents' numbers are in the search text too.
        qs = search.filter_text(qs, criteria.query)
    return qs.order_by("-reg_date", "-seq", "-pk")


def document_for_page(document_id: int) -> Document | None:
    """Return a document with what its card shows."""
    return (
        Document.objects.select_related(
            "journal",
            "correspondent",
            "case_file",
            "addressee",
            "registered_by",
            "author",
            "signer",
            "unit",
        )
        .prefetch_related(
            Prefetch(
                "files",
                queryset=DocumentFile.objects.prefetch_related(
                    Prefetch("versions", queryset=FileVersion.objects.order_by("-number"))
                ),
            ),
            "links_from__to_document",
            "links_to__from_document",
            Prefetch(
                "approvals",
                queryset=Approval.objects.select_related("official", "decided_by").order_by(
                    "round", "order"
                ),
            ),
        )
        .filter(pk=document_id)
        .first()
    )


def journals_for_registration(user: Any, kind: str | None = None) -> QuerySet[Journal]:
    """Return the active journals the user registers in (as operator over their body)."""
    qs = Journal.objects.filter(scope_q(user, [Role.OPERATOR], "body__path"), is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("body").order_by("body__path", "order", "code")


def journals_manageable(user: Any) -> QuerySet[Journal]:
    """Return the journals whose bodies the user administers or registers for."""
    return (
        Journal.objects.filter(scope_q(user, [Role.ADMIN, Role.OPERATOR], "body__path"))
        .select_related("body")
        .order_by("body__path", "order", "code")
    )


def bodies_for_journals(user: Any) -> QuerySet[OrgUnit]:
    """Return the bodies the user may open a journal for."""
    return OrgUnit.objects.filter(scope_q(user, [Role.ADMIN, Role.OPERATOR], "path")).order_by(
        "path"
    )


def journals_visible(user: Any) -> QuerySet[Journal]:
    return Journal.objects.select_related("body").order_by("body__path", "order", "code")


def correspondents_search(query: str, *, limit: int = 20) -> QuerySet[Correspondent]:
    """Return active correspondents whose name, code or ЄДРПОУ contains every word typed."""
    qs = Correspondent.objects.filter(is_active=True)
    for word in query.casefold().split()[:5]:
        qs = qs.filter(search_name__contains=word)
    return qs.order_by("name", "pk")[:limit]


def open_cases(body_id: int, year: int) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(body_id=body_id, year=year, state=CaseFile.State.OPEN).order_by(
        "index"
    )


def nomenclature(*, body_ids: list[int] | None, year: int) -> QuerySet[CaseFile]:
    """Return the case files of a year with their document counts (the inventory)."""
    qs = CaseFile.objects.filter(year=year)
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return (
        qs.select_related("body")
        .annotate(documents_count=Count("documents"))
        .order_by("body__path", "index")
    )


def acts(*, body_ids: list[int] | None) -> QuerySet[DestructionAct]:
    qs = DestructionAct.objects.select_related("body", "approved_by")
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return qs.annotate(cases_count=Count("proposed")).order_by("-year", "-number")


def awaiting_resolution(user: Any) -> list[WaitingItem]:
    """Return documents addressed to the user (or whom they act for) that have no resolution."""
    ids = acting_for_ids(user)
    docs = (
        Document.objects.filter(addressee_id__in=ids, state=Document.State.REGISTERED)
        .exclude(Exists(_resolutions()))
        .select_related("correspondent")
        .order_by("reg_date", "pk")[:100]
    )
    return [
        WaitingItem(title=d.control_title, url=d.get_absolute_url(), since=d.reg_date) for d in docs
    ]


def my_approvals(user: Any) -> list[Approval]:
    """Return the approvals waiting on the user whose turn has come."""
    ids = acting_for_ids(user)
    pending = list(
        Approval.objects.filter(
            official_id__in=ids,
            state=Approval.State.PENDING,
            document__state=Document.State.ON_APPROVAL,
        ).select_related("document")
    )
    turn = []
    for approval in pending:
        first = (
            Approval.objects.filter(document_id=approval.document_id, state=Approval.State.PENDING)
            .order_by("round", "order")
            .values_list("pk", flat=True)
            .first()
        )
        if first == approval.pk:
            turn.append(approval)
    return turn
