"""A pending basis is marked once: by the shipped row's own words ("依据待补") or by the system's mark, never both."""

from __future__ import annotations

import pytest
from django.apps import apps

from fayuan.core.dated import PENDING_MARK, PENDING_WORD, SourcedRule

pytestmark = pytest.mark.django_db


def test_every_shipped_pending_row_says_so_exactly_once():
    checked = 0
    for model in apps.get_models():
        if not issubclass(model, SourcedRule):
            continue
        for row in model.objects.all():
            label = row.basis_label
            if row.basis_pending:
                assert (PENDING_WORD in label) != (PENDING_MARK in label), (model._meta.label, label)
                checked += 1
            else:
                assert PENDING_MARK not in label, (model._meta.label, label)
    assert checked  # the shipped rows include pending ones
