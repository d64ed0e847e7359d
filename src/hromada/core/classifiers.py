"""Reference classifiers (e.g. the appeals classifier No. 858): codes with validity dates.

The built-in classifiers are JSON files in ``core/data/`` and are loaded by a data
migration, so every database has them; ``hromada classifiers load`` loads them
again after an update (idempotent: codes are matched by classifier, code and
``valid_from``; labels and flags are updated, nothing is deleted, and codes an
administrator added stay). A new edition of a code is a new row with a later
``valid_from``; the old row gets a ``valid_to``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hromada.core.audit import audit_record
from hromada.core.exceptions import ApplicationError
from hromada.core.models import ClassifierItem

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN_FILES = ("classifier_858.json",)

# Sections of classifier No. 858, as stored in ClassifierItem.section.
APPEALS_858 = "858"
SECTION_HOW_RECEIVED = "1"
SECTION_SIGN = "2"
SECTION_KIND = "3"
SECTION_SEX = "4"
SECTION_SUBJECT = "5"
SECTION_TYPE = "6"
SECTION_CATEGORY = "7"
SECTION_SOCIAL_STATUS = "8"
SECTION_RESULT = "9"
SECTION_TOPICS = "topics"

_ITEM_KEYS = {"code", "label", "section", "parent", "confirmed", "valid_from", "valid_to", "note"}


@dataclass(frozen=True)
class LoadResult:
    """What loading a classifier changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date_or_none(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: invalid date {value!r}") from exc


def read_classifier_file(path: Path) -> dict[str, Any]:
    """Read and check a classifier file; raise ValueError naming the first problem."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("classifier") or not data.get("items"):
        raise ValueError(f"{path.name}: needs 'classifier' and 'items'")
    _date_or_none(data.get("valid_from"), path.name)
    seen: set[str] = set()
    for n, item in enumerate(data["items"], 1):
        where = f"{path.name}, item {n}"
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            raise ValueError(f"{where}: needs 'code' and 'label'")
        if unknown := set(item) - _ITEM_KEYS:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if item.get("parent") and item["parent"] not in seen:
            raise ValueError(f"{where}: parent {item['parent']!r} must come before its child")
        seen.add(item["code"])
    return data


def load_classifier(data: dict[str, Any], *, model: Any = ClassifierItem) -> LoadResult:
    """Create or update a classifier's codes from checked file data (no audit: see below).

    `model` lets a data migration pass its historical model.
    """
    classifier = data["classifier"]
    default_from = _date_or_none(data.get("valid_from"), classifier)
    existing = {(o.code, o.valid_from): o for o in model.objects.filter(classifier=classifier)}
    loaded: dict[str, Any] = {}
    created = updated = unchanged = 0
    for position, raw in enumerate(data["items"], 1):
        valid_from = _date_or_none(raw.get("valid_from"), raw["code"]) or default_from
        parent = loaded[raw["parent"]] if raw.get("parent") else None
        wanted = {
            "label": raw["label"],
            "section": raw.get("section", ""),
            "parent_id": parent.pk if parent is not None else None,
            "valid_to": _date_or_none(raw.get("valid_to"), raw["code"]),
            "confirmed": bool(raw.get("confirmed", True)),
            "order": position * 10,
            "note": raw.get("note", ""),
        }
        obj = existing.get((raw["code"], valid_from))
        if obj is None:
            obj = model.objects.create(
                classifier=classifier, code=raw["code"], valid_from=valid_from, **wanted
            )
            created += 1
        else:
            changes = [k for k, v in wanted.items() if getattr(obj, k) != v]
            if changes:
                for k in changes:
                    setattr(obj, k, wanted[k])
                obj.save(update_fields=changes)
                updated += 1
            else:
                unchanged += 1
        loaded[raw["code"]] = obj
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


def load_builtin_classifiers(*, model: Any = ClassifierItem) -> dict[str, LoadResult]:
    """Load every classifier shipped with hromada (used by the data migration)."""
    results = {}
    for name in BUILTIN_FILES:
        data = read_classifier_file(DATA_DIR / name)
        results[data["classifier"]] = load_classifier(data, model=model)
    return results


@lru_cache(maxsize=16)
def section_labels(classifier: str) -> dict[str, str]:
    """Return the section titles of a built-in classifier, by section code."""
    for name in BUILTIN_FILES:
        data = read_classifier_file(DATA_DIR / name)
        if data["classifier"] == classifier:
            return dict(data.get("sections", {}))
    return {}


# --- Selectors --------------------------------------------------------------------------------


def classifier_items(
    classifier: str, section: str | None = None, on: date | None = None
) -> QuerySet[ClassifierItem]:
    """Return a classifier's codes valid on a date (today by default), in their order."""
    day = on or timezone.localdate()
    items = ClassifierItem.objects.filter(classifier=classifier).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )
    if section is not None:
        items = items.filter(section=section)
    return items.order_by("order", "code", "pk")


