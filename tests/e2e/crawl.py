"""A bounded crawl of the demo site as one user: every link reachable from where they start.

`Crawl(base, session).run(starts, depth)` fetches the start pages, then every same-site link
found on them, breadth first, down to `depth` links away, and returns the problems it met:
a 5xx answer; a 403 or 404 behind a link the site itself shows, or, for a logged-in user, a
link that ends on a login page (a dead end for that user); and any link to example.com (a
placeholder that must never reach a page). It follows GET links only (<a href>) and never a
link that logs out; everything else on a page (forms, scripts) is left alone.

Bounds, so the crawl covers every kind of page without visiting every page of each kind:
- a URL "shape" (its path with numbers as N, and the first of its query's parameter names)
  is fetched at most SAME_SHAPE times, once if it has a query: /admin/pages/12/edit/ and
  /admin/pages/31/edit/ are one shape, and so are /san-pham/?group=1&stars=4 and
  /san-pham/?group=2;
- pages of the site's page tree (not the admin's or the shop's, whose kinds of page are few
  and whose ids the shape already folds) at the same depth of one section count as one
  kind, fetched at most SIBLINGS times: three producers' pages stand for all of them, and
  three product pages for all products;
- at most `limit` pages in all.
"""

import csv
import json
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup

SAME_SHAPE = 2
SIBLINGS = 3
SKIP = re.compile(
    r"/logout/|/dang-xuat/|^/(static|media)/|^/i18n/|^/documents/|/__debug__/"
    # Wagtail's bulk actions are reached by its script, with the chosen rows' ids added.
    r"|^/admin/bulk/"
    # Files and machine endpoints: checked by their own tests, heavy or not pages.
    r"|\.(csv|json|xlsx|pdf|xml|zip|png|jpe?g|webp|svg|ico)$|/bao-cao/|^/api/|^/feeds/"
)
LOGIN = re.compile(r"/login/")
PLACEHOLDER = re.compile(r"(^|[./@])example\.com$", re.I)


@dataclass
class Problem:
    url: str
    what: str
    found_on: str

    def __str__(self):
        return f"{self.what}: {self.url} (linked from {self.found_on or 'the start'})"


@dataclass
class Crawl:
    base: str
    session: object  # requests.Session, logged in or not
    limit: int = 120
    visited: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # path: (final status, final path)
    problems: list = field(default_factory=list)

    def run(self, starts, depth):
        queue = deque((start, 0, "") for start in starts)
        seen = set(starts)
        shapes, children = {}, {}
        while queue and len(self.visited) < self.limit:
            path, level, found_on = queue.popleft()
            links = self.fetch(path, found_on)
            if level >= depth:
                continue
            for link in links:
                if link in seen:
                    continue
                seen.add(link)
                shape = self.shape(link)
                kind = self.page_kind(link)
                if shapes.get(shape, 0) >= (SAME_SHAPE if "?" not in shape else 1) or (
                    kind and children.get(kind, 0) >= SIBLINGS
                ):
                    continue
                shapes[shape] = shapes.get(shape, 0) + 1
                if kind:
                    children[kind] = children.get(kind, 0) + 1
                queue.append((link, level + 1, path))
        return self.problems

    def fetch(self, path, found_on):
        """Fetch one page; record its problems; return the same-site links it shows."""
        response = self.session.get(self.base + path, allow_redirects=True, timeout=60)
        self.visited.append(path)
        self.answers[path] = (response.status_code, response.url[len(self.base) :])
        if response.status_code >= 500:
            self.problems.append(Problem(path, f"HTTP {response.status_code}", found_on))
        elif response.status_code in (403, 404) and found_on:
            self.problems.append(Problem(path, f"HTTP {response.status_code} behind a link", found_on))
        elif found_on and "sessionid" in self.session.cookies and LOGIN.search(urlsplit(response.url).path):
            if not LOGIN.search(path):
                self.problems.append(Problem(path, "a link that sends a logged-in user to a login page", found_on))
        if "text/html" not in response.headers.get("Content-Type", ""):
            return []
        final = urlsplit(response.url)
        if final.netloc != urlsplit(self.base).netloc:
            return []
        links = []
        soup = BeautifulSoup(response.text, "html.parser")
        for tag in soup.find_all(href=True) + soup.find_all(src=True) + soup.find_all(action=True):
            for attr in ("href", "src", "action"):
                value = tag.get(attr)
                if not value:
                    continue
                target = urlsplit(urljoin(response.url, value.strip()))
                host = target.hostname or ""
                if target.scheme == "mailto":
                    host = target.path.rsplit("@", 1)[-1]
                if PLACEHOLDER.search(host):
                    self.problems.append(Problem(value, "link to example.com", path))
                if tag.name == "a" and attr == "href" and target.netloc == final.netloc:
                    link = urldefrag(target.geturl())[0][len(f"{target.scheme}://{target.netloc}") :]
                    if link:
                        links.append(link)
        # Wagtail's sidebar menu is drawn by its script from JSON in the page.
        menu = soup.find("script", id="wagtail-sidebar-props")
        if menu:
            links += [url for url in self.menu_urls(json.loads(menu.string)) if url.startswith("/")]
        return [link for link in links if not SKIP.search(link.split("?")[0])]

    @classmethod
    def menu_urls(cls, data):
        """Every "url" value in Wagtail's sidebar props, however deep."""
        if isinstance(data, dict):
            for key, value in data.items():
                if key == "url" and isinstance(value, str):
                    yield value
                else:
                    yield from cls.menu_urls(value)
        elif isinstance(data, list):
            for item in data:
                yield from cls.menu_urls(item)

    @staticmethod
    def page_kind(url):
        """'chu-the/3' for /chu-the/<producer>/<product>/ (and /en/…); None off the page tree."""
        segments = [s for s in url.split("?")[0].split("/") if s]
        if segments[:1] == ["en"]:
            segments = segments[1:]
        if len(segments) < 2 or segments[0] in ("admin", "shop"):
            return None
        return f"{segments[0]}/{len(segments)}"

    @staticmethod
    def shape(url):
        path, _, query = url.partition("?")
        names = sorted(name for name, _ in parse_qsl(query, keep_blank_values=True))
        return re.sub(r"\d+", "N", path) + ("?" + names[0] if names else "")


ACCOUNTS = Path(__file__).resolve().parents[2] / "fixtures" / "demo_accounts.csv"


def account(username):
    with open(ACCOUNTS, newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["username"] == username)


def logged_in(base, username=None):
    """A requests session of the demo user `username` (None: a visitor), logged in through
    the form a person uses: the shop's for a consumer (by e-mail), the admin's for the rest."""
    session = requests.Session()
    if username is None:
        return session
    row = account(username)
    if row["role"] == "consumer":
        url, data = (
            base + "/shop/accounts/login/",
            {"login-username": row["email"], "login-password": row["password"], "login_submit": "1"},
        )
    else:
        url, data = base + "/admin/login/", {"username": username, "password": row["password"]}
    form = session.get(url, timeout=60)
    token = BeautifulSoup(form.text, "html.parser").find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    session.post(url, data={"csrfmiddlewaretoken": token, **data}, headers={"Referer": url}, timeout=60)
    assert "sessionid" in session.cookies, f"{username} could not log in at {url}"
    return session
