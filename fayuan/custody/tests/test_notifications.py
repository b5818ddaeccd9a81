"""Rights notifications (plan point 1): the police record that a suspect was told of the right to apply."""

from __future__ import annotations

import pytest

from fayuan.core.crypto import decrypt_text
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.custody import selectors, services
from fayuan.custody.models import RightsNotification

from .helpers import local, police

NOW = local(2026, 12, 2, 10, 0)


def notify(actor, name="孙八", number="京公(刑)字[2026]100号", occasion="first_interrogation", method="written",
           **fields):
    return services.rights_notification_record(actor=actor, now=NOW, data=services.NotificationInput(
        suspect_name=name, organ_case_number=number, occasion=occasion, method=method,
        notified_at=fields.pop("notified_at", NOW), **fields))


def test_a_police_liaison_records_a_notification_with_the_number_normalised(city):
    from fayuan.conftest import valid_id

    liaison = police(city)
    n = notify(liaison, number="京公（刑）字〔2026〕 100号", id_number=valid_id(21), applied=True)
    assert n.organ == liaison.organ and n.organ_case_number == "京公(刑)字(2026)100号"
    assert n.id_number_masked.startswith("3211") and "*" in n.id_number_masked
    assert decrypt_text(n.id_number_encrypted) == valid_id(21) and valid_id(21) not in n.id_number_hash
    assert notify(liaison, name="周九").id_number_encrypted == ""  # no ID number needed


def test_only_a_police_liaison_records(city):
    with pytest.raises(PermissionDenied):
        notify(city.user("organ_a"))  # a court's liaison
    with pytest.raises(PermissionDenied):
        notify(city.user("reviewer_a"))


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": " "}, "suspect_name"), ({"number": " "}, "organ_case_number"), ({"occasion": "later"}, "occasion"),
    ({"method": "email"}, "method"), ({"id_number": "123"}, "id_number"),
    ({"notified_at": local(2026, 12, 3, 10, 0)}, "notified_at"),
])
def test_bad_input_changes_nothing(city, fields, field):
    liaison = police(city)
    with pytest.raises(ValidationFailed) as exc:
        notify(liaison, **fields)
    assert exc.value.field == field and not RightsNotification.objects.exists()


def test_an_organ_sees_only_its_own(city):
    a, b = police(city, "a"), police(city, "b")
    mine = notify(a)
    assert list(selectors.notifications_visible_to(a)) == [mine]
    assert not selectors.notifications_visible_to(b).exists()
    assert not selectors.notifications_visible_to(city.user("organ_a")).exists()
    assert not selectors.notifications_visible_to(city.user("reviewer_a")).exists()
    assert list(selectors.notifications_visible_to(city.user("bureau"))) == [mine]


def test_coverage_per_police_organ_counted_by_hand(city):
    """Organ A: case 1 has 孙八 (written, first interrogation; told again orally at the compulsory measure) and 周九
    (oral, unsigned, applied); case 2 has 吴十 (oral signed, first compulsory measure). So 4 notifications, 2 cases,
    3 suspects, 2 evidenced (孙八, 吴十), 2 told at the first interrogation (孙八, 周九), 1 applied: 66.7%.
    Organ B: nothing entered, listed with "—"."""
    a, _ = police(city, "a"), police(city, "b")
    notify(a, name="孙八", number="A-1")
    notify(a, name="孙八", number="A-1", occasion="first_compulsory_measure", method="oral")
    notify(a, name="周九", number="A-1", method="oral", applied=True)
    notify(a, name="吴十", number="A-2", occasion="first_compulsory_measure", method="oral_signed")
    rows = {r.organ.name: r for r in selectors.notification_coverage(city.user("bureau"))}
    ra, rb = rows["京口区公安分局"], rows["丹阳市公安分局"]
    assert (ra.notifications, ra.cases, ra.suspects, ra.evidenced, ra.at_interrogation, ra.applied) == (
        4, 2, 3, 2, 2, 1)
    assert ra.coverage == "66.7%"
    assert (rb.notifications, rb.suspects, rb.coverage) == (0, 0, "—")
    assert [r.organ for r in selectors.notification_coverage(a)] == [a.organ]
    assert selectors.notification_coverage(city.user("reviewer_a")) == []
