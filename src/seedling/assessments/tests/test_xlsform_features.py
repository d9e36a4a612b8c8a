"""XLSForm features, one small hand-written form each: imported, rendered, and checked on the server."""

import datetime

import pytest
from django.utils import timezone

from seedling.assessments.xlsform import FormRefused

from .forms import form_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def errors(response) -> dict:
    return response.context["errors"]


def test_text_with_required_and_its_message(filler):
    version = form_import("""
        | survey |
        |        | type | name     | label      | required | required_message |
        |        | text | nickname | 你的昵称？ | yes      | 请告诉我们你的昵称 |
        |        | text | note2    | 备注       |          |                  |
    """)
    page = filler.page(version)
    assert page.status_code == 200 and 'name="nickname"' in page.content.decode()
    response, stored = filler.submit(version, {"note2": "x"})
    assert response.status_code == 400 and stored is None
    assert errors(response) == {"nickname": "请告诉我们你的昵称"}
    response, stored = filler.submit(version, {"nickname": "  小明 "})
    assert response.status_code == 302 and stored.answers == {"nickname": "小明"}


def test_integer_decimal_and_date_types_are_checked(filler):
    version = form_import("""
        | survey |
        |        | type    | name   | label |
        |        | integer | age    | 年龄  |
        |        | decimal | height | 身高  |
        |        | date    | dob    | 生日  |
    """)
    response, stored = filler.submit(version, {"age": "12.5", "height": "abc", "dob": "2015-02-30"})
    assert set(errors(response)) == {"age", "height", "dob"} and stored is None
    assert errors(response)["age"] == "请填写整数。"
    response, stored = filler.submit(version, {"age": "12", "height": "1.45", "dob": "2013-02-28"})
    assert stored.answers == {"age": 12, "height": 1.45, "dob": "2013-02-28"}


CHOICES = """
    | choices |
    |         | list_name | name  | label |
    |         | yn        | yes   | 是    |
    |         | yn        | no    | 否    |
    |         | fruit     | apple | 苹果  |
    |         | fruit     | pear  | 梨    |
    |         | fruit     | peach | 桃    |
"""


def test_select_one_as_radios_and_select_multiple_as_checkboxes(filler):
    version = form_import(
        """
        | survey |
        |        | type                  | name   | label        |
        |        | select_one yn         | likes  | 喜欢水果吗？ |
        |        | select_multiple fruit | fruits | 喜欢哪些？   |
    """
        + CHOICES
    )
    html = filler.page(version).content.decode()
    assert html.count('type="radio" name="likes"') == 2
    assert html.count('type="checkbox" name="fruits"') == 3
    response, stored = filler.submit(version, {"likes": "maybe", "fruits": ["apple", "kiwi"]})
    assert set(errors(response)) == {"likes", "fruits"}
    response, stored = filler.submit(version, {"likes": "yes", "fruits": ["apple", "peach"]})
    assert stored.answers == {"likes": "yes", "fruits": ["apple", "peach"]}


def test_notes_show_text_and_store_nothing(filler):
    version = form_import("""
        | survey |
        |        | type | name  | label                      |
        |        | text | name  | 名字                       |
        |        | note | hello | 你好，${name}！谢谢参与。 |
    """)
    html = filler.page(version).content.decode()
    assert '你好，<span data-output="name"></span>！谢谢参与。' in html
    response, stored = filler.submit(version, {"name": "小红", "hello": "ignored"})
    assert stored.answers == {"name": "小红"}


def test_calculations_run_on_the_server_and_a_posted_value_is_ignored(filler):
    version = form_import("""
        | survey |
        |        | type      | name  | label | calculation              | relevant          |
        |        | integer   | a     | A     |                          |                   |
        |        | integer   | b     | B     |                          |                   |
        |        | calculate | total |       | ${a} + ${b}              |                   |
        |        | calculate | big   |       | if(${total} > 10, 'yes', 'no') |             |
        |        | text      | why   | 为什么很多？ |                   | ${big} = 'yes'    |
    """)
    response, stored = filler.submit(version, {"a": "4", "b": "9", "total": "0", "why": "因为"})
    assert stored.answers == {"a": 4, "b": 9, "total": "13", "big": "yes", "why": "因为"}
    response, stored = filler.submit(version, {"a": "1", "b": "2", "why": "posted anyway"})
    assert stored.answers == {"a": 1, "b": 2, "total": "3", "big": "no"}  # irrelevant answer dropped


