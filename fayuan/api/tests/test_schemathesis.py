"""Schemathesis over the whole OpenAPI document (issue 9 item 11): every operation, generated inputs (valid and
invalid), as a center reviewer with a token. No answer may be a 5xx, and every answer must be one the document
declares for the operation, with the declared content type, headers and body schema. An input the schema rejects
must be refused (4xx), not acted on.

Path ids are mostly random (a 404); some are swapped for the ids of real cases and people in several states, so
the bodies also reach the services. The examples per operation are bounded so the test fits in ``make test``.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fayuan.api.api import api
from fayuan.cases import services

from .conftest import token_for

# The document the API serves at /api/v1/openapi.json, built without a request (collection has no database).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
EXAMPLES = int(os.environ.get("FAYUAN_FUZZ_EXAMPLES", "25"))
# Requests per operation and answers per status, printed with FAYUAN_FUZZ_REPORT=1 (run with -s).
TRIED: Counter[str] = Counter()
ANSWERS: Counter[int] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Any:
    yield
    if os.environ.get("FAYUAN_FUZZ_REPORT"):
        for label, count in sorted(TRIED.items()):
            print(f"fuzz {count:5d}  {label}")
        total = sum(TRIED.values())
        print(f"fuzz {total:5d}  requests over {len(TRIED)} operations; answers {sorted(ANSWERS.items())}")


@pytest.fixture
def wsgi_requests_keep_the_test_transaction() -> Any:
    """The real WSGI handler closes the database connection as a request starts and ends; inside a test that would
    end the test's transaction on PostgreSQL. Django's test client mutes the same two handlers."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def known_ids(city: Any, settings: Any, tmp_path: Any) -> list[str]:
    """Ids that exist: cases of center A received, granted and assigned (reached through the services), and people
    in and out of the reviewer's scope."""
    settings.MEDIA_ROOT = tmp_path
    reviewer = city.user("reviewer_a")
    ids = [str(p.public_id) for p in (city.person_a, city.person_station_a, city.person_b)]
    for step in range(3):
        data = services.ApplicationInput(
            applicant_id=city.person_a.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
            opposing_party="某建筑公司", household_size=3, household_monthly_income="3000",
            handling_organ="京口区人民法院")
        case = services.case_receive(actor=reviewer, data=data)
        if step >= 1:
            services.case_decide(actor=reviewer, public_id=case.public_id, kind="grant")
        if step >= 2:
            services.case_assign(actor=reviewer, public_id=case.public_id,
                                 provider_id=city.user("provider_a").provider_id, reason="测试指定承办人员")
        ids.append(str(case.public_id))
    return ids


def _aim(case: Any, known: list[str]) -> None:
    """Swap a generated path id for a real one in about three cases of four (chosen from the generated value, so
    a failing example replays the same way)."""
    generated = case.path_parameters.get("public_id") if case.path_parameters else None
    if generated is None:
        return
    pick = int(hashlib.sha256(str(generated).encode()).hexdigest(), 16) % (len(known) + 2)
    if pick < len(known):
        case.path_parameters["public_id"] = known[pick]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, city, known_ids, wsgi_requests_keep_the_test_transaction):
    _aim(case, known_ids)
    TRIED[case.operation.label] += 1  # the unsupported-method probes count under their operation
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token_for(city.user('reviewer_a'))}"},
                                      checks=CHECKS)
    ANSWERS[response.status_code] += 1
