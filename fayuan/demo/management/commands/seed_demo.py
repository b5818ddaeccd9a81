"""``manage.py seed_demo``: a believable demo Zhenjiang, safe to run again and again.

On the reference data that the migrations load (districts, their population, the dated minimum wage), builds
invented offices and people only: the city and district legal aid centers, about 65 stations, center staff with
qualifications, about 30 firms and 165 providers, one demo account per role and about 2,000 synthetic people
registered through the people service; then a year of history made only through the services: about 2,000 cases in
every state of the workflow and about 3,000 consultations (``history.py``).
Deterministic: the same data every time (the history's dates are relative to today).
"""

from __future__ import annotations

import datetime as dt
import signal
import time
import unicodedata
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import Case, Status
from fayuan.consultations.models import Consultation
from fayuan.core.demo_seed import (
    HISTORY_DONE,
    HISTORY_FROM,
    RESET_HINT,
    demo_seed_finish,
    demo_seed_latest,
    demo_seed_start,
    demo_seed_update,
    history_cut_short,
)
from fayuan.core.models import AuditEntry, TaskOutcome, TaskProgress
from fayuan.org.models import (
    Center,
    DefensePoolMember,
    District,
    DistrictPopulation,
    Firm,
    MinimumWage,
    Provider,
    ProviderKind,
    QualificationKind,
    Staff,
    Station,
)
from fayuan.people.models import Person

from ...accounts import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    HOME,
    WorkAccounts,
    account_specs,
    build_accounts,
    build_second_factors,
    build_work_accounts,
    bureau_username,
    reviewer_username,
)
from ...builders import Org, build_org, build_staff, staff_specs
from ...bulletins import seed_bulletins
from ...cases import TZ, WINDOW_DAYS, load_world, plan_cases
from ...complaints import seed_complaints
from ...consultations import plan_consultations
from ...custody import replay_custody
from ...data import REFERENCE_DATE
from ...defense_pool import admit_pool, pre_window_moment
from ...duty import seed_duty
from ...duty_notices import seed_duty_notices
from ...history import Actors, HistoryResult, describe_halts, run_history
from ...lawyer_team import seed_lawyer_team
from ...meetings import seed_meetings
from ...notices import NoticeResult, notice_steps
from ...outreach import seed_outreach
from ...pacing import yielding_write_lock
from ...peer_review import seed_peer_review
from ...persons import Clock, PersonResult, person_specs, register_persons
from ...places import seed_places
from ...prison_visits import seed_prison_visits
from ...providers import build_catalogues, build_firms, build_providers, provider_specs
from ...publicity import seed_publicity
from ...quality import seed_quality
from ...registry import seed_registry
from ...single_run import only_seeder
from ...subsidies import seed_subsidies
from ...training import seed_training
from ...typical_cases import seed_typical_cases

STAGES = ("base", "rest", "all")


@dataclass
class Base:
    """What the base stage builds and the rest stage works with."""

    org: Org
    users: dict[str, User]
    work: WorkAccounts
    intended: list[Provider]  # providers meant for the criminal defence pool


