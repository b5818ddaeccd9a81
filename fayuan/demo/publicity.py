"""The demo's publicity, through the publicity services: in the past year each center held its 3·15 and 12·4
campaigns, street consultations, lectures and village visits, and published in newspapers, on radio and TV, on
websites, Weibo and WeChat; the city bureau ran its own campaigns. Written after the replayed past. Safe to run
again: nothing is added once any publicity exists."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Center
from fayuan.publicity.models import Channel, EventKind, PublicityEvent
from fayuan.publicity.services import EventInput, MediaInput, event_record, media_record

OUTLETS = {Channel.NEWSPAPER: "京江晚报", Channel.RADIO: "镇江人民广播电台", Channel.TV: "镇江电视台",
           Channel.WEBSITE: "镇江市司法局网站", Channel.WEIBO: "镇江法援微博", Channel.WECHAT: "镇江法律援助微信公众号"}
HEADLINES = ["农民工讨薪有了“绿色通道”", "法律援助为困难群众撑起“保护伞”", "值班律师进驻看守所",
             "一起工伤赔偿案的法援故事", "老年人遇到赡养纠纷怎么办", "法律援助申请指南", "法援律师代理未成年人案件纪实"]
PLACES = ["人民广场", "中心菜市场门口", "街道便民服务中心", "社区文化广场", "工业园区", "村民委员会"]


def _theme_day(today: dt.date, month: int, day: int) -> dt.date:
    """The last occurrence of a theme day, today included."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year <= today else dt.date(today.year - 1, month, day)


def _seed_unit(actor: User, name: str, today: dt.date, r: random.Random) -> tuple[int, int]:
    events = 0
    for kind, title, day in ((EventKind.CAMPAIGN_315, "“3·15”法律援助进商场", _theme_day(today, 3, 15)),
                             (EventKind.CAMPAIGN_124, "“12·4”国家宪法日法律援助宣传", _theme_day(today, 12, 4))):
        event_record(actor=actor, data=EventInput(kind=kind, title=f"{name}{title}", held_on=day,
                                                  place=r.choice(PLACES), audience=r.randrange(150, 800)))
        events += 1
    for _ in range(r.randrange(4, 8)):
        kind = r.choice([EventKind.STREET, EventKind.LECTURE, EventKind.VILLAGE, EventKind.CAMPAIGN_OTHER])
        held_on = today - dt.timedelta(days=r.randrange(1, 360))
        event_record(actor=actor, data=EventInput(
            kind=kind, title=f"{EventKind(kind).label}：法律援助知识宣传", held_on=held_on,
            place=r.choice(PLACES), audience=r.randrange(20, 300)))
        events += 1
    media = 0
    for _ in range(r.randrange(8, 16)):
        channel = r.choice(list(Channel))
        day = today - dt.timedelta(days=r.randrange(1, 360))
        reference = (f"https://sfj.zhenjiang.gov.cn/flyz/{day:%Y%m%d}{r.randrange(100, 999)}.html"
                     if channel in (Channel.WEBSITE, Channel.WECHAT, Channel.WEIBO) else f"{day:%Y年%m月%d日}")
        media_record(actor=actor, data=MediaInput(title=r.choice(HEADLINES), published_on=day, channel=channel,
                                                  outlet=OUTLETS[channel], reference=reference))
        media += 1
    return events, media


def seed_publicity(users: dict[str, User]) -> tuple[int, int]:
    """(events, media items)."""
    if PublicityEvent.objects.exists():
        return 0, 0
    r = random.Random(19)
    today = timezone.localdate()
    events = media = 0
    actors: list[tuple[User, str]] = []
    for center in Center.objects.order_by("pk"):
        reviewer = User.objects.filter(role=Role.CENTER_REVIEWER, center=center, is_active=True,
                                       username__startswith="demo_").order_by("username").first()
        if reviewer is not None:
            actors.append((reviewer, ""))
    if "demo_bureau" in users:
        actors.append((users["demo_bureau"], "市司法局"))
    for actor, name in actors:
        e, m = _seed_unit(actor, name, today, r)
        events, media = events + e, media + m
    return events, media
