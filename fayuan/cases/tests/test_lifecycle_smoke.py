import pytest
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases import services
from fayuan.cases.models import Status
from fayuan.core.errors import Conflict

from .conftest import receive


@pytest.fixture
def lawyers(city, providers):
    for i, p in enumerate(providers[:3]):
        User.objects.create_user(username=f"lawyer{i}", password="x" * 12, role="provider", provider=p)
    return providers


def test_whole_path_from_application_to_archive(city, lawyers):
    reviewer = city.user("reviewer_a")
    case = receive(city)
    assert case.status == Status.RECEIVED and case.number.startswith("京法援受〔")
    decision = services.case_decide(actor=reviewer, public_id=case.public_id, kind="grant")
    assert decision.document_number.startswith("京法援〔")
    assignment = services.case_assign(actor=reviewer, public_id=case.public_id)
    lawyer = User.objects.get(provider=assignment.provider)
    services.assignment_accept(actor=lawyer, public_id=case.public_id)
    services.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    services.progress_record(actor=lawyer, public_id=case.public_id, kind="judgment",
                             occurred_on=timezone.localdate(), summary="收到一审判决。")
    services.closing_submit(actor=lawyer, public_id=case.public_id, outcome="won",
                            report="判决支持全部诉讼请求，已结案。", money_recovered="12000")
    services.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    case = services.case_archive(actor=reviewer, public_id=case.public_id)
    assert case.status == Status.ARCHIVED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "received" and kinds[-1] == "archive"


def test_illegal_transition_is_refused_and_changes_nothing(city, lawyers):
    case = receive(city)
    with pytest.raises(Conflict, match="不能“归档”"):
        services.case_archive(actor=city.user("reviewer_a"), public_id=case.public_id)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
