"""Export of the filtered child list: masked numbers, neutralised formulas, scope, filters, access log."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.registry.selectors import years_before
from seedling.testing import areas
from seedling.testing.factories import child_create

from .rosters import child_id

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 3, 9)
THIRTEEN = years_before(clock.today(), 13) - datetime.timedelta(days=10)


@pytest.fixture
def children(users):
    """Two children in village A (one with an ID and a hostile address), one in village B."""
    number = child_id(BIRTH, 1)
    return {
        "number": number,
        "a": child_create(
            users.director,
            name="张小明",
            id_number=number,
            birth_date=BIRTH,
            address='=HYPERLINK("http://x")',
        ),
        "a2": child_create(users.director, name="李小红", sex="F", birth_date=THIRTEEN, address="@SUM(1)"),
        "b": child_create(
            users.director_b, name="王小刚", area_code=areas.VILLAGE_B, birth_date=datetime.date(2016, 1, 1)
        ),
    }


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _column(rows, header):
    index = rows[0].index(header)
    return [r[index] for r in rows[1:]]


def test_csv_masks_ids_neutralises_formulas_and_keeps_to_the_area(client, users, children):
    client.force_login(users.director)
    response = client.get(reverse("exchange:export"), {"format": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["姓名", "拼音", "身份证号"]
    assert sorted(_column(rows, "姓名")) == ["张小明", "李小红"]  # not 王小刚 of village B
    number = children["number"]
    assert number[:3] + "*" * 11 + number[-4:] in _column(rows, "身份证号")
    assert not any(number in cell for row in rows for cell in row)
    assert sorted(_column(rows, "详细住址")) == ['\'=HYPERLINK("http://x")', "'@SUM(1)"]
    log = AccessLog.objects.get(action="export")
    assert log.user == users.director and log.detail["rows"] == 2 and log.detail["format"] == "csv"


def test_filters_and_search_apply_and_are_logged(client, users, children):
    client.force_login(users.supervisor)
    rows = _csv(client.get(reverse("exchange:export"), {"format": "csv", "age_band": "12-15"}))
    assert _column(rows, "姓名") == ["李小红"]
    rows = _csv(client.get(reverse("exchange:export"), {"format": "csv", "q": "wxg"}))
    assert _column(rows, "姓名") == ["王小刚"]
    logs = list(AccessLog.objects.filter(action="export").order_by("pk"))
    assert logs[0].detail["age_band"] == "12-15" and logs[1].detail["query"] == "wxg"
    assert logs[1].detail["rows"] == 1


def test_xlsx_export_masks_and_neutralises(client, users, children):
    client.force_login(users.director)
    response = client.get(reverse("exchange:export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"张小明", "李小红"}
    assert by_name["张小明"]["身份证号"] == children["number"][:3] + "*" * 11 + children["number"][-4:]
    assert by_name["张小明"]["详细住址"] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert by_name["李小红"]["详细住址"] == "'@SUM(1)"


def test_headers_follow_the_ui_language(users, children):
    from django.utils.translation import override

    from seedling.exchange.export import child_list_export

    with override("en"):
        header = next(child_list_export(user=users.director, fmt="csv").rows())
    assert header[0] == "Name" and "Sex" in header
    with override("zh-hans"):
        assert next(child_list_export(user=users.director, fmt="csv").rows())[0] == "姓名"


def test_full_numbers_need_a_reason_and_the_reveal_right_and_are_logged(client, users, children):
    client.force_login(users.county_officer)
    refused = client.post(reverse("exchange:export"), {"format": "csv", "full_ids": "1", "reason": ""})
    assert refused.status_code == 302 and not AccessLog.objects.filter(action="export").exists()
    response = client.post(
        reverse("exchange:export"), {"format": "csv", "full_ids": "1", "reason": "发放补贴核对"}
    )
    rows = _csv(response)
    assert children["number"] in _column(rows, "身份证号")
    reveals = AccessLog.objects.filter(action="reveal", reason="发放补贴核对")
    assert set(reveals.values_list("child_id", flat=True)) == {
        c.pk for k, c in children.items() if k != "number"
    }
    export = AccessLog.objects.get(action="export")
    assert export.detail["full_ids"] == 3
    assert export.area_code == users.county_officer.area_prefixes("export")[0]  # area auditors see it
    # asking by GET never reveals
    rows = _csv(client.get(reverse("exchange:export"), {"format": "csv", "full_ids": "1", "reason": "x y"}))
    assert children["number"] not in _column(rows, "身份证号")


def test_roles_without_export_get_nothing(client, users, children):
    for name in ("researcher", "social_worker", "counsellor", "admin"):
        client.force_login(getattr(users, name))
        assert client.get(reverse("exchange:export"), {"format": "csv"}).status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_city_officer_exports_masked_only(client, users, children):
    client.force_login(users.city_officer)  # may export, may not reveal
    rows = _csv(client.get(reverse("exchange:export"), {"format": "csv"}))
    assert len(rows) == 4
    denied = client.post(reverse("exchange:export"), {"format": "csv", "full_ids": "1", "reason": "核对"})
    assert denied.status_code == 403


def test_export_buttons_offer_what_the_user_may_do(rf, users):
    from django.template.loader import render_to_string

    request = rf.get("/children/?category=orphan&page=2")
    request.user = users.director
    html = render_to_string("registry/_export_buttons.html", {"request": request})
    assert "format=csv&amp;category=orphan" in html and "page=2" not in html
    assert "导出完整身份证号" in html
    request.user = users.city_officer
    html = render_to_string("registry/_export_buttons.html", {"request": request})
    assert "导出 CSV" in html and "导出完整身份证号" not in html
    request.user = users.researcher
    assert render_to_string("registry/_export_buttons.html", {"request": request}).strip() == ""
