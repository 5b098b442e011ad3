"""Every admin listing, and each of its filters, opened as each role: never a 5xx (issue 12).

Listings are discovered, not listed by hand, so that one added later is covered: every
registered model viewset (snippets included), every admin URL without arguments named
`…:index`, `…:list` or `…:task_index`, every report, the page explorer (root and a producer's
page) and the dossier list with each `?state=`. A listing's filters are read from the
filterset it renders (the `filters` in its context, as the superuser sees it) and each is
requested with real values: the first and last choice, a date range, both booleans.

Where a listing belongs to a model viewset, its permission policy says who may open it: that
role gets 200 and any other 302 or 403; a customer opens no admin listing at all.
"""

import datetime
import time
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_filters.fields import DateRangeField
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.evaluation.models import State
from cms.oversight.models import Metric, Plan, Target
from tests import evaluation, factories

pytestmark = pytest.mark.django_db

CERTIFICATES = reverse("wagtailsnippets_catalog_certificate:list")
LISTING_NAMES = ("index", "list", "task_index")
ANY_PERMISSION = {"add", "change", "delete", "view"}


def _admin_routes(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _admin_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name and "<" not in str(pattern.pattern):
            yield prefix + str(pattern.pattern), namespace + pattern.name


def model_listings():
    """{url: viewset} of every registered model viewset (snippet viewsets included)."""
    found = {}
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet):
            found[reverse(viewset.get_url_name("list" if isinstance(viewset, SnippetViewSet) else "index"))] = viewset
    return found


def other_listings():
    """The admin's other listings without arguments: `…:index`/`…:list` views and reports."""
    urls = set()
    for route, name in _admin_routes(get_resolver().url_patterns):
        if not route.startswith("admin/") or "choose" in name:
            continue
        namespace, _, short = name.rpartition(":")
        report = namespace == "wagtailadmin_reports" and not short.endswith("_results")
        if short in LISTING_NAMES or report or name == "wagtailadmin_explore_root":
            urls.add(reverse(name))
    return urls


def filter_queries(filterset):
    """Query dicts that try each filter of `filterset` with real values."""
    queries = []
    today = timezone.localdate()
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        if suffixes:
            if isinstance(field, DateRangeField):
                low, high = (today - datetime.timedelta(days=3650)).isoformat(), today.isoformat()
            else:
                low, high = "0", "100"
            queries.append({f"{name}_{suffixes[0]}": low, f"{name}_{suffixes[-1]}": high})
        elif isinstance(field, forms.NullBooleanField | forms.BooleanField):
            queries += [{name: "true"}, {name: "false"}]
        elif hasattr(field, "queryset"):
            objects = [field.queryset.first(), field.queryset.last()]
            queries += [{name: field.prepare_value(obj)} for obj in dict.fromkeys(o for o in objects if o is not None)]
        elif hasattr(field, "choices"):
            values = [value for value, _label in _flat(field.choices) if value not in ("", None)]
            queries += [{name: value} for value in dict.fromkeys(values[:1] + values[-1:])]
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            queries.append({name: today.isoformat()})
        else:
            queries.append({name: "a"})
    return queries


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


@pytest.fixture
def people(tree, rulebook):
    """Every role, on the tree's producers, products and certificates, with a dossier being scored."""
    ctx = evaluation.build(tree)
    evaluation.dossier_in(ctx, State.SCORING)
    factories.certificate(tree.product_a, age_days=1100, decision_number="1/QĐ-UBND-cu", level="district")
    factories.certificate(tree.product_b, revoked_on=ctx.today, decision_number="2/QĐ-UBND-thu-hoi")
    ctx.superuser = get_user_model().objects.create_superuser("quan-tri", "quan-tri@example.vn", "secret-pass-123")
    return ctx


ROLES = ("superuser", "official", "owner", "officer", "office", "member", "approver", "consumer")


