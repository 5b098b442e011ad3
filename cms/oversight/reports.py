"""The periodic reports: the half-year report (due before 15/6) and the yearly one (before
15/12), for a plan or for the province as a whole, as XLSX (openpyxl) and PDF (reportlab).

`collect(period, plan=None)` takes every figure from the engine (figures.py, results.py), as
of the period's end; `to_xlsx(report)` and `to_pdf(report)` only lay it out, so both files
and the dashboard show the same numbers. Four sections, in both files:

1. headline figures as of the period's end: products in force by stars, producers, groups;
2. certificates decided in the period (new, upgraded, re-evaluated) by historical district
   and by product group, with the products in force at the end;
3. each plan target: plan, result, met or not (a province report: every plan that overlaps
   the period);
4. the list of the certificates decided in the period.

Headings are Vietnamese with the English below (a second header row in the XLSX, a second
line in the PDF). The PDF's text is set in matplotlib's DejaVu Sans, which covers Vietnamese,
registered from matplotlib's own data (no reliance on the system's fonts).
"""

import dataclasses
import datetime
import io
from functools import cache
from pathlib import Path

from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog import history
from catalog.models import Certificate, District, Product
from cms.oversight import charts, figures, periods, results
from cms.oversight.models import Metric, Plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
FORMATS = {"xlsx": XLSX_TYPE, "pdf": PDF_TYPE}
KINDS = ("new", "upgrade", "reevaluation")
# The years a report may cover: the OCOP programme began in 2018; far-off years are typos.
FIRST_YEAR, LAST_YEAR = 2018, 2100


def both(message):
    """(Vietnamese, English) of a translatable message."""
    with translation.override("vi"):
        vietnamese = str(message)
    with translation.override("en"):
        english = str(message)
    return vietnamese, english


# --- The figures --------------------------------------------------------------------------


@dataclasses.dataclass
class CertificateRow:
    product: str
    producer: str
    stars: int
    kind: str  # EvaluationKind value
    decision_number: str
    decision_date: datetime.date
    district: str


@dataclasses.dataclass
class Report:
    period: object  # periods.Period
    plan: Plan | None
    as_of: datetime.date
    generated_at: datetime.datetime
    headline: dict  # figures.headline(), in the plan's districts for a plan
    by_district: list  # figures.breakdown(..., "district")
    by_group: list
    plans: list  # [(plan, [results.Result])]
    certificates: list  # [CertificateRow]
    series: list  # figures.series(): [(period, {3: n, 4: n, 5: n})]

    @property
    def slug(self):
        return f"bao-cao-ocop-{self.period.slug}" + (f"-{slugify(self.plan.code)}" if self.plan else "")

    def filename(self, fmt):
        return f"{self.slug}.{fmt}"

    def title(self):
        """(Vietnamese, English) title."""
        titles = []
        for language, words in zip(("vi", "en"), both(REPORT_TITLE), strict=True):
            with translation.override(language):
                titles.append(f"{words} – {self.period.label}" + (f" – {self.plan.number}" if self.plan else ""))
        return tuple(titles)

    def scope(self):
        """(Vietnamese, English): which products the figures count."""
        if self.plan is None:
            return both(SCOPE_ALL)
        return tuple(words % {"province": self.plan.former_province} for words in both(SCOPE_PLAN))


REPORT_TITLE = _("Report on the OCOP programme")


def plan_districts(plan):
    """The historical districts (pks) a plan was issued for: its former province's."""
    return None if plan is None else plan.district_ids()


def collect(period, plan=None):
    """Every figure of the report for `period`, for `plan` (its province's historical
    districts) or, with None, the whole register."""
    as_of = period.as_of
    districts = plan_districts(plan)
    plans = [plan] if plan else list(Plan.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start))
    with figures.remembered():
        return Report(
            period=period,
            plan=plan,
            as_of=as_of,
            generated_at=timezone.localtime(),
            headline=figures.headline(as_of, districts),
            by_district=figures.breakdown(period, "district", districts),
            by_group=figures.breakdown(period, "group", districts),
            plans=[(each, results.evaluate_plan(each, period)) for each in plans],
            certificates=certificate_rows(period, districts),
            series=figures.series(series_periods(period), districts),
        )


