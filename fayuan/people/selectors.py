"""Scoped reads of people. Every view and endpoint that shows a person comes through here.

Who sees whom:
- bureau supervisor: everyone;
- center reviewer and director: people registered at their center (first, or through a ``PersonRegistration``
  when another center had registered the ID number before: then they see their own registration's values);
- station clerk: people registered at their station (likewise);
- applicant: themselves;
- provider and duty lawyer: the applicants and agents of the cases they currently hold, until the closing
  (after it the case page shows their names only: ``cases.policy``);
- system administrator, organ liaison, auditor: nobody.
A record outside scope is indistinguishable from a missing one (404).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.query import EmptyQuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, PROVIDER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.crypto import lookup_hash, phone_digits, phone_lookup_hash
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction

from . import idnumber
from .models import Person, PersonRegistration, PersonTag, PersonTagging

# cases.policy.CLOSED_FOR_PROVIDER, spelled here because people sits below cases (a test keeps them equal).
PROVIDER_PERSON_HIDDEN_STATUSES = ("closing_submitted", "closed", "archived")


def _registered_or_linked(user: User) -> tuple[Q, QuerySet[Any]] | None:
    """For the roles that see the people registered with them or linked to them by a registration: the condition on
    the person's own intake, and the linked person ids. None for the other roles."""
    if user.role == Role.BUREAU_SUPERVISOR and user.district_id is not None:
        return (Q(intake_center__district_id=user.district_id),
                PersonRegistration.objects.filter(center__district_id=user.district_id).values("person_id"))
    if user.role in CENTER_ROLES and user.center_id:
        return (Q(intake_center_id=user.center_id),
                PersonRegistration.objects.filter(center_id=user.center_id).values("person_id"))
    if user.role == Role.STATION_CLERK and user.station_id:
        return (Q(intake_station_id=user.station_id),
                PersonRegistration.objects.filter(station_id=user.station_id).values("person_id"))
    return None


def persons_visible_to(user: User) -> QuerySet[Person]:
    qs = Person.objects.select_related("intake_center", "intake_station")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.BUREAU_SUPERVISOR and user.district_id is None:  # the city bureau
        return qs
    parts = _registered_or_linked(user)
    if parts is not None:
        own, linked = parts
        return qs.filter(own | Q(pk__in=linked))
    if role == Role.APPLICANT:
        return qs.filter(account=user)
    if role in PROVIDER_ROLES and user.provider_id:
        # The applicants and agents of the cases they hold the active assignment of, before the closing. The case
        # model is reached through the relation (people sits below cases and does not import it).
        case_model = Person._meta.get_field("cases").related_model
        held = (case_model._default_manager  # type: ignore[union-attr]
                .filter(assignments__provider_id=user.provider_id, assignments__is_active=True)
                .exclude(status__in=PROVIDER_PERSON_HIDDEN_STATUSES))
        return qs.filter(Q(pk__in=held.values("applicant_id")) | Q(pk__in=held.values("agent_id")))
    return qs.none()


def phone_query(query: str) -> Q | None:
    """What a search for a phone matches, or None when ``query`` is not one. Numbers are stored encrypted: a whole
    number (7 digits or more) matches its keyed hash; a tail of up to four digits matches the masked form
    (138****0001), which shows those digits anyway. Only POSTed searches pass phones (not to land in access logs)."""
    digits = phone_digits(query)
    if not digits or query.strip(" +-()0123456789"):
        return None
    if len(digits) >= 7:
        return Q(phone_hash=phone_lookup_hash(query))
    if len(digits) <= 4:
        return Q(phone_masked__endswith=digits)
    return Q(pk__in=[])


def person_list_for_user(user: User, *, query: str = "", tag: str = "", by_phone: bool = False) -> QuerySet[Person]:
    """People in scope matching a name, or also a phone when ``by_phone`` (the caller took the query from a POST
    body, never from a URL). A person seen through a registration matches on that registration's values too."""
    return _matching(user, persons_visible_to(user), query=query, tag=tag, by_phone=by_phone).prefetch_related("tags")


