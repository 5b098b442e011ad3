"""Every link a user can reach from the menus, as each role, in both languages (issue 14).

Runs against the browser tests' demo server (demo data, DEBUG off), in the SQLite pass only
(marked `browser` with them). A role starts where a person in it starts: a visitor from the
home page in Vietnamese and English, two links deep; a logged-in user from the home page one
link deep (what the login changes there: the header, the account), then from their own
start pages two links deep: the consumer's account, and the admin for a producer, an
official or an evaluation role (its menu is Wagtail's sidebar). The crawl
(tests/e2e/crawl.py), bounded by kind of page, fails on any 5xx, any 404 behind a link the
site shows, and any link to example.com, naming each URL and the page that links to it. The
admin is crawled in the user's own language (Vietnamese): its English is a preference per
user, not a URL. The roles' crawls run side by side (three at a time) to keep the pass short.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.crawl import Crawl, logged_in

pytestmark = pytest.mark.browser

# username (None: a visitor): the pages where that person starts, besides the home pages
ROLES = {
    None: [],
    "khachhang": ["/shop/accounts/", "/en/shop/accounts/"],
    "chuthe": ["/admin/"],
    "xa": ["/admin/"],
    "canbo": ["/admin/"],
    "vanphong": ["/admin/"],
    "hoidong1": ["/admin/"],
    "pheduyet": ["/admin/"],
    "admin": ["/admin/"],
}


def crawl_as(base, username):
    """(pages visited, problems) of one role's crawl."""
    session = logged_in(base, username)
    crawls = [(Crawl(base, session), ["/", "/en/"], 1 if username else 2)]
    if ROLES[username]:
        crawls.append((Crawl(base, session), ROLES[username], 2))
    problems = [problem for crawl, starts, depth in crawls for problem in crawl.run(starts, depth)]
    return sum(len(crawl.visited) for crawl, _, _ in crawls), problems


@pytest.fixture(scope="module")
def crawls(demo_site):
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {username: pool.submit(crawl_as, demo_site, username) for username in ROLES}
        return {username: future.result() for username, future in futures.items()}


@pytest.mark.parametrize("username", ROLES, ids=lambda name: name or "visitor")
def test_every_reachable_link_answers(crawls, username):
    visited, problems = crawls[username]
    assert visited > 10, f"the crawl saw only {visited} pages"
    assert not problems, f"{len(problems)} problem(s) in {visited} pages:\n" + "\n".join(map(str, problems))
