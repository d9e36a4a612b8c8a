"""The commit: every row saved as the registration form saves it, in one transaction, or nothing."""

import datetime

import pytest

from seedling.core.models import AccessLog
from seedling.exchange import importer
from seedling.exchange.importer import roster_check, roster_import
from seedling.registry import categories, search
from seedling.registry.models import CategoryProposal, Child, Person, PersonSituation, SearchToken
from seedling.registry.services import id_hash
from seedling.testing import areas
from seedling.testing.factories import child_create

from .rosters import child_id, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

LEFT_BEHIND = {
    "姓名": "刘小雨",
    "父亲姓名": "刘大伟",
    "父亲状况": "外出务工",
    "父亲状况起始日期": "2020-03",
    "母亲姓名": "陈丽",
    "母亲状况": "外出务工",
    "母亲状况起始日期": "2021-05-01",
    "委托照护人姓名": "刘爷爷",
    "与儿童关系": "爷爷",
    "委托照护人电话": "+86 138 0013 8000",
}


def test_a_roster_imports_like_the_registration_form(users, roster):
    rows = [
        good_row(0, **LEFT_BEHIND),
        good_row(1),
        good_row(2, 身份证号="", 无身份证号原因="尚未办理", 性别="女", 出生日期="2016-7-1"),
    ]
    result = roster_import(
        user=users.director, path=roster(xlsx_bytes(rows), "r.xlsx"), source={"ip": "10.1.2.3", "path": "/x/"}
    )
    assert result.committed and result.imported == 3, result.problems
    child = Child.objects.get(name="刘小雨")
    number = rows[0]["身份证号"]

    # the identity number: encrypted, found by its blind index, masked for display
    assert number not in child.id_number_cipher and child.reveal_id_number() == number
    assert (
        child.id_number_hash == id_hash(number)
        and child.id_number_mask == number[:3] + "*" * 11 + number[-4:]
    )
    assert child.birth_date.isoformat() == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert child.name_pinyin == "liu xiao yu"
    # the village's director and the township's supervisor, as registry.services._auto_responsible
    assert child.director == users.director and child.supervisor == users.supervisor
    assert child.created_by == users.director and child.area_id == areas.VILLAGE_A

    # family: parents as guardians with their situations, the carer
    persons = {p.relation: p for p in Person.objects.filter(child=child)}
    assert set(persons) == {"father", "mother", "paternal_grandfather"}
    assert (
        persons["paternal_grandfather"].is_delegated_carer
        and persons["paternal_grandfather"].phone == "13800138000"
    )
    assert persons["father"].is_guardian
    away = PersonSituation.objects.get(person=persons["father"])
    assert (
        away.kind == "working_away" and away.started_on == datetime.date(2020, 3, 1) and away.outside_county
    )

    # the search keys are exactly those registry.search.index_child writes
    family = Person.objects.filter(child=child).values_list("name", "phone")
    stored = set(SearchToken.objects.filter(child=child).values_list("token", flat=True))
    assert stored == search.child_tokens(child, family) and SearchToken.objects.filter(
        child=child, area_code=areas.VILLAGE_A
    ).count() == len(stored)

    # searchable by name, pinyin initials and a carer's phone
    for query in ("刘小雨", "lxy", "13800138000"):
        assert child in search.search_children(user=users.director, query=query)

    # the category proposal the rules make, exactly what proposals_refresh would have made
    proposal = CategoryProposal.objects.get(child=child)
    assert (proposal.category, proposal.kind, proposal.status) == ("left_behind_both", "assign", "pending")
    assert categories.proposals_refresh(child=child) == [proposal]
    assert CategoryProposal.objects.filter(child=child).count() == 1
    proposal.refresh_from_db()
    assert proposal.status == "pending"

    # history of each record, by the importing user
    record = child.history.get()
    assert record.history_type == "+" and record.history_user == users.director
    assert persons["father"].history.count() == 1 and away.history.count() == 1

    # the access log: a "create" row for the child, each person and each situation
    log = AccessLog.objects.filter(child_id=child.pk, action="create")
    assert sorted(log.values_list("object_type", flat=True)) == sorted(
        [
            "registry.child",
            "registry.person",
            "registry.person",
            "registry.person",
            "registry.personsituation",
            "registry.personsituation",
        ]
    )
    assert {(r.username, r.ip, r.area_code) for r in log} == {("director", "10.1.2.3", areas.VILLAGE_A)}


