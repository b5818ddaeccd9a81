"""The contact card's sheet: A4 pages of 8 cards (2 × 4, 95 × 66 mm, dashed cut lines), each with the holder's
masked name, the center's and the station's phones, the 12348 hotline, the services offered and a QR code to the
public site. Rendered from what the batch froze at issue, so a reprint matches what was handed out."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fayuan.core.documents import html_to_pdf

from .models import CardBatch

HOTLINE = "12348"
PER_PAGE = 8
# What the card offers, in the plan's words (point 5: 告知援助事项): short enough for a wallet card.
SERVICES = (
    "免费法律咨询", "代写法律文书", "民事、行政案件代理", "刑事辩护与代理",
    "劳动争议、讨薪、工伤", "赡养、婚姻、继承、土地纠纷",
)


@dataclass(frozen=True)
class Card:
    name: str
    place: str


def qr_svg(url: str) -> SafeString:
    """The QR code as inline SVG (no file, nothing fetched)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=3, border=1, xmldecl=False, svgns=True,
                                    svgclass=None, lineclass=None)
    return mark_safe(out.getvalue().decode())  # noqa: S308 - segno's own SVG of our own URL


def card_pages(batch: CardBatch) -> list[list[Card]]:
    place = str(batch.place)
    cards = [Card(name=c.name_masked, place=place) for c in batch.cards.all().order_by("pk")]
    return [cards[i:i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)]


def card_sheet_html(batch: CardBatch) -> str:
    return render_to_string("outreach/cards_pdf.html", {
        "batch": batch, "pages": card_pages(batch), "qr": qr_svg(batch.public_url), "hotline": HOTLINE,
        "services": SERVICES})


def card_sheet_pdf(batch: CardBatch) -> bytes:
    return html_to_pdf(card_sheet_html(batch), identifier=batch.public_id.hex.encode())
