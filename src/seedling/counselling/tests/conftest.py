"""Fixtures of the counselling tests: a pool with a supervisor, two counsellors and a child."""

import datetime

import pytest

from seedling.testing import areas
from seedling.testing.factories import child_create

from .helpers import make_counsellor, new_user


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about counselling; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def head(users):
    """The supervising counsellor (督导) of the township's counsellors."""
    return new_user("head_counsellor", "school_counsellor", areas.COUNTY)


@pytest.fixture
def pool(users, head):
    """`counsellor` (scenario user, township, supervised by head) and `other` (another counsellor)."""
    mine = make_counsellor(users.counsellor, areas=[areas.TOWNSHIP], supervisor=head)
    other_user = new_user("other_counsellor", "school_counsellor", areas.TOWNSHIP)
    other = make_counsellor(other_user, areas=[areas.COUNTY])
    return mine, other


@pytest.fixture
def child(users):
    return child_create(users.director, name="刘小雨", sex="F", birth_date=datetime.date(2012, 5, 9))
