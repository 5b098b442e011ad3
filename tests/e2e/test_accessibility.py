"""axe-core in Chromium on the key pages: no serious or critical WCAG 2.1 A/AA violation.

axe-core is the vendored tests/e2e/vendor/axe-core/axe.min.js (version and licence in
tests/e2e/vendor/README.md), injected into each page after it has loaded. A failure lists every
serious or critical violation with the elements it found.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PRODUCT = "/chu-the/htx-cong-bang-thuan-an/ca-phe-bot-dak-dam/"


@pytest.fixture
def page(browser, demo_site):
    """The shared page fixture, but blind to the site's Content-Security-Policy: axe-core is
    injected as an inline script, which the policy (rightly) refuses. tests/e2e/test_csp.py
    checks the policy itself."""
    from tests.e2e.conftest import TIMEOUT_MS

    context = browser.new_context(
        base_url=demo_site, viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def journey():
    """One screenshot folder for all the pages checked: test-artifacts/accessibility/."""
    return Journey("accessibility")


def axe_violations(page):
    """Serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def report(url, violations):
    lines = [f"{len(violations)} serious or critical axe violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def check(page, journey, name):
    journey.shot(page, name)
    violations = axe_violations(page)
    print(json.dumps({"page": page.url, "violations": [v["id"] for v in violations]}, ensure_ascii=False))
    return report(page.url, violations) if violations else None


@pytest.mark.parametrize(
    "name,url",
    [
        ("home", "/"),
        ("listing", "/san-pham/"),
        ("product", PRODUCT),
        ("search", "/search/?q=ca+phe"),
        ("announcements", "/tin-tuc/"),
        ("announcement", "/tin-tuc/ket-qua-danh-gia-phan-hang-ocop-dot-1/"),  # with an attachment
        ("sales points", "/diem-ban/"),
        ("statistics", "/thong-ke/"),  # inline SVG charts, tables in <details>
    ],
)
def test_public_page(page, journey, name, url):
    response = page.goto(url)
    assert response.status == 200, url
    problems = check(page, journey, name)
    if problems:
        pytest.fail(problems, pytrace=False)


def test_basket_and_checkout(page, journey):
    customer = next(a for a in demo_accounts() if a.role == "consumer")
    page.goto("/shop/accounts/login/")
    login = page.locator("form").filter(has=page.get_by_role("button", name="Đăng nhập", exact=True))
    login.get_by_role("textbox", name=re.compile(r"^\s*Địa chỉ email")).fill(customer.email)
    login.get_by_role("textbox", name=re.compile(r"^\s*Mật khẩu")).fill(customer.password)
    login.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))

    page.goto(PRODUCT)
    page.get_by_role("button", name=re.compile("Thêm vào giỏ", re.I)).click()
    expect(page).to_have_url(re.compile(r"/shop/basket/$"))
    problems = [check(page, journey, "basket")]
    page.goto("/shop/checkout/shipping-address/")
    expect(page.get_by_role("heading", name="Địa chỉ giao hàng")).to_be_visible()
    problems.append(check(page, journey, "checkout"))
    problems = [p for p in problems if p]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
