"""Consultations (法律咨询) in the rollups: one cell ``consultations`` per consultation, keyed by its channel, for the
consultation's center, in the month (Beijing time) it took place. The district follows the shared rule
(``attribution.district_of``): the center's district, else the district of the station that recorded it, else the
city center's seat district. The subscriber adds the cell in the recording's transaction; ``rebuild`` recomputes
every cell from the consultation table."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count

from fayuan.consultations.models import Consultation

from . import measures
from .attribution import district_expression, district_of, month_of
from .measures import Cell

CONSULTATIONS = "consultations"


def cell_for_consultation(consultation: Consultation) -> Cell:
    center, station = consultation.center, consultation.station
    district = district_of(center_district_id=center.district_id,
                           station_district_id=station.district_id if station is not None else None,
                           seat_district_id=center.seat_district_id)
    return Cell(CONSULTATIONS, consultation.center_id, district, month_of(consultation.occurred_at),
                consultation.channel)


def rebuild() -> Iterator[Cell]:
    # Grouped in the database (one row per cell, as measures.py's rebuilders): twenty million consultations would
    # otherwise cross into Python one by one. District and month: the shared SQL forms.
    rows = (Consultation.objects.annotate(district=district_expression(station="station"),
                                          m=measures.month_expression("occurred_at"))
            .values_list("center_id", "district", "m", "channel").annotate(n=Count("pk")).order_by())
    for center_id, district_id, month, channel, n in rows:
        yield Cell(CONSULTATIONS, center_id, district_id, month, channel, count=n)


measures.REBUILDERS.append(rebuild)