def classifier_choices(
    classifier: str, section: str | None = None, on: date | None = None
) -> list[tuple[str, str]]:
    """Return (code, "code label") pairs for a form's choices."""
    return [
        (code, f"{code} {label}")
        for code, label in classifier_items(classifier, section, on).values_list("code", "label")
    ]


# --- Services ---------------------------------------------------------------------------------


@transaction.atomic
def classifiers_load(*, actor: Any = None) -> dict[str, LoadResult]:
    """Load the built-in classifiers again (after an update) and audit what changed."""
    results = load_builtin_classifiers()
    for classifier, result in results.items():
        if result.changed:
            audit_record(
                actor=actor,
                action="classifier.loaded",
                object_type="core.classifieritem",
                object_id=classifier,
                object_repr=f"класифікатор {classifier}",
                data={"created": result.created, "updated": result.updated},
            )
    return results


def _check_dates(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ApplicationError(
            "Дата «чинний по» не може бути раніше дати «чинний з».", field="valid_to"
        )


@transaction.atomic
def classifier_item_add(
    *,
    classifier: str,
    code: str,
    label: str,
    section: str = "",
    parent_id: int | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    confirmed: bool = True,
    note: str = "",
    actor: Any,
) -> ClassifierItem:
    """Add a code to a classifier, e.g. a municipal sub-topic under a topic."""
    code, label = code.strip(), label.strip()
    if not code or not label:
        raise ApplicationError("Код і назва обов'язкові.", field="code" if not code else "label")
    _check_dates(valid_from, valid_to)
    parent = None
    if parent_id is not None:
        parent = ClassifierItem.objects.filter(pk=parent_id, classifier=classifier).first()
        if parent is None:
            raise ApplicationError("Батьківський код не з цього класифікатора.", field="parent")
    if ClassifierItem.objects.filter(
        classifier=classifier, code=code, valid_from=valid_from
    ).exists():
        raise ApplicationError(f"Код {code} з цією датою початку вже є.", field="code")
    item = ClassifierItem.objects.create(
        classifier=classifier,
        code=code,
        label=label,
        section=section or (parent.section if parent else ""),
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        confirmed=confirmed,
        note=note,
    )
    audit_record(
        actor=actor,
        action="classifier.item_added",
        target=item,
        data={"classifier": classifier, "code": code, "label": label},
    )
    return item


@transaction.atomic
def classifier_item_update(
    *,
    item_id: int,
    label: str,
    valid_to: date | None,
    confirmed: bool,
    note: str = "",
    actor: Any,
) -> ClassifierItem:
    """Change a code's label, end of validity or confirmation."""
    item = ClassifierItem.objects.select_for_update().get(pk=item_id)
    label = label.strip()
    if not label:
        raise ApplicationError("Назва обов'язкова.", field="label")
    _check_dates(item.valid_from, valid_to)
    before = {"label": item.label, "valid_to": item.valid_to, "confirmed": item.confirmed}
    item.label, item.valid_to, item.confirmed, item.note = label, valid_to, confirmed, note
    item.save(update_fields=["label", "valid_to", "confirmed", "note"])
    after = {"label": label, "valid_to": valid_to, "confirmed": confirmed}
    audit_record(
        actor=actor,
        action="classifier.item_changed",
        target=item,
        data={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return item