REPLAY_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "在迁移加载的基础数据（行政区、人口、最低工资标准）之上，生成镇江市法律援助演示数据（中心、工作站、"
        "法律援助人员、演示账户和人员），"
        "以及近 12 个月经各业务服务办理的案件和咨询记录。可重复运行，仅限本机演示。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=2000, help="要登记的演示人员数（默认 2000）")
        parser.add_argument("--cases", type=int, default=2000,
                            help="近 12 个月的演示案件数（默认 2000；库中已有案件或咨询时不再生成）")
        parser.add_argument("--consultations", type=int, default=None,
                            help="近 12 个月的咨询记录数（默认为案件数的 1.5 倍，即 3000）")
        parser.add_argument("--stage", choices=STAGES, default="all",
                            help="base：主数据与演示账户（数秒，可立即登录）；rest：人员、近 12 个月的历史及其余"
                                 "演示数据（数分钟，make run 在后台运行，进度显示在首页）；all：两者依次运行（默认）")
        parser.add_argument("--migrate", action="store_true",
                            help="先建库或迁移（migrate_fresh），在同一进程内完成：make run 首次运行少启动一次 Django")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            # The demo accounts share a published password, administrators and auditor included.
            raise CommandError(
                "演示数据含公开的演示口令（含系统管理员、安全管理员和审计员），禁止在生产环境（FAYUAN_ENV=production）中生成。"
            )
        total, cases, consultations = options["persons"], options["cases"], options["consultations"]
        if consultations is None:
            consultations = cases * 3 // 2
        if min(total, cases, consultations) < 0:
            raise CommandError("--persons、--cases 和 --consultations 不能为负数。")
        with only_seeder():  # two make run on one database would replay the history into it twice
            self._run(options, total, cases, consultations)

    def _run(self, options: dict[str, Any], total: int, cases: int, consultations: int) -> None:
        stage = options["stage"]
        started = time.monotonic()
        if options["migrate"]:
            # Django's start costs seconds on a small machine: make run's first answer waits for it once, not twice.
            call_command("migrate_fresh", "--noinput", stdout=self.stdout._out, verbosity=options["verbosity"])
        # The rest stage finds the roster the base stage made by building it again (every builder is idempotent),
        # one row per transaction rather than all in one: it runs beside the web server, whose sign-ins would wait
        # for the write lock of a single long transaction.
        base = self._base(atomic=stage != "rest")
        self.stdout.write(f"主数据与演示账户就绪（{time.monotonic() - started:.1f} 秒）。")
        if stage == "base":
            self._accounts(base.users, base.work)
            self._report_cut_short()  # last, where make run's output stops before the server starts
            return
        if not self._rest(base, total, cases, consultations, started, background=stage == "rest"):
            return
        self._statuses()
        if stage == "all":
            self._accounts(base.users, base.work)
        self.stdout.write(f"全部完成，用时 {time.monotonic() - started:.1f} 秒。")

    def _base(self, *, atomic: bool) -> Base:
        """Master data and the demo accounts: enough to sign in with every demo account and open every page."""
        # Master data and accounts commit together: a failure leaves no half-built roster behind.
        with transaction.atomic() if atomic else nullcontext():
            org = build_org()
            taken: set[str] = set()
            staff = build_staff(org.centers, staff_specs(taken))
            specialties, languages = build_catalogues()
            firms = build_firms(org.districts)
            specs = provider_specs(firms, staff, taken)
            providers = build_providers(org.centers, specs, specialties, languages)
            intended = [p for s, p in zip(specs, providers, strict=True) if s.criminal_pool]
            users = build_accounts(org, providers, pool={p.pk for p in intended})
            work = build_work_accounts(org, users)
            build_second_factors([*users.values(), *work.by_provider.values(), *work.by_station.values()])
        self.stdout.write(f"村（社区）：新增 {seed_places(org.districts, org.stations)} 个。")
        return Base(org, users, work, intended)

    def _report_cut_short(self) -> None:
        """Said plainly: a history stopped half-way stays half-way until the database is rebuilt."""
        row = demo_seed_latest()
        if history_cut_short(row) and _history_exists():
            assert row is not None  # noqa: S101 -- history_cut_short(None) is False
            self.stderr.write(self.style.ERROR(
                f"上次生成演示数据时在“{row.stage}”（{row.done}%）中断，演示历史不完整且无法续做。{RESET_HINT}"))

    def _rest(self, base: Base, total: int, cases: int, consultations: int, started: float, *,
              background: bool) -> bool:
        """Persons, the replayed year and everything after, recording its progress for the home pages. False when
        an earlier run left a history that cannot be completed."""
        previous = demo_seed_latest()
        history_exists = _history_exists()
        if history_exists and history_cut_short(previous):
            assert previous is not None  # noqa: S101 -- history_cut_short(None) is False
            message = f"演示历史在“{previous.stage}”（{previous.done}%）时被中断，无法续做。{RESET_HINT}"
            if previous.outcome != TaskOutcome.FAILED or previous.message != message[:300]:
                demo_seed_finish(previous, outcome=TaskOutcome.FAILED, message=message)
            self.stderr.write(self.style.ERROR(message))
            return False
        # A row only when there is something to watch: the history to replay, or a run that stopped after it.
        unfinished = previous is not None and previous.outcome != TaskOutcome.SUCCEEDED
        row = demo_seed_start(previous if unfinished else None) if not history_exists or unfinished else None
        previous_term = signal.signal(signal.SIGTERM, _interrupt)  # make run's Ctrl-C trap sends SIGTERM
        try:
            # In the background (make run) the seeder shares the SQLite file with the web server: see pacing.py.
            with yielding_write_lock() if background else nullcontext():
                self._rest_steps(base, total, cases, consultations, started, history_exists, row)
        except KeyboardInterrupt:
            if row is not None:
                after = (RESET_HINT if (row.done or 0) < HISTORY_DONE and _history_exists()
                         else "再次运行 make run 即从中断处继续。")
                demo_seed_finish(row, outcome=TaskOutcome.CANCELLED,
                                 message=f"在“{row.stage}”（{row.done}%）时被中断。{after}")
            raise CommandError("演示数据生成被中断。", returncode=130) from None
        except Exception as exc:
            if row is not None:
                demo_seed_finish(row, outcome=TaskOutcome.FAILED,
                                 message=f"在“{row.stage}”时出错：{type(exc).__name__}: {exc}")
            raise
        finally:
            signal.signal(signal.SIGTERM, previous_term)
        if row is not None:
            demo_seed_finish(row, outcome=TaskOutcome.SUCCEEDED, message="演示数据已全部生成。")
        return True

    def _rest_steps(self, base: Base, total: int, cases: int, consultations: int, started: float,
                    history_exists: bool, row: TaskProgress | None) -> None:
        def mark(done: int, stage: str) -> None:
            if row is not None and done >= (row.done or 0):
                demo_seed_update(row, done=done, stage=stage)

        org, users, work, intended = base.org, base.users, base.work, base.intended
        now = timezone.now()
        self.stdout.write("开始登记人员……")
        mark(0, "登记演示人员")
        clock = None if history_exists else _registration_clock(now)
        centers = {c.pk: key for key, c in org.centers.items()}
        if clock is not None:
            # Before the replayed year, so its criminal cases find a pool; the first entries of the audit log.
            with time_machine.travel(pre_window_moment(clock(0, 1)), tick=False):
                early = admit_pool(intended, users, centers)
            self.stdout.write(f"刑事辩护律师库：回溯期开始前入库 {early} 人。")
        result = register_persons(person_specs(total), users, org.stations, clock=clock)
        self._summary(result, time.monotonic() - started)
        mark(HISTORY_FROM, "回放近 12 个月的案件和咨询")
        if history_exists:
            self.stdout.write(f"库中已有 {Case.objects.count()} 件案件、{Consultation.objects.count()} 条咨询记录，"
                              "不再生成演示历史（如需重建，请使用新的数据库：make demo-reset）。")
        elif cases or consultations:
            def step(n: int, of: int, at: dt.datetime) -> None:
                mark(HISTORY_FROM + (HISTORY_DONE - HISTORY_FROM) * n // of,
                     f"回放近 12 个月的案件和咨询：已到 {at.astimezone(TZ):%Y年%m月%d日}")

            self._history(org, users, work, now, cases, consultations, step)
            if cases:
                custody = replay_custody(users, now)
                self.stdout.write(f"羁押人员申请转交 {custody.forwardings} 件、权利告知 {custody.notifications} 条。")
        mark(HISTORY_DONE, "值班、质量、补贴、信息库、走访等其余演示数据")
        # After the replayed past: the rotas are written now, and the audit log's times rise with its sequence.
        late = admit_pool(intended, users, centers)
        members = DefensePoolMember.objects.filter(left_on__isnull=True).count()
        self.stdout.write(f"刑事辩护律师库：今日新入库 {late} 人，库中现有 {members} 人。")
        self._duty(org, users)
        self.stdout.write(f"联席会议：新登记 {seed_meetings(users)} 次。")
        self._typical_cases(users, org)
        mark(92, "质量管理与同行评估")
        q = seed_quality()
        self.stdout.write(f"质量管理：新评定等级 {q.graded} 件、确认 {q.confirmed} 件，接入受援人评价 {q.ratings} 条，"
                          f"庭审旁听 {q.attendances} 次，完成结案评价 {q.evaluations} 件，回访 {q.visits} 件。")
        peer = seed_peer_review()
        if peer.year is not None:
            self.stdout.write(f"同行评估：{peer.year} 年度评查新抽样 {peer.drawn} 件，新分配评估人 {peer.assigned} 件，"
                              f"新评分 {peer.scored} 件，新登记整改 {peer.improvements} 件。")
        mark(94, "办案补贴、名优律师团与投诉")
        self._subsidies()
        team = seed_lawyer_team()
        self.stdout.write(f"名优律师团：新入团 {team.admitted} 人，"
                          f"新安排坐堂咨询 {team.sessions} 场（已举办 {team.held} 场）。")
        self.stdout.write(f"投诉：新登记 {seed_complaints(org.centers[HOME].pk)} 件。")
        mark(96, "受援对象信息库与走访")
        # The agencies' files (issue 13): after the replayed history, so past decisions
        # stay as they were made; before outreach, whose households are the registry's.
        batches = seed_registry(person_specs(total), users["demo_bureau"])
        added, updated, expired, bad = (sum(getattr(b, f) for b in batches)
                                        for f in ("added", "updated", "expired", "rows_invalid"))
        self.stdout.write(f"受援对象信息库：新导入 {len(batches)} 个部门文件，新增 {added} 条、更新 {updated} 条、"
                          f"失效 {expired} 条，错误行 {bad} 行（已导入过的相同文件不再导入）。")
        o = seed_outreach()
        self.stdout.write(f"走访与联系卡：信息库同步新建 {o.synced} 户、走访登记 {o.registered} 户，"
                          f"新制定走访计划 {o.plans} 个，走访 {o.visits} 次，早期介入任务 {o.tasks} 件"
                          f"（办结 {o.closed} 件），联系卡 {o.batches} 批。")
        mark(98, "监狱工作站、培训、宣传与质量通报")
        prison = seed_prison_visits(users)
        self.stdout.write(f"监狱工作站：新预约视频会见 {prison.appointments} 次（已会见 {prison.held} 次），"
                          f"新登记法律讲座 {prison.lectures} 场。")
        sessions, present = seed_training(users)
        self.stdout.write(f"业务培训：新登记 {sessions} 场，出席 {present} 人次。")
        events, media = seed_publicity(users)
        self.stdout.write(f"法律援助宣传：新登记宣传活动 {events} 场、媒体宣传 {media} 篇（条）。")
        # Last: the bulletins count what quality, complaints and the typical cases wrote above.
        self.stdout.write(f"质量通报：新印发 {seed_bulletins(users)} 份。")

    def _subsidies(self) -> None:
        """After quality and peer review: the approvals read the cases' grades."""
        s = seed_subsidies()
        self.stdout.write(f"办案补贴：补算 {s.computed} 件，律师申报 {s.claims} 件，审批 {s.approved} 件，"
                          f"新生成支付批次 {s.batches} 个、登记支付 {s.paid} 个，新登记预算 {s.budgets} 条。")

    def _typical_cases(self, users: dict[str, User], org: Org) -> None:
        typical = seed_typical_cases(users, org.centers)
        if typical is None:
            self.stdout.write("典型案例：库中已有，不再生成。")
            return
        review = f"，{typical.review_year}年度优秀案件评审已评分" if typical.review_year else ""
        self.stdout.write(f"典型案例：报送 {typical.submitted} 件（采用 {typical.accepted} 件、"
                          f"退回 {typical.returned} 件），未报送的中心月份 {typical.missed} 个{review}。")

    def _duty(self, org: Org, users: dict[str, User]) -> None:
        duty = seed_duty(org, users)
        spreads = "、".join(f"{r.center.name}{r.month:%Y年%m月}{r.spread}" for r in duty.rotas
                            if r.month == timezone.localdate().replace(day=1))
        self.stdout.write(f"值班律师：新入库 {duty.admitted} 人次，已发布排班 {len(duty.rotas)} 个月，"
                          f"新登记法律帮助 {duty.help_records} 条；本月各中心值班次数极差：{spreads or '无'}。")
        notices = seed_duty_notices(org, users)  # after the rotas: the notices find their slots
        self.stdout.write(f"值班律师通知：新登记 {notices.notices} 件（已安排 {notices.staffed} 件、无值班律师 "
                          f"{notices.unstaffed} 件、已提供法律帮助 {notices.helped} 件）；"
                          f"法院月报新填 {notices.returns} 条。")

    def _history(self, org: Org, users: dict[str, User], work: WorkAccounts, now: dt.datetime, cases: int,
                 consultations: int, on_step: Callable[[int, int, dt.datetime], None] | None = None) -> None:
        began = time.monotonic()
        last = AuditEntry.objects.order_by("-seq").values_list("occurred_at", flat=True).first()
        if last is not None and last > now - dt.timedelta(days=WINDOW_DAYS):
            self.stdout.write(self.style.WARNING(
                "注意：审计日志中已有近 12 个月内的记录，回溯生成的记录时间将不再随序号递增。"))
        demo_provider = users["demo_provider"].provider
        world = load_world(now, org.centers, org.stations, demo_provider)
        applicant = Person.objects.filter(account=users["demo_applicant"]).values_list("pk", flat=True).first()
        plans = plan_cases(world, cases, applicant)
        talks = plan_consultations(world, consultations)
        steps = sum(len(p.steps) for p in plans)
        self.stdout.write(f"已规划 {len(plans)} 件案件（{steps} 个办理步骤）和 {len(talks)} 条咨询"
                          f"（{time.monotonic() - began:.1f} 秒），按时间顺序经各服务办理……")
        reviewers = {key: users[reviewer_username(key)] for key in org.centers}
        actors = Actors(reviewers=reviewers, director=users["demo_director"], home_key=HOME, clerks=work.by_station,
                        lawyers=work.by_provider,
                        bureaus={key: users[bureau_username(key)] for key in org.centers})
        # The past is replayed with its side effects done at once, at the replayed moment, as they happened then:
        # tasks run in this process (texts are logged when they were sent, not queued a year late for the worker),
        # and the ~8,000 documents are not rendered ahead: each renders when first opened.
        with override_settings(TASKS=REPLAY_TASKS, DOCUMENTS_RENDER_AHEAD=False):
            notices = NoticeResult()
            notice_plan = notice_steps(police=users["demo_police"], court=users["demo_court"],
                                       reviewer=reviewers[HOME], now=now, result=notices)
            history = run_history(world, plans, talks, actors, progress=self.stdout.write, extra=notice_plan,
                                  on_step=on_step)
        self.stdout.write(f"办案机关通知 {notices.sent} 件，已指派 {notices.assigned} 件。")
        self._history_summary(history, describe_halts(plans))

    def _history_summary(self, h: HistoryResult, halts: dict[str, int]) -> None:
        self.stdout.write(self.style.SUCCESS(
            f"演示历史已生成，用时 {h.seconds:.1f} 秒：办理步骤 {h.steps} 个，咨询 {h.consultations} 条"
            + f"，逾期未补充材料视为撤回 {h.expired} 件。"))
        if h.full:
            self.stdout.write(f"  符合条件的承办人员名额已满、未能指派或更换的案件 {h.full} 件（停留在当时的状态）。")
        if h.choice_fallbacks:
            self.stdout.write(f"  受援人点援的人员名额已满或不符合条件、改为轮派 {h.choice_fallbacks} 次。")
        for line in h.failures[:20]:
            self.stdout.write(self.style.ERROR(f"  {line}"))
        if len(h.failures) > 20:
            self.stdout.write(self.style.ERROR(f"  ……另有 {len(h.failures) - 20} 项被拒绝的步骤。"))
        for line in h.off_plan[:20]:
            self.stdout.write(self.style.ERROR(f"  与计划不符：{line}"))
        other = {k: v for k, v in halts.items() if k != "full"}
        if other:
            self.stdout.write(f"  因服务拒绝而停止的案件：{other}")

    def _statuses(self) -> None:
        counts = {s: 0 for s in Status.values}
        for status in Case.objects.values_list("status", flat=True):
            counts[status] += 1
        if not sum(counts.values()):
            return
        self.stdout.write(f"案件 {sum(counts.values())} 件，按状态：")
        for value, label in Status.choices:
            self.stdout.write(f"  {_pad(label, 24)}{value:<22}{counts[value]:>6}")

    def _summary(self, result: PersonResult, elapsed: float) -> None:
        staff_count = Staff.objects.count()
        qualified = Staff.objects.filter(qualifications__kind=QualificationKind.LEGAL_PROFESSION).distinct().count()
        kinds = {label: Provider.objects.filter(kind=value).count() for value, label in ProviderKind.choices}
        wage = MinimumWage.objects.in_force_on(REFERENCE_DATE).values_list("monthly_amount", flat=True).first()
        lines = [
            f"行政区 {District.objects.count()} 个；人口记录 {DistrictPopulation.objects.count()} 条；"
            f"最低工资标准 {MinimumWage.objects.count()} 条（{REFERENCE_DATE} 适用 {wage} 元）",
            f"法律援助中心 {Center.objects.count()} 个；工作站/联络点 {Station.objects.count()} 个"
            f"（设值班律师 {Station.objects.filter(has_duty_lawyer=True).count()} 个）",
            f"中心工作人员 {staff_count} 人，具有法律职业资格 {qualified} 人"
            f"（{qualified * 100 // max(staff_count, 1)}%）",
            f"执业机构 {Firm.objects.count()} 家；法律援助人员 {sum(kinds.values())} 人（"
            + "，".join(f"{k} {v}" for k, v in kinds.items()) + "）",
            f"人员：本次新登记 {result.created} 人，已存在 {result.existing} 人"
            + (f"，证件号冲突跳过 {result.conflicts} 人" if result.conflicts else "")
            + f"；库中共 {Person.objects.count()} 人",
        ]
        if not result.applicant_linked:
            lines.append("注意：demo_applicant 未关联人员记录（人员数为 0，或该记录已被手工关联）。")
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，用时 {elapsed:.1f} 秒："))
        for line in lines:
            self.stdout.write(f"  {line}")

    def _accounts(self, users: dict[str, User], work: WorkAccounts) -> None:
        rows = [("用户名", "角色", "口令", "所属")]
        for spec in account_specs():
            user = users[spec.username]
            where = user.station or user.center or (user.provider and user.provider.home_center) or ""
            rows.append((spec.username, Role(spec.role).label, DEMO_PASSWORD, str(where)))
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("演示账户（口令公开，仅限本机演示，切勿用于生产环境）："))
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
            if n == 0:
                self.stdout.write("  " + "-" * (sum(widths) + 6 + max(_width(r[3]) for r in rows)))
        lawyers = sum(u.username.startswith("demo_lawyer_") for u in work.by_provider.values())
        clerks = sum(u.username.startswith("demo_clerk_") for u in work.by_station.values())
        self.stdout.write(f"  另有承办人员账户 demo_lawyer_<人员编号> {lawyers} 个、工作站账户 demo_clerk_<工作站编号> "
                          f"{clerks} 个，口令相同。")
        self.stdout.write(self.style.WARNING(
            f"双因素登录：除 demo_applicant 外，所有演示账户共用一个身份验证器密钥 {DEMO_TOTP_SECRET}"))
        self.stdout.write("  在手机身份验证器（腾讯身份验证器、Microsoft Authenticator、FreeOTP 等）中"
                          "选择“手动输入密钥”、基于时间，输入上面的密钥；登录时在密码之后输入它显示的 6 位数字。")


def _history_exists() -> bool:
    return Case.objects.exists() or Consultation.objects.exists()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (make run's Ctrl-C trap) ends the run like Ctrl-C, so the progress row says it was interrupted."""
    raise KeyboardInterrupt


def _registration_clock(now: dt.datetime) -> Clock:
    """People were registered on working hours of the 45 days before the history starts, in the order given."""
    first = (now.astimezone(TZ) - dt.timedelta(days=WINDOW_DAYS + 45)).date()

    def clock(i: int, n: int) -> dt.datetime:
        per_day = max(-(-n // 44), 1)
        day, slot = divmod(i, per_day)
        minute = 8 * 60 + 30 + slot * 480 // per_day
        return dt.datetime.combine(first + dt.timedelta(days=day), dt.time(minute // 60, minute % 60), tzinfo=TZ)

    return clock
