"""Scoped reads of publicity, and the counts the dashboards read. A center sees its own events and media items; a
district bureau its own and its district's centers'; the city bureau everything.

``publicity_counts(year=..., center_id=..., district_id=...)`` is the one function the dashboards (issue 14) call:
a center's counts, a district's (its bureau's and its centers'), or the city's (neither given), by event type, by
media channel and by month, with the audience reached. ``publicity_counts_by_center`` gives the same per center for
a bureau's table."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES

from .models import Channel, EventKind, MediaItem, PublicityEvent

PUBLICITY_ROLES = CENTER_ROLES | BUREAU_ROLES


def _unit_scope(*, center_id: int | None = None, district_id: int | None = None) -> Q:
    if center_id is not None:
        return Q(organiser_center_id=center_id)
    if district_id is not None:
        return Q(by_bureau=True, organiser_district_id=district_id) | Q(organiser_center__district_id=district_id)
    return Q()


def _user_scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in CENTER_ROLES and user.center_id:
        return _unit_scope(center_id=user.center_id)
    if user.role in BUREAU_ROLES:
        return _unit_scope(district_id=user.district_id)
    return None


def events_visible_to(user: User) -> QuerySet[PublicityEvent]:
    scope = _user_scope(user)
    if scope is None:
        return PublicityEvent.objects.none()
    return PublicityEvent.objects.filter(scope).select_related("organiser_center", "organiser_district")


def media_visible_to(user: User) -> QuerySet[MediaItem]:
    scope = _user_scope(user)
    if scope is None:
        return MediaItem.objects.none()
    return MediaItem.objects.filter(scope).select_related("organiser_center", "organiser_district")


@dataclass
class PublicityCounts:
    """One unit's publicity in one year. Every type, channel and month is present (zero when none)."""

    year: int
    events_by_kind: dict[str, int] = field(default_factory=dict)  # EventKind value -> events
    media_by_channel: dict[str, int] = field(default_factory=dict)  # Channel value -> items
    events_by_month: dict[int, int] = field(default_factory=dict)  # 1..12 -> events
    media_by_month: dict[int, int] = field(default_factory=dict)  # 1..12 -> items
    audience: int = 0  # people reached by the events

    @property
    def events(self) -> int:
        return sum(self.events_by_kind.values())

    @property
    def media(self) -> int:
        return sum(self.media_by_channel.values())


def publicity_counts(*, year: int, center_id: int | None = None, district_id: int | None = None) -> PublicityCounts:
    """Counts of a center (``center_id``), a district (``district_id``: its bureau's and its centers') or the
    city (neither). Four grouped queries, whatever the number of records."""
    scope = _unit_scope(center_id=center_id, district_id=district_id)
    events = PublicityEvent.objects.filter(scope, held_on__year=year)
    media = MediaItem.objects.filter(scope, published_on__year=year)
    counts = PublicityCounts(year=year, events_by_kind=dict.fromkeys(EventKind.values, 0),
                             media_by_channel=dict.fromkeys(Channel.values, 0),
                             events_by_month=dict.fromkeys(range(1, 13), 0),
                             media_by_month=dict.fromkeys(range(1, 13), 0))
    for row in events.values("kind").annotate(n=Count("id"), people=Sum("audience")).order_by():
        counts.events_by_kind[row["kind"]] = row["n"]
        counts.audience += row["people"] or 0
    for row in media.values("channel").annotate(n=Count("id")).order_by():
        counts.media_by_channel[row["channel"]] = row["n"]
    for row in events.annotate(m=ExtractMonth("held_on")).values("m").annotate(n=Count("id")).order_by():
        counts.events_by_month[row["m"]] = row["n"]
    for row in media.annotate(m=ExtractMonth("published_on")).values("m").annotate(n=Count("id")).order_by():
        counts.media_by_month[row["m"]] = row["n"]
    return counts


def publicity_counts_for_user(user: User, year: int) -> PublicityCounts | None:
    """The counts of the user's own unit: their center, their district, or the city."""
    if user.role in CENTER_ROLES and user.center_id:
        return publicity_counts(year=year, center_id=user.center_id)
    if user.role in BUREAU_ROLES:
        return publicity_counts(year=year, district_id=user.district_id)
    return None


@dataclass(frozen=True)
class UnitRow:
    label: str
    events: int
    audience: int
    media: int


def publicity_counts_by_center(*, year: int, district_id: int | None = None) -> list[UnitRow]:
    """Per organiser (each center, and the bureaus) of the city or of one district: events, audience, media items.
    Two grouped queries."""
    scope = _unit_scope(district_id=district_id)
    keys = ("organiser_center__name", "by_bureau", "organiser_district__name")
    events = {tuple(r[k] for k in keys): r for r in PublicityEvent.objects.filter(scope, held_on__year=year)
              .values(*keys).annotate(n=Count("id"), people=Sum("audience")).order_by()}
    media = {tuple(r[k] for k in keys): r["n"] for r in MediaItem.objects.filter(scope, published_on__year=year)
             .values(*keys).annotate(n=Count("id")).order_by()}
    rows = []
    for key in sorted(set(events) | set(media), key=lambda k: (bool(k[1]), k[0] or "", k[2] or "")):
        center, by_bureau, district = key
        label = center if not by_bureau else (f"{district}司法局" if district else "市司法局")
        e = events.get(key)
        rows.append(UnitRow(label, e["n"] if e else 0, (e["people"] or 0) if e else 0, media.get(key, 0)))
    return rows