def series_periods(period, years=5):
    """The periods of the stars chart: the years before `period`'s, then `period` itself."""
    first = period.start.year - years + 1
    return [periods.year(y) for y in range(first, period.start.year)] + [period]


def certificate_rows(period, districts=None):
    """The certificates counted in section 2 (figures.decided), in decision order, with the
    decision number as recorded at the period's end and the producer's historical district
    as it stood then."""
    decided = figures.decided(period, districts=districts)
    numbers = dict(
        history.certificates_as_of(period.as_of)
        .filter(id__in=[item.certificate_id for item in decided])
        .values_list("id", "decision_number")
    )
    products = Product.objects.select_related("producer").in_bulk({item.product_id for item in decided})
    district_names = dict(District.objects.values_list("pk", "name"))
    rows = []
    for item in decided:
        product = products[item.product_id]
        rows.append(
            CertificateRow(
                product=product.name,
                producer=product.producer.name,
                stars=item.stars,
                kind=item.kind,
                decision_number=numbers.get(item.certificate_id, ""),
                decision_date=item.decision_date,
                district=district_names.get(item.district_id, ""),
            )
        )
    rows.sort(key=lambda row: (row.decision_date, row.decision_number, row.product))
    return rows


# --- Words shared by both files -----------------------------------------------------------

DATA_AS_OF = _("Data as of")
GENERATED = _("Generated")
SECTIONS = {
    1: _("1. Headline figures"),
    2: _("2. Certificates decided in the period"),
    3: _("3. Plan targets and results"),
    4: _("4. Certificates decided in the period: the list"),
}
SHEETS = {1: "1. Số liệu chính", 2: "2. Công nhận trong kỳ", 3: "3. Chỉ tiêu", 4: "4. Danh sách"}
PRODUCTS_IN_FORCE = _("OCOP products in force (3★ or more)")
STARS_IN_FORCE = {5: _("of which 5★"), 4: _("of which 4★"), 3: _("of which 3★")}
PRODUCERS = _("Producers with OCOP products in force")
SCOPE_ALL = _("Scope: the whole register")
SCOPE_PLAN = _("Scope: the historical districts of %(province)s")
PERIOD_MEASURED = _("Measured over")
SCOPE = _("District, group")
FIGURE = _("Figure")
VALUE = _("Value")
GROUP = _("Product group")
DISTRICT = _("Historical district")
PRODUCTS = _("Products")
TOTAL = pgettext_lazy("report", "Total")
NEW = _("New (first evaluation)")
UPGRADED = _("Upgraded")
REEVALUATED = _("Re-evaluated")
DECIDED = _("Decided in the period")
IN_FORCE_AT_END = _("In force at the end")
BREAKDOWN_COLUMNS = (NEW, UPGRADED, REEVALUATED, DECIDED, IN_FORCE_AT_END)
TARGET = _("Target")
YEAR = _("Year")
PLAN_VALUE = _("Plan")
RESULT = _("Result")
UNIT = _("Unit")
NUMERATOR = _("Counted")
DENOMINATOR = _("Out of")
MET = _("Met")
MET_WORDS = {True: _("met"), False: _("not met"), None: _("under way")}


def met_words(result):
    """(Vietnamese, English): met, not met, or under way while the target's period runs."""
    if not result.met and result.running:
        return both(MET_WORDS[None])
    return both(MET_WORDS[result.met])


NO_PLAN = _("No plan covers this period.")
NUMBER = _("No.")
PRODUCT = _("Product")
PRODUCER = _("Producer")
STARS = _("Stars")
KIND = _("Evaluation")
DECISION_NUMBER = _("Decision number")
DECISION_DATE = _("Decision date")
NONE_DECIDED = _("No certificate was decided in the period.")
PAGE = _("Page")
CERTIFIED_BY_STARS = _("OCOP products in force by stars")
DECIDED_BY_KIND = _("Certificates decided in the period")
TARGETS_COUNTS = _("Targets: plan and result")
TARGETS_SHARES = _("Shares against their targets (%)")
TARGETS_NEW_BY_DISTRICT = _("New products by district")

KIND_WORDS = {
    Certificate.Kind.FIRST: NEW,
    Certificate.Kind.UPGRADE: UPGRADED,
    Certificate.Kind.REEVALUATION: REEVALUATED,
}


