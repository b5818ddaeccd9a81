"""Plans for the demo history: for every case, who applies where, about what, and each later step with its time.

A plan is pure data. It is built backwards from the status the case should have *today*: the steps are laid out
from a provisional receipt time with believable gaps (decided 1-7 days after receipt, assigned within 3 days,
agreement within 5, handling over weeks, closing months later), then the whole case is shifted in whole days so
that it ends the right number of days ago for its final status. Finished cases are spread evenly over the year;
open ones end recently, most within their deadlines, a few beyond them, so the deadline queues have something
to show. ``history.py`` then runs every step of every plan, in time order, through the services.

Only the content is chosen here; which provider the rotation picks is left to ``case_assign`` at run time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from fayuan.cases.services.intake import supplement_default_due
from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import load_ruleset
from fayuan.org.models import Center, Provider, ProviderKind, Station
from fayuan.people.models import Person

from . import casedata as cd
from .accounts import HOME
from .data import DEMO_CLERK_STATION, SEED

TZ = ZoneInfo(settings.TIME_ZONE)
WINDOW_DAYS = 365
OPEN_TARGETS = frozenset({"assigned", "agreement_signed", "in_progress", "closing_submitted"})
_HANDLED = OPEN_TARGETS | {"closed", "archived"}
# demo_provider is chosen (点援制) for this many home cases by final status: something to accept, sign and report.
_FIRST_SIDE_PATHS = {"refused": ("objection",), "granted": ("overturned",), "terminated": ("objection",),
                     "archived": ("changed", "returned")}
_DEMO_LAWYER_CASES = {"assigned": 1, "agreement_signed": 1, "in_progress": 3, "closing_submitted": 1, "archived": 4}
# Statuses whose cases are spread over the whole year; the others end a few days (or weeks) before today.
SETTLED = frozenset({"archived", "refused", "withdrawn", "terminated"})
CRIMINAL_STATIONS = frozenset({"detention_center", "police", "procuratorate", "court", "prison"})
CUSTODY_STATIONS = frozenset({"detention_center", "prison"})
CIVIL_STATIONS = frozenset({"court", "judicial_office", "community_point", "union", "womens_federation",
                            "elderly_association", "disabled_federation", "hr_bureau", "university", "military",
                            "youth_league"})
EXEMPT_TAGS = frozenset({"low_income_allowance", "extreme_poverty", "judicial_assistance", "military_family",
                         "disabled", "migrant_worker"})


def rng(*parts: object) -> random.Random:
    return random.Random(":".join([str(SEED), "history", *map(str, parts)]))


def office_time(r: random.Random, day: dt.date, start: int = 8 * 60 + 30, end: int = 17 * 60) -> dt.datetime:
    minute = r.randint(start, end)
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, r.randint(0, 59), tzinfo=TZ)


# --- What the planner knows about the city ---------------------------------------------------------------------

@dataclass(frozen=True)
class PersonRow:
    pk: int
    public_id: uuid.UUID
    name: str
    birth: dt.date
    gender: str
    tags: frozenset[str]
    station_id: int | None
    center_key: str

    def age(self, on: dt.date) -> int:
        return engine.age_on(self.birth, on)


@dataclass
class World:
    now: dt.datetime
    centers: dict[str, Center]
    stations: dict[int, Station]
    persons: dict[str, list[PersonRow]]
    providers: dict[str, list[Provider]]  # by home center key
    demo_provider_id: int | None
    rule_cache: dict[tuple[str, int, int], engine.RuleSet] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(TZ).date()

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=WINDOW_DAYS)

    def rules(self, center_key: str, on: dt.date) -> engine.RuleSet:
        """The rules in force on ``on`` for a center's applicants (the reference data's minimum wage included)."""
        district = self.centers[center_key].means_test_district
        if district is None:
            raise Unplannable(f"{self.centers[center_key]} has no district for the means test")
        key = (district.code, on.year, on.month)
        if key not in self.rule_cache:
            # Rules change at month starts (the minimum wage on 1 January or 1 August); a month's rows serve all
            # its days.
            self.rule_cache[key] = load_ruleset(district_code=district.code, on=on.replace(day=1))
        return dataclasses.replace(self.rule_cache[key], on=on)

    def wage(self, center_key: str, on: dt.date) -> Decimal:
        wage = self.rules(center_key, on).wage
        if wage is None:  # the demo's year lies inside the reference wage rows; a gap is a data error
            raise Unplannable(f"no minimum wage in force for {self.centers[center_key]} on {on}")
        return wage.monthly_amount

    def evaluate(self, center_key: str, on: dt.date, applicant: engine.Applicant) -> engine.Result:
        """The engine's view of an application received on ``on`` (the services will ask it the same)."""
        return engine.evaluate(applicant, self.rules(center_key, on))


