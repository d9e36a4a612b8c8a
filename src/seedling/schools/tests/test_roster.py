"""Rosters: add, edit and deactivate students; import from CSV and Excel (dry run, then atomic commit)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from seedling.registry import idnumber
from seedling.registry.services import id_hash
from seedling.schools import services
from seedling.schools.models import Student
from seedling.testing import areas

pytestmark = pytest.mark.django_db


def _csv(lines, encoding="utf-8"):
    return "\n".join(lines).encode(encoding)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_student_with_id_number_keeps_index_and_mask_only(users, school_class, birth):
    number = idnumber.make(areas.COUNTY, birth, 12)
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "何雨桐", "id_number": number}
    )
    assert student.birth_date == birth and student.sex == "F"  # from the ID
    assert student.id_number_hash == id_hash(number) and student.id_number_mask == idnumber.mask(number)
    assert number not in str(Student.objects.filter(pk=student.pk).values().get())


def test_student_id_disagreeing_with_birth_date_refused(users, school_class, birth):
    number = idnumber.make(areas.COUNTY, birth, 12)
    with pytest.raises(ValidationError) as exc:
        services.student_save(
            user=users.counsellor,
            school_class=school_class,
            fields={"name": "何雨桐", "id_number": number, "birth_date": birth - datetime.timedelta(days=1)},
        )
    assert "birth_date" in exc.value.message_dict


def test_student_page_bad_input_and_duplicate_number(client, users, school_class, birth):
    client.force_login(users.counsellor)
    url = reverse("schools:student_create", args=[school_class.pk])
    assert (
        client.post(url, {"name": "陈思远", "student_number": "2024001", "birth_date": birth}).status_code
        == 302
    )
    response = client.post(url, {"name": "陈思远2", "student_number": "2024001", "id_number": "123"})
    body = response.content.decode()
    assert "本班已有学号为 2024001 的学生" in body and "身份证号应为 18 位" in body and "姓名只能包含" in body


def test_deactivate_and_back(client, users, school_class):
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "林可欣"}
    )
    client.force_login(users.counsellor)
    client.post(reverse("schools:student_active", args=[student.pk]), {"active": "0"})
    student.refresh_from_db()
    assert not student.active
    roster = client.get(reverse("schools:class_detail", args=[school_class.pk])).content.decode()
    assert "林可欣" not in roster
    assert (
        "林可欣"
        in client.get(reverse("schools:class_detail", args=[school_class.pk]), {"left": "1"}).content.decode()
    )
    response = client.post(
        f"/api/v1/students/{student.pk}/active/", {"active": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["active"] is True


def test_roster_scope(client, users, school_class):
    services.student_save(user=users.counsellor, school_class=school_class, fields={"name": "林可欣"})
    client.force_login(users.director)
    assert client.get(reverse("schools:class_detail", args=[school_class.pk])).status_code == 404
    assert client.get(f"/api/v1/school-classes/{school_class.pk}/students/").status_code == 404


def test_dry_run_lists_every_problem_by_row_and_column(users, school_class, birth):
    services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "已在班", "student_number": "7"}
    )
    good_id = idnumber.make(areas.COUNTY, birth, 22)  # even sequence: a girl's number
    wrong_check = good_id[:-1] + ("1" if good_id[-1] != "1" else "2")
    table = services.read_table(
        name="名单.csv",
        content=_csv(
            [
                "姓名,性别,出生日期,学号,身份证号",
                f"王浩然,男,{birth},1,",
                "李,未知,2014-02-30,2,",
                f"张子涵,女,,3,{wrong_check}",
                f"周,男,,4,{good_id}",
                f"吴,男,,5,{good_id}",
                f"赵欣怡,女,{birth},7,",
                ",,,,",
            ]
        ),
    )
    result = services.roster_check(school_class=school_class, table=table)
    found = {(p.row, p.column) for p in result.problems}
    assert (3, "性别") in found and (3, "出生日期") in found
    assert (4, "身份证号") in found  # check character wrong
    assert (5, "性别") in found  # 男, but the number is a girl's
    assert (6, "身份证号") in found  # repeats row 5
    assert (7, "学号") in found  # already on the roster
    assert not any(p.row == 2 for p in result.problems) and not any(p.row == 8 for p in result.problems)
    assert not result.ok


def test_missing_name_column_and_wrong_file(users, school_class):
    result = services.roster_check(school_class=school_class, table=[["学号", "性别"], ["1", "男"]])
    assert result.problems[0].column == "姓名"
    with pytest.raises(services.RosterFileError):
        services.read_table(name="名单.pdf", content=b"%PDF")
    with pytest.raises(services.RosterFileError):
        services.read_table(name="名单.xlsx", content=b"not a zip")


def test_gb18030_csv_and_xlsx_read(users, school_class, birth):
    table = services.read_table(name="a.csv", content=_csv(["姓名,性别", "欧阳子轩,男"], encoding="gb18030"))
    assert table[1] == ["欧阳子轩", "男"]
    content = _xlsx(
        [
            ["姓名", "性别", "出生日期", "学号"],
            ["阿卜杜拉·艾买提", "男", datetime.datetime.combine(birth, datetime.time()), 20240101],
        ]
    )
    result = services.roster_check(
        school_class=school_class, table=services.read_table(name="b.xlsx", content=content)
    )
    assert (
        result.ok and result.rows[0]["student_number"] == "20240101" and result.rows[0]["birth_date"] == birth
    )


def test_commit_is_all_or_nothing(users, school_class, birth):
    table = [["姓名", "学号"], ["王浩然", "1"], ["李雨", "1"]]
    result = services.roster_commit(user=users.counsellor, school_class=school_class, table=table)
    assert not result.ok and Student.objects.count() == 0
    result = services.roster_commit(
        user=users.counsellor,
        school_class=school_class,
        table=[["姓名", "学号"], ["王浩然", "1"], ["李雨", "2"]],
    )
    assert result.ok and Student.objects.filter(school_class=school_class).count() == 2


def test_page_import_dry_run_then_commit(client, users, school_class, birth):
    client.force_login(users.counsellor)
    url = reverse("schools:roster_import", args=[school_class.pk])
    number = idnumber.make(areas.COUNTY, birth, 31)
    content = _xlsx(
        [
            ["姓名", "性别", "出生日期", "学号", "身份证号"],
            ["王浩然", "男", None, "1", number],
            ["李雨", "女", None, "2", None],
        ]
    )
    response = client.post(url, {"file": SimpleUploadedFile("名单.xlsx", content)})
    assert 'id="dry-run-ok"' in response.content.decode()
    assert Student.objects.count() == 0
    assert number not in str(dict(client.session))  # the session keeps the index, not the number
    response = client.post(url, {"commit": "1"})
    assert response.status_code == 302
    assert sorted(Student.objects.values_list("name", flat=True)) == ["李雨", "王浩然"]
    assert client.post(url, {"commit": "1"}).status_code == 302  # nothing left to commit: back to upload
    assert Student.objects.count() == 2


def test_page_import_problems_shown(client, users, school_class):
    client.force_login(users.counsellor)
    url = reverse("schools:roster_import", args=[school_class.pk])
    response = client.post(
        url, {"file": SimpleUploadedFile("名单.csv", _csv(["姓名,出生日期", "王浩然,昨天"]))}
    )
    body = response.content.decode()
    assert 'id="problems"' in body and "出生日期“昨天”无法识别" in body
    assert client.post(url, {"commit": "1"}).status_code == 302 and Student.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("名单.doc", b"x")})
    assert "请上传 .xlsx 或 .csv 文件" in response.content.decode()


def test_api_import(client, users, school_class):
    client.force_login(users.counsellor)
    url = f"/api/v1/school-classes/{school_class.pk}/roster-import/"
    bad = client.post(url, {"file": SimpleUploadedFile("a.csv", _csv(["姓名", ""])), "commit": "true"})
    assert bad.status_code == 400 and bad.json()["committed"] is False
    dry = client.post(url, {"file": SimpleUploadedFile("a.csv", _csv(["姓名", "王浩然", "李雨"]))})
    assert dry.status_code == 200 and dry.json() == {"committed": False, "rows": 2, "problems": []}
    assert Student.objects.count() == 0
    done = client.post(
        url, {"file": SimpleUploadedFile("a.csv", _csv(["姓名", "王浩然", "李雨"])), "commit": "true"}
    )
    assert done.json()["committed"] is True and Student.objects.count() == 2