def comparison_sign(target):
    if target.comparison == "between":
        return f"{_number(target.value)}–{_number(target.value_max)}"
    return ("> " if target.comparison == "gt" else "≥ ") + _number(target.value)


def _number(value):
    return formats.number_format(value, decimal_pos=None if value is None else (0 if value == int(value) else 1))


def breakdown_total(rows):
    return {key: sum(row[key] for row in rows) for key in (*KINDS, "certified")}


def decided_total(row):
    return row["new"] + row["upgrade"] + row["reevaluation"]


def _date(day):
    return day.strftime("%d/%m/%Y")


# --- XLSX ---------------------------------------------------------------------------------


def to_xlsx(report):
    """The report as an XLSX workbook (bytes): one sheet per section, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    english = Font(italic=True, color="55554F")
    head_fill = PatternFill("solid", fgColor="E3EFE6")
    title_vi, title_en = report.title()

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title_vi
    workbook.properties.creator = "OCOP"

    def sheet(number, widths):
        ws = workbook.create_sheet(SHEETS[number])
        ws["A1"] = title_vi
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = title_en
        ws["A2"].font = english
        vi, en = both(DATA_AS_OF)
        ws["A3"] = f"{vi} {_date(report.as_of)} ({en} {_date(report.as_of)})"
        ws["A3"].font = bold
        ws["A4"] = both(SECTIONS[number])[0]
        ws["A4"].font = Font(bold=True, size=12)
        ws["A5"] = both(SECTIONS[number])[1]
        ws["A5"].font = english
        ws["A6"] = "{} ({})".format(*report.scope())
        ws["A6"].font = english
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[_column(index)].width = width
        return ws

    def header(ws, row, columns):
        for index, column in enumerate(columns, start=1):
            vi, en = both(column)
            top = ws.cell(row=row, column=index, value=vi)
            top.font, top.fill = bold, head_fill
            top.alignment = Alignment(wrap_text=True, vertical="top")
            below = ws.cell(row=row + 1, column=index, value=en)
            below.font, below.fill = english, head_fill
            below.alignment = Alignment(wrap_text=True, vertical="top")
        return row + 2

    def put(ws, row, values, font=None, formats_=None):
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a name typed as "=..." stays text, never a formula
            if font:
                cell.font = font
            if formats_ and formats_.get(index):
                cell.number_format = formats_[index]
        return row + 1

    # 1. Headline figures
    headline = report.headline
    ws = sheet(1, [52, 14])
    row = header(ws, 7, (FIGURE, VALUE))
    lines = [(PRODUCTS_IN_FORCE, headline["products"])]
    lines += [(STARS_IN_FORCE[stars], headline["by_stars"].get(stars, 0)) for stars in (5, 4, 3)]
    lines.append((PRODUCERS, headline["producers"]))
    for label, value in lines:
        vi, en = both(label)
        row = put(ws, row, (f"{vi} ({en})", value))
    row += 1
    row = header(ws, row, (GROUP, PRODUCTS))
    for label, value in headline["by_group"]:
        row = put(ws, row, (label, value))
    stars_chart = BarChart()
    stars_chart.type = "bar"
    stars_chart.title = both(CERTIFIED_BY_STARS)[0]
    stars_chart.legend = None
    stars_chart.add_data(Reference(ws, min_col=2, min_row=10, max_row=12))
    stars_chart.set_categories(Reference(ws, min_col=1, min_row=10, max_row=12))
    ws.add_chart(stars_chart, "D7")

    # 2. Decided in the period, by district and by group
    ws = sheet(2, [34, 14, 14, 14, 14, 16])
    row = 7
    for key_column, rows in ((DISTRICT, report.by_district), (GROUP, report.by_group)):
        row = header(ws, row, (key_column, *BREAKDOWN_COLUMNS))
        first = row
        for item in rows:
            row = put(
                ws,
                row,
                (
                    item["label"],
                    item["new"],
                    item["upgrade"],
                    item["reevaluation"],
                    decided_total(item),
                    item["certified"],
                ),
            )
        last = row - 1
        total = breakdown_total(rows)
        vi, en = both(TOTAL)
        row = put(
            ws,
            row,
            (
                f"{vi} ({en})",
                total["new"],
                total["upgrade"],
                total["reevaluation"],
                sum(total[k] for k in KINDS),
                total["certified"],
            ),
            font=bold,
        )
        if key_column is DISTRICT and rows:
            chart = BarChart()
            chart.type = "bar"
            chart.grouping = "stacked"
            chart.overlap = 100
            chart.title = both(DECIDED_BY_KIND)[0]
            chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=first - 2, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
            chart.height = max(7.5, 0.6 * len(rows) + 3)
            ws.add_chart(chart, "H7")
        row += 1

    # 3. Targets
    ws = sheet(3, [48, 8, 22, 20, 24, 12, 12, 8, 12, 12, 14])
    row = 7
    if not report.plans:
        vi, en = both(NO_PLAN)
        put(ws, row, (f"{vi} ({en})",))
    for plan, plan_results in report.plans:
        row = put(ws, row, (str(plan),), font=bold)
        row = header(
            ws,
            row,
            (TARGET, YEAR, DISTRICT, GROUP, PERIOD_MEASURED, PLAN_VALUE, RESULT, UNIT, NUMERATOR, DENOMINATOR, MET),
        )
        for result in plan_results:
            target = result.target
            share = target.is_share
            plan_value = float(target.value)
            row = put(
                ws,
                row,
                (
                    target.label,
                    target.year,
                    target.district.name if target.district_id else None,
                    target.group.name if target.group_id else None,
                    _period_words(result.period)[0],
                    plan_value,
                    float(result.actual),
                    "%" if share else None,
                    result.numerator,
                    result.denominator,
                    "{} ({})".format(*met_words(result)),
                ),
                formats_={6: _plan_format(target), 7: "0.0" if share else "0"},
            )
        row += 1

    # 4. The list
    ws = sheet(4, [6, 42, 36, 8, 22, 20, 13, 24])
    row = header(ws, 7, (NUMBER, PRODUCT, PRODUCER, STARS, KIND, DECISION_NUMBER, DECISION_DATE, DISTRICT))
    for number, item in enumerate(report.certificates, start=1):
        row = put(
            ws,
            row,
            (
                number,
                item.product,
                item.producer,
                item.stars,
                both(KIND_WORDS.get(item.kind, item.kind))[0],
                item.decision_number,
                item.decision_date,
                item.district,
            ),
            formats_={7: "DD/MM/YYYY"},
        )
    if not report.certificates:
        vi, en = both(NONE_DECIDED)
        put(ws, row, (None, f"{vi} ({en})"))
    ws.freeze_panes = "A9"
    ws.auto_filter.ref = f"A8:H{max(row - 1, 8)}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _period_words(period):
    """(Vietnamese, English) of a period as measured: its label, or its first and last day."""
    words = []
    for language in ("vi", "en"):
        with translation.override(language):
            words.append(
                period.label if period.kind in ("year", "half") else f"{_date(period.start)} – {_date(period.as_of)}"
            )
    return words


def _plan_format(target):
    """The plan figure's cell format: "≥ 30", "> 10", "1–2" shown, the number kept."""
    if target.comparison == "gt":
        return '"> "General'
    if target.comparison == "between" and target.value_max is not None:
        return f'General"–{_number(target.value_max)}"'
    return '"≥ "General'