def person_list_ids(user: User, *, query: str = "", tag: str = "", by_phone: bool = False,
                    first: int | None = None) -> QuerySet[Any]:
    """The ids (with ``created_at``) of ``person_list_for_user``, newest first, for a paginated list at any size.

    "Registered here, or linked by a registration" is an OR that no index can serve in order: at a million cases
    a center's 70,000 people were sorted for every page. As two branches, each read in order off its own index
    ((intake_center, created_at, id); the few linked people). PostgreSQL 15 does not merge the branches of a
    UNION ALL in order, though: a LIMIT outside still sorts every row of both (24 ms for 93,000 people). ``first``
    (the end of the page wanted) limits each branch inside, and the merge reads only that many (0.1 ms). SQLite
    takes no ORDER BY or LIMIT inside a compound statement; its databases are small."""
    parts = _registered_or_linked(user) if user.is_authenticated and user.is_active else None
    if parts is None:
        return (_matching(user, persons_visible_to(user), query=query, tag=tag, by_phone=by_phone)
                .order_by("-created_at", "-id").values("id", "created_at"))
    own, linked = parts
    registered = _matching(user, Person.objects.filter(own), query=query, tag=tag, by_phone=by_phone)
    only_linked = _matching(user, Person.objects.filter(pk__in=linked).exclude(own), query=query, tag=tag,
                            by_phone=by_phone)
    branches = [registered.order_by().values("id", "created_at"), only_linked.order_by().values("id", "created_at")]
    if first is not None and connection.features.supports_slicing_ordering_in_compound:
        branches = [branch.order_by("-created_at", "-id")[:first] for branch in branches]
        live = [branch for branch in branches if not isinstance(branch, EmptyQuerySet)]
        if len(live) < 2:  # Django's union with an empty branch (a station's, say) is the other, ordered and limited
            return (live or branches)[0]
    return branches[0].union(branches[1], all=True).order_by("-created_at", "-id")


def persons_in_order(user: User, ids: list[int]) -> list[Person]:
    """The people of a page of ``person_list_ids``, in its order (read through the scope again)."""
    found = persons_visible_to(user).prefetch_related("tags").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _matching(user: User, qs: QuerySet[Person], *, query: str, tag: str, by_phone: bool) -> QuerySet[Person]:
    if query:
        match = Q(name__icontains=query)
        phone = phone_query(query) if by_phone else None
        if phone is not None:
            match |= phone
            # Another center's registration of the same person keeps its own number: only ours is searched.
            own = Q(center_id=user.center_id) if user.center_id else Q(station_id=user.station_id)
            if user.center_id or user.station_id:
                match |= Q(pk__in=PersonRegistration.objects.filter(phone, own).values("person_id"))
        qs = qs.filter(match)
    if tag:  # a subquery, not a join: no duplicate rows, so no DISTINCT over every column of a large list
        qs = qs.filter(pk__in=PersonTagging.objects.filter(tag__code=tag).values("person_id"))
    return qs


def person_find_by_id_number(user: User, raw: str) -> Person | None:
    """Exact lookup by ID number through the keyed hash, inside the user's scope."""
    try:
        value = idnumber.parse(raw).value
    except idnumber.InvalidIdNumber:
        return None
    return persons_visible_to(user).filter(id_number_hash=lookup_hash(value)).first()


