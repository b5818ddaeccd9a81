from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fayuan.core.demo_seed import demo_seed_context

from .access import office_view
from .forms import LoginForm
from .roles import OFFICE_ROLES, Role

# Each role's home page: what the role is for, and where it starts. Later issues add queues here.
_HOME_LINKS: dict[str, list[tuple[str, str, str]]] = {
    Role.STATION_CLERK: [("cases:queue", "案件", "待转交、待补充材料的申请"),
                         ("cases:new", "受理申请", "登记法律援助申请并上传材料"),
                         ("consultations:list", "咨询", "登记和查看本站的咨询"),
                         ("people:list", "本站登记人员", "登记与查找本站受理的申请人")],
    Role.CENTER_REVIEWER: [("cases:queue", "案件待办", "审查、决定、指派、结案审查与期限"),
                           ("cases:new", "受理申请", "窗口受理法律援助申请"),
                           ("consultations:list", "咨询", "登记和查看本中心的咨询"),
                           ("people:list", "本中心人员", "查找和登记申请人、受援人"),
                           ("org:providers", "法律援助人员", "援助人员名册与专长"),
                           ("custody:forwardings", "在押人员申请转交", "办案机关、看守所转交的申请与24小时期限"),
                           ("criminal:notices", "办案机关通知", "通知辩护、通知代理与指派统计")],
    Role.CENTER_DIRECTOR: [("cases:queue", "案件待办", "本中心案件、今日到期与逾期"),
                           ("consultations:list", "咨询", "本中心的咨询"),
                           ("people:list", "本中心人员", "查找申请人、受援人"),
                           ("org:staff", "中心工作人员", "人员资格与持证情况"),
                           ("org:providers", "法律援助人员", "援助人员名册"),
                           ("custody:reports", "转交统计", "超过24小时转交的申请，按转交单位")],
    Role.PROVIDER: [("cases:queue", "我承办的案件", "接受指派、委托协议、办案进展与结案"),
                    ("org:providers", "援助人员名册", "同行与专长")],
    Role.DUTY_LAWYER: [("cases:queue", "我承办的案件", "被指派的法律援助案件"),
                       ("org:stations", "值班站点", "法院、看守所值班律师工作站"),
                       ("custody:forwardings", "转交在押人员的申请", "登记并在24小时内转交法律援助中心")],
    Role.ORGAN_LIAISON: [("criminal:notices", "法律援助通知", "本机关的通知辩护、通知代理及指派结果"),
                         ("org:centers", "法律援助中心", "通知辩护与转交申请的对象中心"),
                         ("custody:forwardings", "转交在押人员的申请", "登记并在24小时内转交法律援助中心"),
                         ("custody:notifications", "权利告知（公安机关）", "第一次讯问、首次采取强制措施时的告知登记")],
    Role.BUREAU_SUPERVISOR: [("cases:queue", "异议与逾期", "待审查的异议、全市逾期期限"),
                             ("consultations:list", "全市咨询", "各中心、工作站的咨询登记"),
                             ("people:list", "全市人员", "全市申请人与受援人"),
                             ("org:districts", "行政区与人口", "人口、最低工资标准"),
                             ("org:stations", "站点网络", "工作站与联络点"),
                             ("custody:reports", "转交与权利告知", "超过24小时转交、公安机关权利告知覆盖情况")],
    Role.SYSTEM_ADMIN: [("admin:index", "系统管理", "主数据维护；建立账户（角色由安全管理员授予）"),
                        ("org:districts", "主数据浏览", "行政区、中心、站点、人员")],
    Role.SECURITY_ADMIN: [("security:accounts", "角色与授权", "为账户授予、变更、撤销角色与范围"),
                          ("accounts:otp_accounts", "双因素认证管理", "为丢失手机的工作人员重置身份验证器"),
                          ("org:centers", "主数据浏览", "中心、站点、法律援助人员")],
    Role.AUDITOR: [("audit:list", "审计日志", "查询操作记录并校验哈希链"),
                   ("audit:grants", "授权记录", "安全管理员的每次授权与撤销")],
}
# Duty lawyers (issue 11): the center runs the pools and the rota; the duty lawyer their own duties.
_HOME_LINKS[Role.CENTER_REVIEWER].append(("duty:index", "值班律师", "律师库、月度排班、换班、缺勤与统计"))
_HOME_LINKS[Role.CENTER_DIRECTOR].append(("duty:index", "值班律师", "律师库、月度排班、换班、缺勤与统计"))
_HOME_LINKS[Role.DUTY_LAWYER].insert(0, ("duty:my", "我的值班", "今后的值班、签到签退、换班与法律帮助登记"))
_HOME_LINKS[Role.DUTY_LAWYER].insert(1, ("duty:my_unavailability", "不能值班时段", "登记今后不能值班的日期（请假）"))
# The dashboards (issue 14): the director's and the bureau's home opens on theirs; a reviewer reaches it from the menu.
for _role in (Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].insert(0, ("stats:dashboard", "统计看板", "受援率、人员资格、典型案例、法定期限等工作目标"))
_HOME_LINKS[Role.CENTER_REVIEWER].append(("stats:dashboard", "统计看板", "本中心的受援人次、期限执行和工作目标"))
# The monthly and annual legal aid statistics (issue 14 part 5), for whoever reads the dashboard.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("stats:report", "法律援助统计报表",
                               "月度、年度统计：案件类型、咨询、值班律师、受援人群、挽回损失"))
