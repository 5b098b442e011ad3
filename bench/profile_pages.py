"""Where a public page's server time goes, with pyinstrument (a benchmark aid, not a test).

Run from the repository root (pyinstrument comes with requirements-dev.txt):

    .venv/bin/python bench/profile_pages.py [--dir DIR] [--requests 50] [--out DIR] [PAGE ...]

PAGE is a path or model:app_label.Model (its first live page, as bench/vs_bakerydemo.py picks
it); by default our four slowest pages in the side-by-side benchmark: the product list, home,
a product page and the producer page. The site is the demo site of bench/vs_bakerydemo.py and
bench/page_budget.py (tests/services/demo_settings.py, DEBUG off, local-memory cache, SQLite;
DIR is migrated and loaded with the demo data when new; default /tmp/ocop-vs-bakerydemo/ours,
the one bench/vs_bakerydemo.py makes). For each page: 20 warm-up requests, then --requests
requests through Django's test client without cookies under pyinstrument's statistical
profiler (1 ms interval); it prints the call tree (frames under 2% of the time hidden) and,
with --out, writes it as text and HTML per page.
"""

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_PAGES = ["/san-pham/", "/", "model:cms.ProductPage", "model:cms.ProducerPage"]

# What each sample was spent on, two ways. FEATURES: the first rule that any frame of the
# stack matches (what part of the page asked for the work); KINDS: the rule of the innermost
# frame that matches one (what kind of work it was). Rules are (label, path fragment, a part of
# the function's name as Class.function, or None for any); C functions have the path <built-in>.
FEATURES = [
    ("Wagtail routing (finding the page)", "wagtail/models/pages.py", "route_for_request"),
    ("product listing (search service)", "ours:search/listing.py", "product_listing"),
    ("SEO head: JSON-LD", "ours:cms/seo.py", "jsonld"),
    ("SEO head: other meta", "ours:cms/seo.py", None),
    ("hreflang and language switcher", "ours:cms/templatetags/ocop_i18n.py", "language_alternates"),
    ("menus", "ours:cms/templatetags/ocop_i18n.py", None),
    ("shop's purchase info", "ours:storefront/partner/", None),
    ("sales listings", "ours:cms/templatetags/sales_tags.py", None),
    ("page get_context (the view's queries)", "ours:cms/models.py", "get_context"),
    ("page get_context (the view's queries)", "ours:", "get_context"),
    ("image tags (renditions)", "wagtail/images/templatetags/", None),
    ("page URLs in templates (pageurl, routablepageurl)", "wagtail/templatetags/", None),
    ("page URLs in templates (pageurl, routablepageurl)", "wagtail/contrib/routable_page/templatetags/", None),
    ("URL reversing in templates ({% url %})", "django/template/defaulttags.py", "URLNode.render"),
    ("other template rendering", "django/template/", None),
    ("middleware, sessions, test client", "", None),
]
KINDS = [
    ("SQL execution (SQLite)", "<built-in>", "SQLiteCursorWrapper.execute"),
    ("SQL execution (SQLite)", "<built-in>", "SQLiteCursorWrapper.fetch"),
    ("SQL execution (SQLite)", "django/db/backends/", None),
    ("ORM: reading rows (fetch, converters)", "django/db/models/sql/compiler.py", "results_iter"),
    ("ORM: reading rows (fetch, converters)", "django/db/models/sql/compiler.py", "apply_converters"),
    ("ORM: reading rows (fetch, converters)", "django/db/models/sql/compiler.py", "get_converters"),
    ("ORM: reading rows (fetch, converters)", "django/db/models/sql/compiler.py", "cursor_iter"),
    ("ORM: compiling SQL", "django/db/models/sql/compiler.py", None),
    ("ORM: compiling SQL", "django/db/models/", "as_sql"),
    ("ORM: building model instances", "django/db/models/base.py", None),
    ("ORM: building model instances", "django/db/models/query.py", "Iterable.__iter__"),
    ("ORM: building model instances", "django/db/models/query.py", "RelatedPopulator"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/sql/query.py", None),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/sql/where.py", None),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query_utils.py", None),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.filter"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.exclude"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.annotate"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet._annotate"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet._chain"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet._clone"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.select_related"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.prefetch_related"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.order_by"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.only"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.defer"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet.values"),
    ("ORM: building querysets (filter, annotate, clone)", "django/db/models/query.py", "QuerySet._filter_or_exclude"),
    ("ORM: other", "django/db/models/", None),
    ("ORM: other", "modelcluster/", None),
    ("ORM: other", "treebeard/", None),
    ("image renditions (lookup, URLs)", "wagtail/images/", None),
    ("URL resolving and reversing", "django/urls/", None),
    ("translation (gettext)", "django/utils/translation/", None),
    ("translation (gettext)", "gettext.py", None),
    ("template engine", "django/template/", None),
    ("JSON", "json/", None),
    ("Wagtail (other)", "wagtail/", None),
    ("Oscar (other)", "oscar/", None),
    ("our code's own Python", "ours:", None),
    ("other (Django, stdlib)", "", None),
]


