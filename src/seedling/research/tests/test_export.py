"""The de-identified export: what a row holds, what it never holds, pseudonyms, text dropped, the log."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from seedling.assessments.models import Campaign, Response
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.registry.models import Child
from seedling.research import export, services
from seedling.research.filters import filters_clean
from seedling.research.models import ResearchProject
from seedling.testing import areas
from seedling.testing.factories import child_create

from .helpers import PURPOSE, at, form_import, read_csv, respond

pytestmark = pytest.mark.django_db

FIXED = [
    "pseudonym",
    "age_band",
    "sex",
    "area_code",
    "area_name",
    "instrument",
    "instrument_version",
    "questionnaire",
    "questionnaire_version",
    "year_month",
    "band",
]


def run(user, *, fmt="csv", project=None, purpose=PURPOSE, **filters):
    prepared = services.research_export_prepare(
        user=user,
        filters=filters_clean(user=user, data=filters),
        fmt=fmt,
        purpose=purpose,
        project=project,
    )
    if fmt == "xlsx":
        return prepared, export.xlsx_file(prepared).read()
    return prepared, b"".join(export.csv_chunks(prepared))


def test_one_row_per_response_with_banded_de_identified_fields(users, dataset, settings):
    settings.SEEDLING_RESEARCH_MIN_CELL = 1  # k = 1: every field as recorded (k-anonymity: test_kanon)
    prepared, content = run(users.researcher, instrument="phq-a")
    header, rows, _readme = read_csv(content)
    items = [f"q_item_{i}" for i in range(1, 14)]
    assert header == FIXED + ["scale_total"] + items
    assert len(rows) == 10  # Zhejiang only: 武义县 9 + 温岭市 1; Beijing is not the researcher's
    first = dataset["ouyang"][0]
    mine = [r for r in rows if r["year_month"] == "2024-05" and r["q_item_1"] == "1" and r["sex"] == "F"]
    assert len(mine) == 1
    row = mine[0]
    assert row["age_band"] == "12–14"  # born 2011-04-05, answered 2024-05-10
    assert (row["area_code"], row["area_name"]) == ("330723", "武义县")
    assert (row["instrument"], row["instrument_version"]) == ("phq-a", "1.0")
    assert row["band"] == first.band == "yellow" and row["scale_total"] == "9"
    assert row["q_item_9"] == "1" and row["q_item_12"] == ""


def test_no_identifying_column_or_value_ever_appears(users, dataset, ouyang):
    _prepared, content = run(users.researcher, instrument="phq-a")
    header, rows, _readme = read_csv(content)
    assert [column for column in header if "name" in column] == ["area_name"]
    for forbidden in (
        "id_number",
        "birth",
        "school",
        "grade",
        "class",
        "guardian",
        "village",
        "address",
        "phone",
    ):
        assert not any(forbidden in column for column in header)
    assert "submitted_by" not in header and "uuid" not in header and "child" not in " ".join(header)
    text = content.decode("utf-8-sig")
    secrets = [
        ouyang.name,
        ouyang.reveal_id_number(),
        ouyang.id_number_mask,
        ouyang.birth_date.isoformat(),
        ouyang.birth_date.strftime("%Y%m%d"),
        "司马秀英",
        "13905790001",
        ouyang.school,
        ouyang.address,
        areas.VILLAGE_A,
        areas.TOWNSHIP,
        users.director.username,
        users.director.full_name,
        str(ouyang.uuid),
        str(dataset["ouyang"][0].uuid),
        "2024-05-10",
    ]
    for secret in secrets:
        assert secret and secret not in text, secret
    assert all(len(r["pseudonym"]) == 24 and r["pseudonym"] != str(ouyang.pk) for r in rows)


def test_the_same_child_keeps_one_pseudonym_within_a_project_and_another_across_projects(
    users, dataset, settings
):
    settings.SEEDLING_RESEARCH_MIN_CELL = 1  # her rows are found by sex and age band, kept as recorded
    study = services.research_project_create(user=users.researcher, title="抑郁筛查追踪")
    other = services.research_project_create(user=users.researcher, title="另一项研究")

    def pseudonyms(project):
        _p, content = run(users.researcher, instrument="phq-a", project=project)
        rows = read_csv(content)[1]
        hers = {
            r["pseudonym"]
            for r in rows
            if r["sex"] == "F" and r["age_band"] == "12–14" and r["band"] in ("yellow", "orange")
        }
        return hers, {r["pseudonym"] for r in rows}

    hers, every = pseudonyms(study)
    assert len(hers) == 1  # both of her screenings, one pseudonym
    again, every_again = pseudonyms(study)
    assert again == hers and every_again == every
    elsewhere, every_elsewhere = pseudonyms(other)
    assert elsewhere != hers and not (every & every_elsewhere)
    adhoc, every_adhoc = pseudonyms(None)  # no project: a pseudonym space of its own
    assert adhoc != hers and not (every & every_adhoc)
    # 10 responses, 9 subjects: her two rows share one, each anonymous self-check is its own.
    assert len(every) == 9


def test_pseudonyms_change_with_the_servers_secret(users, dataset, settings):
    study = services.research_project_create(user=users.researcher, title="抑郁筛查追踪")
    before = {
        r["pseudonym"] for r in read_csv(run(users.researcher, instrument="phq-a", project=study)[1])[1]
    }
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    after = {r["pseudonym"] for r in read_csv(run(users.researcher, instrument="phq-a", project=study)[1])[1]}
    assert before and not (before & after)


def test_another_researchers_project_cannot_be_used(users, dataset):
    colleague = ResearchProject.objects.create(owner=users.admin, title="别人的项目")
    with pytest.raises(ValidationError) as caught:
        run(users.researcher, instrument="phq-a", project=colleague)
    assert "project" in caught.value.message_dict


WELLBEING = """
    | survey |
    |        | type             | name    | label            |
    |        | text             | friend  | 你最好的朋友叫什么？ |
    |        | integer          | sleep   | 每晚睡几个小时？   |
    |        | select_one mood  | mood    | 今天心情怎样？     |
    |        | date             | dob     | 你的生日           |
    | choices |
    |         | list_name | name  | label |
    |         | mood      | happy | 开心  |
    |         | mood      | sad   | 难过  |
