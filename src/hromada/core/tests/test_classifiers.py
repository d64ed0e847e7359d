"""Tests of the reference classifier loader and selectors (classifier No. 858)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from hromada.accounts.factories import StaffFactory
from hromada.core.classifiers import (
    SECTION_KIND,
    SECTION_TOPICS,
    classifier_choices,
    classifier_item_add,
    classifier_item_update,
    classifier_items,
    classifiers_load,
    load_builtin_classifiers,
    read_classifier_file,
    section_labels,
)
from hromada.core.exceptions import ApplicationError
from hromada.core.models import AuditEvent, ClassifierItem

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    return list(
        ClassifierItem.objects.order_by("pk").values_list(
            "pk",
            "code",
            "label",
            "section",
            "parent_id",
            "valid_from",
            "valid_to",
            "confirmed",
            "order",
            "note",
        )
    )


def test_the_migration_loads_classifier_858():
    # Non-transactional tests run before transactional ones, so the migrated data is here.
    assert ClassifierItem.objects.filter(classifier="858").count() == 90


def test_the_sections_hold_the_codes_of_the_law():
    load_builtin_classifiers()
    assert [c for c, _ in classifier_choices("858", SECTION_KIND)] == ["3.1", "3.2", "3.3"]
    assert classifier_items("858", "4").get(code="4.2").label == "жіноча"
    assert section_labels("858")["9"] == "Результат розгляду"


def test_question_topics_run_from_101_to_125():
    load_builtin_classifiers()
    codes = list(classifier_items("858", SECTION_TOPICS).values_list("code", flat=True))
    assert codes == [str(n) for n in range(101, 126)]


def test_unconfirmed_topics_are_marked():
    load_builtin_classifiers()
    topics = dict(classifier_items("858", SECTION_TOPICS).values_list("code", "confirmed"))
    assert [c for c, ok in topics.items() if not ok] == ["108", "109", "110", "111"]


def test_codes_are_ordered_as_in_the_law_not_as_text():
    load_builtin_classifiers()
    codes = list(classifier_items("858", "7").values_list("code", flat=True))
    assert codes.index("7.9") < codes.index("7.10")


def test_a_subcode_points_to_its_parent():
    load_builtin_classifiers()
    assert ClassifierItem.objects.get(classifier="858", code="1.1.1").parent.code == "1.1"


def test_codes_are_valid_from_24_september_2008():
    load_builtin_classifiers()
    assert not classifier_items("858", on=date(2008, 9, 23)).exists()
    assert classifier_items("858", on=date(2008, 9, 24)).count() == 90


def test_a_code_past_its_validity_is_not_offered():
    load_builtin_classifiers()
    ClassifierItem.objects.filter(classifier="858", code="6.1").update(valid_to=date(2015, 12, 31))
    assert classifier_items("858", "6", on=date(2015, 12, 31)).filter(code="6.1").exists()
    assert not classifier_items("858", "6", on=date(2016, 1, 1)).filter(code="6.1").exists()


def test_loading_twice_changes_nothing():
    load_builtin_classifiers()
    before = _snapshot()
    result = load_builtin_classifiers()["858"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 90)
    assert _snapshot() == before


def test_loading_restores_a_changed_label():
    load_builtin_classifiers()
    ClassifierItem.objects.filter(classifier="858", code="3.3").update(label="інше")
    assert load_builtin_classifiers()["858"].updated == 1
    assert ClassifierItem.objects.get(classifier="858", code="3.3").label == "скарга"


def test_loading_keeps_codes_an_administrator_added():
    load_builtin_classifiers()
    topic = ClassifierItem.objects.get(classifier="858", code="109")
    classifier_item_add(
        classifier="858",
        code="109.1",
        label="теплопостачання",
        parent_id=topic.pk,
        valid_from=date(2008, 9, 24),
        actor=StaffFactory(),
    )
    load_builtin_classifiers()
    assert ClassifierItem.objects.filter(code="109.1").exists()


def test_the_command_is_idempotent(capsys):
    call_command("classifiers", "load")
    call_command("classifiers", "load")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1] == "858: нових 0, змінених 0, без змін 90"
    )


def test_loading_audits_only_when_something_changed():
    load_builtin_classifiers()
    classifiers_load()
    assert not AuditEvent.objects.filter(action="classifier.loaded").exists()
    ClassifierItem.objects.filter(classifier="858", code="3.3").update(label="інше")
    classifiers_load()
    assert AuditEvent.objects.filter(action="classifier.loaded").count() == 1


def test_an_added_subtopic_takes_its_parents_section_and_is_audited():
    load_builtin_classifiers()
    topic = ClassifierItem.objects.get(classifier="858", code="109")
    item = classifier_item_add(
        classifier="858",
        code="109.2",
        label="вивезення сміття",
        parent_id=topic.pk,
        actor=StaffFactory(),
    )
    assert item.section == SECTION_TOPICS
    assert AuditEvent.objects.filter(
        action="classifier.item_added", object_id=str(item.pk)
    ).exists()


def test_a_duplicate_code_is_refused():
    load_builtin_classifiers()
    with pytest.raises(ApplicationError, match="вже є"):
        classifier_item_add(
            classifier="858",
            code="3.1",
            label="x",
            valid_from=date(2008, 9, 24),
            actor=StaffFactory(),
        )


def test_a_parent_from_another_classifier_is_refused():
    load_builtin_classifiers()
    other = ClassifierItem.objects.create(classifier="other", code="1", label="x")
    with pytest.raises(ApplicationError, match="Батьківський"):
        classifier_item_add(
            classifier="858", code="109.3", label="x", parent_id=other.pk, actor=StaffFactory()
        )


def test_validity_cannot_end_before_it_starts():
    load_builtin_classifiers()
    item = ClassifierItem.objects.get(classifier="858", code="6.1")
    with pytest.raises(ApplicationError, match="раніше"):
        classifier_item_update(
            item_id=item.pk,
            label=item.label,
            valid_to=date(2000, 1, 1),
            confirmed=True,
            actor=StaffFactory(),
        )
    item.refresh_from_db()
    assert item.valid_to is None


def test_a_file_with_a_child_before_its_parent_is_rejected(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"classifier": "x", "items": [{"code": "1.1", "label": "a", "parent": "1"}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="must come before"):
        read_classifier_file(path)
