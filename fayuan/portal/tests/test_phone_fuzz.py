"""Hypothesis over the phone-number parser of the portal sign-in: one mobile number has one normal form.

Before the fix, ``\\d`` took digits of every script: "１３８…" (full-width) or Arabic-Indic digits were each a
"different" number with its own hash, so the per-number SMS limit and the lock after wrong codes could be
sidestepped by writing one number in many scripts. Now full-width digits (a Chinese input method's) are the same
number, and other scripts are no number.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from fayuan.portal.services.otp import normalise_phone

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(st.text(max_size=30))
@example("１３８００００００００")
@example("+86 ١٣٨٠٠٠٠٠٠٠٠")
def test_the_normal_form_is_eleven_ascii_digits_or_none(raw):
    phone = normalise_phone(raw)
    assert phone is None or (len(phone) == 11 and phone.isascii() and phone.isdigit() and phone[0] == "1")


@given(mobiles, st.sampled_from(["{}", "+86{}", "0086{}", "+86 {}", "{0:.3} {0[3:7]} {0[7:]}"]),
       st.sampled_from([" ", "-", ""]))
def test_the_ways_people_write_a_number_round_trip(phone, shape, gap):
    written = (shape.format(phone) if "[" not in shape else f"{phone[:3]}{gap}{phone[3:7]}{gap}{phone[7:]}")
    assert normalise_phone(written) == phone


def _mixed(phone: str, positions: set[int], script: dict[int, str]) -> str:
    return "".join(ch.translate(script) if i in positions else ch for i, ch in enumerate(phone))


@given(mobiles, st.sets(st.integers(0, 10), min_size=1))
def test_full_width_digits_are_the_same_number(phone, positions):
    assert normalise_phone(_mixed(phone, positions, FULL_WIDTH)) == phone


@given(mobiles, st.sets(st.integers(0, 10), min_size=1))
def test_digits_of_another_script_are_no_number(phone, positions):
    assert normalise_phone(_mixed(phone, positions, ARABIC_INDIC)) is None
