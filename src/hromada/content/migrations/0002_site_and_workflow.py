"""Set up the city site in Wagtail: its root page, the press office and its approval workflow.

Wagtail's own data migrations create a "Welcome" page, a site on it, two groups
("Moderators", "Editors") and a "Moderators approval" workflow on the whole tree. hromada
gives CMS rights only through roles, so those are replaced: the site's root becomes
"Розділи сайту" (served at /sections/), the press office (прес-служба) group may edit and
publish everywhere, and every page in the tree needs its approval before it goes live.
"""

import uuid

from django.conf import settings
from django.db import migrations

PRESS_OFFICE_GROUP = "Прес-служба"
WORKFLOW_NAME = "Затвердження прес-службою"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", "add_image", "Can add image"),
    ("wagtailimages", "image", "change_image", "Can change image"),
    ("wagtailimages", "image", "choose_image", "Can choose image"),
    ("wagtaildocs", "document", "add_document", "Can add document"),
    ("wagtaildocs", "document", "change_document", "Can change document"),
    ("wagtaildocs", "document", "choose_document", "Can choose document"),
)


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    PortalIndexPage = apps.get_model("content", "PortalIndexPage")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    plain_page = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    # Wagtail's "Welcome to your new Wagtail site!" page, if untouched.
    Site.objects.filter(root_page__content_type=plain_page, root_page__depth=2).delete()
    Page.objects.filter(depth=2, content_type=plain_page, numchild=0).delete()

    index_type = ContentType.objects.get_or_create(app_label="content", model="portalindexpage")[0]
    index = PortalIndexPage.objects.first()
    if index is None:
        siblings = Page.objects.filter(depth=2, path__startswith=root.path).order_by("-path")
        last = siblings.first()
        step = int(last.path[-4:], 36) + 1 if last else 1
        path = root.path + format_step(step)
        locale = Locale.objects.order_by("pk").first()
        index = PortalIndexPage.objects.create(
            title="Розділи сайту",
            draft_title="Розділи сайту",
            slug="sections",
            path=path,
            depth=2,
            numchild=0,
            url_path="/sections/",
            live=True,
            content_type=index_type,
            locale=locale,
            translation_key=uuid.uuid4(),
            intro="<p>Новини, оголошення, регуляторні акти та публічні закупівлі міської ради "
            "і виконавчого комітету.</p>",
        )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name=settings.HROMADA_CITY_NAME,
            root_page_id=index.pk,
            is_default_site=True,
        )
    else:
        site.root_page_id = index.pk
        site.site_name = settings.HROMADA_CITY_NAME
        site.save(update_fields=["root_page", "site_name"])

    # Rights come from roles only: Wagtail's default groups go.
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    GroupApprovalTask.objects.filter(name="Moderators approval").update(active=False)
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()

    press, _ = Group.objects.get_or_create(name=PRESS_OFFICE_GROUP)
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=press,
            page_id=index.pk,
            permission=_permission(apps, "wagtailcore", "page", codename, codename),
        )
    collection = Collection.objects.filter(depth=1).order_by("path").first()
    if collection is not None:
        for app_label, model, codename, name in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=press,
                collection=collection,
                permission=_permission(apps, app_label, model, codename, name),
            )

    task_type = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )[0]
    task = GroupApprovalTask.objects.filter(name=PRESS_OFFICE_GROUP).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=PRESS_OFFICE_GROUP, content_type=task_type, active=True
        )
    task.groups.set([press])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.filter(page_id=root.pk).delete()
    WorkflowPage.objects.create(page_id=root.pk, workflow=workflow)


def format_step(step):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while step:
        step, rem = divmod(step, 36)
        out = alphabet[rem] + out
    return out.rjust(4, "0")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
