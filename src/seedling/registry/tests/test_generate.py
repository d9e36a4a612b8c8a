"""`seedling generate`: province-scale synthetic data written raw, but as the services would write it."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from seedling.fieldwork.models import Visit
from seedling.registry import idnumber, search
from seedling.registry.facts import child_facts
from seedling.registry.models import CategoryAssignment, CategoryProposal, Child, Person, SearchToken
from seedling.registry.rules import evaluate_all
from seedling.registry.synthetic import bulk
from seedling.testing import areas

TODAY = datetime.date(2025, 6, 1)
pytestmark = pytest.mark.django_db


def _generate(children=300, seed=7, **options):
    call_command("generate", children=children, visits_per_child=2, seed=seed, areas=areas.COUNTY,
                 workers=0, today=TODAY, stdout=io.StringIO(), **options)  # fmt: skip


def _generated():
    return Child.objects.filter(created_by__username="seedling-generator")


def test_children_have_valid_ids_matching_birth_date_sex_and_area(users):
    _generate()
    children = list(_generated())
    assert len(children) == 300
    with_id = [c for c in children if c.has_id_number]
    assert len(with_id) > 250  # most children have a number; babies and a few others a reason
    for child in children:
        assert child.area_id.startswith(areas.COUNTY) and len(child.area_id) == 12
        if not child.has_id_number:
            assert child.no_id_reason
            continue
        facts = idnumber.parse(child.reveal_id_number(), today=TODAY)
        assert (facts.birth_date, facts.sex) == (child.birth_date, child.sex)
        assert child.id_number_mask == idnumber.mask(facts.number)
        assert child.id_number_last4 == facts.number[-4:]
    hashes = [c.id_number_hash for c in with_id]
    assert len(set(hashes)) == len(hashes)  # no two generated children share a number
    assert Person.objects.filter(child__in=children).count() > 500  # parents, carers


def test_generated_children_are_found_by_search(users):
    _generate()
    children = list(_generated().order_by("pk")[:40])
    officer = users.county_officer
    for child in children:
        assert child in search.search_children(user=officer, query=child.name)
        assert child in search.search_children(user=officer, query=child.name_pinyin.replace(" ", ""))
        if child.has_id_number:
            assert search.search_children(user=officer, query=child.reveal_id_number()) == [child]
    # The director of another village sees none of them.
    other = [c for c in children if c.area_id != areas.VILLAGE_A][:5]
    for child in other:
        assert child not in search.search_children(user=users.director, query=child.name)


def test_search_keys_are_those_the_index_would_write(users):
    _generate(children=120)
    for child in _generated().order_by("pk")[:60]:
        persons = Person.objects.filter(child=child).values_list("name", "phone")
        stored = set(SearchToken.objects.filter(child=child).values_list("token", flat=True))
        assert stored == search.child_tokens(child, persons)
        assert set(SearchToken.objects.filter(child=child).values_list("area_code", flat=True)) == {
            child.area_id
        }


def test_categories_are_what_the_eligibility_rules_decide(users):
    _generate(children=600)
    held = Count("categoryassignments", distinct=True)
    assert _generated().annotate(n=held).filter(n__gt=0).count() > 30  # left-behind children and others
    for child in _generated().prefetch_related("persons__situations"):
        decisions = evaluate_all(child_facts(child=child, today=TODAY), settings.SEEDLING_RULES)
        eligible = {d.category for d in decisions if d.eligible}
        assigned = set(
            CategoryAssignment.objects.filter(child=child, ended_on__isnull=True).values_list(
                "category", flat=True
            )
        )
        pending = set(
            CategoryProposal.objects.filter(child=child, status="pending").values_list("category", flat=True)
        )
        assert assigned | pending == eligible, child.pk
        assert not assigned & pending


def test_children_the_rules_are_skipped_for_hold_no_category():
    """may_hold_category only skips generated facts that no rule can turn into a category."""
    from seedling.registry.synthetic import Village

    village = Village("330723101201", "寺后村委会", "330723101", "履坦镇", "330723", "武义县")
    batch = bulk.plan_batches(
        {village: 3000}, seed=3, today=TODAY, batch_size=5000, child_base=1, person_base=1
    )[0]
    skipped = [s for s in bulk.batch_specs(batch) if not bulk.may_hold_category(s)]
    assert len(skipped) > 1500
    for spec in skipped:
        decisions = evaluate_all(bulk.spec_facts(spec, TODAY), settings.SEEDLING_RULES)
        assert not any(d.eligible for d in decisions), spec.scenario


def test_visits_are_spread_over_past_years_by_the_village_director(users):
    _generate(children=100)
    visits = Visit.objects.filter(child__in=_generated()).select_related("child", "visitor")
    assert visits.count() == 200
    for visit in visits:
        assert visit.child.birth_date <= visit.visited_on <= TODAY
        assert visit.visited_on >= TODAY - datetime.timedelta(days=3 * 366)
        assert visit.area_code == visit.child.area_id
        assert visit.visitor.username == f"d{visit.child.area_id}"


def _signature():
    return sorted(
        _generated().values_list("name", "birth_date", "sex", "area_id", "id_number_hash", "hukou_type")
    )


def test_same_seed_gives_the_same_children(users):
    _generate(children=150, seed=11)
    first = _signature()
    _generated().delete()
    _generate(children=150, seed=11)
    assert _signature() == first
    _generated().delete()
    _generate(children=150, seed=12)
    assert _signature() != first


def test_second_run_is_refused_without_append(users):
    _generate(children=50)
    with pytest.raises(CommandError, match="--append"):
        _generate(children=50)
    assert _generated().count() == 50
    _generate(children=50, append=True)
    assert _generated().count() == 100
    hashes = list(_generated().exclude(id_number_hash="").values_list("id_number_hash", flat=True))
    assert len(set(hashes)) == len(hashes)  # the appended run does not repeat the first one


def test_areas_without_loaded_villages_are_refused(users):
    with pytest.raises(CommandError, match="divisions_import"):
        call_command("generate", children=10, areas="65", workers=0)
