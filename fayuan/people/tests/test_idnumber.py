import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fayuan.people import idnumber

TODAY = dt.date(2026, 11, 29)


def test_accepts_reference_number_and_reads_woman_born_1949_12_31():
    parsed = idnumber.parse("11010519491231002X", today=TODAY)
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"
    assert parsed.masked == "1101**********002X"


def test_lower_case_check_letter_and_spaces_are_normalised():
    assert idnumber.parse(" 110105 19491231002x ", today=TODAY).value == "11010519491231002X"


def test_refuses_wrong_check_digit_naming_it():
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse("110105194912310021", today=TODAY)
    assert "校验码" in exc.value.message
    assert "应为“X”" in exc.value.message


def test_refuses_31_february():
    number = idnumber.build("110105", dt.date(1949, 1, 31), 2)
    bad = number[:10] + "0231" + number[14:17]
    bad += idnumber.check_character(bad)  # a correct check digit, so only the date is wrong
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse(bad, today=TODAY)
    assert "不是真实存在的日期" in exc.value.message


def test_refuses_future_birth_date():
    future = idnumber.build("321102", dt.date(2027, 1, 1), 5)
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse(future, today=TODAY)
    assert "晚于今天" in exc.value.message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("1101051949123100", "18 位"),
        ("11010519491231002Y", "最后一位"),
        ("99010519491231002X", "地址码"),
        ("000000194912310020", "地址码"),
    ],
)
def test_refuses_malformed_numbers_with_a_reason(raw, fragment):
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse(raw, today=TODAY)
    assert fragment in exc.value.message


births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
areas = st.sampled_from(["321102", "321111", "321181", "110105", "510107", "440305"])


@given(areas, births, st.integers(min_value=0, max_value=999))
def test_built_numbers_parse_back_to_their_parts(area, birth, seq):
    parsed = idnumber.parse(idnumber.build(area, birth, seq), today=TODAY)
    assert (parsed.address_code, parsed.birth_date) == (area, birth)
    assert parsed.gender == ("M" if seq % 2 else "F")


@given(areas, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(area, birth, seq, position, delta):
    number = idnumber.build(area, birth, seq)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1:]
    with pytest.raises(idnumber.InvalidIdNumber):
        idnumber.parse(changed, today=TODAY)


@given(st.text(max_size=30))
def test_parse_never_crashes_on_arbitrary_text(raw):
    try:
        idnumber.parse(raw, today=TODAY)
    except idnumber.InvalidIdNumber as exc:
        assert exc.message


# --- One number, one form (issue 9 item 11: hypothesis over the parsers of outside data) ------------------------

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(areas, births, st.integers(0, 999), st.sets(st.integers(0, 17), min_size=1), st.booleans())
def test_a_number_typed_in_full_width_or_with_spaces_is_the_same_number(area, birth, seq, positions, spaced):
    """A Chinese input method types full-width digits: the same identity, so the same lookup hash (before, a
    full-width number parsed as a different value: a second registration of the same person)."""
    number = idnumber.build(area, birth, seq)
    typed = "".join(ch.translate(FULL_WIDTH) if i in positions else ch for i, ch in enumerate(number)).lower()
    if spaced:
        typed = f"{typed[:6]} {typed[6:14]} {typed[14:]}"
    assert idnumber.parse(typed, today=TODAY).value == number


@given(areas, births, st.integers(0, 999), st.sets(st.integers(2, 16), min_size=1))
def test_digits_of_another_script_are_refused(area, birth, seq, positions):
    number = idnumber.build(area, birth, seq)
    typed = "".join(ch.translate(ARABIC_INDIC) if i in positions else ch for i, ch in enumerate(number))
    with pytest.raises(idnumber.InvalidIdNumber):
        idnumber.parse(typed, today=TODAY)


def _value(raw: str) -> str | None:
    try:
        return idnumber.parse(raw, today=TODAY).value
    except idnumber.InvalidIdNumber:
        return None


@given(st.text(max_size=40))
def test_a_parsed_number_is_ascii_and_its_normal_form_parses_the_same(raw):
    assert _value(idnumber.normalise(raw)) == _value(raw)
    try:
        parsed = idnumber.parse(raw, today=TODAY)
    except idnumber.InvalidIdNumber:
        return
    assert parsed.value.isascii() and len(parsed.value) == 18


@given(areas, births, st.integers(0, 999))
def test_the_mask_shows_only_the_ends(area, birth, seq):
    number = idnumber.build(area, birth, seq)
    masked = idnumber.mask(number)
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:] and set(masked[4:-4]) == {"*"}
