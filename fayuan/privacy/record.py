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
