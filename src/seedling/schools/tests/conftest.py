"""Fixtures of the school tests: a pilot primary school in the township with a class of this year."""

import datetime

import pytest

from seedling.core import clock
from seedling.geo.models import Division
from seedling.schools import rules, services
from seedling.testing import areas


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about schools; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


def make_school(
    user, name="履坦镇中心小学", code="3307230001", kind="primary", area=areas.TOWNSHIP, pilot=True
):
    return services.school_save(
        user=user,
        fields={
            "name": name,
            "code": code,
            "kind": kind,
            "area": Division.objects.get(code=area),
            "pilot": pilot,
        },
    )


@pytest.fixture
def school(users):
    return make_school(users.county_officer)


@pytest.fixture
def school_class(users, school):
    return services.class_save(
        user=users.county_officer,
        school=school,
        fields={"school_year": rules.school_year_of(clock.today()), "grade": 5, "name": "五年级1班"},
    )


@pytest.fixture
def birth():
    """A birth date of a ten-year-old today."""
    today = clock.today()
    return datetime.date(today.year - 10, 3, 15)