def load_world(now: dt.datetime, centers: dict[str, Center], stations: dict[str, Station],
               demo_provider: Provider | None) -> World:
    keys = {c.pk: k for k, c in centers.items()}
    persons: dict[str, list[PersonRow]] = defaultdict(list)
    qs = (Person.objects.filter(intake_center_id__in=keys, birth_date__isnull=False).order_by("pk")
          .prefetch_related("tags"))
    for p in qs:
        if p.birth_date is None:  # excluded by the query; says so to the type checker
            continue
        key = keys[p.intake_center_id]
        persons[key].append(PersonRow(p.pk, p.public_id, p.name, p.birth_date, p.gender,
                                      frozenset(t.code for t in p.tags.all()), p.intake_station_id, key))
    providers: dict[str, list[Provider]] = defaultdict(list)
    for provider in Provider.objects.filter(active=True, home_center_id__in=keys).order_by("pk"):
        providers[keys[provider.home_center_id]].append(provider)
    return World(now, centers, {s.pk: s for s in stations.values()}, dict(persons), dict(providers),
                 demo_provider.pk if demo_provider else None)


# --- Plans -----------------------------------------------------------------------------------------------------

@dataclass
class Step:
    at: dt.datetime
    kind: str
    params: dict[str, Any]
    plan: CasePlan


@dataclass
class CasePlan:
    index: int
    center_key: str
    target: str
    applicant: PersonRow
    station_id: int | None  # the receiving station, or None for the center's own counter
    data: dict[str, Any]  # ApplicationInput fields
    green: bool
    intent: str  # grant | refuse | aid_first | none
    choice: int | None = None  # a provider the recipient asked for (点援制)
    force: frozenset[str] = frozenset()  # side paths this case must take (so that even a small city shows them)
    steps: list[Step] = field(default_factory=list)
    expires_on: dt.date | None = None  # the supplement period runs out and the daily job withdraws the case
    # Filled in while the history runs.
    case_id: int | None = None
    public_id: uuid.UUID | None = None
    halted: str = ""


def target_list(total: int) -> list[str]:
    """``total`` final statuses in the shares of ``TARGETS``, every status at least once when there is room."""
    weights = dict(cd.TARGETS)
    scale = sum(weights.values())
    counts = {k: int(total * w / scale) for k, w in weights.items()}
    if total >= len(weights):
        for k in counts:
            counts[k] = max(counts[k], 1)
    order = sorted(weights, key=lambda k: -(total * weights[k] / scale - int(total * weights[k] / scale)))
    i = 0
    while sum(counts.values()) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts.values()) > total:
        biggest = max(counts, key=lambda k: counts[k])
        counts[biggest] -= 1
    result = [k for k, n in counts.items() for _ in range(n)]
    rng("targets").shuffle(result)
    return result


class Unplannable(Exception):
    """No person of the center fits the case; the planner tries another center or kind of case."""


@dataclass
class Content:
    case_type: str
    matter: str = ""
    ground: str = ""
    summary: str = ""
    intent: str = "grant"


