"""Synthetic names, telephone numbers and coordinates. Deterministic: every function takes its own Random or hashes
its input, so a run never depends on the global random state or on the order other sections were built in."""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal

from .data import SEED

# Common surnames, weighted roughly by frequency in southern Jiangsu; 眭, 笪, 束 and 贡 are local to Zhenjiang.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 30), ("张", 24), ("陈", 24), ("李", 22), ("徐", 18), ("朱", 14), ("刘", 14), ("周", 12), ("吴", 12),
    ("孙", 10), ("杨", 10), ("陆", 8), ("沈", 8), ("顾", 7), ("蒋", 7), ("严", 5), ("殷", 5), ("丁", 6),
    ("汤", 5), ("许", 6), ("赵", 8), ("黄", 8), ("胡", 6), ("高", 5), ("马", 5), ("钱", 5), ("姜", 4), ("邵", 4),
    ("范", 4), ("史", 4), ("贺", 3), ("戴", 4), ("恽", 2), ("眭", 2), ("笪", 2), ("束", 2), ("贡", 1),
    ("荆", 1), ("葛", 3), ("潘", 3), ("袁", 3), ("蔡", 3), ("俞", 3), ("芮", 2), ("缪", 2), ("唐", 4),
)
_SURNAME_NAMES = [s for s, _ in SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in SURNAMES]

# Given-name characters by generation and sex: names follow fashions, so an 80-year-old 梓涵 would look wrong.
_GIVEN: dict[tuple[str, str], str] = {
    ("old", "M"): "国建德福根宝荣祥兴明华平忠勤寿金生林春海才发富贵洪英志庆保顺",
    ("old", "F"): "秀英桂兰凤珍芳玉琴梅菊花翠云娣美金彩红素萍霞芬香",
    ("mid", "M"): "伟强军勇峰磊斌涛杰刚辉明亮波军东宏俊敏锋平华超鹏飞",
    ("mid", "F"): "丽娟静敏艳霞燕玲红芳慧琳萍婷雪颖倩洁丹琴莉蓉",
}
# The young generation's names are mostly fixed pairs (子轩, 欣怡); a single character is one of the first six.
_YOUNG: dict[str, tuple[str, ...]] = {
    "M": ("浩", "宇", "杰", "阳", "睿", "航", "子轩", "浩然", "宇泽", "博文", "子睿", "皓轩", "晨阳", "铭泽",
          "俊熙", "一诺", "嘉豪", "梓豪", "思远", "天佑"),
    "F": ("婷", "悦", "琳", "萱", "妍", "彤", "欣怡", "梓涵", "雨萱", "诗琪", "佳悦", "可馨", "思彤", "紫琳",
          "若曦", "语桐", "晨瑶", "梦琪", "一诺", "雨欣"),
}

MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157",
                   "158", "159", "177", "180", "181", "182", "187", "188", "189", "199")


def rng(section: str) -> random.Random:
    """A Random of its own per section, so adding rows to one section never reshuffles another."""
    return random.Random(f"{SEED}:{section}")


def _generation(birth_year: int) -> str:
    if birth_year < 1960:
        return "old"
    return "mid" if birth_year < 1995 else "young"


def person_name(r: random.Random, gender: str, birth_year: int) -> str:
    surname = r.choices(_SURNAME_NAMES, weights=_SURNAME_WEIGHTS)[0]
    generation = _generation(birth_year)
    if generation == "young":
        names = _YOUNG[gender]
        return surname + (names[r.randrange(6)] if r.random() < 0.15 else r.choice(names[6:]))
    pool = _GIVEN[(generation, gender)]
    given = r.choice(pool) if r.random() < 0.22 else r.choice(pool) + r.choice(pool)
    if len(given) == 2 and given[0] == given[1] and r.random() < 0.7:
        given = given[0]  # reduplicated names (婷婷) exist, but not that often
    return surname + given


def unique_name(r: random.Random, gender: str, birth_year: int, taken: set[str]) -> str:
    """A name not yet in ``taken`` (natural keys of staff and volunteers are their names)."""
    while True:
        name = person_name(r, gender, birth_year)
        if name not in taken:
            taken.add(name)
            return name


def mobile(r: random.Random) -> str:
    return r.choice(MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"


def _digest(key: str) -> bytes:
    return hashlib.sha256(f"{SEED}:{key}".encode()).digest()


def landline(key: str) -> str:
    """A Zhenjiang landline (0511, which also covers 丹阳, 句容 and 扬中) derived from ``key``."""
    n = int.from_bytes(_digest("tel:" + key)[:4], "big") % 10_000_000
    return f"0511-8{n:07d}"


def jitter(key: str, lat: float, lon: float, radius: float) -> tuple[Decimal, Decimal]:
    """A point near (lat, lon), at most ``radius`` degrees off on each axis, fixed by ``key``."""
    d = _digest("geo:" + key)
    dx = (int.from_bytes(d[:4], "big") / 2**32 - 0.5) * 2 * radius
    dy = (int.from_bytes(d[4:8], "big") / 2**32 - 0.5) * 2 * radius
    q = Decimal("0.000001")
    return Decimal(str(lat + dy)).quantize(q), Decimal(str(lon + dx)).quantize(q)
