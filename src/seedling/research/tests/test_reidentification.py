"""The re-identification attacks of the privacy review on research data, each refused.

1. Rows of a named group: a class or school campaign, or a researcher placed at a village.
   Row-level files never cover less than a county, and they are k-anonymous.
2. The three aggregate tables share their totals: suppressed together (see also test_linked).
3. A county pooled out of the file was named by the aggregate table.
4. Day-level date filters and a project's stable pseudonyms told the day a child answered.
"""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.accounts.roles import Role
from seedling.assessments.models import Campaign
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.research import export, services
from seedling.research.aggregates import aggregate_tables
from seedling.research.filters import filters_clean
from seedling.research.models import ResearchProject
from seedling.schools import services as schools
from seedling.testing import areas
from seedling.testing.factories import child_create
from seedling.testing.scenario import make_user

from .helpers import PURPOSE, at, read_csv, respond
from .linear import REVIEW, given_away, published_layout

pytestmark = pytest.mark.django_db

INDEX = reverse("research:index")
EXPORT = reverse("research:export")


def run(user, project=None, **filters):
    """(prepared export, rows, README lines) of a CSV export."""
    prepared = services.research_export_prepare(
        user=user,
        filters=filters_clean(user=user, data=filters),
        fmt="csv",
        purpose=PURPOSE,
        project=project,
    )
    _header, rows, readme = read_csv(b"".join(export.csv_chunks(prepared)))
    return prepared, rows, readme


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def pupil(users, n: int, *, sex="F", birth=datetime.date(2011, 1, 1), area_code=areas.VILLAGE_A):
    user = users.director if area_code.startswith(areas.COUNTY) else users.director_other_county
    return child_create(
        user,
        name=f"学生{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'子丑寅卯辰巳'[n // 10]}",
        sex=sex,
        birth_date=birth,
        area_code=area_code,
    )


# --- 1. never narrower than a county; k-anonymous ---------------------------------------------------


def _class_campaign(users, phq, target) -> Campaign:
    school = schools.school_save(
        user=users.county_officer,
        fields={
            "name": "履坦镇初级中学",
            "code": "3307230002",
            "kind": "junior",
            "area": Division.objects.get(code=areas.TOWNSHIP),
            "pilot": True,
        },
    )
    klass = schools.class_save(
        user=users.county_officer,
        school=school,
        fields={"school_year": 2024, "grade": 8, "name": "初二(3)班"},
    )
    return Campaign.objects.create(
        title="初二(3)班 秋季心理健康筛查",
        questionnaire_version=phq,
        target=target,
        school=school,
        school_class=klass if target == Campaign.Target.CLASS else None,
        area=school.area,
        opens_at=at(2024, 5, 1),
        closes_at=at(2024, 5, 30),
        token=f"t{target}",
        counsellor=users.counsellor,
    )


@pytest.mark.parametrize("target", [Campaign.Target.CLASS, Campaign.Target.SCHOOL])
def test_a_class_or_school_campaign_has_tables_but_no_rows(client, users, phq, target):
    campaign = _class_campaign(users, phq, target)
    for n in range(5):  # five girls of 13, and one boy of 15 in the red band
        respond(phq, child=pupil(users, n), level=0, campaign=campaign)
    boy = pupil(users, 9, sex="M", birth=datetime.date(2009, 3, 3))
    respond(phq, child=boy, level=3, campaign=campaign)

    with pytest.raises(ValidationError) as caught:
        run(users.researcher, instrument="phq-a", campaign=str(campaign.pk))
    assert "一个班、一所学校的明细可能认出具体的儿童" in caught.value.message_dict["campaign"][0]
    response = api(users.researcher).post(
        "/api/v1/research/exports/",
        {"instrument": "phq-a", "campaign": campaign.pk, "purpose": PURPOSE},
        format="json",
    )
    assert response.status_code == 400 and "campaign" in response.json()
    assert not AccessLog.objects.filter(action="export").exists()

    # The suppressed tables remain: the boy's red answer is not among the published numbers.
    report = aggregate_tables(
        user=users.researcher,
        filters=filters_clean(user=users.researcher, data={"instrument": "phq-a", "campaign": campaign.pk}),
    )
    by_sex = next(t for t in report.tables if t.key == "sex")
    assert by_sex.row_codes == ["M", "F"] and by_sex.published.cells[0][3] is None
    client.force_login(users.researcher)
    html = client.get(INDEX, {"instrument": "phq-a", "campaign": campaign.pk}).content.decode()
    assert 'id="export-refused"' in html and "一个班、一所学校" in html and f'action="{EXPORT}"' not in html


