"""Time pages of one Django project in-process, on the orders of a driver (bench/vs_bakerydemo.py).

    <project's python> bench/page_worker.py [--prepare DOTTED.FUNCTION]

Run with the Python of the project to measure, in its folder, with DJANGO_SETTINGS_MODULE set:
it imports nothing from this repository, so bakerydemo's own virtualenv can run it. It sets
Django up, calls the --prepare function if given (ours: migrate and load the demo data), then
reads one JSON order per line on stdin and answers one JSON line on stdout (anything else the
project prints goes to stderr):

- {"cmd": "info"}: Django and Wagtail versions, DEBUG, cache and search backends;
- {"cmd": "resolve", "model": "app_label.ModelName"}: the path of that model's first live page;
- {"cmd": "run", "path": P, "warmup": W, "requests": N}: W untimed GETs of P, then N timed ones;
  answers the time of each (ms, from the request to the response in hand: Django's test client,
  all middleware, no network) and its SQL queries. Every request starts with no cookies, as a new
  anonymous visitor would;
  with "header": H, it also answers how many timed responses carried each value of header H;
- {"cmd": "set", "name": NAME, "value": V}: sets Django's setting NAME to V (e.g. a cache off);
- {"cmd": "floor", "path": P}: fetches P once and serves its bytes (same status and content
  type) from a view that does nothing else, at a new path that goes through the same middleware;
  answers that path, to be timed with "run";
- {"cmd": "quit"}.
"""

import argparse
import importlib
import json
import os
import sys
import time


def first_live_page_path(label):
    from urllib.parse import urlsplit

    from django.apps import apps

    model = apps.get_model(label)
    page = model.objects.live().order_by("path").first()
    if page is None:
        raise LookupError(f"no live {label} page: is the demo data loaded?")
    return urlsplit(page.get_url()).path


def info():
    import django
    from django.conf import settings

    try:
        import wagtail

        wagtail_version = wagtail.__version__
    except ImportError:
        wagtail_version = None
    try:
        import oscar

        oscar_version = oscar.get_version()
    except (ImportError, AttributeError):
        oscar_version = None
    return {
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "wagtail": wagtail_version,
        "oscar": oscar_version,
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
        "debug": settings.DEBUG,
        "cache": settings.CACHES["default"]["BACKEND"],
        "database": settings.DATABASES["default"]["ENGINE"],
        "wagtail_search": getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).get("default", {}).get("BACKEND"),
    }


class Timer:
    def __init__(self):
        from django.test import Client

        self.client = Client()
        self.queries = 0

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def get(self, path):
        from django.db import connection

        self.client.cookies.clear()
        self.queries = 0
        with connection.execute_wrapper(self._count):
            started = time.perf_counter()
            response = self.client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        return response, elapsed, self.queries

    def run(self, path, warmup, requests, header=None):
        for _ in range(warmup):
            response, _, _ = self.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code}")
        times, queries, values = [], [], {}
        size = 0
        for _ in range(requests):
            response, elapsed, count = self.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code}")
            times.append(elapsed)
            queries.append(count)
            size = len(response.content)
            if header:
                value = response.headers.get(header, "")
                values[value] = values.get(value, 0) + 1
        return {"times": times, "queries": queries, "bytes": size, "header": values}


_floors = []


def floor(timer, path):
    """Serve the bytes of `path` from a view that does nothing else; answer its path."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches
    from django.urls import path as url_path

    response, _, _ = timer.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")
    body, content_type = response.content, response["Content-Type"]

    def view(request):
        return HttpResponse(body, content_type=content_type)

    number = len(_floors)
    _floors.append(view)
    urlconf = importlib.import_module(settings.ROOT_URLCONF)
    urlconf.urlpatterns.insert(0, url_path(f"bench-floor-{number}/", view))
    clear_url_caches()
    return f"/bench-floor-{number}/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", help="a function to call after django.setup(), as module.function")
    args = parser.parse_args()

    answers = sys.stdout
    sys.stdout = sys.stderr  # the project's prints must not mix with the answers
    sys.path.insert(0, os.getcwd())

    import django

    django.setup()
    if args.prepare:
        module, _, function = args.prepare.rpartition(".")
        getattr(importlib.import_module(module), function)()

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]  # the test client's host, "testserver"
    timer = Timer()
    print(json.dumps({"ready": True}), file=answers, flush=True)
    for line in sys.stdin:
        order = json.loads(line)
        try:
            if order["cmd"] == "info":
                answer = info()
            elif order["cmd"] == "resolve":
                answer = {"path": first_live_page_path(order["model"])}
            elif order["cmd"] == "run":
                answer = timer.run(order["path"], order.get("warmup", 0), order["requests"], order.get("header"))
            elif order["cmd"] == "set":
                setattr(settings, order["name"], order["value"])
                answer = {"set": order["name"]}
            elif order["cmd"] == "floor":
                answer = {"path": floor(timer, order["path"])}
            elif order["cmd"] == "quit":
                break
            else:
                answer = {"error": f"unknown order {order['cmd']!r}"}
        except Exception as error:  # reported to the driver, which stops
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), file=answers, flush=True)


if __name__ == "__main__":
    main()