def person_get_for_user(user: User, public_id: Any, *, audit: bool = True, for_update: bool = False) -> Person:
    """One person, or 404. Reading the details is audited unless the caller audits its own action instead."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    qs = persons_visible_to(user).filter(public_id=key)
    if for_update:
        # Lock only the person row: the scope filter may join (and DISTINCT) other tables.
        ids = list(qs.values_list("pk", flat=True)[:1])
        person = Person.objects.select_for_update().filter(pk__in=ids).first() if ids else None
    else:
        person = qs.first()
    if person is None:
        raise NotFoundOrForbidden()
    registration = registration_for(user, person)
    if registration is not None:
        show_registration(person, registration)
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=person)
    return person


def registration_for(user: User, person: Person) -> PersonRegistration | None:
    """The user's own registration of a person another center (or station) registered first; None when the person
    is theirs (or the role has no registrations)."""
    if user.role in CENTER_ROLES and user.center_id and person.intake_center_id != user.center_id:
        return (PersonRegistration.objects.filter(person=person, center_id=user.center_id)
                .order_by(F("station_id").asc(nulls_first=True), "pk").first())
    if user.role == Role.STATION_CLERK and user.station_id and person.intake_station_id != user.station_id:
        return PersonRegistration.objects.filter(person=person, station_id=user.station_id).first()
    return None


def as_registered_at(person: Person | None, center_id: int) -> None:
    """Show ``person`` as ``center_id`` registered them, when that center linked to a person registered elsewhere
    first (a case shows its applicant as the case's center knows them)."""
    if person is None or person.intake_center_id == center_id:
        return
    registration = (PersonRegistration.objects.filter(person=person, center_id=center_id).select_related("center")
                    .order_by(F("station_id").asc(nulls_first=True), "pk").first())
    if registration is not None:
        show_registration(person, registration)


def shown_to(user: User, persons: list[Person]) -> list[Person]:
    """A list's rows as ``user`` registered them (one query for the registrations of the whole page)."""
    if user.role in CENTER_ROLES and user.center_id:
        foreign = [p.pk for p in persons if p.intake_center_id != user.center_id]
        rows = PersonRegistration.objects.filter(person_id__in=foreign, center_id=user.center_id)
    elif user.role == Role.STATION_CLERK and user.station_id:
        foreign = [p.pk for p in persons if p.intake_station_id != user.station_id]
        rows = PersonRegistration.objects.filter(person_id__in=foreign, station_id=user.station_id)
    else:
        return persons
    if not foreign:
        return persons
    by_person: dict[int, PersonRegistration] = {}
    for row in rows.select_related("center", "station").order_by(F("station_id").desc(nulls_last=True), "-pk"):
        by_person[row.person_id] = row  # the centre-level row (station NULL) last, so it wins
    for person in persons:
        if person.pk in by_person:
            show_registration(person, by_person[person.pk])
    return persons


def show_registration(person: Person, registration: PersonRegistration) -> None:
    """Show the person as this center registered them: its typed values in place of the first registration's.
    The instance must not be saved as a whole afterwards (``people.services`` writes the registration instead)."""
    for field in ("name", *person.PHONE_FIELDS, "address", "household_registration"):
        setattr(person, field, getattr(registration, field))
    person.intake_center = registration.center
    person.intake_station = registration.station
    person.created_at = registration.registered_at
    person.shown_registration = registration  # type: ignore[attr-defined]


def person_taggings(person: Person) -> list[PersonTagging]:
    """The tags to show: a registration's own declared tags when the person is seen through one."""
    registration: PersonRegistration | None = getattr(person, "shown_registration", None)
    if registration is None:
        return list(person.taggings.all())
    tags = {t.code: t for t in PersonTag.objects.filter(code__in=registration.tag_codes)}
    return [PersonTagging(person=person, tag=tags[c], source=registration.tag_source)
            for c in registration.tag_codes if c in tags]


PICKER_SIZE = 50


def person_picker(user: User, query: str = "", keep: tuple[str | None, ...] = (), *,
                  by_phone: bool = False) -> tuple[list[Person], bool]:
    """People in the user's scope for a picker: matches of ``query`` (a phone too when ``by_phone``: POSTed), or
    the latest registered; the ones in ``keep`` (already chosen) always stay. Returns the people and whether the
    list was cut short."""
    qs = person_list_for_user(user, query=query, by_phone=by_phone) if query else persons_visible_to(user)
    found = list(qs.order_by("-created_at", "-id")[: PICKER_SIZE + 1])
    more = len(found) > PICKER_SIZE
    found = found[:PICKER_SIZE]
    known = {str(p.public_id) for p in found}
    for public_id in keep:
        if public_id and public_id not in known:
            try:
                found.insert(0, person_get_for_user(user, public_id, audit=False))
                known.add(public_id)
            except NotFoundOrForbidden:
                pass
    return found, more
