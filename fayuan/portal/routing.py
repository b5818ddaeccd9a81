"""Where an online application goes: Legal Aid Law art. 38. Pure; no database (the services resolve the rows).

- Litigation (civil, administrative, state compensation, criminal): the legal aid institution where the
  case-handling organ (court, procuratorate, police, detention center) sits. An organ chosen from the station list
  belongs to the center that serves it (city-level organs to the city center); otherwise the district picked.
- Non-litigation: where the dispute-handling organ sits, or where the matter arose; the applicant says which.
"""

from __future__ import annotations

from dataclasses import dataclass

LITIGATION = frozenset({"civil", "administrative", "state_compensation", "criminal"})
NON_LITIGATION = "non_litigation"
ORGAN_STATION_TYPES = ("court", "procuratorate", "police", "detention_center")
# Which organs handle which litigation: civil and administrative cases are before a court; criminal cases and
# state compensation claims can be with the police, the procuratorate or a court.
ORGAN_TYPES_FOR = {
    "civil": ("court",), "administrative": ("court",),
    "criminal": ORGAN_STATION_TYPES, "state_compensation": ORGAN_STATION_TYPES,
}
AREA_REASONS = {
    "organ": "争议处理机关所在地",
    "arose": "事由发生地",
}
ART_38 = "法律援助法第三十八条"
RULE_TEXT = {
    "litigation": "诉讼事项，向办案机关所在地的法律援助机构申请",
    "non_litigation": "非诉讼事项，向争议处理机关所在地或者事由发生地的法律援助机构申请",
}


class RoutingError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Organ:
    """A case-handling organ from the station list, and the center that serves it."""

    station_id: int
    name: str
    center_id: int
    center_name: str


@dataclass(frozen=True)
class Area:
    """A district, and the legal aid center of that district (or the city center where it has none)."""

    district_code: str
    name: str
    center_id: int
    center_name: str


@dataclass(frozen=True)
class Route:
    center_id: int
    center_name: str
    rule: str
    explanation: str
    basis: str = ART_38

    def as_dict(self) -> dict[str, object]:
        return {"center": self.center_id, "rule": self.rule, "explanation": self.explanation, "basis": self.basis}


def route(*, case_type: str, organ: Organ | None, area: Area | None, area_reason: str = "") -> Route:
    """The center that receives the application, with the rule applied in plain words."""
    if case_type in LITIGATION:
        if organ is not None:
            return Route(organ.center_id, organ.center_name, "litigation",
                         f"{RULE_TEXT['litigation']}：办案机关为{organ.name}，由{organ.center_name}受理。")
        if area is not None:
            return Route(area.center_id, area.center_name, "litigation",
                         f"{RULE_TEXT['litigation']}：办案机关在{area.name}，由{area.center_name}受理。")
        raise RoutingError("请选择办案机关（法院、检察院、公安机关），或选择办案机关所在的区（市）。",
                           field="organ_station")
    if case_type == NON_LITIGATION:
        if area is None:
            raise RoutingError("请选择争议处理机关所在地或者事由发生地所在的区（市）。", field="district")
        if area_reason not in AREA_REASONS:
            raise RoutingError("请说明所选地点是争议处理机关所在地，还是事由发生地。", field="area_reason")
        return Route(area.center_id, area.center_name, "non_litigation",
                     f"{RULE_TEXT['non_litigation']}：{AREA_REASONS[area_reason]}在{area.name}，"
                     f"由{area.center_name}受理。")
    raise RoutingError("请先选择案件类型。", field="case_type")