class Planner:
    def __init__(self, world: World) -> None:
        self.w = world
        self.used: dict[int, int] = defaultdict(int)  # person pk -> cases planned for them
        self.demo_choices: dict[str, int] = defaultdict(int)  # final status -> cases the demo lawyer was chosen for
        self.seen: dict[str, int] = defaultdict(int)  # final status -> cases planned so far
        counts = {k: len(v) for k, v in world.persons.items() if v}
        self.center_keys = sorted(counts)
        self.center_weights = [counts[k] for k in self.center_keys]

    # Applicants ------------------------------------------------------------------------------------------------

    def _person(self, r: random.Random, center: str, ok: Callable[[PersonRow], bool],
                prefer: Callable[[PersonRow], bool] | None = None, p_prefer: float = 0.0) -> PersonRow:
        pool = [p for p in self.w.persons.get(center, []) if ok(p)]
        if prefer is not None and r.random() < p_prefer:
            pool = [p for p in pool if prefer(p)] or pool
        if not pool:
            raise Unplannable(center)
        # Spread the cases: people with fewer cases so far are much likelier to be picked.
        weights = [1 / (1 + self.used[p.pk]) ** 3 for p in pool]
        person = r.choices(pool, weights=weights)[0]
        self.used[person.pk] += 1
        return person

    def _station_type(self, p: PersonRow) -> str:
        return self.w.stations[p.station_id].type if p.station_id else ""

    # Content ---------------------------------------------------------------------------------------------------

    def _content(self, r: random.Random, target: str, force: frozenset[str]) -> Content:
        u = r.random()
        # Refused, and some objections and grants: the refusal that an objection overturned comes first.
        refusal = target == "refused" or (target == "objection" and u < 0.8) or (target == "granted" and u < 0.15) \
            or (target in _HANDLED and u < 0.008) or "overturned" in force
        if refusal:
            u = r.random()
            if u < 0.15:
                return Content("civil", matter="other", summary=r.choice(cd.OUT_OF_SCOPE), intent="refuse")
            if u < 0.3:
                return Content("criminal", ground="none", intent="refuse")
            return Content("civil", matter=cd.pick(r, tuple((m, w) for m, w in cd.CIVIL_MATTERS if m not in (
                "support_elderly", "capacity_declaration", "social_assistance", "pension"))), intent="refuse")
        if target == "aid_first" or (target not in ("at_station", "received", "supplement_requested",
                                                     "under_review", "withdrawn") and r.random() < 0.05):
            matter = r.choice(("wages", "work_injury", "traffic_injury", "labour_relation", "personal_injury"))
            return Content("civil", matter=matter, intent="aid_first")
        kind = cd.pick(r, cd.CASE_TYPES)
        if kind == "criminal":
            return Content(kind, ground=cd.pick(r, cd.GROUNDS))
        if kind == "civil":
            return Content(kind, matter=cd.pick(r, cd.CIVIL_MATTERS))
        if kind == "administrative":
            return Content(kind, matter=cd.pick(r, cd.ADMIN_MATTERS))
        if kind == "non_litigation":
            return Content(kind, matter=cd.pick(r, cd.NON_LITIGATION_MATTERS))
        return Content(kind, matter="state_compensation")

    def _applicant(self, r: random.Random, center: str, c: Content, target: str) -> PersonRow:
        """Someone of the center who plausibly brings this case (age, sex, groups, where they registered)."""
        on = self.w.today - dt.timedelta(days=30)

        def adult(lo: int = 19, hi: int = 120) -> Callable[[PersonRow], bool]:
            return lambda p: lo <= p.age(on) <= hi

        fits = CRIMINAL_STATIONS if c.case_type == "criminal" else CIVIL_STATIONS

        def station(p: PersonRow) -> bool:
            return self._station_type(p) in fits

        ok: Callable[[PersonRow], bool]
        prefer: Callable[[PersonRow], bool] | None = None
        p_prefer = 0.0
        if c.intent == "refuse":
            # Adults below sixty who claim no exempt group: the means test decides, and they are above the line.
            ok = lambda p: 19 <= p.age(on) <= 58 and not (p.tags & EXEMPT_TAGS)  # noqa: E731
        elif c.case_type == "criminal":
            if c.ground == "minor":
                ok = lambda p: 14 <= p.age(on) <= 16  # noqa: E731
            elif c.ground == "blind_deaf_mute":
                ok, prefer, p_prefer = adult(19, 70), (lambda p: "disabled" in p.tags), 1.0
            else:
                ok = adult(19, 62)
                prefer, p_prefer = (lambda p: p.gender == "M"), 0.85
        else:
            m = c.matter
            if m in ("wages", "work_injury"):
                ok, prefer, p_prefer = adult(19, 62), (lambda p: "migrant_worker" in p.tags), 0.6
            elif m in ("labour_relation", "social_insurance"):
                ok = adult(19, 64)
            elif m == "support_elderly":
                ok, prefer, p_prefer = adult(61), (lambda p: p.age(on) >= 76), 0.5
            elif m == "support_child":
                ok, prefer, p_prefer = adult(22, 50), (lambda p: p.gender == "F"), 0.8
            elif m == "marriage_family":
                ok, prefer, p_prefer = adult(22, 72), (lambda p: "domestic_violence_victim" in p.tags), 0.3
            elif m in ("inheritance", "land_transfer", "capacity_declaration"):
                ok = adult(30)
            elif m == "pension":
                ok, prefer, p_prefer = adult(40), (lambda p: "military_family" in p.tags), 0.7
            elif m == "social_assistance":
                ok, prefer, p_prefer = adult(19), (lambda p: bool(p.tags & {"low_income_allowance",
                                                                              "extreme_poverty"})), 0.7
            else:
                ok = adult(19)
        if center == HOME and target in ("at_station", "received") and r.random() < 0.5:
            # The demo clerk's own station gets a share of what is waiting at home.
            demo = next((s for s in self.w.stations.values() if s.name == DEMO_CLERK_STATION), None)
            if demo is not None:
                try:
                    return self._person(r, center, lambda p: ok(p) and station(p) and p.station_id == demo.pk)
                except Unplannable:
                    pass
        if target == "at_station":
            return self._person(r, center, lambda p: ok(p) and station(p))
        if prefer is None:
            prefer, p_prefer = station, 0.4
        return self._person(r, center, ok, prefer, p_prefer)

    def _agent(self, r: random.Random, center: str, applicant: PersonRow) -> PersonRow | None:
        on = self.w.today
        pool = [p for p in self.w.persons.get(center, []) if 28 <= p.age(on) <= 60 and p.pk != applicant.pk]
        return r.choice(pool) if pool else None

    def _application(self, r: random.Random, center: str, c: Content, person: PersonRow,
                     station_id: int | None) -> dict[str, Any]:
        data: dict[str, Any] = {"case_type": c.case_type, "applicant_id": person.public_id}
        on = self.w.today
        groups = sorted(person.tags & set(engine.GROUPS)) if c.intent != "refuse" else []
        facts: list[str] = []
        size = r.choices((1, 2, 3, 4, 5), weights=(22, 28, 28, 16, 6))[0]
        if person.age(on) >= 65:
            size = r.choice((1, 1, 2))
        if c.case_type == "criminal":
            stage = r.choices(("investigation", "prosecution_review", "trial"), weights=(25, 30, 45))[0]
            if c.ground == "death_review":
                stage = "death_review"
            elif c.ground == "absentia":
                stage = "trial"
            charge = r.choice(cd.CHARGES.get(c.ground, cd.CHARGES["ordinary"]))
            summary = f"{charge}死刑复核" if stage == "death_review" else \
                (f"被指控犯{charge}" if stage == "trial" else f"涉嫌{charge}")
            at_custody = station_id is not None and self._station_type_id(station_id) in CUSTODY_STATIONS
            custody = stage != "death_review" and (at_custody or r.random() < 0.7)
            if c.ground in ("absentia",):
                custody = False
            if stage == "death_review":
                custody = True
            mandatory = c.ground != "none"
            data.update(criminal_ground=c.ground, criminal_stage=stage, in_custody=custody, matter_summary=summary,
                        facts=cd.FACTS["criminal_mandatory" if mandatory else "criminal"].format(
                            name=person.name, summary=summary))
            data["handling_organ"] = cd.handling_organ(r, "criminal", "", stage, c.ground, center)
        else:
            m = c.matter
            if c.case_type == "administrative":
                summary = cd.ADMIN_SUMMARIES[m]
            elif m == "other":
                summary = c.summary
            else:
                summary = r.choice(cd.MATTER_SUMMARIES[m])
            party = cd.opposing_party(r, c.case_type, m, center)
            amount = r.randrange(3_000, 60_000, 100)
            facts_text = cd.FACTS.get(m, "申请人因{party}纠纷申请法律援助。").format(
                party=party.split("、")[0] or "对方", amount=amount)
            if m == "other":
                facts_text = f"申请人与{party}发生{summary}，申请法律援助。"
            data.update(matter=m, matter_summary=summary, opposing_party=party, facts=facts_text,
                        handling_organ=cd.handling_organ(r, c.case_type, m, "", "", center))
            if c.intent != "refuse":
                if "domestic_violence_victim" in person.tags and m == "marriage_family":
                    facts.append("domestic_violence")
                    if r.random() < 0.5:
                        facts.append("serious_family_rights_violation")
                if m == "state_compensation" and r.random() < 0.5:
                    facts.append("retrial_acquittal_compensation")
                if m == "personal_injury" and r.random() < 0.08:
                    facts.append("brave_act")
            if c.intent == "aid_first":
                facts.append(r.choice(("limitation_within_7_days", "limitation_within_7_days", "urgent_preservation")))
        data.update(household_size=size, groups=groups, special_facts=facts,
                    income_source="shared_data" if r.random() < 0.15 else "self_declared")
        return data

    def _station_type_id(self, station_id: int) -> str:
        return self.w.stations[station_id].type

    def _income(self, r: random.Random, center: str, data: dict[str, Any], intent: str, day: dt.date,
                exempt: bool) -> None:
        wage, size = self.w.wage(center, day), data["household_size"]
        if intent == "refuse":
            ratio = r.uniform(1.03, 1.8)
        elif exempt:
            ratio = r.triangular(0.0, 1.5, 0.5)
        elif r.random() < 0.1:
            ratio = r.uniform(0.92, 1.0)  # just under the line
        else:
            ratio = r.triangular(0.15, 1.0, 0.7)
        income = Decimal(int(wage * size * Decimal(str(round(ratio, 4))) / 10) * 10)
        if intent != "refuse" and not exempt:
            income = min(income, wage * size)
        if intent == "refuse":
            income = max(income, (wage + 1) * size)
        data["household_monthly_income"] = income

    def _check(self, plan: CasePlan, on: dt.date, r: random.Random) -> engine.Result:
        """Ask the engine as the reviewer will; fix the figures so the planned decision is the lawful one."""
        d = plan.data
        for _ in range(3):
            result = self.w.evaluate(plan.center_key, on, engine.Applicant(
                case_type=d["case_type"], matter=d.get("matter") or None,
                criminal_ground=d.get("criminal_ground") or None, birth_date=plan.applicant.birth,
                household_size=d["household_size"], household_monthly_income=d["household_monthly_income"],
                groups=frozenset(d["groups"]), facts=frozenset(d["special_facts"]),
            ))
            if plan.intent == "refuse":
                if not result.eligible:
                    return result
                d["groups"], d["special_facts"] = [], []
                ratio = Decimal(str(round(r.uniform(1.05, 1.5), 3)))
            elif result.eligible and (plan.intent != "aid_first" or result.aid_first):
                return result
            else:
                ratio = Decimal(str(round(r.uniform(0.4, 0.9), 3)))
            d["household_monthly_income"] = (self.w.wage(plan.center_key, on) * d["household_size"]
                                             * ratio).quantize(Decimal("1"))
        raise Unplannable(f"engine disagrees with the plan of case {plan.index}")

    # One case ----------------------------------------------------------------------------------------------------

    def plan(self, index: int, target: str) -> CasePlan:
        r = rng("case", index)
        # The first refusal is objected to and upheld, the first grant awaiting assignment came from an overturned
        # refusal, the first termination is objected to: each side path shows up however few cases are made.
        force = frozenset(_FIRST_SIDE_PATHS.get(target, ())) if not self.seen[target] else frozenset()
        self.seen[target] += 1
        for _attempt in range(20):
            center = r.choices(self.center_keys, weights=self.center_weights)[0]
            content = self._content(r, target, force)
            try:
                person = self._applicant(r, center, content, target)
                return self._plan_for(r, index, target, center, content, person, force)
            except Unplannable:
                continue
        raise Unplannable(f"no applicant for case {index} ({target})")

    def plan_for_person(self, index: int, target: str, person: PersonRow) -> CasePlan:
        r = rng("case", index)
        age = person.age(self.w.today)
        matter = "support_elderly" if age >= 61 else "wages" if age >= 19 else "personal_injury"
        self.used[person.pk] += 1
        return self._plan_for(r, index, target, person.center_key, Content("civil", matter=matter), person)

    def _plan_for(self, r: random.Random, index: int, target: str, center: str, content: Content,
                  person: PersonRow, force: frozenset[str] = frozenset()) -> CasePlan:
        station_id = None
        stype = self._station_type(person)
        fits = CRIMINAL_STATIONS if content.case_type == "criminal" else CIVIL_STATIONS
        if person.station_id and stype in fits and (target == "at_station" or r.random() < 0.6):
            station_id = person.station_id
        data = self._application(r, center, content, person, station_id)
        data["channel"] = "counter"
        if station_id is not None:
            data["channel"] = "custody" if stype in CUSTODY_STATIONS and data.get("in_custody") else "counter"
        elif content.case_type != "criminal":
            data["channel"] = r.choices(("counter", "online", "phone", "letter"), weights=(78, 10, 5, 7))[0]
        if station_id is None and person.age(self.w.today) < 18:
            agent = self._agent(r, center, person)
            if agent is not None:
                data["agent_id"], data["agent_relationship"] = agent.public_id, "legal_guardian"
        plan = CasePlan(index, center, target, person, station_id, data, False, content.intent, force=force)
        # Provisional receipt date: the engine's view depends on it (age, wage), so settle the figures first.
        day = self.w.today - dt.timedelta(days=90 if target in SETTLED else 20)
        self._income(r, center, data, content.intent, day, exempt=False)
        result = self._check(plan, day, r)
        if result.means_test in ("exempt", "not_required") and content.intent != "refuse":
            self._income(r, center, data, content.intent, day, exempt=True)
            result = self._check(plan, day, r)
        plan.green = result.green_channel
        self._client_choice(r, plan)
        timing = rng("case", index, "time")
        for attempt in range(4):
            plan.steps, plan.expires_on = [], None
            _Path(plan, timing, self.w).build()
            self._place(plan, timing)
            received = plan.steps[0].at.date()
            result = self._check(plan, received, r)
            if result.green_channel == plan.green:
                break
            plan.green = result.green_channel  # crossed a birthday: lay out again on the right track
            timing = rng("case", index, "time", attempt + 1)
        return plan

    def _client_choice(self, r: random.Random, plan: CasePlan) -> None:
        """Some recipients choose their lawyer (点援制); the demo lawyer is chosen for a few open cases at home."""
        if plan.intent == "refuse":
            return
        criminal = plan.data["case_type"] == "criminal"
        special = criminal and plan.data.get("criminal_ground") not in ("none", "absentia", "mental_incapacity")
        if (plan.center_key == HOME and self.w.demo_provider_id and not special
                and self.demo_choices[plan.target] < _DEMO_LAWYER_CASES.get(plan.target, 0)):
            self.demo_choices[plan.target] += 1
            plan.choice = self.w.demo_provider_id
            return
        if r.random() < 0.06:
            pool = [p for p in self.w.providers.get(plan.center_key, [])
                    if not criminal or p.kind == ProviderKind.LAWYER]
            if pool and not special:
                plan.choice = r.choice(pool).pk

    def _place(self, plan: CasePlan, r: random.Random) -> None:
        """Shift the laid-out case in whole days so that it ends where its final status says."""
        first, last = plan.steps[0].at, plan.steps[-1].at
        end = dt.datetime.combine(plan.expires_on + dt.timedelta(days=1), dt.time(0, 20), tzinfo=TZ) \
            if plan.expires_on else last
        length = (end.date() - first.date()).days
        today, start = self.w.today, self.w.start
        if plan.target in SETTLED:
            latest = today - dt.timedelta(days=length + 1)
            receipt = start + dt.timedelta(days=r.randint(0, max((latest - start).days, 0)))
            shift = (receipt - first.date()).days
        else:
            shift = (today - dt.timedelta(days=_dwell(plan, r)) - last.date()).days
            if first.date() + dt.timedelta(days=shift) < start:
                shift = (start - first.date()).days + r.randint(0, 10)
        delta = dt.timedelta(days=shift)
        if end + delta > self.w.now:
            delta -= dt.timedelta(days=1 + ((end + delta).date() - today).days)
        for step in plan.steps:
            step.at += delta
        if plan.expires_on:
            plan.expires_on += delta
        _retime(plan)


