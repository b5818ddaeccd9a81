"""About 3,000 consultations (咨询) over the same twelve months as the cases, at counters, on the 12348 line,
online, at stations and by letter. Most callers stay anonymous; a share are registered people of the center, and
about a quarter are advised to apply for legal aid.

Every consultation is written by ``consultation_record`` (``fayuan.consultations.services``), as the recording clerk or
reviewer, at the moment the timeline has travelled to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fayuan.accounts.models import User
from fayuan.consultations.services import OTHER_MATTER, consultation_record

from . import casedata as cd
from .cases import PersonRow, World, office_time, rng
from .names import SURNAMES

CHANNELS: tuple[tuple[str, float], ...] = (("counter", 40), ("phone", 30), ("online", 12), ("station", 15),
                                           ("letter", 3))
# (matter code, weight, question, advice). Criminal questions carry no matter code; "other" is outside the catalogue.
TOPICS: tuple[tuple[str, float, str, str], ...] = (
    ("wages", 16, "在工地干了半年活，包工头拖欠工资不给，应该怎么办？",
     "建议收集考勤记录、工资欠条、聊天记录等证据，可向劳动监察部门投诉或申请劳动仲裁；农民工追索劳动报酬可申请法律援助，免予经济困难审查。"),
    ("labour_relation", 6, "公司没和我签劳动合同就把我辞退了，能要求赔偿吗？",
     "未签书面劳动合同的，可主张二倍工资差额；违法解除的可主张赔偿金。须先申请劳动仲裁，时效一年。"),
    ("work_injury", 7, "工作时受伤，单位不给申报工伤，怎么办？",
     "受伤职工或近亲属可在事故发生之日起一年内自行向人社部门申请工伤认定；可申请法律援助。"),
    ("traffic_injury", 9, "被车撞伤住院，对方保险公司赔偿太少，该怎么主张？",
     "可待伤情稳定后做伤残鉴定，依据交通事故责任认定书向肇事方及保险公司主张赔偿；符合条件的可申请法律援助。"),
    ("support_elderly", 6, "子女都不给赡养费，老人能起诉吗？",
     "成年子女有赡养父母的法定义务，可以向法院起诉要求给付赡养费；七十五周岁以上老人追索赡养费适用绿色通道。"),
    ("support_child", 5, "离婚后对方一直不付孩子抚养费，怎么办？",
     "可依据离婚协议或判决申请强制执行，或另行起诉要求支付抚养费；可申请法律援助。"),
    ("marriage_family", 14, "想离婚，对方不同意，而且有家庭暴力，应该怎么做？",
     "遭受家庭暴力的可报警、申请人身安全保护令，并保存就医记录等证据；家庭暴力受害人申请法律援助不受经济困难条件限制。"),
    ("inheritance", 5, "父母去世没有遗嘱，房子怎么继承？",
     "没有遗嘱的按法定继承办理，第一顺序继承人为配偶、子女、父母，一般均等分配；可先协商，协商不成可起诉。"),
    ("social_insurance", 3, "单位一直没给我交社保，退休后怎么办？",
     "可向社会保险征收机构投诉要求补缴；因未缴纳造成待遇损失的可申请仲裁或诉讼。"),
    ("medical_injury", 2, "家人手术后出现并发症，怀疑医院有过错，怎么维权？",
     "及时封存病历，可申请医疗损害鉴定，与医院协商或申请调解、起诉；符合条件的可申请法律援助。"),
    ("", 10, "家人被刑事拘留了，请不起律师怎么办？",
     "犯罪嫌疑人因经济困难没有委托辩护人的，本人或近亲属可以申请法律援助；看守所内可通过值班律师获得法律帮助。"),
    (OTHER_MATTER, 23, "邻居装修损坏了我家墙面，能要求赔偿吗？",
     "可先协商或请社区人民调解委员会调解，协商不成可向法院起诉要求赔偿；该事项不属于法律援助事项范围，可咨询律师或法律服务所。"),
)
_CALLERS = ("先生", "女士", "大爷", "阿姨")


@dataclass
class ConsultationPlan:
    index: int
    at: dt.datetime
    center_key: str
    channel: str
    station_id: int | None
    person: PersonRow | None
    caller_name: str
    matter: str
    question: str
    advice: str
    referred: bool


def plan_consultations(world: World, total: int) -> list[ConsultationPlan]:
    r = rng("consultations")
    keys = sorted(k for k, rows in world.persons.items() if rows)
    weights = [len(world.persons[k]) for k in keys]
    stations: dict[str, list[int]] = {}
    for s in world.stations.values():
        for k, c in world.centers.items():
            if c.pk == s.center_id:
                stations.setdefault(k, []).append(s.pk)
    days = (world.today - world.start).days
    topics = [t[1] for t in TOPICS]
    result: list[ConsultationPlan] = []
    for i in range(total):
        center = r.choices(keys, weights=weights)[0]
        channel = cd.pick(r, CHANNELS)
        day = world.start + dt.timedelta(days=r.randint(1, days))
        at = office_time(r, day) if channel != "phone" else office_time(r, day, 8 * 60, 20 * 60)
        if at > world.now:
            at -= dt.timedelta(days=1)
        station_id = None
        pool = world.persons[center]
        if channel == "station" and stations.get(center):
            station_id = r.choice(sorted(stations[center]))
            pool = [p for p in pool if p.station_id == station_id]
        elif channel == "station":
            channel = "counter"
        known = r.random() < (0.55 if channel in ("counter", "station") else 0.2)
        person = r.choice(pool) if known and pool else None
        caller = "" if person else f"{r.choice([s for s, _ in SURNAMES[:20]])}{r.choice(_CALLERS)}"
        matter, _, question, advice = r.choices(TOPICS, weights=topics)[0]
        referred = matter != OTHER_MATTER and r.random() < 0.3
        result.append(ConsultationPlan(i, at, center, channel, station_id, person, caller, matter, question,
                                       advice, referred))
    return result


def recorder(plan: ConsultationPlan, reviewers: dict[str, User], clerks: dict[int, User]) -> User:
    return clerks[plan.station_id] if plan.station_id else reviewers[plan.center_key]


def record(plan: ConsultationPlan, actor: User) -> None:
    """Through the intake service, at the moment the timeline has travelled to."""
    consultation_record(
        actor=actor, channel=plan.channel, question=plan.question, advice=plan.advice,
        person_id=plan.person.public_id if plan.person else None, caller_name=plan.caller_name,
        matter=plan.matter, referred_to_application=plan.referred,
    )


__all__ = ["ConsultationPlan", "plan_consultations", "record", "recorder"]
