"""Consultations (法律咨询) in the rollups: one cell ``consultations`` per consultation, keyed by its channel, for the
consultation's center, in the month (Beijing time) it took place. The district follows the shared rule
(``attribution.district_of``): the center's district, else the district of the station that recorded it, else the
city center's seat district. The subscriber adds the cell in the recording's transaction; ``rebuild`` recomputes
every cell from the consultation table."""

from __future__ import annotations

from collections.abc import Iterator

from fayuan.consultations.models import Consultation

from . import measures
from .attribution import district_of, month_of
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
    rows = Consultation.objects.values_list("center_id", "center__district_id", "station__district_id",
                                            "center__seat_district_id", "occurred_at", "channel")
    for center_id, cd, sd, seat, at, channel in rows.iterator(chunk_size=measures.CHUNK):
        yield Cell(CONSULTATIONS, center_id, district_of(center_district_id=cd, station_district_id=sd,
                                                         seat_district_id=seat), month_of(at), channel)


measures.REBUILDERS.append(rebuild)