def _dwell(plan: CasePlan, r: random.Random) -> int:
    """Days the case has been in its final status today; a few are past their deadline."""
    late = r.random()
    green = plan.green
    match plan.target:
        case "at_station":
            return r.randint(5, 8) if late < 0.12 else (0 if plan.data.get("in_custody") else r.randint(0, 2))
        case "received":
            if late < 0.12:
                return r.randint(3, 5) if green else r.randint(9, 14)
            return r.randint(0, 1) if green else r.randint(0, 5)
        case "supplement_requested":
            return r.randint(0, 1) if green else r.randint(0, 13)
        case "under_review":
            if plan.steps[-1].kind == "start_review":
                return r.randint(0, 1) if green else r.randint(0, 4)
            return 0 if green else r.randint(0, 2)
        case "aid_first" | "granted":
            if late < 0.15:
                return r.randint(4, 7)
            return 0 if green else r.randint(0, 2)
        case "objection":
            return r.randint(6, 9) if late < 0.15 else r.randint(0, 4)
        case "assigned":
            return r.randint(6, 10) if late < 0.15 else r.randint(0, 4)
        case "agreement_signed":
            return r.randint(0, 12)
        case "in_progress":
            if plan.steps[-1].params.get("kind") == "judgment":
                return r.randint(31, 40) if late < 0.1 else r.randint(0, 25)
            return r.randint(0, 30)
        case "closing_submitted":
            return r.randint(0, 10)
        case "closed":
            return r.randint(0, 30)
    return 0


