"""`seedling demo_data`: the demo a new user signs in to (a small run of the same command)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from seedling.accounts.demo import DEMO_PASSWORD, DEMO_USERS, VILLAGE_A
from seedling.accounts.models import Membership, User
from seedling.registry import idnumber
from seedling.registry.models import CategoryAssignment, CategoryProposal, Child, Person, SearchToken

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
DEMO_COUNTIES = ("330723", "331081", "110112")  # 武义县, 温岭市, 通州区


@pytest.fixture
def loaded():
    out = io.StringIO()
    call_command("demo_data", children=120, seed=4, today=TODAY, stdout=out)
    return out.getvalue()


def test_children_are_registered_only_in_the_demo_counties(loaded):
    areas = list(Child.objects.values_list("area_id", flat=True))
    assert len(areas) == 120
    assert all(code.startswith(DEMO_COUNTIES) for code in areas)
    assert {code[:6] for code in areas} == set(DEMO_COUNTIES)
    assert Child.objects.filter(area_id=VILLAGE_A).exists()


def test_every_child_has_a_responsible_director_and_supervisor_of_its_area(loaded):
    for child in Child.objects.select_related("director", "supervisor"):
        assert Membership.objects.filter(
            user=child.director, role="village_director", area_id=child.area_id
        ).exists()
        assert Membership.objects.filter(
            user=child.supervisor, role="township_supervisor", area_id=child.area_id[:9]
        ).exists()
    assert {c.director.username for c in Child.objects.filter(area_id=VILLAGE_A)} == {"director"}


def test_identity_numbers_are_encrypted_and_match_the_child(loaded):
    child = Child.objects.exclude(id_number_cipher="").first()
    number = child.reveal_id_number()
    assert number not in child.id_number_cipher and child.id_number_mask == idnumber.mask(number)
    facts = idnumber.parse(number, today=TODAY)
    assert (facts.birth_date, facts.sex) == (child.birth_date, child.sex)
    assert (
        Child.objects.filter(id_number_cipher="").exclude(no_id_reason="").count()
        == Child.objects.filter(id_number_cipher="").count()
    )


def test_categories_come_from_the_rules_and_left_behind_children_have_a_delegated_carer(loaded):
    assignments = CategoryAssignment.objects.all()
    assert assignments.exists()
    assert all(a.proposal_id and a.rule_code and a.reasons for a in assignments)
    left_behind = Child.objects.filter(categoryassignments__category__startswith="left_behind").distinct()
    left_behind |= Child.objects.filter(categoryproposals__category__startswith="left_behind").distinct()
    assert left_behind.exists()
    for child in left_behind:
        carer = Person.objects.get(child=child, is_delegated_carer=True)
        assert carer.name and carer.relation and carer.capacity
        assert carer.has_id_number or carer.phone


def test_the_review_queue_of_the_demo_village_has_work(loaded):
    assert CategoryProposal.objects.filter(child__area_id=VILLAGE_A, status="pending").exists()


def test_children_can_be_found_by_search_keys(loaded):
    assert SearchToken.objects.count() > 10 * Child.objects.count()


def test_demo_users_sign_in_with_the_published_password_and_the_table_lists_them(loaded):
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert spec.username in loaded
    assert User.objects.get(username="admin").is_staff
    assert not User.objects.get(username="director").is_staff


def test_running_it_again_changes_nothing(loaded):
    before = (Child.objects.count(), Person.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("demo_data", children=120, seed=4, today=TODAY, stdout=out)
    assert (Child.objects.count(), Person.objects.count(), User.objects.count()) == before
    assert "already loaded" in out.getvalue()


def test_a_tiny_run_makes_exactly_the_children_asked_for():
    call_command("demo_data", children=5, seed=1, today=TODAY, stdout=io.StringIO())
    assert Child.objects.count() == 5


def test_it_refuses_to_run_in_production_where_a_published_password_would_be_a_hole(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_data", children=5, stdout=io.StringIO())
    assert not User.objects.filter(username="director").exists()
