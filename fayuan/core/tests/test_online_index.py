"""An index added online (core/online_index.py) is there and usable after the migrations, on either backend: on
PostgreSQL a concurrent build that failed would leave it INVALID, which the planner never uses."""

from __future__ import annotations

import pytest
from django.db import connection

from fayuan.cases.models import Assignment

pytestmark = pytest.mark.django_db


def test_the_provider_latest_assignment_index_is_built_and_valid() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Assignment._meta.db_table)
        assert constraints["assignment_provider_latest"]["columns"] == ["provider_id", "assigned_at"]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indisvalid, indisready FROM pg_index WHERE indexrelid = %s::regclass",
                           ["assignment_provider_latest"])
            assert cursor.fetchone() == (True, True)