def _retime(plan: CasePlan) -> None:
    """Dates written inside the steps (agreement signed on, progress occurred on) follow the shifted times."""
    for step in plan.steps:
        if step.kind == "agreement":
            step.params["signed_on"] = step.at.date() - dt.timedelta(days=step.params.get("signed_days_before", 0))
        elif step.kind == "progress":
            step.params["occurred_on"] = step.at.date()
            if step.params.get("kind") == "hearing":
                # The hearing was that morning, or the afternoon before when the entry is made early in the day.
                day = step.at if step.at.hour >= 11 else step.at - dt.timedelta(days=1)
                step.params["hearing_at"] = day.replace(hour=9 if day is step.at else 14, minute=30, second=0)


class _Path:
    """Lays out the steps of one case from a provisional receipt time (shifted into place afterwards)."""

    def __init__(self, plan: CasePlan, r: random.Random, world: World) -> None:
        self.p, self.r, self.w = plan, r, world
        self.at = office_time(r, world.today)
        self.center_received = self.at  # when the center's decision clock starts (receipt, or forwarding)

    def add(self, step: str, /, **params: Any) -> None:
        self.p.steps.append(Step(self.at, step, params, self.p))

    def wait(self, lo: int, hi: int, late: tuple[int, int] | None = None, p_late: float = 0.0) -> None:
        r = self.r
        days = r.randint(*late) if late and r.random() < p_late else r.randint(lo, hi)
        if days == 0:
            self.at += dt.timedelta(minutes=r.randint(15, 150))
        else:
            self.at = office_time(r, self.at.date() + dt.timedelta(days=days))

    def build(self) -> None:
        p, r, t = self.p, self.r, self.p.target
        self.add("receive")
        if p.station_id is not None:
            if t == "at_station":
                return
            if t == "withdrawn" and r.random() < 0.15:
                self.wait(0, 1)
                self.add("withdraw", reason=r.choice(cd.STATION_WITHDRAW_REASONS), by_clerk=True)
                return
            if p.data.get("in_custody"):
                self.wait(0, 0)
            else:
                self.wait(0, 2, late=(4, 6), p_late=0.04)
            self.add("forward")
            self.center_received = self.at
        if t == "received":
            return
        if t == "withdrawn":
            self._withdrawn()
            return
        # The reviewer may open the review first (received → under_review); it stops no clock.
        opens = r.random() < (0.5 if t == "under_review" else 0 if t == "supplement_requested" else 0.3)
        if opens:
            self.wait(0, 0 if p.green or p.intent == "aid_first" else 2)
            self.add("start_review")
            if t == "under_review":
                return
        supplemented = t in ("supplement_requested", "under_review") or (
            p.intent in ("grant", "refuse") and r.random() < (0.05 if p.green else 0.1))
        if supplemented:
            # The green channel's two days leave room only for a same-day request answered the next day.
            self.wait(0, 0 if p.green else 2)
            items = r.sample(cd.SUPPLEMENT_ITEMS, r.randint(1, 3))
            self.add("supplement_request", items=items)
            if t == "supplement_requested":
                return
            if p.green:
                self.wait(1, 1)
            else:
                self.wait(1, 4, late=(6, 11), p_late=0.15)
            self.add("supplement_receive")
            if t == "under_review":
                return
        self._decide(supplemented)

    def _withdrawn(self) -> None:
        r = self.r
        u = r.random()
        if u < 0.45:
            self.wait(0, 5)
            self.add("withdraw", reason=r.choice(cd.WITHDRAW_REASONS))
            return
        self.wait(0, 2)
        self.add("supplement_request", items=r.sample(cd.SUPPLEMENT_ITEMS, r.randint(1, 3)))
        if u < 0.65:
            self.wait(2, 12)
            self.add("withdraw", reason=r.choice(cd.WITHDRAW_REASONS))
            return
        # Nothing comes back: the daily job treats the application as withdrawn after the period (art. 43). The
        # period is the rule's, rolled past holidays; the case is shifted in time afterwards, so leave room for a
        # holiday roll-over (at most about nine days) wherever it lands.
        day = self.at.date()
        self.p.expires_on = (supplement_default_due(on=day) or day + dt.timedelta(days=15)) + dt.timedelta(days=9)

    def _decide_wait(self, supplemented: bool) -> None:
        r = self.r
        if supplemented:
            self.wait(0, 0 if self.p.green else 2)
            return
        # Counted from the center's receipt (a review started meanwhile takes nothing off the clock).
        if self.p.intent == "aid_first":
            days = r.randint(0, 1)
        elif self.p.green:
            days = r.randint(3, 4) if r.random() < 0.03 else r.randint(0, 2)
        else:
            days = r.randint(8, 10) if r.random() < 0.04 else r.randint(1, 6)
        day = self.center_received.date() + dt.timedelta(days=days)
        if day <= self.at.date():
            self.wait(0, 0)
        else:
            self.at = office_time(r, day)

    def _decide(self, supplemented: bool) -> None:
        p, r, t = self.p, self.r, self.p.target
        self._decide_wait(supplemented)
        if p.intent == "refuse":
            self.add("decide", kind="refuse")
            if t == "refused":
                if r.random() < 0.2 or "objection" in p.force:
                    self._objection(cd.OBJECTION_GROUNDS_REFUSAL, uphold=True)
                return
            self._objection(cd.OBJECTION_GROUNDS_REFUSAL, uphold=None if t == "objection" else False)
            if t in ("objection", "granted"):
                return
        elif p.intent == "aid_first":
            self.add("decide", kind="aid_first")
            if t == "aid_first":
                return
        else:
            self.add("decide", kind="grant")
            if t == "granted" and r.random() < 0.8:
                return
        if t == "terminated" and r.random() < 0.15 and not p.force:
            self.wait(1, 2)
            self._terminate(early=True)
            return
        self._handle()

    def _objection(self, grounds: tuple[str, ...], uphold: bool | None) -> None:
        r = self.r
        self.wait(3, 12)
        self.add("objection_file", grounds=r.choice(grounds))
        if uphold is None:
            return
        self.wait(1, 4, late=(6, 7), p_late=0.05)
        self.add("objection_decide", uphold=uphold,
                 reasons=r.choice(cd.UPHOLD_REASONS if uphold else cd.OVERTURN_REASONS))

    def _assign_wait(self) -> None:
        if self.p.green:
            self.wait(0, 1, late=(2, 2), p_late=0.03)
        else:
            self.wait(0, 3, late=(4, 5), p_late=0.04)

    def _handle(self) -> None:
        p, r, t = self.p, self.r, self.p.target
        self._assign_wait()
        self.add("assign")
        if t == "granted" or r.random() < 0.02:
            self.wait(0, 1)
            self.add("decline", reason=r.choice(cd.DECLINE_REASONS))
            if t == "granted":
                return
            self._assign_wait()
            self.add("assign")
        assigned_at = self.at
        if t == "assigned" and r.random() < 0.45:
            return
        self.wait(0, 1)
        self.add("accept")
        if t == "assigned":
            return
        self._agreement(assigned_at)
        if p.intent == "aid_first":
            self.wait(1, 6)
            self.add("aid_first_confirm")
        if t == "agreement_signed":
            return
        self._progress()

    def _agreement(self, assigned_at: dt.datetime) -> None:
        r = self.r
        if r.random() < 0.04:
            target = assigned_at.date() + dt.timedelta(days=r.randint(6, 9))  # signed late
        else:
            target = assigned_at.date() + dt.timedelta(days=r.randint(0, 5))
        if target <= self.at.date():
            self.wait(0, 0)
        else:
            self.at = office_time(r, target)
        back = r.choice((0, 0, 0, 1)) if self.at.date() > assigned_at.date() else 0
        self.add("agreement", signed_days_before=back)

    def _entries(self) -> list[tuple[str, str]]:
        """(progress kind, text key) for the whole handling of this case."""
        d, r = self.p.data, self.r
        if d["case_type"] == "criminal":
            custody = d.get("in_custody")
            first = ("meeting", "meeting_custody" if custody else "meeting")
            stage = d.get("criminal_stage")
            if stage == "investigation":
                return [first, ("other", "other_criminal")]
            if stage == "prosecution_review":
                return [first, ("file_reading", "file_reading")] + (
                    [("other", "other_criminal")] if r.random() < 0.3 else [])
            return [first, ("file_reading", "file_reading"), ("hearing", "hearing"),
                    ("judgment", "judgment_criminal")]
        if d["case_type"] == "non_litigation":
            return [("meeting", "meeting"), ("mediation", "mediation")]
        entries = [("meeting", "meeting")]
        if r.random() < 0.6:
            entries.append(("evidence", "evidence"))
        if r.random() < 0.3:
            entries.append(("mediation", "mediation"))
        entries += [("hearing", "hearing"), ("judgment", "judgment")]
        return entries

    def _progress(self) -> None:
        p, r, t = self.p, self.r, self.p.target
        entries = self._entries()
        ends_terminated = t == "terminated" or (t == "objection" and p.intent != "refuse")
        if ends_terminated:
            entries = entries[:r.randint(1, min(2, len(entries)))]
        elif t == "in_progress":
            entries = entries[:r.randint(1, len(entries))]
        # A change of provider, with at least one entry by the new provider after it.
        change_after = r.randrange(len(entries) - 1) if len(entries) > 1 and not ends_terminated and (
            r.random() < 0.05 or "changed" in p.force) else None
        court = p.data.get("handling_organ") if "法院" in p.data.get("handling_organ", "") else \
            cd.COURTS[p.center_key]
        for i, (kind, key) in enumerate(entries):
            if i == 0:
                self.wait(1, 10)
            elif kind == "judgment":
                self.wait(10, 40)
            else:
                self.wait(7, 40)
            self.add("progress", kind=kind, summary=r.choice(cd.PROGRESS[key]),
                     court=court if kind == "hearing" else "")
            if i == change_after:
                self.wait(3, 20)
                self.add("change_provider", reason=r.choice(cd.CHANGE_REASONS))
                changed_at = self.at
                self.wait(0, 1)
                self.add("accept")
                self._agreement(changed_at)
        if ends_terminated:
            self.wait(5, 40)
            self._terminate(early=False)
            return
        if t == "in_progress":
            return
        if entries[-1][0] == "judgment":
            self.wait(3, 25, late=(32, 45), p_late=0.05)
        else:
            self.wait(2, 20)
        self._closing()
        if t == "closing_submitted":
            return
        if r.random() < 0.06 or "returned" in p.force:
            self.wait(1, 7)
            self.add("closing_review", accept=False, notes=r.choice(cd.RETURN_NOTES))
            self.wait(3, 12)
            self._closing()
        self.wait(1, 10)
        self.add("closing_review", accept=True, notes="")
        if t == "closed":
            return
        self.wait(3, 30)
        self.add("archive")

    def _closing(self) -> None:
        p, r = self.p, self.r
        d = p.data
        if d["case_type"] == "criminal":
            if d.get("criminal_stage") in ("investigation", "prosecution_review"):
                outcome = "other" if r.random() < 0.5 else cd.pick(r, cd.CLOSING_OUTCOMES_CRIMINAL)
            else:
                outcome = cd.pick(r, cd.CLOSING_OUTCOMES_CRIMINAL)
            report = cd.CLOSING_REPORTS["criminal"].format(adopted=cd.RESULT_WORDS[outcome])
            recovered = Decimal("0")
        elif d["case_type"] == "non_litigation":
            outcome = "mediated"
            report = cd.CLOSING_REPORTS["non_litigation"]
            lo, hi = cd.RECOVERED.get(d.get("matter", ""), (2_000, 30_000))
            recovered = Decimal(r.randrange(lo, hi, 100))
        else:
            outcome = cd.pick(r, cd.CLOSING_OUTCOMES_CIVIL)
            report = cd.CLOSING_REPORTS["civil"].format(result=cd.RESULT_WORDS[outcome])
            lo, hi = cd.RECOVERED.get(d.get("matter", ""), (2_000, 30_000))
            recovered = Decimal("0") if outcome == "lost" else Decimal(r.randrange(lo, hi, 100))
            if outcome == "partly":
                recovered = (recovered * Decimal("0.6")).quantize(Decimal("1"))
        saved = Decimal(r.randrange(2_000, 15_000, 500))
        self.add("closing_submit", outcome=outcome, report=report, money_recovered=recovered, money_saved=saved)

    def _terminate(self, early: bool) -> None:
        r = self.r
        table = tuple((code, w) for code, w, _ in cd.TERMINATIONS if not early or code in (
            "own_lawyer", "recipient_request", "means_changed"))
        reason = cd.pick(r, table)
        explanation = next(text for code, _, text in cd.TERMINATIONS if code == reason)
        self.add("terminate", reason=reason, explanation=explanation,
                 provider_report="" if early else cd.PROVIDER_REPORT)
        t = self.p.target
        if t == "objection":
            self._objection(cd.OBJECTION_GROUNDS_TERMINATION, uphold=None)
        elif r.random() < 0.15 or "objection" in self.p.force:
            self._objection(cd.OBJECTION_GROUNDS_TERMINATION, uphold=True)


def plan_cases(world: World, total: int, applicant_person_pk: int | None = None) -> list[CasePlan]:
    planner = Planner(world)
    targets = target_list(total)
    plans: list[CasePlan] = []
    # The demo applicant follows two cases of their own: one being handled, one finished.
    own = None
    if applicant_person_pk is not None:
        own = next((p for rows in world.persons.values() for p in rows if p.pk == applicant_person_pk), None)
    for index in range(len(targets)):
        if own is not None and index < 2 and "in_progress" in targets and "archived" in targets:
            wanted = ("in_progress", "archived")[index]
            swap = targets.index(wanted, index)
            targets[index], targets[swap] = targets[swap], targets[index]
            plan = planner.plan_for_person(index, targets[index], own)
        else:
            plan = planner.plan(index, targets[index])
        plans.append(plan)
    return plans


__all__ = ["CasePlan", "Planner", "Step", "World", "load_world", "plan_cases", "target_list"]
