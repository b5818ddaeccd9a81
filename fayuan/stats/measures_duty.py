"""Duty lawyers' legal help (值班律师法律帮助) in the rollups: one cell ``duty_help`` per help record, keyed
``<kind>|plea`` or ``<kind>|other`` (the plea subset, 认罪认罚: the lawyer present at the signing of the plea
agreement, ``HelpKind.PLEA_WITNESSED``), for the center of the duty station, in the month of the duty day (as the
duty app's own reports count it). The district follows the shared rule (``attribution.district_of``): the center's
district, else the station's, else the city center's seat district."""

from __future__ import annotations

from collections.abc import Iterator

from fayuan.duty.models import HelpKind, HelpRecord

from . import measures
from .attribution import district_of
from .measures import Cell

DUTY_HELP = "duty_help"
PLEA, OTHER = "plea", "other"


def duty_help_key(kind: str) -> str:
    return f"{kind}|{PLEA if kind == HelpKind.PLEA_WITNESSED else OTHER}"


def cell_for_help(record: HelpRecord) -> Cell:
    station = record.station
    center = station.center
    district = district_of(center_district_id=center.district_id, station_district_id=station.district_id,
                           seat_district_id=center.seat_district_id)
    return Cell(DUTY_HELP, center.pk, district, record.duty.date.replace(day=1), duty_help_key(record.kind))


def rebuild() -> Iterator[Cell]:
    rows = HelpRecord.objects.values_list("station__center_id", "station__center__district_id", "station__district_id",
                                          "station__center__seat_district_id", "duty__date", "kind")
    for center_id, cd, sd, seat, day, kind in rows.iterator(chunk_size=measures.CHUNK):
        yield Cell(DUTY_HELP, center_id, district_of(center_district_id=cd, station_district_id=sd,
                                                     seat_district_id=seat), day.replace(day=1), duty_help_key(kind))


measures.REBUILDERS.append(rebuild)
