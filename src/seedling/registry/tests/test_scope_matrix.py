"""Each role sees exactly its area and nothing else (the area-scope matrix)."""

import pytest

from seedling.core.scope import restrict
from seedling.registry.models import Child
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

PLACES = {
    "a": areas.VILLAGE_A,
    "b": areas.VILLAGE_B,
    "other_township": areas.OTHER_TOWNSHIP_VILLAGE,
    "other_county": areas.OTHER_COUNTY_VILLAGE,
}

# role -> the places whose children it may view
EXPECTED_VIEW = {
    "director": {"a"},
    "director_b": {"b"},
    "director_other_county": {"other_county"},
    "supervisor": {"a", "b"},
    "county_officer": {"a", "b", "other_township"},
    "city_officer": {"a", "b", "other_township"},
    "province_officer": {"a", "b", "other_township", "other_county"},
    "national_officer": {"a", "b", "other_township", "other_county"},
    "institution_worker": {"a", "b", "other_township"},
    "social_worker": {"a", "b"},
    "counsellor": {"a", "b"},
    "researcher": set(),
    "admin": set(),
}


@pytest.fixture
def children(users):
    registrar = {
        "a": users.director,
        "b": users.director_b,
        "other_township": users.county_officer,
        "other_county": users.director_other_county,
    }
    return {
        place: child_create(registrar[place], name="测试" + "甲乙丙丁"[i], area_code=code)
        for i, (place, code) in enumerate(PLACES.items())
    }


@pytest.mark.parametrize("role", sorted(EXPECTED_VIEW))
def test_each_role_views_exactly_its_area(users, children, role):
    user = getattr(users, role)
    seen = set(restrict(Child.objects.all(), user, "view").values_list("pk", flat=True))
    expected = {children[p].pk for p in EXPECTED_VIEW[role]}
    assert seen == expected


def test_inactive_membership_sees_nothing(users, children):
    users.supervisor.memberships.update(is_active=False)
    users.supervisor._memberships_cache = None
    assert not restrict(Child.objects.all(), users.supervisor, "view").exists()


def test_anonymous_sees_nothing(children):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Child.objects.all(), AnonymousUser(), "view").exists()


@pytest.mark.parametrize(
    "role,action,allowed",
    [
        ("director", "change", {"a"}),
        ("city_officer", "change", set()),
        ("social_worker", "change", set()),
        ("institution_worker", "change", {"a", "b", "other_township"}),
        ("county_officer", "reveal", {"a", "b", "other_township"}),
        ("national_officer", "reveal", set()),
        ("supervisor", "review", {"a", "b"}),
    ],
)
def test_actions_follow_the_role(users, children, role, action, allowed):
    user = getattr(users, role)
    seen = set(restrict(Child.objects.all(), user, action).values_list("pk", flat=True))
    assert seen == {children[p].pk for p in allowed}
