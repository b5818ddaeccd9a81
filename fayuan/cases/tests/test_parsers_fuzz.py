"""Hypothesis over the case services' parsers of outside data: amounts recovered or saved, and uploaded files
(type by content, size, name). Whatever arrives, the answer is a value inside the bounds or a ``ValidationFailed``
with a Chinese message, never another exception."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given
from hypothesis import strategies as st

from fayuan.cases.services import files
from fayuan.cases.services.handling import _money
from fayuan.core import bounds
from fayuan.core.errors import ValidationFailed

money_inputs = st.one_of(
    st.text(max_size=30), st.none(), st.integers(), st.floats(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "١٢٣", " 12.5 ", "-0.001"]),
)


@given(money_inputs)
@example("NaN")
@example(Decimal("NaN"))
def test_an_amount_is_inside_the_bounds_or_a_validation_error(raw):
    try:
        amount = _money(raw, "money_recovered")
    except ValidationFailed as exc:
        assert list(exc.errors) == ["money_recovered"]
    else:
        assert amount.is_finite() and Decimal(0) <= amount <= bounds.MONEY_MAX
        assert amount == amount.quantize(Decimal("0.01"))


@given(st.decimals(min_value=0, max_value=bounds.MONEY_MAX, places=2))
def test_an_amount_round_trips(amount):
    assert _money(str(amount), "money_saved") == amount


MAGIC = [b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"]


def upload_named(name: str, content: bytes) -> SimpleUploadedFile:
    """An upload carrying any name a client may send (Django's constructor refuses some; a parser must not care)."""
    upload = SimpleUploadedFile("x", content)
    upload._name = name  # type: ignore[attr-defined]
    return upload


@given(st.binary(max_size=64), st.text(max_size=60))
@example(b"", "empty.pdf")
@example(b"<?php echo 1; ?>", "photo.png")
@example(b"%PDF-1.7", "../../etc/passwd")
def test_an_upload_is_a_known_type_by_content_or_a_validation_error(content, name):
    upload = upload_named(name, content)
    try:
        checked = files.inspect_upload(upload)
    except ValidationFailed as exc:
        assert list(exc.errors) == ["file"]
        assert not content or files.sniff(content[:16]) is None
    else:
        assert (checked.content_type, checked.extension) == files.sniff(content[:16])
        assert checked.size == len(content) and len(checked.sha256) == 64
        assert "/" not in checked.original_name and len(checked.original_name) <= 200


@given(st.sampled_from(MAGIC), st.binary(max_size=64), st.text(max_size=60))
def test_a_known_header_is_accepted_whatever_the_name(magic, rest, name):
    checked = files.inspect_upload(upload_named(name, magic + rest))
    assert checked.content_type in {"application/pdf", "image/jpeg", "image/png"}


@given(st.integers(1, 4096), st.sampled_from(MAGIC))
def test_the_size_bound_is_respected(limit, magic):
    content = magic + b"\0" * 64
    with mock.patch.object(files, "MAX_BYTES", limit):
        try:
            checked = files.inspect_upload(SimpleUploadedFile("a.pdf", content))
        except ValidationFailed:
            assert len(content) > limit
        else:
            assert checked.size <= limit
