import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.accounts.models import User
from seedling.core import clock as system_clock
from seedling.protection import services
from seedling.protection.choices import ContactKind, Situation
from seedling.protection.models import ReportContact
from seedling.testing import areas
from seedling.testing.factories import child_create
from seedling.testing.scenario import PASSWORD


def _account(username: str, full_name: str) -> User:
    # A police account holds no membership: being linked to a contact is its only permission.
    return User.objects.create_user(username=username, password=PASSWORD, full_name=full_name)


@pytest.fixture
def police(db):
    """Accounts of three police stations: the child's township, its county, another county."""
    return {
        "township": _account("police_lutan", "履坦派出所民警"),
        "county": _account("police_wuyi", "武义县公安局民警"),
        "other": _account("police_wenling", "温岭市公安局民警"),
    }


@pytest.fixture
def contacts(police):
    """Contacts at several levels; a report from village A goes to the township station and the county."""

    def make(prefix, kind, name, *linked):
        contact = ReportContact.objects.create(
            area_prefix=prefix, kind=kind, name=name, phone="0579-0000 0000"
        )
        contact.users.add(*linked)
        return contact

    return {
        "province_police": make(areas.PROVINCE, ContactKind.POLICE, "浙江省公安厅"),
        "county_police": make(areas.COUNTY, ContactKind.POLICE, "武义县公安局", police["county"]),
        "township_police": make(
            areas.TOWNSHIP, ContactKind.POLICE, "武义县公安局履坦派出所", police["township"]
        ),
        "county_civil": make(areas.COUNTY, ContactKind.CIVIL_AFFAIRS, "武义县民政局儿童福利科"),
        "other_police": make(areas.OTHER_COUNTY, ContactKind.POLICE, "温岭市公安局", police["other"]),
    }


@pytest.fixture
def child(users):
    return child_create(
        users.director, name="王小花", sex="F", birth_date=datetime.date(2014, 3, 2), lives_alone=True
    )


@pytest.fixture
def file_report(users, child, contacts):
    """File a report through the service (the director by default)."""

    def make(user=None, situation=Situation.LEFT_BEHIND_ALONE, target=None, **extra):
        fields = {
            "detected_at": system_clock.now() - datetime.timedelta(hours=2),
            "description": "孩子独自在家，父母均在外务工，照护人已住院。",
        }
        fields.update(extra)
        return services.report_create(
            user=user or users.director, child=target or child, situation=situation, **fields
        )

    return make


@pytest.fixture
def no_mfa(settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
