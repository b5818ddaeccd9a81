"""The anonymization checker on write-ups with names, ID numbers, phone numbers and addresses planted in them, in
partial, spaced and full-width forms; and what it must leave alone (张某, 某镇, dates, amounts, case numbers)."""

from __future__ import annotations

import pytest

from fayuan.typical_cases import anonymize
from fayuan.typical_cases.anonymize import ADDRESS, ID_NUMBER, NAME, PHONE, check, scrub

PERSONS = {"张三": "受援人", "欧阳建国": "代理申请人", "李秀英": "对方当事人"}
ID = "32110219800517001X"


def kinds(text: str, persons: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in check({"facts": text}, PERSONS if persons is None else persons)]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or c in "X-" else c for c in text)


# --- names ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["受援人张三于2023年入职。", "张 三称其未领到工资", "张\u3000三", "代理人欧阳建国",
                                  "欧阳 建 国"])
def test_a_full_name_is_found_also_with_spaces(text):
    assert [k for k, _ in kinds(text)] == [NAME]


def test_a_given_name_on_its_own_is_found():
    assert kinds("建国多次讨要未果") == [(NAME, "建国")]
    assert kinds("秀英拒绝支付") == [(NAME, "秀英")]


@pytest.mark.parametrize("text", ["受援人张某于2023年入职。", "欧阳某代为申请", "对方当事人李某", "张某某",
                                  "受援人与对方当事人"])
def test_surname_with_mou_and_roles_are_accepted(text):
    assert kinds(text) == []


def test_a_two_character_name_has_no_given_name_form():
    assert kinds("三人同行") == []  # 张三's given name is one character: not searched alone


def test_an_already_anonymized_party_is_not_searched():
    assert kinds("某建筑公司拖欠工资", {"某建筑公司": "对方当事人"}) == []


def test_an_organisation_party_is_found_by_its_full_name():
    persons = {"镇江市宏达建筑有限公司": "对方当事人"}
    assert kinds("镇江市宏达建筑有限公司拖欠工资", persons) == [(NAME, "镇江市宏达建筑有限公司")]
    assert kinds("宏达建筑拖欠工资", persons) == []  # no given-name form for an organisation


# --- ID numbers ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    ID, ID.lower(), "321102198005170011", "3211 0219 8005 1700 1X", "321102-19800517-001X",
    full_width(ID), "３２１１０２　１９８００５１７　００１Ｘ", "身份证号：321102198005170011。",
    "321102800517001",  # the first-generation 15-digit card
])
def test_id_numbers_are_found_in_every_form(text):
    assert [k for k, _ in kinds(text)] == [ID_NUMBER]


def test_the_finding_keeps_its_place_in_the_original_text():
    text = f"受援人（身份证{full_width(ID)}）"
    (finding,) = check({"facts": text}, {})
    assert text[finding.start:finding.end] == full_width(ID)
    assert (finding.line, finding.column) == (1, 8)
    assert finding.shown == "321*************1X"  # the message never repeats the number


def test_an_x_inside_a_number_is_no_id_number():
    assert kinds("3211021X8005170011") == []


# --- phone numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "13800000001", "138 0000 0001", "138-0000-0001", full_width("13800000001"), "１３８ ００００ ０００１",
    "+86 138 0000 0001", "8613800000001", "0511-85551234", "(0511)85551234", "（0511）8555 1234", "010-62345678",
    "051185551234", full_width("0511-85551234"), "电话：15952801234，",
])
def test_phone_numbers_are_found_in_every_form(text):
    assert [k for k, _ in kinds(text)] == [PHONE]


def test_a_phone_number_followed_by_a_year_is_two_things():
    assert kinds("电话13800000001 2024年起诉") == [(PHONE, "13800000001")]


