import threading

import pytest
from django.db import connections

from fayuan.accounts.models import User
from fayuan.cases import services
from fayuan.cases.models import Assignment, AssignmentMethod, Status
from fayuan.cases.workflow import OPEN_STATUSES
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.org.models import Provider

from .conftest import granted, receive


def _reviewer(city):
    return city.user("reviewer_a")


def test_rotation_prefers_specialty_then_lightest_load(city, providers):
    case = granted(city)  # wages → labour specialty: 律师1
    a = services.case_assign(actor=_reviewer(city), public_id=case.public_id)
    assert a.provider.name == "律师1" and a.method == AssignmentMethod.ROTATION
    assert a.ranking and "专长匹配" in a.ranking[0]


def test_rotation_spreads_cases_when_specialties_tie(city, providers):
    Provider.objects.filter(pk=providers[1].pk).update(active=False)  # nobody has the labour specialty now
    chosen = [services.case_assign(actor=_reviewer(city), public_id=granted(city).public_id).provider_id
              for _ in range(3)]
    assert len(set(chosen)) == 3


def test_life_or_death_case_needs_three_years_of_criminal_defense(city, providers):
    case = granted(city, case_type="criminal", matter="", criminal_ground="life_or_death",
                   criminal_stage="trial", matter_summary="故意杀人", household_monthly_income="0")
    ranked, refused = services.rank_for_case(case)
    assert all(r.candidate.years_criminal >= 3 for r in ranked)
    assert "第二十六条" in refused[providers[1].pk]
    with pytest.raises(Conflict, match="第二十六条"):
        services.case_assign(actor=_reviewer(city), public_id=case.public_id, provider_id=providers[1].pk,
                             reason="受援人熟悉该律师")


def test_minor_suspect_gets_a_lawyer_familiar_with_minors(city, providers):
    case = granted(city, case_type="criminal", matter="", criminal_ground="minor", criminal_stage="investigation",
                   matter_summary="盗窃", household_monthly_income="0")
    assignment = services.case_assign(actor=_reviewer(city), public_id=case.public_id)
    assert assignment.provider.familiar_with_minors


def test_conflict_with_opposing_party_is_refused(city, providers):
    # 律师1 acted for 张三 (person_a); a new case against 张三 must not go to 律师1 or a colleague at the firm.
    first = granted(city)
    services.case_assign(actor=_reviewer(city), public_id=first.public_id, provider_id=providers[1].pk)
    other = granted(city, applicant_id=city.person_station_a.public_id, opposing_party="张三")
    ranked, refused = services.rank_for_case(other)
    assert providers[1].pk in refused and "利益冲突" in refused[providers[1].pk]
    assert providers[0].pk in refused  # same firm
    others = {city.user("provider_a").provider_id, city.user("duty_a").provider_id}
    assert {r.candidate.provider_id for r in ranked} == others  # firm-less providers remain


def test_manual_override_needs_a_reason_and_is_recorded(city, providers):
    case = granted(city)
    with pytest.raises(ValidationFailed, match="指定理由"):
        services.case_assign(actor=_reviewer(city), public_id=case.public_id, provider_id=providers[2].pk)
    assert not Assignment.objects.filter(case=case).exists()
    a = services.case_assign(actor=_reviewer(city), public_id=case.public_id, provider_id=providers[2].pk,
                             reason="受援人曾由该律师代理，熟悉案情")
    assert a.method == AssignmentMethod.MANUAL and a.override_reason


def test_capacity_is_never_exceeded(city, providers):
    Provider.objects.update(capacity=1)
    for _ in range(Provider.objects.filter(home_center=city.center_a).count()):
        services.case_assign(actor=_reviewer(city), public_id=granted(city).public_id)
    case = granted(city)
    with pytest.raises(Conflict, match="没有符合条件且有空余名额"):
        services.case_assign(actor=_reviewer(city), public_id=case.public_id)
    case.refresh_from_db()
    assert case.status == Status.GRANTED


