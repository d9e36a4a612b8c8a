"""Fixtures of the case tests: a child, its case, organizations and the users who act for them."""

import datetime

import pytest

from seedling.testing.factories import child_create

from .helpers import make_org, open_case


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about case work; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def child(users):
    return child_create(users.director, name="王小花", sex="F", birth_date=datetime.date(2014, 3, 2))


@pytest.fixture
def case(users, child):
    return open_case(users.social_worker, child)


@pytest.fixture
def org_user(db):
    """A user who acts for an organization only: no role, no area membership."""
    from seedling.accounts.models import User

    return User.objects.create_user(username="hospital_staff", password="x", full_name="医院社工")  # noqa: S106


@pytest.fixture
def other_org_user(db):
    from seedling.accounts.models import User

    return User.objects.create_user(username="ngo_staff", password="x", full_name="社会组织社工")  # noqa: S106


@pytest.fixture
def hospital(users, org_user):
    return make_org(users.county_officer, members=[org_user])


@pytest.fixture
def ngo(users, other_org_user):
    return make_org(
        users.county_officer, name="阳光社工站", services_=("social_work",), members=[other_org_user]
    )