_DASHBOARD_HOME = frozenset({Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})
# The duty overview: the city bureau every station, a district bureau its centers' (issue 11 leftovers).
_HOME_LINKS[Role.BUREAU_SUPERVISOR].append(("duty:overview", "值班律师总览",
                                            "各工作站今日值班、无人值班的工作日、缺勤、法律帮助与通知"))
# Full defense coverage and the criminal legal aid dashboard (issue 11 items 6, 8).
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("stats:criminal", "刑事法律援助统计", "通知、辩护全覆盖、在押人员申请转交、值班律师"))
_HOME_LINKS[Role.CENTER_REVIEWER].append(("criminal:duty_list", "待值班律师提供法律帮助",
                                          "全覆盖通知中适用简易程序、速裁程序的，登记值班律师"))
_HOME_LINKS[Role.ORGAN_LIAISON].append(("criminal:coverage", "辩护全覆盖", "法院每月被告人数与律师辩护覆盖率"))
# What each kind of organ does (issue 11): police, procuratorates and courts notify; only the police record the
# rights notification; only courts enter trial returns; a detention center forwards applications and no more.
_LIAISON_LINKS_BY_ORGAN_KIND: dict[str, frozenset[str]] = {
    "police": frozenset({"criminal:notices", "org:centers", "custody:forwardings", "custody:notifications",
                         "meetings:list"}),
    "procuratorate": frozenset({"criminal:notices", "org:centers", "custody:forwardings", "meetings:list"}),
    "court": frozenset({"criminal:notices", "org:centers", "custody:forwardings", "criminal:coverage",
                        "meetings:list"}),
    "detention_center": frozenset({"org:centers", "custody:forwardings", "meetings:list"}),
}
# The criminal-defense pool (issue 11, plan point 3): centers admit their lawyers, bureaus oversee.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("org:defense_pool", "刑事辩护律师库", "入库条件、入库与出库；刑事案件只指派在库律师"))
# Joint meetings with the police, procuratorate and court (issue 11): liaisons read their organ's.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR, Role.ORGAN_LIAISON):
    _HOME_LINKS[_role].append(("meetings:list", "联席会议", "与公检法的联席会议、议定事项与落实情况"))
# The typical-case library (issue 12, plan point 20): centers report monthly, the city bureau reviews.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("typical_cases:list", "典型案例", "每月报送典型案例、报送情况与年度案例汇编"))
# Quality management (issue 12): the center records, the bureau reads; providers read their own cases' grades.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("quality:index", "质量管理", "案件等级与集体讨论、一案一评、庭审旁听、回访与满意度"))
for _role in (Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("quality:mine", "案件质量评价", "我承办的已结案案件的质量等级（只读）"))
# Annual inspection and peer review (issue 12 item 5): the city bureau draws and assigns, reviewers from other
# centers and firms score, centers read their results and record improvements.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR, Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("quality:peer_index", "同行评估", "年度案件质量评查：抽样、评估任务、评估结果与整改"))

# Complaints about providers (Legal Aid Law arts. 55-56) and the excellent-lawyer team (plan point 9), issue 12.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("complaints:list", "投诉", "对法律援助人员的投诉、处理期限与重复投诉提示"))
    _HOME_LINKS[_role].append(("lawyer_team:roster", "名优律师团", "成员与简介、坐堂咨询的安排与登记"))
    # Quality bulletins (issue 12 part 6): monthly and annual, per center and for the city.
    _HOME_LINKS[_role].append(("bulletins:list", "质量通报", "月度、年度案件质量通报（PDF / Word）"))
for _role in (Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("complaints:list", "关于我的投诉", "处理部门告知的投诉要点，提交说明"))
# Outreach to households in difficulty, early intervention and contact cards (issue 13, plan points 5-6): stations
# and centers visit and issue cards in their district, bureaus read.
for _role in (Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("outreach:households", "困难家庭走访", "走访计划、走访记录与精准扶贫法律档案"))
    _HOME_LINKS[_role].append(("outreach:tasks", "早期介入任务", "走访发现法律需求后的主动介入，未办结与逾期"))
    _HOME_LINKS[_role].append(("outreach:cards", "法律援助联系卡", "按村（社区）批量打印发放联系卡"))
    _HOME_LINKS[_role].append(("outreach:needs", "法律需求统计", "按行政区和需求类别统计，导出 CSV"))

# The recipient registry (issue 13): directors and the bureau import agencies' files; intake staff look people up.
for _role in (Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("registry:batches", "受援对象信息库",
                               "导入民政、残联、人社、乡村振兴、退役军人部门的名单"))
for _role in (Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("registry:query", "查询信息库", "按身份证号查询部门名单中的记录（留痕）"))