def _column(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# --- PDF ----------------------------------------------------------------------------------

FONT, FONT_BOLD = "OCOPDejaVu", "OCOPDejaVu-Bold"


@cache
def _fonts():
    """Register matplotlib's DejaVu Sans (regular and bold) with reportlab, once."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT + "-Oblique", str(folder / "DejaVuSans-Oblique.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT + "-Oblique")
    addMapping(FONT, 1, 1, FONT_BOLD)


def to_pdf(report, with_charts=True):
    """The report as an A4 portrait PDF (bytes): the same sections as tables, with charts."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=10.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    number_cell = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=2)
    subtitle = ParagraphStyle("subtitle", parent=body, textColor=colors.HexColor("#55554F"))
    heading = ParagraphStyle(
        "heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
    )
    width = A4[0] - 30 * mm
    title_vi, title_en = report.title()
    as_of = _date(report.as_of)

    def p(text, style=cell):
        return Paragraph(escape(str(text)), style)

    def head(message):
        vi, en = both(message)
        return Paragraph(f"<b>{escape(vi)}</b><br/><i>{escape(en)}</i>", cell)

    def num(value):
        return Paragraph("" if value is None else escape(_number(value)), number_cell)

    def section(number):
        vi, en = both(SECTIONS[number])
        return Paragraph(f"{escape(vi)} <font size=8 color='#55554F'>({escape(en)})</font>", heading)

    def table(header_row, rows, widths, total=False):
        data = [header_row, *rows]
        t = LongTable(data, colWidths=[w * width for w in widths], repeatRows=1)
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#B8B8B0")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E3EFE6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if total:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2EE")))
        t.setStyle(TableStyle(style))
        return t

    def chart(png):
        """A chart 150 mm wide, or narrower so that a tall one (many bars) fits on a page."""
        from reportlab.lib.utils import ImageReader

        w, h = ImageReader(io.BytesIO(png)).getSize()
        scale = min(150 * mm / w, 200 * mm / h)
        return Image(io.BytesIO(png), width=w * scale, height=h * scale)

    story = [
        Paragraph(escape(title_vi), title),
        Paragraph(escape(title_en), subtitle),
        Spacer(0, 3 * mm),
        Paragraph(
            f"<b>{escape(both(DATA_AS_OF)[0])} {as_of}</b> ({escape(both(DATA_AS_OF)[1])} {as_of}). "
            f"{escape(both(GENERATED)[0])} ({escape(both(GENERATED)[1])}): "
            f"{report.generated_at:%d/%m/%Y %H:%M}.",
            body,
        ),
        Paragraph("{} <i>({})</i>".format(*(escape(words) for words in report.scope())), body),
    ]

    # 1. Headline
    headline = report.headline
    story.append(section(1))
    lines = [(PRODUCTS_IN_FORCE, headline["products"])]
    lines += [(STARS_IN_FORCE[stars], headline["by_stars"].get(stars, 0)) for stars in (5, 4, 3)]
    lines.append((PRODUCERS, headline["producers"]))
    rows = [[p(" / ".join(both(label))), num(value)] for label, value in lines]
    story.append(table([head(FIGURE), head(VALUE)], rows, [0.8, 0.2]))
    if headline["by_group"]:
        story.append(Spacer(0, 3 * mm))
        rows = [[p(label), num(value)] for label, value in headline["by_group"]]
        story.append(table([head(GROUP), head(PRODUCTS)], rows, [0.8, 0.2]))
    if with_charts and report.series:
        labels = [period.label for period, _ in report.series]
        by_stars = {stars: [counts.get(stars, 0) for _, counts in report.series] for stars in (3, 4, 5)}
        story.append(Spacer(0, 3 * mm))
        story.append(chart(charts.stars_series(labels, by_stars, both(CERTIFIED_BY_STARS)[0], fmt="png")))

    # 2. Decided, by district and by group
    story.append(section(2))
    for key_column, items in ((DISTRICT, report.by_district), (GROUP, report.by_group)):
        rows = [
            [
                p(item["label"]),
                num(item["new"]),
                num(item["upgrade"]),
                num(item["reevaluation"]),
                num(decided_total(item)),
                num(item["certified"]),
            ]
            for item in items
        ]
        total = breakdown_total(items)
        rows.append(
            [
                p(" / ".join(both(TOTAL))),
                num(total["new"]),
                num(total["upgrade"]),
                num(total["reevaluation"]),
                num(sum(total[k] for k in KINDS)),
                num(total["certified"]),
            ]
        )
        story.append(
            table(
                [head(key_column), *(head(c) for c in BREAKDOWN_COLUMNS)],
                rows,
                [0.3, 0.14, 0.14, 0.14, 0.14, 0.14],
                total=True,
            )
        )
        story.append(Spacer(0, 3 * mm))
    if with_charts:
        total = breakdown_total(report.by_district)
        items = [
            (both(word)[0], total[key])
            for word, key in ((NEW, "new"), (UPGRADED, "upgrade"), (REEVALUATED, "reevaluation"))
        ]
        story.append(chart(charts.counts(items, both(DECIDED_BY_KIND)[0], fmt="png")))

    # 3. Targets
    story.append(section(3))
    if not report.plans:
        story.append(p(" / ".join(both(NO_PLAN)), body))
    for plan, plan_results in report.plans:
        story.append(Paragraph(f"<b>{escape(str(plan))}</b>", body))
        story.append(Spacer(0, 1.5 * mm))
        rows = []
        for result in plan_results:
            target = result.target
            where = ", ".join(
                str(x) for x in (target.district and target.district.name, target.group and target.group.name) if x
            )
            actual = _number(result.actual) + (" %" if target.is_share else "")
            if target.is_share and result.denominator is not None:
                actual += f" ({result.numerator}/{result.denominator})"
            rows.append(
                [
                    p(target.label),
                    p(where),
                    p(_period_words(result.period)[0]),
                    p(comparison_sign(target) + (" %" if target.is_share else ""), number_cell),
                    p(actual, number_cell),
                    p(met_words(result)[0]),
                ]
            )
        story.append(
            table(
                [head(TARGET), head(SCOPE), head(PERIOD_MEASURED), head(PLAN_VALUE), head(RESULT), head(MET)],
                rows,
                [0.34, 0.16, 0.15, 0.1, 0.15, 0.1],
            )
        )
        story.append(Spacer(0, 3 * mm))
        if with_charts:
            story.extend(_target_charts(plan_results, chart))

    # 4. The list
    story.append(section(4))
    if report.certificates:
        rows = [
            [
                num(number),
                p(item.product),
                p(item.producer),
                p(f"{item.stars}★"),
                p(both(KIND_WORDS.get(item.kind, item.kind))[0]),
                p(item.decision_number),
                p(_date(item.decision_date)),
                p(item.district),
            ]
            for number, item in enumerate(report.certificates, start=1)
        ]
        columns = (NUMBER, PRODUCT, PRODUCER, STARS, KIND, DECISION_NUMBER, DECISION_DATE, DISTRICT)
        story.append(table([head(c) for c in columns], rows, [0.06, 0.22, 0.17, 0.07, 0.13, 0.12, 0.11, 0.12]))
    else:
        story.append(p(" / ".join(both(NONE_DECIDED)), body))

    footer_words = f"{title_vi} · {both(DATA_AS_OF)[0]} {as_of}"

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#55554F"))
        canvas.drawString(15 * mm, 9 * mm, footer_words[:120])
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"{both(PAGE)[0]} {doc.page} ({both(PAGE)[1]} {doc.page})")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=title_vi,
        author="OCOP",
        subject=f"{both(DATA_AS_OF)[0]} {as_of}",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def short_label(result):
    """A chart's label for a target: what it counts (its full wording is in the table), and
    its year or group when it has one, in Vietnamese."""
    target = result.target
    label = both(Metric(target.metric).label)[0]
    extra = [str(target.year)] if target.year else []
    extra += [target.group.name] if target.group_id else []
    return f"{label} ({', '.join(extra)})" if extra else label


