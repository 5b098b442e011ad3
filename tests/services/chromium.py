"""Debian's Chromium, driven by Playwright for Python: the browser tests and bench/page_budget.py.

Playwright's own browser download (`playwright install`) fails on this network and must never
run: the browser is the system package `chromium` (/usr/bin/chromium; OCOP_CHROMIUM overrides).
Playwright starts it headless with a fresh temporary profile (--user-data-dir) on every launch.
The flags below keep it off the network: without the background-networking ones it keeps
trying Google's hosts, which the closed network refuses.
"""

import importlib.util
import os
from pathlib import Path

CHROMIUM = os.environ.get("OCOP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing():
    """Why the browser cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "needs playwright: pip install -r requirements-dev.txt"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium (or set OCOP_CHROMIUM)"
    return None


def launch(playwright, **options):
    """A headless Chromium browser from Debian's package."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True, **options)