@pytest.mark.parametrize("text", [
    "2024-05-01起诉", "请求支付工资12000元", "（2024）苏1102民初1234号", "挽回经济损失85551234元", "12345678",
    "第10230号", "2023年3月至2024年1月", "赔偿金额258000.50元",
])
def test_dates_amounts_and_case_numbers_are_no_phone_or_id_numbers(text):
    assert kinds(text) == []


# --- addresses -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "found"), [
    ("家住中山东路88号3幢201室", "中山东路88号3幢201室"),
    ("住解放路12号", "解放路12号"),
    ("位于辛丰镇新丰村三组", "辛丰镇新丰村三组"),
    ("东岗村5组村民", "东岗村5组"),
    ("现住七里甸街道金润社区", "七里甸街道金润社区"),
    ("搬至丹徒区高资街道", "丹徒区高资街道"),
    ("江苏省镇江市京口区学府路", "江苏省镇江市京口区学府路"),
    ("租住在6号楼301室", "6号楼301室"),
    ("住５０２室", "５０２室"),
    ("住中山路８８号", "中山路８８号"),
])
def test_addresses_are_found(text, found):
    assert kinds(text) == [(ADDRESS, found)]


@pytest.mark.parametrize("text", [
    "京口区人民法院判决", "丹阳市法律援助中心指派", "某镇某村", "家住某区某路", "城乡居民", "送法下乡", "在会议室调解",
    "办案思路清晰", "镇江市京口区", "××村×组", "丹阳市", "交通事故发生在道路上",
])
def test_institutions_placeholders_and_ordinary_words_are_no_addresses(text):
    assert kinds(text) == []


# --- the whole write-up --------------------------------------------------------------------------------------------

PLANTED = (
    "受援人张三（身份证号３２１１０２１９８００５１７００１Ｘ，电话138 0000 0001）家住辛丰镇新丰村三组。\n"
    "其子欧阳建国住中山东路88号3幢201室，座机0511-85551234。建国多次向李秀英讨薪未果。\n"
    "2024年5月1日，受援人张某向京口区人民法院起诉，请求支付工资12000元。"
)


def test_a_write_up_with_everything_planted_lists_every_finding_with_its_place():
    findings = check({"facts": PLANTED, "result": "李 秀 英于判决后支付"}, PERSONS)
    assert [(f.field, f.kind, f.line) for f in findings] == [
        ("facts", NAME, 1), ("facts", ID_NUMBER, 1), ("facts", PHONE, 1), ("facts", ADDRESS, 1),
        ("facts", NAME, 2), ("facts", ADDRESS, 2), ("facts", PHONE, 2), ("facts", NAME, 2), ("facts", NAME, 2),
        ("result", NAME, 1)]
    lines = anonymize.describe(findings, {"facts": "基本案情", "result": "办理结果"})
    assert lines[0] == "基本案情第1行第4字：姓名“张三”，请改为“某某”或当事人身份（如“受援人”）。"
    assert lines[1].startswith("基本案情第1行第11字：身份证号码“321") and "请删除" in lines[1]
    assert "0001" not in "".join(lines) and "1700" not in "".join(lines)  # numbers are masked in the refusal
    assert lines[-1] == "办理结果第1行第1字：姓名“李 秀 英”，请改为“某某”或当事人身份（如“受援人”）。"


def test_scrub_leaves_nothing_the_check_would_find_and_keeps_the_rest():
    scrubbed = scrub(PLANTED, PERSONS)
    assert check({"facts": scrubbed}, PERSONS) == []
    assert scrubbed.startswith("受援人家住某处。")  # 受援人张三 → 受援人, not 受援人受援人
    assert "代理申请人多次向对方当事人讨薪未果" in scrubbed
    assert "京口区人民法院" in scrubbed and "12000元" in scrubbed and "2024年5月1日" in scrubbed


@pytest.mark.parametrize(("name", "form"), [("张三", "张某"), ("欧阳建国", "欧阳某"), ("李秀英", "李某")])
def test_surname_form(name, form):
    assert anonymize.surname_form(name) == form
