"""People: scoped list and detail (national ID masked; every detail read audited), and registration."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from fayuan.core.errors import ValidationFailed
from fayuan.org.models import Station
from fayuan.people import selectors, services
from fayuan.people.models import Person

from .auth import api_user
from .idempotency import idempotent
from .schemas import (
    BODY_ERRORS,
    ERRORS,
    PersonCreateIn,
    PersonDetailOut,
    PersonFilters,
    PersonOut,
    PersonPage,
    PersonRef,
    PersonSearchIn,
    TagOut,
)

router = Router(tags=["人员"])


def _tags(person: Person) -> list[TagOut]:
    return [TagOut(code=t.tag.code, name=t.tag.name, source=t.source) for t in selectors.person_taggings(person)]


def person_ref(person: Person) -> PersonRef:
    return PersonRef(public_id=person.public_id, name=person.name)


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        public_id=person.public_id, name=person.name, id_number_masked=person.id_number_masked,
        gender=person.gender, tags=_tags(person), intake_center=person.intake_center.name,
        intake_station=person.intake_station.name if person.intake_station else None,
    )


def person_detail_out(person: Person) -> PersonDetailOut:
    return PersonDetailOut(
        **person_out(person).model_dump(), birth_date=person.birth_date, phone_masked=person.phone_masked,
        address=person.address, household_registration=person.household_registration, created_at=person.created_at,
    )


def _page(request: HttpRequest, filters: PersonFilters | PersonSearchIn, *, by_phone: bool) -> PersonPage:
    qs = (selectors.person_list_for_user(api_user(request), query=filters.q.strip(), tag=filters.tag.strip(),
                                         by_phone=by_phone)
          .prefetch_related("taggings__tag"))
    start = (filters.page - 1) * filters.page_size
    return PersonPage(count=qs.count(), page=filters.page, page_size=filters.page_size,
                      items=[person_out(p) for p in selectors.shown_to(api_user(request),
                                                                        list(qs[start:start + filters.page_size]))])


@router.get("", response={200: PersonPage, **ERRORS}, summary="人员列表（本人权限范围内）",
            description=("q 只按姓名检索：电话号码不能出现在查询串里（会进入访问日志），"
                         "按电话检索用 POST /people/search。"))
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> PersonPage:
    return _page(request, filters, by_phone=False)


@router.post("/search", response={200: PersonPage, **BODY_ERRORS}, summary="检索人员（可按电话，本人权限范围内）",
             description="条件放在请求体里：电话号码加密存储，完整号码按密钥散列精确匹配，4 位以内按尾号匹配。")
def person_search(request: HttpRequest, payload: PersonSearchIn) -> PersonPage:
    return _page(request, payload, by_phone=True)


@router.get("/{public_id}", response={200: PersonDetailOut, **ERRORS}, summary="人员详情（查看记入审计）")
def person_detail(request: HttpRequest, public_id: str) -> PersonDetailOut:
    person = selectors.person_get_for_user(api_user(request), public_id)
    return person_detail_out(person)


@router.post("", response={201: PersonDetailOut, **BODY_ERRORS}, summary="登记人员",
             description=("登记到调用人所在的工作站或中心。本中心（工作站）已登记该身份证号时返回 409；"
                          "其他中心登记过的号码与新登记的答复相同"
                          "（关联同一人员，不显示其他中心的信息）。支持 Idempotency-Key。"))
@idempotent
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Status:
    actor = api_user(request)
    station = None
    if payload.intake_station is not None:
        station = Station.objects.filter(pk=payload.intake_station, active=True).first()
        if station is None:
            raise ValidationFailed("所选工作站不存在或已停用。", field="intake_station")
    person = services.person_register(
        actor=actor, name=payload.name, id_number=payload.id_number, phone=payload.phone, address=payload.address,
        household_registration=payload.household_registration, tag_codes=payload.tags, intake_station=station,
    )
    # Read back as the caller sees it: a number known elsewhere answers with what the caller typed, as a new one.
    person = selectors.person_get_for_user(actor, person.public_id, audit=False)
    return Status(201, person_detail_out(person))
