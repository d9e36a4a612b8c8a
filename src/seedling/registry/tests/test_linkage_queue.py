"""The duplicate queue: fed on entry and by the batch job, scoped to both files, decisions remembered."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from seedling.core.models import AccessLog
from seedling.registry import idnumber, services
from seedling.registry.linkage import selectors
from seedling.registry.linkage import services as linkage
from seedling.registry.linkage.tasks import find_duplicates_task
from seedling.registry.models import DuplicateCandidate
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 3, 5)


def register(
    user, name, *, area=areas.VILLAGE_A, id_number=None, birth=BIRTH, sex="M", parents=("张伟", "李芳")
):
    child = child_create(user, name=name, area_code=area, id_number=id_number, birth_date=birth, sex=sex)
    for relation, person in zip(("father", "mother"), parents, strict=False):
        services.person_create(user=user, child=child, fields={"relation": relation, "name": person})
    return child


def pending():
    return DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.PENDING)


def test_a_homophone_entered_again_without_id_is_queued_with_its_reasons(users):
    first = register(users.director, "张子涵", sex="F", id_number=idnumber.make(areas.COUNTY, BIRTH, 32))
    second = register(users.director, "张梓涵", sex="F")
    assert linkage.candidates_record_for(second) == 1
    pair = pending().get()
    assert (pair.child, pair.other, pair.source) == (first, second, "entry")
    assert pair.score >= linkage.threshold()
    levels = {feature: level for feature, level, _w in pair.parts}
    assert levels["given"] == "homophone" and levels["id"] == "missing"
    assert linkage.candidates_record_for(second) == 0  # found again: not queued twice
    assert pending().count() == 1


def test_twins_are_not_queued(users):
    register(users.director, "张浩然", id_number=idnumber.make(areas.COUNTY, BIRTH, 31))
    twin = register(users.director, "张浩宇", id_number=idnumber.make(areas.COUNTY, BIRTH, 33))
    assert linkage.candidates_record_for(twin) == 0
    twin_without_id = register(users.director, "张浩轩")
    assert linkage.candidates_record_for(twin_without_id) == 0
    assert not pending().exists()


def test_a_file_moved_to_another_village_is_found_by_the_batch_job(users):
    register(users.director, "李沐宸", id_number=idnumber.make(areas.COUNTY, BIRTH, 51))
    register(users.supervisor, "李沐辰", area=areas.VILLAGE_B, parents=("张伟",))  # 宸/辰, one parent
    register(users.director, "王一诺", birth=datetime.date(2012, 1, 2), parents=("王强", "赵丽"))
    out = io.StringIO()
    call_command("find_duplicates", area=areas.COUNTY, stdout=out)
    assert "1 newly queued" in out.getvalue()
    pair = pending().get()
    assert {pair.child.name, pair.other.name} == {"李沐宸", "李沐辰"}
    assert pair.source == "batch"


def test_batch_command_refuses_an_unknown_area(users):
    with pytest.raises(CommandError):
        call_command("find_duplicates", area="999999", stdout=io.StringIO())


def test_batch_task_returns_its_report(users):
    register(users.director, "陈欣怡", sex="F", id_number=idnumber.make(areas.COUNTY, BIRTH, 60))
    register(users.director, "陳欣怡", sex="F")  # traditional characters
    report = find_duplicates_task.call(area=areas.COUNTY)
    assert report["records"] == 2 and report["queued"] == 1


def _queue(user):
    return {(c.child.name, c.other.name) for c in selectors.duplicate_queue(user=user)}


def test_a_pair_is_visible_only_to_users_who_may_view_both_files(users):
    inside = register(users.director, "周梓睿")
    linkage.candidates_record_for(register(users.director, "周子睿"))  # both in village A
    across = register(users.supervisor, "周梓瑞", area=areas.VILLAGE_B, birth=datetime.date(2015, 5, 3))
    linkage.candidates_record_for(across)  # village A ↔ village B
    assert pending().count() >= 2
    assert all(areas.VILLAGE_A in (c.child.area_id, c.other.area_id) for c in pending())
    director = _queue(users.director)
    assert director == {("周梓睿", "周子睿")}  # the pair reaching into village B stays hidden
    assert _queue(users.director_b) == set()
    assert ("周梓睿", "周梓瑞") in _queue(users.supervisor) or ("周子睿", "周梓瑞") in _queue(
        users.supervisor
    )
    assert _queue(users.director_other_county) == set()
    assert inside.pk in {c.child_id for c in selectors.duplicate_queue(user=users.county_officer)}


def test_not_a_duplicate_is_remembered_and_logged_on_both_files(users):
    first = register(users.director, "吴欣妍", sex="F", id_number=idnumber.make(areas.COUNTY, BIRTH, 70))
    second = register(users.director, "吴心妍", sex="F")
    linkage.candidates_record_for(second)
    pair = pending().get()
    linkage.candidate_not_duplicate(user=users.director, candidate=pair, note="同名的另一名儿童")
    pair.refresh_from_db()
    assert pair.status == "not_duplicate" and pair.decided_by == users.director
    assert linkage.candidates_record_for(second) == 0
    call_command("find_duplicates", area=areas.COUNTY, stdout=io.StringIO())
    assert not pending().exists()
    assert _queue(users.director) == set()
    logged = AccessLog.objects.filter(action="decide", detail__duplicate__decision="not_duplicate")
    assert set(logged.values_list("child_id", flat=True)) == {first.pk, second.pk}


def test_deciding_needs_the_review_right_on_both_files(users):
    from django.core.exceptions import PermissionDenied

    register(users.director, "郑雨桐", sex="F")
    linkage.candidates_record_for(register(users.director_b, "郑语桐", sex="F", area=areas.VILLAGE_B))
    pair = pending().get()
    with pytest.raises(PermissionDenied):
        linkage.candidate_not_duplicate(user=users.director, candidate=pair)
    linkage.candidate_not_duplicate(user=users.supervisor, candidate=pair)
