"""Shared helpers of the field-work tests: children with categories, visits, an isolated media root."""

import datetime

import pytest

from seedling.core import clock
from seedling.fieldwork import services
from seedling.registry import categories
from seedling.registry import services as registry
from seedling.testing.factories import child_create


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about field work; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def assign(user, child, category: str, started_on=None):
    """A reviewer assigns a category by hand (the registry's manual path)."""
    return categories.category_assign(
        user=user, child=child, category=category, reason="测试认定", started_on=started_on
    )


def left_behind_confirmed(user, *, name="张小明", area_code=None):
    """A child whose parents both work away (more than six months): the director confirms the
    left-behind proposal through the review queue, as on the child's file."""
    extra = {"area_code": area_code} if area_code else {}
    child = child_create(user, name=name, **extra)
    since = clock.today() - days(300)
    for relation, parent in (("father", "张大山"), ("mother", "李春花")):
        person = registry.person_create(user=user, child=child, fields={"relation": relation, "name": parent})
        registry.situation_add(
            user=user,
            person=person,
            fields={"kind": "working_away", "started_on": since, "place": "杭州市", "outside_county": True},
        )
    proposal = child.categoryproposals.get(category="left_behind_both", status="pending")
    categories.proposal_confirm(user=user, proposal=proposal)
    return child


def visit(user, child, **fields):
    values = {"visited_on": clock.today(), "method": "home", "present": ["child", "carer"]}
    values.update(fields)
    return services.visit_record(user=user, child=child, fields=values)
