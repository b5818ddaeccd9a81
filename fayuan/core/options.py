"""The 范围 (district) selector of the statistics and quality pages, written in Python rather than in a template
loop: a country's 3,000 districts took 28 ms in the loop, half of the dashboard's rendering."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def district_options(districts: Iterable[tuple[int, str]], chosen: int | None) -> SafeString:
    """``<option>`` elements for (id, name) pairs, the chosen one selected. Names are escaped; ids are integers.
    Not ``format_html_join``: its escaping of every argument took 18 ms for 3,000 options, this 2-3 ms."""
    return mark_safe("".join(  # noqa: S308 (every name escaped, every id an int)
        f'<option value="{int(pk)}"{" selected" if pk == chosen else ""}>{escape(name)}</option>'
        for pk, name in districts))