def _target_charts(plan_results, chart):
    """The plan's charts: its province-wide counts (plan against result), the new products
    per historical district (Phụ lục 01's lines), its shares against their thresholds."""
    whole = [r for r in plan_results if r.target.district_id is None and r.target.group_id is None]
    per_district = [
        r
        for r in plan_results
        if r.target.metric == Metric.NEW_PRODUCTS and r.target.district_id and r.target.group_id is None
    ]
    # The year's lines when the plan sets them (Phụ lục 01), else its whole span's.
    per_district = [r for r in per_district if r.target.year] or per_district
    out = []
    for title, results_, label in (
        (TARGETS_COUNTS, [r for r in whole if not r.target.is_share], short_label),
        (TARGETS_NEW_BY_DISTRICT, per_district, lambda r: r.target.district.name),
    ):
        if results_:
            png = charts.plan_vs_actual(
                [label(r) for r in results_],
                [float(r.target.value) for r in results_],
                [float(r.actual) for r in results_],
                both(title)[0],
                plan_label=both(PLAN_VALUE)[0],
                actual_label=both(RESULT)[0],
                fmt="png",
            )
            out.append(chart(png))
    shared = [r for r in whole if r.target.is_share]
    if shared:
        png = charts.shares(
            [(short_label(r), float(r.actual), float(r.target.value)) for r in shared],
            both(TARGETS_SHARES)[0],
            threshold_label=both(TARGET)[0],
            fmt="png",
        )
        out.append(chart(png))
    return out


def render(report, fmt):
    """(bytes, content type) of the report in `fmt` ("xlsx" or "pdf")."""
    if fmt == "xlsx":
        return to_xlsx(report), XLSX_TYPE
    return to_pdf(report), PDF_TYPE