def test_every_admin_listing_and_filter_opens_for_every_role(people, client):
    started = time.monotonic()
    people.official = people.tree.official
    models = model_listings()
    listings = sorted(set(models) | other_listings())
    explorer_page = reverse("wagtailadmin_explore", args=[people.tree.producer_a.pk])
    # The officials' dashboard and the list behind one of its figures (cms/oversight).
    day = people.today
    plan = Plan.objects.create(
        code="thu",
        number="1/KH-UBND",
        title="Kế hoạch thử",
        former_province="Đắk Nông",
        issued_on=day,
        starts_on=day.replace(month=1, day=1),
        ends_on=day.replace(month=12, day=31),
    )
    target = Target.objects.create(plan=plan, metric=Metric.NEW_PRODUCTS, label="Mới", value=2, source="Mục II")
    dashboard = reverse("oversight:dashboard")
    listings.append(dashboard)
    listings.append(reverse("oversight:behind", args=[target.pk]))
    dossiers = reverse("evaluation:index")
    assert CERTIFICATES in listings and dossiers in listings and reverse("wagtailimages:index") in listings
    assert reverse("wagtailadmin_reports:site_history") in listings

    # What each listing can be asked, as the superuser sees it (every filter, every choice).
    client.force_login(people.superuser)
    requests = {url: [url] for url in listings}
    requests[explorer_page] = [explorer_page]
    requests[dossiers] += [f"{dossiers}?{urlencode({'state': state})}" for state in State.values]
    filtered = set()
    for url in listings + [explorer_page]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        filterset = response.context.get("filters") if response.context else None
        if hasattr(filterset, "form"):
            filtered.add(url)
            requests[url] += [f"{url}?{urlencode(query)}" for query in filter_queries(filterset)]
    assert CERTIFICATES in filtered
    certificate_filters = " ".join(requests[CERTIFICATES])
    for name in ("status=revoked", "stars=", "level=", "rule_version=", "province=", "district=", "group="):
        assert name in certificate_filters, name
    assert "producer=" in certificate_filters and "expiry_date_from=" in certificate_filters
    requests[CERTIFICATES] += [f"{CERTIFICATES}?export=csv&status=valid", f"{CERTIFICATES}?export=xlsx&stars=4"]

    failures, opened = [], {}
    client.raise_request_exception = False  # a 500 is recorded with the rest, not raised
    for role in ROLES:
        user = getattr(people, role)
        client.force_login(user)
        for url, variants in requests.items():
            status = client.get(url).status_code
            opened[role, url] = status
            if status >= 500:
                failures.append(f"{role} {url}: {status}")
            if url in models:
                allowed = models[url].permission_policy.user_has_any_permission(user, ANY_PERMISSION)
                if allowed != (status == 200) or status not in (200, 302, 403):
                    failures.append(f"{role} {url}: {status}, permission policy says {allowed}")
            if role == "consumer" and status == 200:
                failures.append(f"consumer opened {url}")
            if status != 200:
                continue  # a refused listing's filters answer the same refusal
            for variant in variants[1:]:
                response = client.get(variant)
                if response.status_code >= 500 or response.status_code != 200:
                    failures.append(f"{role} {variant}: {response.status_code}")
    assert not failures, "\n".join(failures)

    # The certificate register: officials and the OCOP office read it; nobody else.
    for role in ("superuser", "official", "office"):
        assert opened[role, CERTIFICATES] == 200, role
    for role in ("owner", "member", "officer", "consumer"):
        assert opened[role, CERTIFICATES] in (302, 403), role
    assert opened["owner", dossiers] == 200 and opened["member", dossiers] == 200
    for role in ROLES[:-1]:
        assert opened[role, dashboard] == (200 if role in ("superuser", "official", "office", "approver") else 403), (
            role
        )
    seconds = time.monotonic() - started
    total = sum(len(v) for v in requests.values())
    print(f"{len(requests)} listings, {total} requests per role that may open them, {seconds:.1f} s")
    assert seconds < 120, "keep this test quick: fewer filter values"
