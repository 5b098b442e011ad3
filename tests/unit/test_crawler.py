"""The crawl of tests/e2e/test_crawl.py finds what it is there to find (a small real HTTP
server of canned pages, so that a crawl that reports nothing is known to be able to)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.e2e.crawl import Crawl

PAGES = {
    "/": '<a href="/a/">a</a> <a href="/missing/">gone</a> <a href="/broken/">b</a>'
    '<a href="https://www.example.com/x">placeholder</a> <a href="/logout/">out</a>'
    + "".join(f'<a href="/item/{n}/">{n}</a>' for n in range(10)),
    "/a/": '<img src="//example.com/i.png"> <a href="/b/">deeper</a>',
    "/b/": '<a href="/c/">too deep</a>',
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/broken/":
            self.send_response(500)
        elif self.path in PAGES or self.path.startswith("/item/"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(PAGES.get(self.path, "").encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_crawl_reports_errors_dead_links_and_placeholders_within_its_bounds(site):
    crawl = Crawl(site, requests.Session())
    problems = {(problem.what, problem.url) for problem in crawl.run(["/"], 2)}
    assert problems == {
        ("HTTP 404 behind a link", "/missing/"),
        ("HTTP 500", "/broken/"),
        ("link to example.com", "https://www.example.com/x"),
        ("link to example.com", "//example.com/i.png"),
    }
    assert "/b/" in crawl.visited and "/c/" not in crawl.visited  # two links deep, no more
    assert "/logout/" not in crawl.visited
    # /item/N/ is one shape: fetched twice, not ten times.
    assert len([path for path in crawl.visited if path.startswith("/item/")]) == 2