def test_a_campaign_of_one_village_gives_no_rows(users, phq):
    campaign = Campaign.objects.create(
        title="寺后村 心理筛查",
        questionnaire_version=phq,
        target=Campaign.Target.AREA,
        area=Division.objects.get(code=areas.VILLAGE_A),
        opens_at=at(2024, 5, 1),
        closes_at=at(2024, 5, 30),
        token="tvillage",
        counsellor=users.counsellor,
    )
    for n in range(6):
        respond(phq, child=pupil(users, n), level=0, campaign=campaign)
    with pytest.raises(ValidationError) as caught:
        run(users.researcher, instrument="phq-a", campaign=str(campaign.pk))
    assert "乡镇或村" in caught.value.message_dict["campaign"][0]


@pytest.mark.parametrize("place", [areas.VILLAGE_A, areas.TOWNSHIP])
def test_a_researcher_placed_below_a_county_gets_tables_but_no_rows(client, users, dataset, phq, place):
    local = make_user("r_local", Role.RESEARCHER, place, "村研究员")
    for n in range(4):
        respond(phq, child=pupil(users, n, sex="M", birth=datetime.date(2013, 1, 1)), level=0)
    with pytest.raises(ValidationError) as caught:
        run(local, instrument="phq-a")
    assert "您的研究数据范围包括乡镇或村" in caught.value.messages[0]
    assert not AccessLog.objects.filter(action="export").exists()
    assert aggregate_tables(
        user=local, filters=filters_clean(user=local, data={"instrument": "phq-a"})
    ).tables
    client.force_login(local)
    html = client.get(INDEX, {"instrument": "phq-a"}).content.decode()
    assert "您的研究数据范围包括乡镇或村" in html and f'action="{EXPORT}"' not in html


def test_the_file_is_k_anonymous(users, phq):
    kids = [
        *[("F", datetime.date(2011, 1, 1), 5)] * 6,  # 6 girls of 13 in May: as recorded
        *[("M", datetime.date(2011, 1, 1), 5)] * 3,  # 3 boys of 13 in May, 2 in June: "2024"
        *[("M", datetime.date(2011, 1, 1), 6)] * 2,
        ("M", datetime.date(2009, 1, 1), 5),  # one boy of 15: alone whatever is withheld
    ]
    for n, (sex, birth, month) in enumerate(kids):
        respond(
            phq,
            child=pupil(users, n, sex=sex, birth=birth),
            level=3 if n == 11 else 0,
            when=at(2024, month, 10),
        )
    for n in range(5):  # 温岭市: 5 children of 10, enough for the county to be named
        child = pupil(users, 20 + n, birth=datetime.date(2014, 1, 1), area_code=areas.OTHER_COUNTY_VILLAGE)
        respond(phq, child=child, level=0, when=at(2024, 5, 10))

    prepared, rows, readme = run(users.researcher, instrument="phq-a")
    groups = Counter((r["area_code"], r["sex"], r["age_band"], r["year_month"]) for r in rows)
    assert groups == {
        ("330723", "F", "12–14", "2024-05"): 6,
        ("330723", "M", "12–14", "2024"): 5,
        ("331081", "F", "9–11", "2024-05"): 5,
    }
    assert not [r for r in rows if r["band"] == "red"]  # the boy of 15 is not in the file
    assert (prepared.count, prepared.left_out) == (16, 1)
    notes = "\n".join(readme)
    assert "共 16 份答卷" in notes and "k-匿名（k = 5）" in notes and "未导出 1 份答卷" in notes
    assert AccessLog.objects.get(action="export").detail["rows"] == 16


# --- 2. the tables of a report are suppressed together --------------------------------------------


def test_the_response_count_follows_the_tables_grand_total(client, users, phq):
    # 6 pupils of one county and age: 4 girls and a boy green, a girl red. The area and age tables
    # (one row each) hide the grand total to protect the single red answer; the sex table alone
    # would publish it, and the page showed it as the number of responses.
    for n in range(5):
        respond(phq, child=pupil(users, n), level=3 if n == 4 else 0)
    respond(phq, child=pupil(users, 5, sex="M"), level=0)
    client.force_login(users.researcher)
    body = api(users.researcher).get("/api/v1/research/aggregates/", {"instrument": "phq-a"}).json()
    assert {t["key"]: t["totals"]["total"] for t in body["tables"]} == {
        "area": "<5",
        "age_band": "<5",
        "sex": "<5",
    }
    assert len({str(t["totals"]["cells"]) for t in body["tables"]}) == 1  # one bottom row for all
    html = client.get(INDEX, {"instrument": "phq-a"}).content.decode()
    assert '<span class="fs-4 fw-semibold">&lt;5</span>' in html and ">6</span>" not in html


