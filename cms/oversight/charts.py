"""The charts of the oversight pages and reports, drawn by matplotlib (Agg, no display).

Each function takes figures and labels already translated by the caller and returns an SVG
string for inline embedding (text kept as text, role="img", a <title> and aria-label, a
viewBox and width 100%, no height, so it scales to a phone; presentation attributes, no
inline style, for the site's Content-Security-Policy) or, with fmt="png", PNG bytes for
reportlab. The title is drawn above the chart unless heading=False (a page whose heading
says it already).
matplotlib is imported on the first chart, so a page that draws none never loads it.

The figure is about as wide in points as a phone's screen in CSS pixels, so 10 pt text stays
about 10 px on a phone; horizontal bars grow in height with their number. Colours are the
theme's (site.css), each at least 4.5:1 against white.
"""

import io
import re
import textwrap
import xml.etree.ElementTree as ET
from functools import cache

from django.utils import formats
from django.utils.translation import gettext as _

GREEN, GOLD, BLUE, RED, INK, MUTED = "#1b6e3a", "#8a5a00", "#1f5a96", "#b3261e", "#1d1d1b", "#55554f"
STAR_COLOURS = {3: BLUE, 4: GREEN, 5: GOLD}
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
WIDTH_IN = 5.2  # 374 pt: a phone's width in CSS px
FONT_PT = 10
RC = {
    "svg.fonttype": "none",  # SVG text stays text: searchable, selectable, read by screen readers
    "font.family": "DejaVu Sans",  # covers Vietnamese
    "font.size": FONT_PT,
    "axes.titlesize": FONT_PT + 1,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "legend.fontsize": FONT_PT,
    "text.color": INK,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@cache
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return matplotlib, Figure


def _wrap(label, width=24):
    return "\n".join(textwrap.wrap(str(label), width)) or " "


def _render(fig, title, fmt):
    matplotlib, _figure_class = _matplotlib()
    buffer = io.BytesIO()
    # Ids (markers, clip paths) salted by the title: two charts inline on a page never share one.
    with matplotlib.rc_context({**RC, "svg.hashsalt": f"ocop {title}"}):
        if fmt == "png":
            fig.savefig(buffer, format="png", dpi=200, facecolor="white")
            return buffer.getvalue()
        fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None, "Title": str(title)})
    return _inline(buffer.getvalue(), title)