def test_groups_nest_answers_and_group_relevance_covers_their_questions(filler):
    version = form_import(
        """
        | survey |
        |        | type          | name     | label      | relevant          | required |
        |        | select_one yn | guardian | 有监护人吗？ |                 | yes      |
        |        | begin_group   | g        | 监护人      | ${guardian} = 'yes' |        |
        |        | text          | gname    | 监护人姓名  |                   | yes      |
        |        | integer       | gage     | 监护人年龄  |                   |          |
        |        | end_group     |          |            |                   |          |
    """
        + CHOICES
    )
    html = filler.page(version).content.decode()
    assert 'data-node="g"' in html and "d-none" in html  # hidden until the answer makes it relevant
    response, stored = filler.submit(version, {"guardian": "yes", "g/gage": "40"})
    assert errors(response) == {"g/gname": "此题必须回答。"}
    response, stored = filler.submit(version, {"guardian": "yes", "g/gname": "王芳", "g/gage": "40"})
    assert stored.answers == {"guardian": "yes", "g": {"gname": "王芳", "gage": 40}}
    response, stored = filler.submit(version, {"guardian": "no", "g/gage": "40"})
    assert stored.answers == {"guardian": "no"}  # the required question is not relevant


def test_repeats_with_references_inside_the_instance_and_across(filler):
    version = form_import("""
        | survey |
        |        | type         | name   | label    | constraint             | constraint_message | calculation      |
        |        | integer      | age    | 你的年龄 |                        |                    |                  |
        |        | begin_repeat | sib    | 兄弟姐妹 |                        |                    |                  |
        |        | text         | sname  | 名字     |                        |                    |                  |
        |        | integer      | sage   | 年龄     | . != ${age}            | 年龄不能和你一样   |                  |
        |        | calculate    | older  |          |                        |                    | if(${sage} > ${age}, 1, 0) |
        |        | calculate    | num    |          |                        |                    | position(..)     |
        |        | end_repeat   |        |          |                        |                    |                  |
        |        | calculate    | n_older |         |                        |                    | sum(${older})    |
        |        | calculate    | first  |          |                        |                    | indexed-repeat(${sname}, ${sib}, 1) |
    """)
    html = filler.page(version).content.decode()
    assert 'name="sib[0]/sname"' in html and "<template>" in html and 'name="sib[__sib__]/sname"' in html
    posted = {
        "age": "10",
        "sib[0]": "1",
        "sib[0]/sname": "大哥",
        "sib[0]/sage": "15",
        "sib[3]": "1",
        "sib[3]/sname": "小妹",
        "sib[3]/sage": "10",
    }
    response, stored = filler.submit(version, posted)
    assert errors(response) == {"sib[1]/sage": "年龄不能和你一样"}  # instances are renumbered in order
    posted["sib[3]/sage"] = "6"
    response, stored = filler.submit(version, posted)
    assert stored.answers == {
        "age": 10,
        "sib": [
            {"sname": "大哥", "sage": 15, "older": "1", "num": "1"},
            {"sname": "小妹", "sage": 6, "older": "0", "num": "2"},
        ],
        "n_older": "1",
        "first": "大哥",
    }


def test_repeat_count_fixes_the_number_of_instances(filler):
    version = form_import("""
        | survey |
        |        | type         | name  | label   | repeat_count |
        |        | integer      | n     | 几个孩子 |             |
        |        | begin_repeat | kid   | 孩子    | ${n}         |
        |        | text         | kname | 名字    |              |
        |        | end_repeat   |       |         |              |
    """)
    html = filler.page(version).content.decode()
    assert "data-fixed" in html and "data-add" not in html
    response, stored = filler.submit(
        version, {"n": "2", "kid[0]/kname": "甲", "kid[1]/kname": "乙", "kid[2]/kname": "丙"}
    )
    assert stored.answers == {"n": 2, "kid": [{"kname": "甲"}, {"kname": "乙"}]}


