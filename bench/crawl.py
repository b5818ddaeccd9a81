"""Every office page a user can reach, timed through the server: part 4 of ``python -m bench national``.

The staff lists and dashboards the harness names are measured on purpose; this part finds the pages nobody named
that grow with the data. Starting from the office home, it follows the links of each page (two clicks deep, GETs
only, no exports or downloads) signed in as the user, times each page after one untimed request, and lists the
slowest. On a country's 3,000 centers such a crawl found a page asking four queries per center (13 s) and lists of
every district (5.9 MB) that no named measurement covered.

No issue sets a target for these pages; the flags are this harness's own: over ``SLOW_MS`` or ``BIG_BYTES``.
"""

from __future__ import annotations

import re
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

SLOW_MS = 1000.0
BIG_BYTES = 1_000_000
# Not pages to read: files to download, the sign-out, and the second factor's setup.
SKIPPED = re.compile(r"export|download|/pdf|\.xlsx|\.docx|logout|/two-factor/|/media/")
LINK = re.compile(r'href="(/office/[^"#]*)[^"]*"')


@dataclass(frozen=True)
class Page:
    path: str
    status: int
    p50_ms: float
    max_ms: float
    size: int

    @property
    def flagged(self) -> bool:
        return self.status != 200 or self.p50_ms > SLOW_MS or self.size > BIG_BYTES


def links(html: str) -> list[str]:
    """The office pages a page links to, in order, each once (entities undone, fragments dropped)."""
    seen: dict[str, None] = {}
    for href in LINK.findall(html):
        path = href.replace("&amp;", "&")
        if not SKIPPED.search(path):
            seen.setdefault(path, None)
    return list(seen)


def _get(url: str, session: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 (loopback)
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def crawl(base_url: str, session: str, *, start: str = "/office/", depth: int = 2, limit: int = 200,
          requests: int = 3, budget_seconds: float = 600.0) -> list[Page]:
    """Breadth first from ``start``; each page timed ``requests`` times after one untimed GET. A page whose first
    answer took over ``SLOW_MS`` is timed by that answer alone (the point is to find it, and a page of 30 s asked
    four times each for 24 months would take the run's hour); the crawl stops after ``budget_seconds``. Slowest
    first."""
    depth_of = {start: 0}
    queue = [start]
    pages: list[Page] = []
    stop_at = time.monotonic() + budget_seconds
    while queue and len(pages) < limit and time.monotonic() < stop_at:
        path = queue.pop(0)
        began = time.perf_counter()
        status, body, content_type = _get(base_url + path, session)
        samples = [(time.perf_counter() - began) * 1000]
        if samples[0] <= SLOW_MS:
            samples = []
            for _ in range(requests):
                began = time.perf_counter()
                status, body, content_type = _get(base_url + path, session)
                samples.append((time.perf_counter() - began) * 1000)
        pages.append(Page(path, status, round(statistics.median(samples), 1), round(max(samples), 1), len(body)))
        if status == 200 and "html" in content_type and depth_of[path] < depth:
            for link in links(body.decode("utf-8", "replace")):
                if link not in depth_of:
                    depth_of[link] = depth_of[path] + 1
                    queue.append(link)
    return sorted(pages, key=lambda p: p.p50_ms, reverse=True)


def table(pages: list[Page], *, shown: int = 15) -> str:
    lines = [f"{len(pages)} pages; over {SLOW_MS:,.0f} ms: {sum(p.p50_ms > SLOW_MS for p in pages)}; over "
             f"{BIG_BYTES / 1e6:.0f} MB: {sum(p.size > BIG_BYTES for p in pages)}; not 200: "
             f"{sum(p.status != 200 for p in pages)}. The {min(shown, len(pages))} slowest:", "",
             "| page | status | p50 ms | max ms | bytes | flag |", "|---|---|---|---|---|---|"]
    lines += [f"| `{p.path}` | {p.status} | {p.p50_ms:,.1f} | {p.max_ms:,.1f} | {p.size:,} | "
              f"{'**check**' if p.flagged else ''} |" for p in pages[:shown]]
    return "\n".join(lines)
