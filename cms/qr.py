"""The traceability QR code printed on a product's label: its canonical page URL, as SVG.

Made with segno and cached by URL (a product's URL rarely changes), so neither the page nor
the label nor the downloadable file draws it again on each request.
"""

import hashlib
import io

import segno
from django.core.cache import cache

CACHE_SECONDS = 24 * 3600


def _key(kind, url, scale):
    return f"ocop-qr:{kind}:{scale}:{hashlib.sha256(url.encode()).hexdigest()}"


def make(url):
    # Level M survives a scuffed or partly covered label; the URL fits a small symbol.
    return segno.make(url, error="m", micro=False)


def inline_svg(url, *, scale=4, title=""):
    """An <svg> element to put in HTML (no XML declaration) that scales to its box.

    It has a viewBox and width/height of 100%, not a size in pixels: the page's CSS sizes it
    (40 mm on the printed label) and the whole symbol shrinks with it, instead of the box
    cropping a fixed-size drawing to its top-left corner.
    """
    key = _key("inline-scalable", url + "\n" + title, scale)
    svg = cache.get(key)
    if svg is None:
        svg = make(url).svg_inline(scale=scale, title=title or None, dark="#000", light="#fff", omitsize=True)
        svg = svg.replace("<svg ", '<svg width="100%" height="100%" ', 1)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def svg_file(url, *, scale=10, title=""):
    """A standalone SVG document (bytes) to download and print."""
    key = _key("file", url + "\n" + title, scale)
    data = cache.get(key)
    if data is None:
        buffer = io.BytesIO()
        make(url).save(buffer, kind="svg", scale=scale, border=4, title=title or None, dark="#000", light="#fff")
        data = buffer.getvalue()
        cache.set(key, data, CACHE_SECONDS)
    return data
