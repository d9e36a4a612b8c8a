"""The demo contacts: the demo village's reports reach the township station's police account."""

import io

import pytest
from django.core.management import call_command

from seedling.accounts.models import User
from seedling.core import clock
from seedling.protection import selectors, services
from seedling.protection.models import ReportContact

pytestmark = pytest.mark.django_db


def test_demo_contacts_are_created_once_with_a_police_account(users, child):
    call_command("report_contacts_demo", stdout=io.StringIO())
    call_command("report_contacts_demo", stdout=io.StringIO())
    police = User.objects.get(username="police")
    assert not police.memberships.exists()
    assert ReportContact.objects.filter(name="武义县公安局履坦派出所", users=police).count() == 1
    report = services.report_create(
        user=users.director,
        child=child,
        situation="left_behind_alone",
        detected_at=clock.now(),
        description="x",
    )
    assert {r.name for r in report.routings.all()} == {"武义县公安局履坦派出所", "武义县民政局儿童福利科"}
    assert list(selectors.report_list(user=police)) == [report]