def _inline(data, title):
    """matplotlib's SVG made fit for inline HTML under the site's Content-Security-Policy
    (style-src 'self': no style attribute or element): each style becomes presentation
    attributes; no prolog, no metadata, no fixed size; role="img" and the title as label."""
    root = ET.fromstring(data)
    for element in list(root.iter()):
        for child in [c for c in element if c.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata")]:
            element.remove(child)
        for declaration in element.attrib.pop("style", "").split(";"):
            name, _colon, value = (part.strip() for part in declaration.partition(":"))
            if name:
                element.set(name, f"{value}, sans-serif" if name == "font-family" else value)
    # Only the ids something refers to (markers, clip paths; salted by the title, so unique on
    # the page); matplotlib's group ids (figure_1, axes_1…) would repeat from chart to chart.
    values = " ".join(v for element in root.iter() for v in element.attrib.values())
    for element in root.iter():
        if "id" in element.attrib and f"#{element.get('id')}" not in values:
            del element.attrib["id"]
    _shorten(root)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.attrib.update({"class": "chart", "role": "img", "aria-label": str(title), "width": "100%"})
    root.attrib.update({"stroke-linejoin": "round", "stroke-linecap": "butt"})  # the dropped <style>'s rule
    return ET.tostring(root, encoding="unicode")


GEOMETRY = {"d", "transform", "x", "y", "width", "height", "points", "x1", "x2", "y1", "y2", "cx", "cy", "r"}
GEOMETRY |= {"stroke-width", "stroke-dasharray", "stroke-dashoffset"}
LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
TEXT_TAGS = {f"{{{SVG_NS}}}text", f"{{{SVG_NS}}}tspan"}


def _two_decimals(match):
    short = f"{float(match.group()):.2f}".rstrip("0").rstrip(".")
    return "0" if short == "-0" else short


def _shorten(root):
    """A fifth less markup, the same drawing (issue 16: the statistics page's four charts were
    52 KB of its 62): coordinates to 2 decimals (a hundredth of a point, a fraction of a pixel
    at any width the page gives a chart) and no indentation between elements; the text inside
    <text> is left as it is."""
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name in GEOMETRY:
                element.set(name, " ".join(LONG_NUMBER.sub(_two_decimals, value).split()))
        if element.tag in TEXT_TAGS:
            continue
        if element.text is not None and not element.text.strip():
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None


def _draw(height_in, title, fmt, paint, heading):
    """A figure of `height_in` inches with one axes, painted by `paint(ax)`, rendered; the
    title drawn above it unless `heading` is false (a page whose heading says it already)."""
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
        ax = fig.add_subplot()
        paint(ax)
        if heading:
            ax.set_title(_wrap(title, 52), loc="left")
    return _render(fig, title, fmt)


def _hbar_height(n, per=0.42):
    return 1.0 + per * max(n, 1)


def _legend(ax, **kwargs):
    """The legend under the chart, where it hides no bar."""
    ax.figure.legend(loc="outside lower center", frameon=False, **kwargs)


def plan_vs_actual(categories, plan, actual, title, *, plan_label=None, actual_label=None, fmt="svg", heading=True):
    """Grouped bars: plan (outlined) beside actual (filled) per category; horizontal when the
    categories are many or long, so their names stay level and legible."""
    plan_label, actual_label = plan_label or _("Plan"), actual_label or _("Actual")
    labels = [_wrap(c) for c in categories]
    horizontal = len(labels) > 6 or any(len(str(c)) > 10 for c in categories)
    plan = [p or 0 for p in plan]

    def paint(ax):
        positions = list(range(len(labels)))
        size = 0.4
        bar, thickness = (ax.barh, "height") if horizontal else (ax.bar, "width")
        planned = bar([i - size / 2 for i in positions], plan, **{thickness: size}, label=plan_label,
                      color="white", edgecolor=MUTED, linewidth=1.2)  # fmt: skip
        done = bar([i + size / 2 for i in positions], actual, **{thickness: size}, label=actual_label, color=GREEN)
        for bars in (planned, done):
            ax.bar_label(bars, padding=2, fmt=_number)
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.margins(x=0.15)
        else:
            ax.set_xticks(positions, labels)
            ax.margins(y=0.15)
        _legend(ax, ncols=2)

    return _draw(_hbar_height(len(labels), 0.6) + 0.3 if horizontal else 3.2, title, fmt, paint, heading)


def stars_series(labels, series_by_stars, title, *, fmt="svg", heading=True):
    """Stacked bars, one per period (`labels`), of the products in force by stars (3★ at the
    bottom); each total above its bar, each part inside it where it is tall enough."""
    labels = [str(label) for label in labels]

    def paint(ax):
        bottom = [0] * len(labels)
        totals = [sum(values) for values in zip(*series_by_stars.values(), strict=True)] or [0]
        tall_enough = max(totals) * 0.08
        for stars in sorted(series_by_stars):
            values = list(series_by_stars[stars])
            bars = ax.bar(labels, values, bottom=bottom, label=f"{stars}★", color=STAR_COLOURS.get(stars, MUTED))
            parts = [_number(v) if v and v >= tall_enough else "" for v in values]
            ax.bar_label(bars, labels=parts, label_type="center", color="white")
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for x, total in zip(labels, bottom, strict=True):
            ax.annotate(_number(total), (x, total), xytext=(0, 2), textcoords="offset points", ha="center")
        ax.margins(y=0.12)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _legend(ax, ncols=len(series_by_stars))

    return _draw(3.4, title, fmt, paint, heading)


def shares(items, title, *, threshold_label=None, fmt="svg", heading=True):
    """Horizontal bars of percentages, each threshold marked by a red tick across its bar."""
    threshold_label = threshold_label or _("Target")
    labels = [_wrap(label) for label, _actual, _threshold in items]

    def paint(ax):
        positions = list(range(len(items)))
        actual = [float(a or 0) for _label, a, _threshold in items]
        thresholds = [None if t is None else float(t) for _label, _actual, t in items]
        ax.barh(positions, actual, height=0.55, color=GREEN)
        legend = threshold_label
        for i, (value, threshold) in enumerate(zip(actual, thresholds, strict=True)):
            if threshold is not None:
                ax.plot([threshold] * 2, [i - 0.4, i + 0.4], color=RED, linewidth=2.5, label=legend)
                legend = None  # once
            end = max(value, threshold or 0)
            ax.annotate(f"{_number(value)}%", (end, i), xytext=(4, 0), textcoords="offset points", va="center")
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, max([100, *actual]) * 1.15)
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0f}%")
        if any(t is not None for t in thresholds):
            _legend(ax)

    return _draw(_hbar_height(len(items)) + 0.5, title, fmt, paint, heading)


def counts(items, title, *, fmt="svg", heading=True):
    """Horizontal bars of counts, in the order given (the largest first, usually)."""
    labels = [_wrap(label) for label, _n in items]

    def paint(ax):
        positions = list(range(len(items)))
        bars = ax.barh(positions, [n for _label, n in items], height=0.6, color=GREEN)
        ax.bar_label(bars, padding=2, fmt=_number)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.margins(x=0.12)
        ax.xaxis.get_major_locator().set_params(integer=True)

    return _draw(_hbar_height(len(items)), title, fmt, paint, heading)


def _number(value):
    """A count or a percentage as the active language writes it (1.234 / 12,5 in Vietnamese)."""
    value = float(value)
    return formats.number_format(value, 0 if value == int(value) else 1, use_l10n=True, force_grouping=True)