"""


def test_text_answers_are_dropped_and_the_readme_says_why(users, ouyang):
    version = form_import(WELLBEING)
    data = {"friend": "李雷（住在寺后村）", "sleep": "8", "mood": "sad", "dob": "2011-04-05"}
    for _n in range(5):
        respond(version, data=data, child=ouyang, user=users.director)
    _prepared, content = run(users.researcher, questionnaire=version.questionnaire.code)
    header, rows, readme = read_csv(content)
    assert header == FIXED + ["q_sleep", "q_mood"]
    assert {(r["q_sleep"], r["q_mood"], r["band"], r["instrument"]) for r in rows} == {("8", "sad", "", "")}
    text = content.decode("utf-8-sig")
    assert "李雷" not in text and "寺后村" not in text and "2011-04-05" not in text
    notes = "\n".join(readme)
    assert "文字题" in notes and "名字" in notes and "friend、dob" in notes


def test_formula_like_values_are_neutralised(users, ouyang):
    version = form_import(WELLBEING)
    responses = [
        respond(version, data={"sleep": "7", "mood": "happy"}, child=ouyang, user=users.director)
        for _n in range(5)
    ]
    # A value that never passed the server's check (an old import, a hand edit): still made harmless.
    Response.objects.filter(pk=responses[0].pk).update(answers={"mood": '=HYPERLINK("http://x")', "sleep": 7})
    rows = read_csv(run(users.researcher, questionnaire=version.questionnaire.code)[1])[1]
    assert '\'=HYPERLINK("http://x")' in {r["q_mood"] for r in rows}


def test_the_excel_file_has_the_data_and_a_readme_sheet(users, dataset):
    _prepared, content = run(users.researcher, instrument="phq-a", fmt="xlsx")
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["data", "README"]
    data = list(book["data"].iter_rows(values_only=True))
    assert list(data[0][: len(FIXED)]) == FIXED and len(data) == 1 + 9  # 温岭市's row left out (k = 5)
    readme = "\n".join(str(r[0]) for r in book["README"].iter_rows(values_only=True) if r[0])
    assert "文字题" in readme and PURPOSE in readme and "假名" in readme and "k-匿名" in readme


def test_a_county_with_too_few_rows_is_not_named(users, dataset):
    prepared, content = run(users.researcher, instrument="phq-a")
    rows = read_csv(content)[1]
    # 温岭市 has 1 response, alone in 台州市 and in the province's leftovers: no area; and alone in
    # its group of the file even with every field generalised: left out.
    assert {r["area_code"] for r in rows} == {"330723"} and "温岭" not in content.decode("utf-8-sig")
    assert (prepared.count, prepared.left_out) == (9, 1)


def test_rows_are_streamed_not_loaded(users, dataset):
    prepared, _content = run(users.researcher, instrument="phq-a")
    rows = prepared.rows()
    next(rows)
    assert sum(1 for _row in rows) == 9  # 温岭市's single row is left out (k-anonymity)
    assert prepared.responses._result_cache is None  # read with iterator(), never cached


def test_a_small_area_is_refused_and_nothing_is_logged(users, dataset):
    with pytest.raises(ValidationError) as caught:
        run(users.researcher, instrument="phq-a", area=areas.OTHER_COUNTY)
    assert "不足 5 份" in caught.value.messages[0]
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_floor_follows_the_setting(users, dataset, settings):
    settings.SEEDLING_RESEARCH_MIN_CELL = 1
    _prepared, content = run(users.researcher, instrument="phq-a", area=areas.OTHER_COUNTY)
    assert len(read_csv(content)[1]) == 1


def test_every_export_is_logged_with_purpose_filters_and_rows_but_no_child(users, dataset, ouyang):
    study = services.research_project_create(user=users.researcher, title="抑郁筛查追踪")
    run(users.researcher, instrument="phq-a", area=areas.COUNTY, date_from="2024-01-01", project=study)
    row = AccessLog.objects.get(action="export")
    assert row.user == users.researcher and row.reason == PURPOSE and row.child_id is None
    assert row.area_code == areas.COUNTY
    assert row.detail == {
        "kind": "research",
        "filters": {"instrument": "phq-a", "area": areas.COUNTY, "date_from": "2024-01-01"},
        "format": "csv",
        "rows": 9,
        "left_out": 0,
        "project": study.pk,
        "via": "page",
    }
    logged = json.dumps(row.detail)
    assert str(ouyang.uuid) not in logged and ouyang.name not in logged
    run(users.researcher, instrument="phq-a")
    # Without an area filter the row carries the researcher's area, for that area's auditors.
    assert AccessLog.objects.filter(action="export").latest("pk").area_code == areas.PROVINCE


def test_a_merged_file_keeps_the_childs_pseudonym(users, dataset, ouyang, settings):
    settings.SEEDLING_RESEARCH_MIN_CELL = 1  # her rows are found by sex, kept as recorded
    before = read_csv(run(users.researcher, instrument="phq-a", project=None)[1])[1]
    assert before
    study = services.research_project_create(user=users.researcher, title="合并测试")
    kept = child_create(users.director, name="欧阳小雨", sex="F", birth_date=ouyang.birth_date)
    respond(dataset["ouyang"][0].questionnaire_version, child=kept, level=3)
    Child.objects.filter(pk=ouyang.pk).update(merged_into=kept)
    rows = read_csv(run(users.researcher, instrument="phq-a", project=study)[1])[1]
    theirs = {r["pseudonym"] for r in rows if r["band"] in ("yellow", "orange", "red") and r["sex"] == "F"}
    assert len(theirs) == 1  # her two responses and the kept file's one: one child, one pseudonym


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": ""}, "purpose"),
        ({"purpose": "研究"}, "purpose"),
        ({"fmt": "pdf"}, "format"),
        ({"instrument": ""}, "instrument"),
    ],
)
def test_bad_requests_name_the_problem(users, dataset, changes, field):
    options = {"instrument": "phq-a", **changes}
    with pytest.raises(ValidationError) as caught:
        run(users.researcher, **options)
    assert field in caught.value.message_dict
    assert not AccessLog.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"instrument": "no-such"}, "instrument"),
        ({"questionnaire": "no-such"}, "questionnaire"),
        ({"campaign": "99999"}, "campaign"),
        ({"area": "3307231"}, "area"),
        ({"area": "330723101"}, "area"),  # finer than a county: never
        ({"area": "110112"}, "area"),  # outside the researcher's province
        ({"area": "339999"}, "area"),
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "date_to"),
    ],
)
def test_bad_filters_name_the_field(users, filters, field):
    with pytest.raises(ValidationError) as caught:
        filters_clean(user=users.researcher, data=filters)
    assert list(caught.value.message_dict) == [field]


def test_a_county_officer_without_research_is_refused(users, dataset):
    with pytest.raises(PermissionDenied):
        run(users.county_officer, instrument="phq-a")
    with pytest.raises(PermissionDenied):
        services.research_project_create(user=users.county_officer, title="x项目")


def test_a_researcher_of_another_province_gets_nothing_of_this_one(users, dataset, researcher_bj, settings):
    with pytest.raises(ValidationError):  # Beijing has 2 responses: below the floor
        run(researcher_bj, instrument="phq-a")
    settings.SEEDLING_RESEARCH_MIN_CELL = 1
    rows = read_csv(run(researcher_bj, instrument="phq-a")[1])[1]
    assert len(rows) == 2 and {r["area_code"] for r in rows} == {areas.BEIJING_DISTRICT}
    with pytest.raises(ValidationError) as caught:
        run(researcher_bj, instrument="phq-a", area=areas.COUNTY)
    assert "area" in caught.value.message_dict


def _campaign(users, version, area_code):
    return Campaign.objects.create(
        title="2024 春季心理筛查",
        questionnaire_version=version,
        target=Campaign.Target.ANONYMOUS,
        area=Division.objects.get(code=area_code),
        opens_at=at(2024, 3, 1),
        closes_at=at(2024, 6, 30),
        token=f"t{area_code}",
        counsellor=users.counsellor,
    )


def test_date_range_and_campaign_narrow_the_rows(users, dataset, phq):
    rows = read_csv(
        run(users.researcher, instrument="phq-a", date_from="2024-05-01", date_to="2024-05-31")[1]
    )[1]
    # 武义县's 8 of May; 温岭市's single row is left out (k-anonymity), November is outside.
    assert len(rows) == 8 and "2024-11" not in {r["year_month"] for r in rows}
    spring = _campaign(users, phq, areas.COUNTY)
    for level in (0, 0, 1, 2, 3):
        respond(phq, level=level, campaign=spring)  # anonymous, placed by the campaign's area
    rows = read_csv(run(users.researcher, instrument="phq-a", campaign=str(spring.pk))[1])[1]
    assert sorted(r["band"] for r in rows) == ["green", "green", "orange", "red", "yellow"]
    assert {r["area_code"] for r in rows} == {areas.COUNTY}
    beijing = _campaign(users, phq, areas.BEIJING_DISTRICT)
    with pytest.raises(ValidationError) as caught:
        run(users.researcher, instrument="phq-a", campaign=str(beijing.pk))
    assert "campaign" in caught.value.message_dict
