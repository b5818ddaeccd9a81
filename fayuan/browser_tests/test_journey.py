"""The whole journey on a phone, as a person would take it: self-check → sign in with an SMS code → apply with a
photo → (a reviewer grants, on a desktop) → choose a lawyer → see the lawyer on the timeline → rate.

Every step asserts on what the page says, takes a screenshot (screenshots/journey/NN-step.png at the repo root),
and checks the applicant's pages with axe-core: no serious or critical violation. The phone keeps the site's CSP,
and the console must stay free of errors (a CSP refusal, a broken script) from start to finish.
"""

# ruff: noqa: S101  (pytest asserts)

from __future__ import annotations

import re
from typing import Any

import pytest

from fayuan.conftest import PASSWORD, valid_id

from .support import JOURNEY_SHOTS, axe_violations, blocking, describe, office_sign_in, shoot, sms_code, tiny_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_NUMBER = "13900000001"
APPLICANT = "钱七"


def _no_serious_violations(page: Any, where: str) -> None:
    found = blocking(axe_violations(page, csp_bypassed=False))
    assert not found, "axe-core found serious or critical violations:\n" + describe(where, found)


def test_the_whole_journey_on_a_phone(portal_data: Any, new_context: Any) -> None:
    from playwright.sync_api import expect

    city = portal_data
    for old in JOURNEY_SHOTS.glob("*.png"):
        old.unlink()
    phone = new_context("phone")
    page = phone.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    # --- The home page, in the elderly-friendly mode and back --------------------------------------------------
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("法律援助免费为您提供法律服务")
    page.get_by_test_id("mode-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bmode-elderly\b"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("打官司没钱请律师？可以找法律援助。")
    expect(page.get_by_test_id("mode-toggle")).to_have_text("标准模式")
    shoot(page, "01-home-elderly")
    page.get_by_test_id("mode-toggle").click()
    expect(page.get_by_test_id("mode-toggle")).to_have_text("大字模式")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bmode-elderly\b"))

    # --- Self-check: no sign-in, the same engine and rules as the staff review ---------------------------------
    page.get_by_test_id("home-selfcheck").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("自助测评：我能不能申请法律援助")
    page.get_by_label("在哪个区（市）申请").select_option(label="京口区")
    page.get_by_label("民事", exact=True).check()
    page.get_by_label("申请事项（非刑事案件）").select_option("wages")
    page.get_by_label("家里共有几口人（含本人）").fill("3")
    page.get_by_label("全家每月总收入（元）").fill("3000")
    page.get_by_test_id("selfcheck-submit").click()
    result = page.get_by_test_id("selfcheck-result")
    expect(result).to_contain_text("您可能符合法律援助条件")
    expect(result).to_contain_text("符合经济困难标准")
    criteria = result.locator("[data-testid^='criterion-']")
    expect(criteria.first).to_contain_text("依据：")
    assert criteria.count() >= 2
    shoot(page, "02-selfcheck")

    # --- Sign in with the phone number and the SMS code --------------------------------------------------------
    page.get_by_test_id("nav-signin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("用手机号码登录")
    page.get_by_label("手机号码").fill(PHONE_NUMBER)
    shoot(page, "03-signin")
    page.get_by_test_id("otp-request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("输入短信验证码")
    expect(page.get_by_test_id("verify-hint")).to_contain_text("139****0001")
    page.get_by_label("短信验证码").fill(sms_code(PHONE_NUMBER))
    shoot(page, "04-signin-code")
    page.get_by_test_id("otp-verify").click()
    expect(page.get_by_test_id("home-applicant")).to_have_text("我的申请")
    expect(page.get_by_test_id("my-cases")).to_contain_text("您还没有申请")

    # --- Apply: consent, four steps of questions, a photo, confirm ---------------------------------------------
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="网上申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网上申请法律援助")
    page.get_by_test_id("apply-start").click()
    expect(page.get_by_test_id("consent-text")).to_be_visible()
    page.get_by_label("我已阅读以上说明，同意法律援助机构处理我的敏感个人信息").check()
    shoot(page, "05-consent")
    _no_serious_violations(page, "/apply/consent/")
    page.get_by_test_id("consent-agree").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("申请人")
    expect(page.get_by_label("为我本人申请")).to_be_checked()
    page.get_by_label("您的姓名").fill(APPLICANT)
    page.get_by_label("您的身份证号码").fill(valid_id(31))
    shoot(page, "06-who")
    _no_serious_violations(page, "/apply/who/")
    page.get_by_test_id("apply-next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("申请事项")
    page.get_by_label("民事", exact=True).check()
    page.get_by_label("申请事项", exact=True).select_option("wages")
    page.get_by_label("一句话说明您的事情（案由）").fill("工地老板拖欠工资三个月")
    page.get_by_label("对方是谁（单位或个人名称，选填）").fill("某建筑公司")
    page.get_by_label("事情经过（选填）").fill("2026 年 6 月到 8 月在工地干活，老板一直没发工资。")
    shoot(page, "07-matter")
    _no_serious_violations(page, "/apply/matter/")
    page.get_by_test_id("apply-next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("向哪里申请")
    expect(page.get_by_test_id("routing-rule")).to_contain_text("法律援助法第三十八条")
    page.get_by_label("办案机关（法院、检察院、公安机关）").select_option(label="京口区人民法院")
    shoot(page, "08-where")
    _no_serious_violations(page, "/apply/where/")
    page.get_by_test_id("apply-next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("经济状况")
    page.get_by_label("家里共有几口人（含本人）").fill("3")
    page.get_by_label("全家每月总收入（元）").fill("3000")
    page.get_by_label("我承诺以上经济状况真实（法律援助法第四十一条：个人诚信承诺）").check()
    shoot(page, "09-means")
    _no_serious_violations(page, "/apply/means/")
    page.get_by_test_id("apply-next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("上传材料")
    expect(page.get_by_test_id("need-id")).to_be_visible()
    page.get_by_label("这是什么材料").select_option("id_document")
    page.get_by_test_id("upload-input").set_input_files(
        {"name": "身份证正面.png", "mimeType": "image/png", "buffer": tiny_png()})
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_role("status").filter(has_text="已上传 1 个文件。")).to_be_visible()
    expect(page.get_by_test_id("uploaded-list")).to_contain_text("身份证正面.png · 身份证明")
    expect(page.get_by_test_id("need-id")).to_have_count(0)
    shoot(page, "10-files")
    _no_serious_violations(page, "/apply/files/")
    page.get_by_test_id("apply-next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("核对并提交")
    summary = page.get_by_test_id("summary")
    expect(summary).to_contain_text(APPLICANT)
    expect(summary).to_contain_text("请求支付劳动报酬")
    expect(summary).to_contain_text("工地老板拖欠工资三个月")
    expect(summary).to_contain_text("1 个文件")
    expect(page.get_by_test_id("route-explanation")).to_contain_text("京口区法律援助中心")
    shoot(page, "11-confirm")
    _no_serious_violations(page, "/apply/confirm/")
    page.get_by_test_id("apply-submit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = page.get_by_test_id("tracking-number").inner_text().strip()
    assert re.search(r"\d", number), number
    expect(page.locator("main")).to_contain_text("京口区法律援助中心")
    shoot(page, "12-receipt")
    _no_serious_violations(page, "/my/cases/…/receipt/")

    # --- The reviewer of the routed center grants aid, at a desk -------------------------------------------------
    desk = new_context("desktop").new_page()
    office_sign_in(desk, city.user("reviewer_a"), PASSWORD)
    desk.goto("/office/cases/")
    row = desk.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(APPLICANT)
    expect(row).to_contain_text("已受理申请")
    shoot(desk, "13-staff-queue")
    row.get_by_role("link", name=number).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(number)
    decide = desk.locator("#panel-decide")
    if not decide.evaluate("details => details.open"):
        decide.locator("summary").click()
    expect(decide).to_contain_text("符合法律援助条件")
    decide.locator("input[name='kind'][value='grant']").check()
    decide.get_by_role("button", name="作出决定").click()
    expect(desk.get_by_test_id("status")).to_have_text("决定给予援助")
    shoot(desk, "14-staff-granted")

    # --- Back on the phone: the decision, choosing a lawyer, the lawyer on the timeline --------------------------
    page.get_by_test_id("tracking-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"受理编号 {number}")
    expect(page.get_by_test_id("case-status")).to_have_text("决定给予援助")
    expect(page.get_by_test_id("timeline")).to_contain_text("决定给予法律援助")
    expect(page.get_by_test_id("choose-callout")).to_contain_text("请在")
    shoot(page, "15-case-granted")
    _no_serious_violations(page, "/my/cases/…/")
    page.get_by_test_id("choose-link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("选择您的律师")
    offered = page.get_by_test_id("choose-list").locator("[data-testid^='choose-provider-']")
    expect(offered.first).to_be_visible()
    assert offered.count() >= 2
    button = offered.first
    lawyer = button.inner_text().strip().removeprefix("选择")
    expect(page.get_by_test_id("choose-list").locator("li").first).to_contain_text("执业年限")
    shoot(page, "16-choose")
    _no_serious_violations(page, "/my/cases/…/choose/")
    button.click()

    expect(page.get_by_role("status").filter(has_text="已为您指派所选的律师")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("已指派")
    expect(page.get_by_test_id("provider-card")).to_contain_text(lawyer)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text(f"您选择了律师：{lawyer}")
    expect(timeline).to_contain_text(f"为您指派了承办律师：{lawyer}")
    shoot(page, "17-case-lawyer")

    # --- Rating the stage reached: acceptance (the decision) --------------------------------------------------
    rate = page.get_by_test_id("rate-acceptance")
    rate.get_by_label("5 分 非常满意").check()
    rate.get_by_label("意见和建议（选填）").fill("审查很快，谢谢。")
    page.get_by_test_id("rate-submit-acceptance").click()
    expect(page.get_by_role("status").filter(has_text="谢谢您的评价！")).to_be_visible()
    expect(page.locator("#rating").locator("..")).to_contain_text("受理审查：5 分（审查很快，谢谢。）")
    expect(page.get_by_test_id("rate-acceptance")).to_have_count(0)
    shoot(page, "18-rated")

    # --- The same case page in the elderly-friendly mode (the toggle comes back to this page) ------------------
    page.get_by_test_id("mode-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bmode-elderly\b"))
    expect(page.get_by_test_id("provider-card")).to_contain_text(lawyer)
    shoot(page, "19-case-elderly")
    _no_serious_violations(page, "/my/cases/…/ (elderly)")

    assert not problems, "\n".join(problems)