def test_the_review_example_gives_nothing_away(users, phq):
    birth = {0: datetime.date(2016, 1, 1), 1: datetime.date(2013, 1, 1), 2: datetime.date(2011, 1, 1)}
    for n, (county, age, sex, level) in enumerate(REVIEW):
        if age == 9:  # an anonymous self-check
            respond(phq, level=level, area_code=areas.TOWNSHIP if county == 0 else "331081100")
        else:
            place = areas.VILLAGE_A if county == 0 else areas.OTHER_COUNTY_VILLAGE
            respond(phq, child=pupil(users, n, sex="MF"[sex], birth=birth[age], area_code=place), level=level)
    report = aggregate_tables(
        user=users.researcher, filters=filters_clean(user=users.researcher, data={"instrument": "phq-a"})
    )
    layouts = [published_layout(t.published) for t in report.tables]
    assert layouts[0][-1] == layouts[1][-1] == layouts[2][-1]  # a total hidden in one is hidden in all
    assert given_away(layouts) == set()  # 温岭市's red count (1) among them


# --- 3. the area table pools counties like the file ------------------------------------------------


def test_the_area_table_pools_small_counties_like_the_file(users, dataset):
    # Two counties of 金华市 other than 武义县 with 3 anonymous self-checks each: pooled into the city.
    for code in ("330702", "330703"):
        for level in (0, 0, 1):
            respond(dataset["anonymous"][0].questionnaire_version, level=level, area_code=code)
    prepared, rows, _readme = run(users.researcher, instrument="phq-a")
    report = aggregate_tables(
        user=users.researcher, filters=filters_clean(user=users.researcher, data={"instrument": "phq-a"})
    )
    by_area = next(t for t in report.tables if t.key == "area")
    assert by_area.row_codes == ["330723", "3307", ""]
    assert by_area.row_labels == ["330723 武义县", "3307 金华市其他区县（合并）", "其他（合并）"]
    # Every county the table names is a county the file names: none is named only in the table.
    named = {code for code in by_area.row_codes if len(code) == 6}
    assert named == {
        county for county, shown in prepared.areas.items() if shown == county and len(county) == 6
    }
    assert {r["area_code"] for r in rows} <= {"330723", "3307", ""}
    assert not any("婺城" in label or "金东" in label or "温岭" in label for label in by_area.row_labels)


# --- 4. the file's date filters are whole months ---------------------------------------------------


def test_day_filters_cannot_bisect_a_month(client, users, phq):
    project = ResearchProject.objects.create(owner=users.researcher, title="追踪研究")
    for n in range(6):
        day = 10 if n < 5 else 17
        respond(
            phq,
            child=pupil(users, n, birth=datetime.date(2012, 1, 1)),
            level=0 if n < 5 else 3,
            when=at(2024, 5, day),
        )
    _p, month, _r = run(
        users.researcher, project, instrument="phq-a", date_from="2024-05-01", date_to="2024-05-31"
    )
    prepared, early, readme = run(
        users.researcher, project, instrument="phq-a", date_from="2024-05-03", date_to="2024-05-16"
    )
    assert {r["pseudonym"] for r in early} == {r["pseudonym"] for r in month} and len(early) == 6
    assert (prepared.filters.date_from, prepared.filters.date_to) == (
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 31),
    )
    notes = "\n".join(readme)
    assert "date_from=2024-05-01；date_to=2024-05-31" in notes and "日期筛选按整月计算" in notes
    logged = AccessLog.objects.filter(action="export").latest("pk").detail["filters"]
    assert (logged["date_from"], logged["date_to"]) == ("2024-05-01", "2024-05-31")
    client.force_login(users.researcher)
    html = client.get(
        INDEX, {"instrument": "phq-a", "date_from": "2024-05-03", "date_to": "2024-05-16"}
    ).content.decode()
    assert "明细按整月导出：2024-05-01 至 2024-05-31" in html


@pytest.mark.parametrize(
    ("date_from", "date_to", "months"),
    [
        ("2024-02-10", "2024-02-10", ("2024-02-01", "2024-02-29")),
        ("2023-12-31", "2024-01-01", ("2023-12-01", "2024-01-31")),
        ("2024-04-15", None, ("2024-04-01", None)),
        (None, "2024-11-02", (None, "2024-11-30")),
    ],
)
def test_whole_months(users, date_from, date_to, months):
    data = {k: v for k, v in {"date_from": date_from, "date_to": date_to}.items() if v}
    widened = filters_clean(user=users.researcher, data=data).whole_months()
    shown = tuple(d.isoformat() if d else None for d in (widened.date_from, widened.date_to))
    assert shown == months