def test_relevant_drops_answers_to_questions_that_do_not_apply(filler):
    version = form_import(
        """
        | survey |
        |        | type          | name   | label    | relevant            |
        |        | select_one yn | school | 在上学吗？ |                    |
        |        | text          | grade  | 几年级？ | ${school} = 'yes'   |
    """
        + CHOICES
    )
    response, stored = filler.submit(version, {"school": "no", "grade": "三年级"})
    assert stored.answers == {"school": "no"}


def test_constraint_with_its_message_in_the_form_language(filler):
    version = form_import("""
        | survey |
        |        | type    | name | label::Chinese (zh) | label::English (en) | constraint           | constraint_message::Chinese (zh) | constraint_message::English (en) |
        |        | integer | age  | 年龄                | Age                 | . >= 6 and . <= 18   | 年龄应在 6 到 18 岁之间          | Age must be 6 to 18              |
    """)
    response, stored = filler.submit(version, {"age": "30"})
    assert errors(response) == {"age": "年龄应在 6 到 18 岁之间"} and stored is None
    response, stored = filler.submit(version, {"age": "30", "__lang": "English (en)"})
    assert errors(response) == {"age": "Age must be 6 to 18"}
    assert "Age must be 6 to 18" in response.content.decode()
    response, stored = filler.submit(version, {"age": "9"})
    assert stored.answers == {"age": 9}


def test_choice_filter_limits_the_choices_on_the_server_too(filler):
    version = form_import("""
        | survey |
        |        | type              | name   | label | choice_filter       |
        |        | select_one county | county | 县    |                     |
        |        | select_one town   | town   | 乡镇  | county = ${county}  |
        | choices |
        |         | list_name | name   | label | county |
        |         | county    | c1     | 甲县  |        |
        |         | county    | c2     | 乙县  |        |
        |         | town      | t1     | 一镇  | c1     |
        |         | town      | t2     | 二镇  | c1     |
        |         | town      | t3     | 三镇  | c2     |
    """)
    response, stored = filler.submit(version, {"county": "c1", "town": "t3"})
    assert errors(response) == {"town": "请从给出的选项中选择。"}
    html = response.content.decode()
    assert html.count("xf-option py-1 d-none") == 1  # t3 is hidden under 甲县
    response, stored = filler.submit(version, {"county": "c2", "town": "t3"})
    assert stored.answers == {"county": "c2", "town": "t3"}


def test_defaults_fill_a_fresh_form(filler):
    version = form_import(
        """
        | survey |
        |        | type                  | name   | label | default     |
        |        | text                  | place  | 地点  | 村委会      |
        |        | select_one yn         | ok     | 好吗  | yes         |
        |        | select_multiple fruit | fruits | 水果  | apple pear  |
        |        | date                  | when   | 日期  | today()     |
    """
        + CHOICES
    )
    html = filler.page(version).content.decode()
    assert 'value="村委会"' in html
    assert 'value="yes" checked' in html
    assert (
        'value="apple" checked' in html
        and 'value="pear" checked' in html
        and 'value="peach" checked' not in html
    )
    assert version.spec["children"][3]["default_expr"] == "today()"  # dynamic: set by the browser


def test_languages_follow_the_ui_and_can_be_switched(filler, settings):
    version = form_import("""
        | survey |
        |        | type | name | label::English (en) | label::Chinese (zh) | hint::English (en) | hint::Chinese (zh) |
        |        | text | q    | Your school?        | 你的学校？          | Full name          | 写全称             |
        | settings |
        |          | default_language |
        |          | English (en)     |
    """)
    html = filler.page(version).content.decode()
    assert ">你的学校？</label>" in html and ">写全称</div>" in html and ">Your school?</label>" not in html
    assert 'href="?lang=English%20%28en%29"' in html  # the switch to the form's other language
    html = filler.page(version, lang="English (en)").content.decode()
    assert ">Your school?</label>" in html and ">你的学校？</label>" not in html
    filler.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = filler.page(version).content.decode()
    assert ">Your school?</label>" in html


