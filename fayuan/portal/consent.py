"""The consent texts shown on the site (PIPL arts. 29-31: a separate consent for sensitive personal data).

A text never changes once used: a new wording gets a new version, and each Consent row keeps the full text that
the person agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    title: str
    text: str


SENSITIVE_SELF = ConsentText(
    purpose="legal_aid_application",
    version="2026-01",
    title="处理敏感个人信息的单独同意",
    text=(
        "为审查和办理您的法律援助申请，镇江市各级法律援助机构需要处理您的以下敏感个人信息："
        "身份证件号码及证件照片、家庭经济状况、案件事实（可能涉及家庭暴力、刑事案件、健康状况等），"
        "以及您上传的证明材料。"
        "这些信息仅用于审查是否给予法律援助、指派和监督承办人员、依法统计和质量评估；"
        "由法律援助机构依法保存，身份证件号码加密存储，查看须有工作需要并留痕。"
        "除法律、行政法规规定或为办理本案向承办人员、办案机关提供外，不向他人提供。"
        "不同意处理上述信息的，无法在网上提交申请，您仍可拨打12348或到法律援助机构窗口申请。"
        "您可以依法查阅、复制、更正您的个人信息，或撤回本同意（撤回不影响撤回前已进行的处理）。"
        "依据：《中华人民共和国个人信息保护法》第二十八条、第二十九条。"
    ),
)

SENSITIVE_RELATIVE = ConsentText(
    purpose="legal_aid_application_relative",
    version="2026-01",
    title="代为申请：被代理人信息的处理",
    text=(
        "您代亲属申请法律援助，将提交其身份证件号码、家庭经济状况、案件事实等敏感个人信息。"
        "您确认：您是其法定代理人（监护人），或已取得其本人同意代为申请并提交上述信息"
        "（不满十四周岁的未成年人，由其父母或者其他监护人同意）。"
        "上述信息的用途、保存和权利与您本人的同意相同。"
        "依据：《中华人民共和国个人信息保护法》第二十九条、第三十一条；《中华人民共和国法律援助法》第四十条。"
    ),
)

BY_PURPOSE = {c.purpose: c for c in (SENSITIVE_SELF, SENSITIVE_RELATIVE)}
