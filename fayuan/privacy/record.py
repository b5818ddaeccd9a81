"""The record of processing activities (个人信息处理活动记录): what the platform processes about people, why, on
what basis, for how long and who receives it. Shown to the bureau and the auditor (office) and, in short, to the
public (the portal's privacy notice).

A module constant, not rows: it changes with the code that does the processing, in the same review. Its legal basis
follows the project's rule for rule rows (docs/design.md): only texts held in ``shared/spec/law`` are quoted, one
line per quotation, and a basis resting on a text not held here — the Personal Information Protection Law (个人信息
保护法) is not among them — is named in ``pending_basis`` and shown as pending until the bureau completes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from fayuan.core.dated import PENDING_MARK

PIPL = "《个人信息保护法》"


@dataclass(frozen=True)
class Activity:
    code: str
    purpose: str
    subjects: str
    categories: tuple[str, ...]
    sensitive: tuple[str, ...]  # sensitive personal information (PIPL art. 28 categories), stated apart
    legal_basis: str  # the articles quoted in ``basis_text``
    basis_text: str  # quotation lines: 《法规》第×条：words, omissions as ……
    pending_basis: str  # what the basis also rests on whose text is not held (shown with the pending mark)
    retention: str
    recipients: tuple[str, ...]
    safeguards: str
    public_summary: str  # one plain sentence for the public notice

    @property
    def basis_pending(self) -> bool:
        return bool(self.pending_basis)

    @property
    def pending_label(self) -> str:
        return f"{self.pending_basis}{PENDING_MARK}" if self.pending_basis else ""


def archive_years() -> int:
    return int(getattr(settings, "ARCHIVE_RETENTION_YEARS", 30))


def activities() -> tuple[Activity, ...]:
    years = archive_years()
    retention_case = (f"办结归档后保管 {years} 年（档案保管期限，市局设定，可配置 ARCHIVE_RETENTION_YEARS）；"
                      "期满由每日定时任务匿名化：姓名、证件号、电话、住址、案情等清除，统计所需的区县、案件类型、"
                      "日期、结果保留。")
    return (
        Activity(
            code="application",
            purpose="受理、审查法律援助申请，作出给予或不予法律援助的决定，核查经济困难状况",
            subjects="申请人、受援人、代为申请的法定代理人或近亲属",
            categories=("姓名、性别、出生日期", "居民身份证号码（加密存储，按密钥散列查重）",
                        "联系电话（加密存储，页面遮蔽显示）", "住址、户籍地", "家庭人口与收入",
                        "申请事项、对方当事人、案情",
                        "申请材料（证件、证明的照片或扫描件）"),
            sensitive=("身份证号码", "低保、特困、残疾等人群身份", "刑事案件中的罪名、羁押情况", "家庭暴力等案情"),
            legal_basis="《法律援助法》第四十一条、第四十三条",
            basis_text=("《法律援助法》第四十一条：因经济困难申请法律援助的，申请人应当如实说明经济困难状况。\n"
                        "《法律援助法》第四十一条：法律援助机构核查申请人的经济困难状况，可以通过信息共享查询，"
                        "或者由申请人进行个人诚信承诺。\n"
                        "《法律援助法》第四十三条：法律援助机构应当自收到法律援助申请之日起七日内进行审查，"
                        "作出是否给予法律援助的决定。"),
            pending_basis=f"{PIPL}第十三条第一款第三项（为履行法定职责所必需）、第二十八条至第三十二条（敏感个人信息）",
            retention=retention_case,
            recipients=("受理中心、工作站的工作人员（本中心、本站登记的人员）", "市、区司法局（监督、异议审查）"),
            safeguards="按中心、工作站、承办关系限定可见范围，范围外按“不存在”处理；查看人员、案件详情记入审计日志。",
            public_summary="为审查您的法律援助申请，我们处理您的身份、联系方式、经济状况和案情信息。",
        ),
        Activity(
            code="assignment",
            purpose="指派法律援助人员承办，并与办案机关沟通",
            subjects="受援人",
            categories=("姓名、联系电话、住址", "案情、办案机关及案号", "承办进展、结案材料"),
            sensitive=("刑事案件中的罪名、羁押情况",),
            legal_basis="《法律援助法》第四十三条、第二十一条",
            basis_text=("《法律援助法》第四十三条：决定给予法律援助的，应当自作出决定之日起三日内指派法律援助人员"
                        "为受援人提供法律援助\n"
                        "《法律援助法》第二十一条：法律援助机构、法律援助人员对提供法律援助过程中知悉的国家秘密、"
                        "商业秘密和个人隐私应当予以保密。"),
            pending_basis=f"{PIPL}第十三条第一款第三项、第二十三条（向其他处理者提供）",
            retention=retention_case,
            recipients=("承办的律师、基层法律服务工作者（仅在指派有效期间；被更换、拒绝或终止后即不可见）",
                        "办案机关（通知辩护、代理的公函所需信息）"),
            safeguards="承办人员只见其当前承办的案件；结案后只见结案与补贴所需的信息。",
            public_summary="为给您指派律师，我们把办案所需的信息提供给承办律师，律师对此负有保密义务。",
        ),
        Activity(
            code="consultation",
            purpose="提供法律咨询（窗口、工作站、12348 热线、网上）",
            subjects="咨询人（可匿名）",
            categories=("称呼或已登记人员的姓名", "咨询问题与解答意见"),
            sensitive=(),
            legal_basis="《法律援助法》第二条",
            basis_text=("《法律援助法》第二条：本法所称法律援助，是国家建立的为经济困难公民和符合法定条件的其他当事人"
                        "无偿提供法律咨询、代理、刑事辩护等法律服务的制度"),
            pending_basis=f"{PIPL}第十三条第一款第三项",
            retention="与该人员的案件同时匿名化（无案件的，自咨询之日起按同一期限）。",
            recipients=("受理中心、工作站的工作人员",),
            safeguards="可匿名咨询；按中心、工作站限定可见范围。",
            public_summary="咨询时可以不留姓名；留下的信息只用于解答和统计咨询量。",
        ),
        Activity(
            code="portal_account",
            purpose="网上申请：以手机号码和短信验证码登录，短信告知申请进展",
            subjects="网上申请人",
            categories=("手机号码（加密存储，按密钥散列登录）", "验证码（只存散列）", "申请草稿（整体加密）",
                        "处理个人信息的同意记录"),
            sensitive=(),
            legal_basis="",
            basis_text="",
            pending_basis=f"{PIPL}第十三条第一款第一项（个人同意）、第十四条、第二十九条（敏感个人信息的单独同意）",
            retention="验证码 1 天后删除；未提交的申请草稿 90 天后删除；账户随本人的案件匿名化。",
            recipients=("短信服务商（仅手机号码和不含身份证号的短信正文）",),
            safeguards="短信正文不含身份证号；登录验证码不记录；错误次数过多时锁定。",
            public_summary="您的手机号码只用于登录和发送办理进展短信，加密保存。",
        ),
        Activity(
            code="supervision",
            purpose="质量监督、投诉处理和统计报表",
            subjects="受援人、法律援助人员",
            categories=("去标识的案件数据：区县、案件类型、日期、结果", "回访与评价"),
            sensitive=(),
            legal_basis="《法律援助法》第五十七条、第五十九条",
            basis_text=("《法律援助法》第五十七条：司法行政部门应当加强对法律援助服务的监督\n"
                        "《法律援助法》第五十九条：法律援助机构应当综合运用庭审旁听、案卷检查、征询司法机关意见和"
                        "回访受援人等措施，督促法律援助人员提升服务质量。"),
            pending_basis="",
            retention="统计数据不含个人身份信息，长期保存。",
            recipients=("市、区司法局",),
            safeguards="报表只含汇总数；匿名化后的案件仍计入统计。",
            public_summary="统计和质量监督只使用不能识别到个人的汇总数据。",
        ),
        # Criminal legal aid (issue 11): organs' notices, custody forwardings and rights notifications, duty help,
        # the criminal-defense pool.
        Activity(
            code="organ_notice",
            purpose="接收人民法院、人民检察院、公安机关通知辩护、通知代理，指派律师并回复办案机关",
            subjects="犯罪嫌疑人、被告人、被害人",
            categories=("姓名（证件号选填，加密存储、按密钥散列、遮蔽显示，随人员记录保存）",
                        "涉嫌罪名、诉讼阶段、通知理由", "羁押场所、办案机关及案号、开庭日期",
                        "办案机关承办人及联系方式"),
            sensitive=("刑事案件中的罪名、羁押情况",),
            legal_basis="《法律援助法》第三十六条",
            basis_text=("《法律援助法》第三十六条：人民法院、人民检察院、公安机关办理刑事案件，发现有本法第二十五条第一款、"
                        "第二十八条规定情形的，应当在三日内通知法律援助机构指派律师。"),
            pending_basis=f"{PIPL}第十三条第一款第三项（为履行法定职责所必需）、第二十八条（敏感个人信息）",
            retention=(retention_case + "通知中的罪名、办案机关案号、承办人联系方式随案件一并清除；"
                       "转由值班律师提供法律帮助、未开立案件的通知，自收到之日起经过同一期限后清除。"),
            recipients=("通知机关的联络人（本机关的通知）", "收到通知的法律援助中心", "指派的律师", "市、区司法局"),
            safeguards="联络人只见本机关的通知；中心只见送达本中心的通知；查看案件详情记入审计日志。",
            public_summary="办案机关通知我们为您指派律师时，我们处理通知中的姓名、罪名和羁押情况，只用于指派和回复。",
        ),
        Activity(
            code="custody",
            purpose="登记并转交在押犯罪嫌疑人、被告人的法律援助申请（24 小时内），登记公安机关的权利告知",
            subjects="被羁押的犯罪嫌疑人、被告人；被告知权利的犯罪嫌疑人",
            categories=("姓名", "居民身份证号码（选填；加密存储，按密钥散列，页面遮蔽显示）", "办案机关案号、羁押场所",
                        "申请、转交、告知的时间与方式，是否申请法律援助"),
            sensitive=("刑事案件中的羁押情况",),
            legal_basis="《法律援助法》第三十九条、第三十五条",
            basis_text=("《法律援助法》第三十九条：被羁押的犯罪嫌疑人、被告人、服刑人员，以及强制隔离戒毒人员等提出法律援助"
                        "申请的，办案机关、监管场所应当在二十四小时内将申请转交法律援助机构。\n"
                        "《法律援助法》第三十五条：人民法院、人民检察院、公安机关和有关部门在办理案件或者相关事务中，"
                        "应当及时告知有关当事人有权依法申请法律援助。"),
            pending_basis=f"{PIPL}第十三条第一款第三项、第二十八条",
            retention=("转交的申请随案件归档后匿名化（同申请）；权利告知登记自告知之日起保管 "
                       f"{years} 年（与案件档案同一期限），期满由每日定时任务清除犯罪嫌疑人姓名和证件号，以"
                       "“已匿名#编号”代替；同一嫌疑人同一案号的几次登记在最后一次期满时一并清除，覆盖率统计照常计数；"
                       "已关联其后法律援助案件的，待该案件匿名化后清除。办案机关、案号、告知时机与方式、日期保留。"),
            recipients=("登记的办案机关、值班律师（本机关、本人登记的记录）", "收到转交的法律援助中心", "市、区司法局"),
            safeguards="按登记机关、接收中心限定可见范围，范围外按“不存在”处理；身份证号不在页面和日志中明文出现。",
            public_summary="您在羁押期间申请法律援助的，办案机关把您的姓名和申请转交给我们，我们只用于审查申请。",
        ),
        Activity(
            code="quality",
            purpose="案件质量管理：案件等级与集体讨论、一案一评、庭审旁听、案卷检查、征询司法机关意见、回访受援人",
            subjects="受援人（回访、评价）；承办的法律援助人员",
            categories=("受援人对各阶段的评价及意见", "回访情况与满意度（回访电话取自人员记录，不另存）",
                        "集体讨论意见、庭审旁听情况、司法机关意见、案卷检查评分与质量等级"),
            sensitive=(),
            legal_basis="《法律援助法》第五十九条",
            basis_text=("《法律援助法》第五十九条：法律援助机构应当综合运用庭审旁听、案卷检查、征询司法机关意见和回访受援人"
                        "等措施，督促法律援助人员提升服务质量。"),
            pending_basis=f"{PIPL}第十三条第一款第三项（为履行法定职责所必需）",
            retention=(retention_case + "随案件一并匿名化：评价意见、讨论意见、旁听情况、司法机关意见和回访情况清除，"
                       "等级、分数和日期保留（质量通报与办案补贴使用）。"),
            recipients=("本中心", "市、区司法局", "承办的法律援助人员（只读本人案件的质量等级与评价）"),
            safeguards="按中心、司法局限定可见范围；承办人员只见本人承办案件的评价，不见回访电话。",
            public_summary="案件办结后我们可能打电话回访您，了解律师的服务；您的评价只用于改进法律援助质量。",
        ),
        Activity(
            code="complaint",
            purpose="受理和调查处理对法律援助机构、法律援助人员的投诉，并告知投诉人处理结果",
            subjects="投诉人（受援人及其近亲属等）；被投诉的法律援助人员",
            categories=("投诉人姓名、与受援人的关系", "联系电话（加密存储，按密钥散列，页面遮蔽显示）",
                        "投诉事实与请求、调查情况与处理意见、承办人员的说明", "处理结果、措施与告知方式"),
            sensitive=(),
            legal_basis="《法律援助法》第五十五条、第五十六条",
            basis_text=("《法律援助法》第五十五条：受援人有权向法律援助机构、法律援助人员了解法律援助事项办理情况；"
                        "法律援助机构、法律援助人员未依法履行职责的，受援人可以向司法行政部门投诉，并可以请求法律援助机构"
                        "更换法律援助人员。\n"
                        "《法律援助法》第五十六条：司法行政部门应当建立法律援助工作投诉查处制度；接到投诉后，应当依照有关"
                        "规定受理和调查处理，并及时向投诉人告知处理结果。"),
            pending_basis=f"{PIPL}第十三条第一款第三项（为履行法定职责所必需）",
            retention=(retention_case + "投诉随其案件一并匿名化：投诉人姓名、电话、投诉事实、调查情况与承办人员"
                       "说明清除，类别、结果、措施和日期保留（重复投诉提示与质量通报计数）。"),
            recipients=("受理的法律援助中心", "作出处理的司法局",
                        "被投诉的承办人员（只见需其说明的投诉要点，不见投诉人身份）"),
            safeguards="按中心、司法局限定可见范围；承办人员看不到投诉人的姓名、电话和原话；电话不在页面和日志中明文出现。",
            public_summary=("您投诉承办律师时，我们处理您的姓名、电话和投诉内容，只用于调查处理和告知结果，"
                            "不会把您的姓名和电话告诉被投诉的律师。"),
        ),
        Activity(
            code="duty_help",
            purpose="值班律师为没有辩护人的犯罪嫌疑人、被告人提供法律帮助并登记",
            subjects="接受法律帮助的犯罪嫌疑人、被告人",
            categories=("姓名（提供证件号的，随人员记录加密保存）", "诉讼阶段、办案机关案号", "帮助类型与内容",
                        "是否转交法律援助申请"),
            sensitive=("刑事案件中的案情",),
            legal_basis="《法律援助法》第三十条",
            basis_text=("《法律援助法》第三十条：值班律师应当依法为没有辩护人的犯罪嫌疑人、被告人提供法律咨询、程序选择建议、"
                        "申请变更强制措施、对案件处理提出意见等法律帮助。"),
            pending_basis=f"{PIPL}第十三条第一款第三项",
            retention=(f"帮助记录自登记之日起保管 {years} 年（与案件档案同一期限），期满由每日定时任务清除受帮助人"
                       "姓名、办案机关案号和帮助内容；站点、律师、阶段、帮助类型和日期保留，用于值班统计。提供证件号的，"
                       "人员记录在其案件、咨询和帮助记录均已期满后匿名化。"),
            recipients=("登记的值班律师本人", "值班站点所属的法律援助中心"),
            safeguards="值班律师只见本人登记的帮助记录；中心只见本中心站点的记录。",
            public_summary="值班律师为您提供法律帮助时，登记您的姓名和所提供的帮助，用于值班管理和统计。",
        ),
        Activity(
            code="joint_meeting",
            purpose="记录刑事法律援助联席会议：参会单位和人员、议定事项、落实事项",
            subjects="参会的办案机关、法律援助机构、司法行政机关工作人员",
            categories=("参会人员的姓名、单位、职务", "议定事项与落实情况"),
            sensitive=(),
            legal_basis="",
            basis_text="",
            pending_basis="2018年镇江市法律援助工作计划第一点（建立刑事法律援助联席会议制度，本地做法）",
            retention=("参会人员是以职务身份参会的工作人员，其姓名随会议记录保存，不作匿名化；会议记录不写入当事人等"
                       "私人的姓名（录入页面提示），因此不纳入定时匿名化。"),
            recipients=("召集和参会的法律援助中心", "参会的办案机关", "市、区司法局"),
            safeguards="中心只见本中心召集或参加的会议，办案机关只见本机关参加的会议。",
            public_summary="联席会议记录只记载参会工作人员和议定事项，不记载当事人的个人信息。",
        ),
        Activity(
            code="defense_pool",
            purpose="管理刑事辩护法律援助律师库：审查入库条件，刑事案件只指派在库律师",
            subjects="申请入库的律师",
            categories=("姓名、执业机构、执业及刑事辩护年限", "近一年培训学时", "最近一次行业处分或行政处罚的日期"),
            sensitive=(),
            legal_basis="《法律援助法》第二十五条",
            basis_text=("《法律援助法》第二十五条：刑事案件的犯罪嫌疑人、被告人属于下列人员之一，没有委托辩护人的，"
                        "人民法院、人民检察院、公安机关应当通知法律援助机构指派律师担任辩护人："),
            pending_basis="2018年镇江市法律援助工作计划第三点（建立刑事辩护法律援助律师库，本地做法）",
            retention="出库后随律师名册保存；入库审查记录不删除，以说明当时指派的依据。",
            recipients=("律师所属中心的工作人员", "市、区司法局"),
            safeguards="中心只见本中心律师的入库记录；入库、出库记入审计日志。",
            public_summary="承办刑事案件的律师须在刑事辩护律师库中，入库时审查其执业年限、培训和处分情况。",
        ),
        Activity(
            code="audit",
            purpose="安全审计：记录谁在何时查看、修改、导出了哪些个人信息",
            subjects="系统用户；被查看的人员和案件（只记编号）",
            categories=("操作人、角色、时间、来源地址", "对象类型和编号（不记姓名、证件号、电话）", "查看用途"),
            sensitive=(),
            legal_basis="",
            basis_text="",
            pending_basis=f"{PIPL}第五十一条（安全保护措施）、第五十四条（合规审计）；网络安全等级保护第三级要求",
            retention="只追加、不可修改；匿名化不改动审计记录（记录中本就没有姓名和号码）。",
            recipients=("审计管理员", "本人查询访问记录时，由有权限的工作人员出具"),
            safeguards="审计日志按哈希链校验，任何修改、删除、插入都可发现。",
            public_summary="谁查看过您的信息都有记录；您可以要求查询。",
        ),
    )