def test_metadata_start_end_today_are_filled_by_the_server_and_device_ids_ignored(filler):
    version = form_import("""
        | survey |
        |        | type        | name   | label |
        |        | start       | start  |       |
        |        | end         | end    |       |
        |        | today       | today  |       |
        |        | deviceid    | device |       |
        |        | phonenumber | phone  |       |
        |        | text        | q      | 问题  |
    """)
    opened = (timezone.localtime() - datetime.timedelta(minutes=5)).replace(microsecond=0)
    response, stored = filler.submit(
        version, {"q": "答", "device": "imei:123", "phone": "13800000000", "__started": opened.isoformat()}
    )
    assert set(stored.answers) == {"start", "end", "today", "q"}
    assert stored.started_at == opened and stored.answers["start"] == opened.isoformat()
    assert stored.answers["today"] == timezone.localdate().isoformat()
    assert any("deviceid" in w for w in version.warnings)  # the importer says what it ignored


def _refusal(markdown: str, filename: str = "form.xlsx") -> FormRefused:
    with pytest.raises(FormRefused) as info:
        form_import(markdown, filename)
    return info.value


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("| | geopoint | where | 位置 | |", "第 3 行：不支持题型 geopoint"),
        ("| | image | photo | 照片 | |", "第 3 行：不支持题型 image"),
        ("| | barcode | code | 条码 | |", "第 3 行：不支持题型 barcode"),
        ("| | audio | voice | 录音 | |", "第 3 行：不支持题型 audio"),
        ("| | calculate | x | | pulldata('f', 'a', 'b', 'c') |", "第 3 行：calculate 中不支持 pulldata()"),
        ("| | calculate | x | | random() |", "第 3 行：calculate 中不支持 random()"),
        ("| | calculate | x | | /data/q1 |", "第 3 行：calculate 中不支持 XPath 路径"),
        (
            "| | select_one_from_file towns.csv | t | 乡镇 | |",
            "第 3 行：不支持从外部文件读取选项（select_one_from_file）",
        ),
    ],
)
def test_unsupported_features_are_refused_naming_the_row(row, expected):
    refused = _refusal(f"""
        | survey |
        |        | type | name | label | calculation |
        |        | text | q1   | 问题  |             |
        {row}
    """)
    assert expected in refused.message


def test_every_problem_of_a_form_is_listed_at_once():
    refused = _refusal("""
        | survey |
        |        | type     | name  | label |
        |        | geopoint | a     | A     |
        |        | text     | b     | B     |
        |        | video    | c     | C     |
    """)
    assert refused.features == ["geopoint", "video"]
    assert [p.row for p in refused.problems] == [2, 4]


def test_what_pyxform_refuses_is_refused_with_its_message():
    refused = _refusal("""
        | survey |
        |        | type        | name | label |
        |        | flying_car  | q    | Q     |
    """)
    assert refused.features == ["pyxform"] and "flying_car" in refused.message


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(FormRefused) as info:
        form_import("| survey |\n| | type | name | label |\n| | text | q | Q |", filename="form.csv")
    assert "xlsx" in info.value.message
    from seedling.assessments import services

    with pytest.raises(FormRefused) as info:
        services.questionnaire_import(content=b"not a zip", filename="form.xlsx")
    assert info.value.features == ["unreadable"]


def test_importing_the_same_file_twice_keeps_one_version_and_a_change_adds_one():
    from seedling.assessments import services

    content = xlsx_bytes("""
        | survey |
        |        | type | name | label |
        |        | text | q    | Q     |
        | settings |
        |          | form_id | form_title |
        |          | survey1 | 调查一     |
    """)
    first = services.questionnaire_import(content=content, filename="a.xlsx")
    again = services.questionnaire_import(content=content, filename="a.xlsx")
    assert again.pk == first.pk and first.questionnaire.title == "调查一"
    changed = xlsx_bytes("""
        | survey |
        |        | type | name | label |
        |        | text | q    | Q2    |
        | settings |
        |          | form_id | form_title |
        |          | survey1 | 调查一     |
    """)
    second = services.questionnaire_import(content=changed, filename="a.xlsx")
    assert second.questionnaire_id == first.questionnaire_id and second.number == 2
