"""Small views of the showcase outside the page tree's templates: robots.txt, favicon.ico and
the traceability QR code of a product (as a file and as a printable label)."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from cms import qr, seo

QR_MAX_AGE = 24 * 3600


def traceability_url(request, page):
    return seo.canonical_url(request, page)


def product_qr_svg(request, page):
    url = traceability_url(request, page)
    data = qr.svg_file(url, title=page.title)
    response = HttpResponse(data, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="ocop-{page.pk}-qr.svg"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


def product_label(request, page):
    url = traceability_url(request, page)
    return render(
        request,
        "cms/product_label.html",
        {
            "page": page,
            "certificate": page.current_certificate,
            "producer_page": page.producer_page,
            "traceability_url": url,
            "qr_svg": qr.inline_svg(url, scale=6, title=_("QR code: %(title)s") % {"title": page.title}),
        },
    )


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in seo.ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {seo.absolute(request, '/sitemap.xml')}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


FAVICON = "ocop/favicon.ico"


@require_safe
def favicon_ico(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the pages' <link rel=icon>:
    the theme's icon file itself (200), not a 404 on every page."""
    path = finders.find(FAVICON)
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115 (closed by Django)
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response
