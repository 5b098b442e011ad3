"""The oversight charts (cms/oversight/charts.py): SVG that parses, keeps its text as text and
says what it shows; PNG for the PDF; text no smaller than 9 pt however many the categories."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from cms.oversight import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def texts(svg):
    root = ET.fromstring(svg)  # no prolog left: parses as an element
    return root, [("".join(t.itertext())).strip() for t in root.iter(f"{SVG}text")]


def font_sizes(svg):
    return [float(e.get("font-size").removesuffix("px")) for e in ET.fromstring(svg).iter() if e.get("font-size")]


def test_stars_series_is_an_accessible_scalable_svg_with_its_figures():
    svg = charts.stars_series(
        ["2021", "2022", "02/12/2026"], {3: [10, 20, 30], 4: [2, 5, 8], 5: [0, 1, 1]}, "Theo hạng sao"
    )
    root, strings = texts(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "Theo hạng sao"
    assert root.get("width") == "100%" and root.get("height") is None and root.get("viewBox")
    assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
    # The site's Content-Security-Policy refuses inline styles: presentation attributes only.
    assert "style=" not in svg and "<style" not in svg and 'fill="#1b6e3a"' in svg
    assert {"2021", "02/12/2026", "3★", "4★", "5★", "12", "26", "39", "30"} <= set(strings)  # totals 12, 26, 39
    # Shortened for phones (issue 16): coordinates to 2 decimals, no indentation between elements.
    paths = [e.get("d") for e in root.iter(f"{SVG}path")]
    assert paths and not [d for d in paths if re.search(r"\.\d{3}", d)]
    assert ">\n" not in svg and "> <" not in svg


def test_plan_vs_actual_shares_and_counts_carry_their_labels_and_numbers():
    svg = charts.plan_vs_actual(["2024", "2025"], [50, 56], [12, 3], "Sản phẩm mới")
    assert {"2024", "2025", "50", "56", "12", "3", "Kế hoạch", "Thực hiện"} <= set(texts(svg)[1])  # default legend
    svg = charts.shares([("Hợp tác xã", 42.5, 40), ("Phụ nữ làm chủ", 18, None)], "Tỉ lệ", threshold_label="Chỉ tiêu")
    assert {"Hợp tác xã", "42,5%", "18%", "Chỉ tiêu"} <= set(texts(svg)[1])  # Vietnamese decimal comma
    svg = charts.counts([("Đắk Nông", 7), ("Gia Lai", 0)], "Theo tỉnh")
    assert {"Đắk Nông", "Gia Lai", "7", "0"} <= set(texts(svg)[1])


def test_many_long_categories_stay_readable():
    names = [f"Huyện số {n} (Đắk Nông cũ)" for n in range(30)]
    svg = charts.plan_vs_actual(names, list(range(30)), list(range(30)), "Theo huyện")
    root, strings = texts(svg)
    assert all(name in " ".join(strings) for name in names)  # whole names, wrapped onto lines
    sizes = font_sizes(svg)
    assert sizes and min(sizes) >= 9
    height = float(root.get("viewBox").split()[3])
    assert height > 30 * 12  # the chart grows with its categories instead of squeezing them


def test_names_are_text_not_markup():
    svg = charts.counts([("<script>x()</script>", 1)], 'A & "B"')
    root, strings = texts(svg)
    assert "<script>" not in svg and "<script>x()</script>" in strings
    assert root.get("aria-label") == 'A & "B"'


def test_png_for_the_pdf():
    png = charts.counts([("Thực phẩm", 3)], "Theo nhóm", fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
