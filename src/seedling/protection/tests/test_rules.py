"""The rules of mandatory reports as tables: status, who records the police's receipt, routing, overdue."""

import datetime

import pytest

from seedling.protection import rules
from seedling.protection.choices import Status

T0 = datetime.datetime(2025, 1, 1, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "police, civil, closed, status",
    [
        (False, False, False, Status.REPORTED),
        (True, False, False, Status.POLICE_ACKNOWLEDGED),
        (False, True, False, Status.CIVIL_AFFAIRS_ACKNOWLEDGED),
        (True, True, False, Status.ACKNOWLEDGED),
        (True, True, True, Status.CLOSED),
    ],
)
def test_status(police, civil, closed, status):
    assert rules.status_of(police=police, civil_affairs=civil, closed=closed) == status


@pytest.mark.parametrize(
    "roles, routed, how",
    [
        (set(), True, "contact"),
        ({"county_officer"}, True, "contact"),
        ({"county_officer"}, False, "on_behalf"),
        ({"city_officer"}, False, None),
        ({"township_supervisor"}, False, None),
        (set(), False, None),
    ],
)
def test_who_records_the_police_receipt(roles, routed, how):
    assert rules.police_acknowledger(frozenset(roles), is_routed_police_contact=routed) == how


@pytest.mark.parametrize(
    "prefixes, code, best",
    [
        (["33", "330723", "330723101"], "330723101201", "330723101"),
        (["33", "330723"], "330723101201", "330723"),
        (["331081"], "330723101201", None),
        ([], "330723101201", None),
    ],
)
def test_most_specific_contact(prefixes, code, best):
    assert rules.most_specific(prefixes, code) == best


@pytest.mark.parametrize(
    "hours, police, civil, closed, overdue",
    [
        (23.99, False, False, False, False),
        (24, False, False, False, True),
        (30, True, False, False, True),
        (30, True, True, False, False),
        (30, False, False, True, False),
    ],
)
def test_overdue(hours, police, civil, closed, overdue):
    now = T0 + datetime.timedelta(hours=hours)
    due = T0 + datetime.timedelta(hours=24)
    assert (
        rules.is_overdue(now=now, ack_due_at=due, police=police, civil_affairs=civil, closed=closed)
        is overdue
    )


def test_roles_over_the_childs_village():
    memberships = [
        ("county_officer", "330723"),
        ("village_director", "330723101203"),
        ("national_officer", ""),
    ]
    assert rules.roles_over(memberships, "330723101201") == {"county_officer", "national_officer"}