def test_decline_returns_the_case_for_reassignment(city, providers):
    case = granted(city)
    a = services.case_assign(actor=_reviewer(city), public_id=case.public_id)
    lawyer = User.objects.create_user(username="l1", password="x" * 12, role="provider", provider=a.provider)
    with pytest.raises(ValidationFailed):
        services.assignment_decline(actor=lawyer, public_id=case.public_id, reason="")
    services.assignment_decline(actor=lawyer, public_id=case.public_id, reason="与对方当事人有亲属关系")
    case.refresh_from_db()
    assert (case.status, case.provider) == (Status.GRANTED, None)


def test_change_of_provider_excludes_the_current_one(city, providers):
    case = granted(city)
    first = services.case_assign(actor=_reviewer(city), public_id=case.public_id)
    second = services.case_change_provider(actor=_reviewer(city), public_id=case.public_id,
                                           reason="受援人认为沟通不畅，申请更换")
    assert second.provider_id != first.provider_id
    assert Assignment.objects.filter(case=case, is_active=True).count() == 1


def _assignment_counts(provider_ids):
    """The definition: active assignments whose case is open (what open_case_counts reads from the case row)."""
    counts = {}
    for a in Assignment.objects.filter(provider_id__in=provider_ids, is_active=True, case__status__in=OPEN_STATUSES):
        counts[a.provider_id] = counts.get(a.provider_id, 0) + 1
    return counts


def test_open_case_counts_follow_the_active_assignments(city, providers):
    """Counted on Case.provider for speed: after every service that moves an assignment, the two agree."""
    from fayuan.cases.services.assignment import open_case_counts

    ids = list(Provider.objects.values_list("pk", flat=True))
    reviewer = _reviewer(city)
    kept, changed, declined, terminated = (granted(city) for _ in range(4))
    for case in (kept, changed, declined, terminated):
        services.case_assign(actor=reviewer, public_id=case.public_id)
    services.case_change_provider(actor=reviewer, public_id=changed.public_id, reason="受援人认为沟通不畅，申请更换")
    lawyer_of = Assignment.objects.get(case=declined, is_active=True).provider
    lawyer = User.objects.create_user(username="l9", password="x" * 12, role="provider", provider=lawyer_of)
    services.assignment_decline(actor=lawyer, public_id=declined.public_id, reason="与对方当事人有亲属关系")
    services.case_terminate(actor=reviewer, public_id=terminated.public_id, reason="own_lawyer",
                            explanation="受援人自行委托律师")
    services.objection_file(actor=reviewer, public_id=terminated.public_id, grounds="并未自行委托")
    services.objection_decide(actor=city.user("bureau_a"), public_id=terminated.public_id, uphold=False,
                              reasons="未见委托合同，恢复援助")
    terminated.refresh_from_db()
    assert terminated.status == Status.GRANTED and terminated.provider_id is not None  # kept, but not open
    assert open_case_counts(ids) == _assignment_counts(ids)
    assert sum(open_case_counts(ids).values()) == 2  # kept and changed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_assignments_never_exceed_capacity(city, providers):
    """Eight reviewers assign at once to one provider with two free places: exactly two succeed."""
    target = providers[2]
    Provider.objects.exclude(pk=target.pk).update(active=False)
    Provider.objects.filter(pk=target.pk).update(capacity=2)
    cases = [granted(city) for _ in range(8)]
    barrier = threading.Barrier(len(cases))
    results: list[str] = []

    def assign(public_id):
        try:
            barrier.wait()
            services.case_assign(actor=_reviewer(city), public_id=public_id, provider_id=target.pk,
                                 reason="并发测试：指定同一承办人员")
            results.append("ok")
        except Conflict:
            results.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(c.public_id,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["full"] * 6 + ["ok"] * 2
    assert Assignment.objects.filter(provider=target, is_active=True, case__status__in=OPEN_STATUSES).count() == 2


def test_unassigned_station_case_is_not_the_providers_business(client, city, providers):
    case = receive(city, actor="clerk_a", applicant_id=city.person_station_a.public_id)
    assert case.status == Status.AT_STATION
    from fayuan.cases.selectors import cases_visible_to

    assert not cases_visible_to(city.user("provider_a")).filter(pk=case.pk).exists()
