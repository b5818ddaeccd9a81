"""Page weight of the public site: HTML + CSS + JS per page, raw and gzip-compressed (what WhiteNoise serves).

A budget, not a benchmark: the numbers are sizes, not times. Run with ``-s`` to see the table.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from .helpers import URLS

pytestmark = pytest.mark.urls(URLS)
PAGES = ("/", "/guide/", "/who/", "/bring/", "/hotline/", "/stations/", "/self-check/", "/lawyers/", "/signin/")
BUDGET_HTML_GZIP = 12 * 1024       # per page, compressed
BUDGET_TOTAL_GZIP = 48 * 1024      # HTML + CSS + JS, compressed, cold cache
BUDGET_JS_RAW = 2 * 1024           # the public site needs no framework JavaScript


def _assets(html: str) -> list[str]:
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return [*links, *scripts]


def _static_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    return Path(str(path)).read_bytes()


def measure(client: Client, url: str) -> dict[str, int]:
    html = client.get(url).content
    sizes = {"html": len(html), "html_gz": len(gzip.compress(html, 6)), "css": 0, "css_gz": 0, "js": 0, "js_gz": 0}
    for asset in _assets(html.decode()):
        body = _static_bytes(asset)
        kind = "js" if asset.endswith(".js") else "css"
        sizes[kind] += len(body)
        sizes[f"{kind}_gz"] += len(gzip.compress(body, 6))
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    sizes["total_gz"] = sizes["html_gz"] + sizes["css_gz"] + sizes["js_gz"]
    return sizes


def test_public_pages_stay_light(city, request):
    client = Client()
    rows = {url: measure(client, url) for url in PAGES}
    if request.config.option.capture == "no":  # the table, with -s
        print("\npage               HTML  (gz)    CSS  (gz)   JS (gz)   total  (gz)  [bytes]")
        for url, s in rows.items():
            print(f"{url:<16} {s['html']:>6} {s['html_gz']:>5} {s['css']:>7} {s['css_gz']:>5} {s['js']:>5} "
                  f"{s['js_gz']:>4} {s['total']:>7} {s['total_gz']:>5}")
    for url, s in rows.items():
        assert s["html_gz"] <= BUDGET_HTML_GZIP, url
        assert s["total_gz"] <= BUDGET_TOTAL_GZIP, url
        assert s["js"] <= BUDGET_JS_RAW, url
