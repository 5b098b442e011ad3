"""The three roles and what each may do, enforced by Wagtail's own permission checks.

- Officials (group OFFICIALS) publish anywhere in the page tree, keep the register (all
  catalog snippets, certificates included) and approve producers' changes.
- Producers (group PRODUCERS, plus one group per producer) may open the admin, edit only
  their own ProducerPage and the ProductPages under it, and use only their own image
  collection. They hold no publish permission, so their changes go to the moderation
  workflow, and no permission on the register, so certificates are out of their reach.
  They record their own marketplace listings and sales channels (cms/sales_channels.py
  scopes the rows to their producer).
- Consumers are accounts without any group: the public site and their own account.
- The evaluation's roles (commune officers, the provincial OCOP office, council members,
  approvers) are cms/evaluation/access.py's groups, created here too.

ensure_roles() is idempotent; `manage.py setup_roles` and the demo-data command call it.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalog.access import ensure_account_group
from cms.evaluation import access as evaluation_access
from cms.models import ProducerIndexPage

OFFICIALS = "Cán bộ OCOP"
PRODUCERS = "Chủ thể OCOP"
WORKFLOW_NAME = "Duyệt nội dung của chủ thể OCOP"
TASK_NAME = "Cán bộ OCOP duyệt"
# Wagtail's own migration makes a default workflow and task, both "Moderators approval";
# the admin shows the name as it is ("Thực hiện Moderators approval"), so they get a
# Vietnamese one.
WAGTAIL_DEFAULT_NAME = "Moderators approval"
DEFAULT_WORKFLOW_NAME = "Ban biên tập duyệt"

OFFICIAL_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
PRODUCER_PAGE_PERMISSIONS = ("add_page", "change_page")
OFFICIAL_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add", "change", "delete", "choose")),
    ("wagtaildocs", "document", ("add", "change", "delete", "choose")),
)
PRODUCER_COLLECTION_PERMISSIONS = (("wagtailimages", "image", ("add", "change", "choose")),)
# The register and the officials' snippets: full model permissions for officials.
OFFICIAL_MODELS = (
    (
        "catalog",
        (
            "province",
            "district",
            "commune",
            "productgroup",
            "standard",
            "producer",
            "product",
            "certificate",
            "marketplacelisting",
            "saleschannel",
        ),
    ),
    ("cms", ("announcementcategory", "sitesettings")),
    ("lifecycle", ("inspection",)),
)
# Where producers sell (cms/sales_channels.py scopes the rows): producers record their own,
# without deleting (a listing taken down is dated); the OCOP office reads everyone's.
SALES_MODELS = ("marketplacelisting", "saleschannel")
PRODUCER_SALES_ACTIONS = ("add", "change", "view")
OFFICE_SALES_ACTIONS = ("view",)


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename):
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(Page), codename=codename)


def _grant_collection(group, collection, spec):
    for app_label, model, actions in spec:
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{action}_{model}"),
            )


@transaction.atomic
def ensure_roles():
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=DEFAULT_WORKFLOW_NAME)
    Task.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=DEFAULT_WORKFLOW_NAME)
    officials, _ = Group.objects.get_or_create(name=OFFICIALS)
    producers, _ = Group.objects.get_or_create(name=PRODUCERS)
    access_admin = _permission("wagtailadmin", "access_admin")
    officials.permissions.add(access_admin)
    producers.permissions.add(access_admin)

    for app_label, models in OFFICIAL_MODELS:
        for model in models:
            actions = ("change",) if model == "sitesettings" else ("add", "change", "delete", "view")
            officials.permissions.add(*[_permission(app_label, f"{a}_{model}") for a in actions])

    root = Page.get_first_root_node()
    for codename in OFFICIAL_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(group=officials, page=root, permission=_page_permission(codename))
    _grant_collection(officials, Collection.get_first_root_node(), OFFICIAL_COLLECTION_PERMISSIONS)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task, _ = GroupApprovalTask.objects.get_or_create(name=TASK_NAME)
    task.groups.set([officials])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    assign_moderation()
    office = {group.name: group for group in evaluation_access.ensure_role_groups()}[evaluation_access.OCOP_OFFICE]
    for model in SALES_MODELS:
        producers.permissions.add(*[_permission("catalog", f"{a}_{model}") for a in PRODUCER_SALES_ACTIONS])
        office.permissions.add(*[_permission("catalog", f"{a}_{model}") for a in OFFICE_SALES_ACTIONS])
    return officials, producers


def assign_moderation():
    """Producers' pages (everything under the producer index) go through the workflow."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    for index_page in ProducerIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page=index_page.page_ptr, defaults={"workflow": workflow})


@transaction.atomic
def grant_producer_access(producer_page):
    """Scope the producer's accounts to its page subtree and its own image collection."""
    producer = producer_page.producer
    group = ensure_account_group(producer)
    for codename in PRODUCER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=producer_page.page_ptr, permission=_page_permission(codename)
        )
    collection = ensure_collection(producer)
    _grant_collection(group, collection, PRODUCER_COLLECTION_PERMISSIONS)
    return group


def ensure_collection(producer):
    if producer.collection_id is None:
        collection = Collection.get_first_root_node().add_child(name=producer.name)
        type(producer).objects.filter(pk=producer.pk).update(collection=collection)
        producer.collection = collection
    return producer.collection


def add_producer_account(producer, user):
    """Make `user` one of the producer's accounts."""
    user.groups.add(Group.objects.get(name=PRODUCERS), ensure_account_group(producer))


def add_official_account(user):
    user.groups.add(Group.objects.get(name=OFFICIALS))