def test_nothing_is_saved_when_the_register_changed_after_the_dry_run(users, roster, monkeypatch):
    """A child registered between the dry run and the commit: the commit fails midway, nothing stays."""
    monkeypatch.setattr(importer, "BATCH", 3)  # several batches, so the failing row comes after writes
    rows = [good_row(n) for n in range(8)]
    path = roster(csv_bytes(rows))
    assert roster_check(user=users.director, path=path).ok
    birth = datetime.date.fromisoformat(
        f"{rows[6]['身份证号'][6:10]}-{rows[6]['身份证号'][10:12]}-{rows[6]['身份证号'][12:14]}"
    )
    child_create(
        users.director_b,
        name="赵先登",
        id_number=rows[6]["身份证号"],
        birth_date=birth,
        area_code=areas.VILLAGE_B,
    )
    before = (
        Child.objects.count(),
        Person.objects.count(),
        AccessLog.objects.count(),
        CategoryProposal.objects.count(),
    )

    result = roster_import(user=users.director, path=path)

    assert not result.committed and result.imported == 0
    assert result.problems[0]["row"] == 8 and "已有儿童档案使用此身份证号" in result.problems[0]["message"]
    assert result.message == "有 1 行存在错误，未导入任何儿童：请修改文件后重新上传。"
    after = (
        Child.objects.count(),
        Person.objects.count(),
        AccessLog.objects.count(),
        CategoryProposal.objects.count(),
    )
    assert after == before
    assert not Child.objects.filter(name=rows[0]["姓名"], area_id=areas.VILLAGE_A).exists()


def test_possible_duplicates_need_a_reason_which_is_logged(users, roster):
    child_create(users.director, name="李小红", sex="F", birth_date=datetime.date(2016, 4, 1))
    rows = [
        good_row(0, 姓名="李小红", 身份证号="", 无身份证号原因="尚未办理", 性别="女", 出生日期="2016-04-03")
    ]
    path = roster(csv_bytes(rows))

    refused = roster_import(user=users.director, path=path)
    assert not refused.committed and "请逐一核对" in refused.message
    assert Child.objects.filter(name="李小红").count() == 1

    done = roster_import(user=users.director, path=path, reason="核对过户口簿，是同名的另一个孩子")
    assert done.committed and done.imported == 1
    new = Child.objects.filter(name="李小红").latest("pk")
    assert new.duplicate_override_reason == "核对过户口簿，是同名的另一个孩子"
    override = AccessLog.objects.get(child_id=new.pk, action="duplicate_override")
    assert override.reason == "核对过户口簿，是同名的另一个孩子"


def test_rows_in_another_area_are_refused(users, roster):
    rows = [good_row(0), good_row(1, **{"现居村（居）区划代码": areas.VILLAGE_B})]
    result = roster_import(user=users.director, path=roster(csv_bytes(rows)))
    assert not result.committed
    assert [(p["row"], p["message"]) for p in result.problems] == [(3, "您没有权限在该区域进行此操作。")]
    assert not Child.objects.exists()
    # the township supervisor covers both villages
    assert roster_import(user=users.supervisor, path=roster(csv_bytes(rows))).imported == 2


def test_a_user_without_the_right_to_register_imports_nothing(users, roster):
    result = roster_import(user=users.social_worker, path=roster(csv_bytes([good_row(0)])))
    assert not result.committed
    assert result.problems[0]["message"] == "您没有权限在该区域进行此操作。"


def test_an_imported_id_blocks_a_second_import(users, roster):
    path = roster(csv_bytes([good_row(0)]))
    assert roster_import(user=users.director, path=path).committed
    again = roster_import(user=users.director, path=path)
    assert (
        not again.committed and again.problems[0]["message"] == "已有儿童档案使用此身份证号，不能重复登记。"
    )


def test_birth_date_comes_from_the_id_when_given_both(users, roster):
    number = child_id(datetime.date(2015, 3, 9), 21)
    rows = [good_row(0, 身份证号=number, 出生日期="2015/3/9", 性别="男")]
    assert roster_import(user=users.director, path=roster(csv_bytes(rows))).committed
    assert Child.objects.get().birth_date == datetime.date(2015, 3, 9)