def frame_parts(frame):
    """(Class.function or function, path) of a pyinstrument frame identifier; our files as ours:path."""
    function, _, rest = frame.partition("\x00")
    path, _, attributes = rest.partition("\x00")
    for attribute in attributes.split("\x01"):
        if attribute.startswith("c") and "." not in function:
            function = f"{attribute[1:]}.{function}"
    if "site-packages" not in path and path.startswith(str(REPO)):
        path = "ours:" + path[len(str(REPO)) + 1 :]
    return function, path


def matches(frame, fragment, name):
    function, path = frame_parts(frame)
    return fragment in path and (name is None or name in function)


ORM = ("django/db/models/", "modelcluster/", "treebeard/")


def label_of(stack, rules, by_rule):
    """by_rule: the first rule any frame matches (features). Otherwise (kinds) the rule of the
    innermost frame that matches one; for an ORM frame, the first ORM rule that it or any frame
    outside it matches, so that a field's __set__ under Model.__init__ counts as building
    instances and an expression's copy under the compiler as compiling."""
    if by_rule:
        for label, fragment, name in rules:
            if any(matches(frame, fragment, name) for frame in stack):
                return label
        return rules[-1][0]
    for depth in range(len(stack) - 1, -1, -1):
        frame = stack[depth]
        path = frame_parts(frame)[1]
        if any(fragment in path for fragment in ORM):
            outer = stack[: depth + 1]
            for label, fragment, name in rules:
                if label.startswith("ORM") and any(matches(f, fragment, name) for f in outer):
                    return label
        for label, fragment, name in rules:
            if fragment and matches(frame, fragment, name):
                return label
    return rules[-1][0]


def template_callees(session, top=8):
    """What the templates call, by share of the profiled time: for each sample inside template
    rendering, the first frame under the innermost Django template frame (a tag function, a
    property, a related-object lookup...), or the template engine itself."""
    totals, whole = {}, 0
    for stack, seconds in session.frame_records:
        whole += seconds
        inside = [i for i, frame in enumerate(stack) if "django/template/" in frame_parts(frame)[1]]
        if not inside:
            continue
        callee = stack[inside[-1] + 1] if inside[-1] + 1 < len(stack) else None
        function, path = frame_parts(callee) if callee else ("(the template engine)", "")
        label = f"{function} ({path.rpartition('site-packages/')[2]})" if path else function
        totals[label] = totals.get(label, 0) + seconds
    ranked = sorted(totals.items(), key=lambda x: -x[1])[:top]
    return [(label, 100 * t / (whole or 1)) for label, t in ranked]


def breakdown(session, rules, by_rule):
    """Share of the profiled time per label: [(label, percent)], largest first."""
    totals = {}
    for stack, seconds in session.frame_records:
        label = label_of(stack, rules, by_rule)
        totals[label] = totals.get(label, 0) + seconds
    whole = sum(totals.values()) or 1
    return sorted(((label, 100 * t / whole) for label, t in totals.items()), key=lambda x: -x[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ocop-vs-bakerydemo/ours"))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--out", type=Path, help="write <page>.txt and <page>.html here")
    args = parser.parse_args()

    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("pyinstrument is missing: .venv/bin/pip install -r requirements-dev.txt") from None

    args.dir.mkdir(parents=True, exist_ok=True)
    os.environ["OCOP_DEMO_DIR"] = str(args.dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.services.demo_settings"
    import django

    django.setup()
    from django.conf import settings

    from bench.page_worker import Timer, first_live_page_path
    from tests.services.demo_server import prepare

    prepare()
    settings.ALLOWED_HOSTS = ["*"]
    timer = Timer()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for spec in args.pages:
        path = first_live_page_path(spec[len("model:") :]) if spec.startswith("model:") else spec
        timer.run(path, 20, 0)
        profiler = Profiler(interval=0.001)
        with profiler:
            result = timer.run(path, 0, args.requests)
        total = sum(result["times"])
        header = (
            f"=== {spec} ({path}): {args.requests} requests, {total / args.requests:.1f} ms each under the profiler"
        )
        text = profiler.output_text(
            unicode=True,
            color=False,
            show_all=False,
            time="percent_of_total",
            processor_options={"filter_threshold": 0.02},
        )
        session = profiler.last_session
        shares = []
        for title, rules, by_rule in (("by part of the page", FEATURES, True), ("by kind of work", KINDS, False)):
            shares.append(
                f"{title}: "
                + "; ".join(f"{label} {pct:.0f}%" for label, pct in breakdown(session, rules, by_rule) if pct >= 1)
            )
        shares.append(
            "what the templates call: "
            + "; ".join(f"{label} {pct:.0f}%" for label, pct in template_callees(session) if pct >= 1)
        )
        text = "\n".join(shares) + "\n" + text
        print(header + "\n" + text)
        if args.out:
            name = "".join(c if c.isalnum() else "-" for c in spec).strip("-") or "home"
            (args.out / f"{name}.txt").write_text(header + "\n" + text)
            (args.out / f"{name}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()