# The station network's reach (issue 13, plan point 14): bureaus and centers read it for their district or the city.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("places:reach", "法律援助服务圈",
                               "城市一刻钟、农村半小时：服务圈内人口、地图与建议新增站点"))

# Issue 13: the prison stations (plan point 15) for their center, their clerks (a prison's only) and the bureau;
# lawyers see their own video consultations. Training (points 11, 18) and publicity (point 19) for centers and bureaus.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR, Role.STATION_CLERK):
    _HOME_LINKS[_role].append(("prison_visits:index", "监狱工作站", "服刑人员远程视频会见预约、会见情况与法律讲座"))
for _role in (Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("prison_visits:mine", "监狱视频会见", "我预约的服刑人员远程视频法律咨询"))
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("training:list", "业务培训", "培训班与研讨会、出勤与每人年度学时"))
    _HOME_LINKS[_role].append(("publicity:index", "法律援助宣传", "宣传活动与报纸、广播、电视、网站、微博、微信宣传"))
# A station clerk's prison card is for a prison's station only (another station's clerk would get a 404).
_PRISON_ONLY_LINKS = frozenset({"prison_visits:index"})

# Subsidies, payment batches and budgets (issue 14 parts 1-3): the center approves and pays, the bureau reads and
# sets budgets, providers claim and read their own; the tariff page is open to the whole office.
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR):
    _HOME_LINKS[_role].append(("subsidies:list", "办案补贴", "补贴审批、计算明细与支付及时情况"))
    _HOME_LINKS[_role].append(("subsidies:batches", "补贴支付批次", "每月支付批次、报送财务（Excel）与支付登记"))
    _HOME_LINKS[_role].append(("subsidies:budgets", "经费预算与保障", "年度预算、支出与结余、经费保障报表"))
for _role in (Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("subsidies:list", "我的补贴", "办案补贴的计算明细、审批与支付"))
for _role in (Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR, Role.PROVIDER, Role.DUTY_LAWYER):
    _HOME_LINKS[_role].append(("subsidies:tariff", "补贴标准", "现行办案补贴标准、直接费用上限与质量调整"))

# A long menu is grouped by the part of the work it belongs to (issues 11 and 12 grew a center's past a dozen cards);
# the url's namespace says which, a few names say it themselves.
_SECTION_BY_NAMESPACE = {
    "criminal": "刑事法律援助", "custody": "刑事法律援助", "duty": "刑事法律援助", "meetings": "刑事法律援助",
    "quality": "质量管理", "typical_cases": "质量管理", "complaints": "质量管理", "lawyer_team": "质量管理",
    "bulletins": "质量管理",
    "outreach": "受援对象与服务网络", "registry": "受援对象与服务网络", "places": "受援对象与服务网络",
    "prison_visits": "普法与培训", "training": "普法与培训", "publicity": "普法与培训", "subsidies": "办案补贴与经费",
}
_SECTION_BY_NAME = {"stats:criminal": "刑事法律援助", "org:defense_pool": "刑事法律援助"}
_SECTIONS = ("日常工作", "刑事法律援助", "质量管理", "受援对象与服务网络", "普法与培训", "办案补贴与经费")
_GROUPED_FROM = 10  # cards


def home_sections(links: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """[(section title, links)], in the menu's own order within a section; one untitled section for a short menu."""
    if len(links) < _GROUPED_FROM:
        return [("", links)]
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for link in links:
        section = _SECTION_BY_NAME.get(link[0]) or _SECTION_BY_NAMESPACE.get(link[0].split(":")[0], _SECTIONS[0])
        groups.setdefault(section, []).append(link)
    return [(title, groups[title]) for title in _SECTIONS if title in groups]


# "": an account the system administrator made, awaiting the security administrator's grant. It signs in to this
# page only, which says so, instead of a bare 404.
@office_view(OFFICE_ROLES | {""})
def home(request: HttpRequest) -> HttpResponse:
    links = _HOME_LINKS.get(request.user.role, [])  # type: ignore[union-attr]
    organ = getattr(request.user, "organ", None)
    if request.user.role == Role.ORGAN_LIAISON and organ is not None:  # type: ignore[union-attr]
        shown = _LIAISON_LINKS_BY_ORGAN_KIND.get(organ.kind, frozenset())
        links = [link for link in links if link[0] in shown]
    if request.user.role == Role.STATION_CLERK:  # type: ignore[union-attr]
        station = getattr(request.user, "station", None)
        if getattr(station, "type", "") != "prison":  # org's StationType.PRISON (org sits above accounts)
            links = [link for link in links if link[0] not in _PRISON_ONLY_LINKS]
    return render(request, "accounts/home.html", {
        "links": links, "sections": home_sections(links),
        "dashboard_home": getattr(request.user, "role", "") in _DASHBOARD_HOME, **demo_seed_context()})


class RoleLoginView(LoginView):
    """Sign-in that sends each role to its own home: staff to the office, applicants to their own page."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self) -> str:
        if getattr(self.request.user, "role", "") == Role.APPLICANT:
            return reverse("portal:my")
        return reverse("accounts:home")
