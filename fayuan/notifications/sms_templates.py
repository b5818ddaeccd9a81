"""The texts the system sends by SMS, as templates to register with the provider.

Chinese SMS providers send only templates they approved beforehand, with the signature (签名) they approved
prefixed; the variables are filled in per message and checked for length and kind. So every text has a key here,
its body in the provider's own syntax (``${name}``), and callers pass the key and the values
(``send_sms(phone, template="otp_code", params={...})``). The text is rendered here, signature first, for the log
and for backends that send free text (the development backend); a template gateway gets the key's template code
(``SMS_ALIYUN_TEMPLATES``) and the values. ``manage.py sms_templates`` prints what to register and which codes
the configuration still lacks.

Variables carry references only (case number, a date, a code), never a name or an ID number (``sms.send_sms``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fayuan.core.errors import ValidationFailed

SIGNATURE = "【镇江法援】"
_VARIABLE = re.compile(r"\$\{([a-z_]+)\}")
# Aliyun's rule for a variable in a notification template (the strictest we know of): at most 35 characters.
MAX_VARIABLE = 35


@dataclass(frozen=True)
class SmsTemplate:
    key: str
    purpose: str  # what the provider's reviewer is told (申请说明), in Chinese
    body: str  # the provider's syntax, without the signature
    verification: bool = False  # a sign-in code: registered as 验证码 (a separate, faster channel at the provider)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_VARIABLE.findall(self.body)))


_CHOOSE = "请在 ${due} 前登录网站选择律师，逾期由中心指派。"

# What the applicant is told at each step of the case (``portal.services.following.APPLICANT_MESSAGES`` holds the
# same words for the in-app notice; a test keeps the two equal). ``*_choose``: the applicant may choose a lawyer.
_CASE_STEPS: dict[str, str] = {
    "forward": "您的法律援助申请（${number}）已转交法律援助中心审查。",
    "start_review": "您的法律援助申请（${number}）已开始审查。",
    "request_supplement": "您的法律援助申请（${number}）需要补充材料，请登录查看需补充的材料和期限。",
    "receive_supplement": "已收到您补充的材料（${number}），继续审查。",
    "expire_supplement": "您的申请（${number}）未在期限内补充材料，视为撤回。",
    "withdraw": "您的法律援助申请（${number}）已撤回。",
    "grant": "您的申请（${number}）已决定给予法律援助。",
    "provide_aid_first": "您的申请（${number}）决定先行提供法律援助。",
    "refuse": "您的申请（${number}）决定不给予法律援助，理由请登录查看；如有异议可在网上提出。",
    "assign": "您的案件（${number}）已指派律师，请登录查看律师联系方式。",
    "change_provider": "您的案件（${number}）已更换律师，请登录查看新律师的联系方式。",
    "decline": "原指派的律师不能承办您的案件（${number}），中心将重新指派。",
    "sign_agreement": "您的案件（${number}）已与律师签订委托协议。",
    "accept_closing": "您的案件（${number}）已办结，欢迎登录网站对服务作出评价。",
    "terminate": "您的案件（${number}）决定终止法律援助，理由请登录查看；如有异议可在网上提出。",
    "object": "您对案件（${number}）提出的异议已收到，市司法局将在 5 日内审查。",
    "uphold_refusal": "您的异议（${number}）审查结果：维持原决定。请登录查看审查意见。",
    "uphold_termination": "您的异议（${number}）审查结果：维持原决定。请登录查看审查意见。",
    "overturn_refusal": "您的异议（${number}）成立，决定给予法律援助。",
    "overturn_termination": "您的异议（${number}）成立，恢复法律援助。",
    "progress_hearing": "您的案件（${number}）有开庭安排，请登录查看时间和地点。",
}
CASE_STEPS_WITH_CHOICE = ("grant", "provide_aid_first", "overturn_refusal", "overturn_termination")

_ALL: list[SmsTemplate] = [
    SmsTemplate("otp_code", "网上申请平台登录验证码",
                "您的登录验证码是 ${code}，${minutes} 分钟内有效。请勿告诉他人。", verification=True),
    SmsTemplate("application_submitted", "网上法律援助申请提交回执",
                "您的法律援助申请已提交，受理编号：${number}。中心将在 7 日内审查，可登录网站“我的申请”查看进度。"),
    SmsTemplate("center_message", "法律援助中心给申请人发送站内消息的提醒",
                "您的法律援助申请（${number}）有一条中心的新消息，请登录网站“我的申请”查看。"),
    SmsTemplate("deadline_reminder", "工作人员办案期限提醒",
                "${ref}「${rule}」期满日${due}，${state}。请登录法援平台处理。"),
    SmsTemplate("complaint_result_online", "投诉处理结果告知（网上投诉人）",
                "您对法律援助人员的投诉（${reference}，案件 ${number}）已处理完毕，处理结果：${outcome}。"
                "请登录网站“我的申请”查看处理意见。"),
    SmsTemplate("complaint_result_phone", "投诉处理结果告知（电话投诉人）",
                "您对法律援助人员的投诉（${reference}，案件 ${number}）已处理完毕，处理结果：${outcome}。"
                "如需了解处理意见，请拨打 12348。"),
    *(SmsTemplate(f"case_{step}", "法律援助案件办理进度告知", body) for step, body in _CASE_STEPS.items()),
    *(SmsTemplate(f"case_{step}_choose", "法律援助案件办理进度告知（提示受援人选择律师）", _CASE_STEPS[step] + _CHOOSE)
      for step in CASE_STEPS_WITH_CHOICE),
]
TEMPLATES: dict[str, SmsTemplate] = {template.key: template for template in _ALL}

# A gateway can send a text no template covers (a test message, a caller not yet converted) through one generic
# template whose only variable is the whole text, if the provider approved one: ``SMS_ALIYUN_TEMPLATES`` key
# ``content``, body ``${content}``. Providers rarely approve such a template for notifications; it is the fallback.
CONTENT_KEY = "content"


def case_step_template(step: str, *, choose: bool) -> str:
    return f"case_{step}_choose" if choose else f"case_{step}"


def render(key: str, params: Mapping[str, object]) -> tuple[str, dict[str, str]]:
    """The full text (signature first) and the parameters as strings. A wrong key, or a missing or extra value, is
    the caller's mistake: refused before anything is queued. A value longer than the provider allows (a long rule
    name) is shortened with an ellipsis, so that the text still goes out."""
    template = TEMPLATES.get(key)
    if template is None:
        raise ValidationFailed(f"短信模板 {key} 不存在。")
    values = {name: _fit(str(value)) for name, value in params.items()}
    if set(values) != set(template.variables):
        raise ValidationFailed(f"短信模板 {key} 的参数应为 {', '.join(template.variables)}。")
    body = _VARIABLE.sub(lambda match: values[match.group(1)], template.body)
    return SIGNATURE + body, values


def _fit(value: str) -> str:
    return value if len(value) <= MAX_VARIABLE else value[:MAX_VARIABLE - 1] + "…"
