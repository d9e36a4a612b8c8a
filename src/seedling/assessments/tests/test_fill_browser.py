"""The fill page in a real browser (Chromium, 375-px phone): relevance, calculations, choice filters,
repeats and constraint messages happen while filling; the server still checks on submit."""

import os
import re
import shutil

import pytest

from seedling.assessments.models import Response
from seedling.testing.scenario import PASSWORD

from .forms import form_import

pytestmark = [pytest.mark.browser]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("SEEDLING_CHROMIUM", "/usr/bin/chromium")

FORM = """
| survey |
|        | type              | name    | label                | relevant           | constraint   | constraint_message | calculation     | choice_filter | required |
|        | select_one yn     | school  | 在上学吗？           |                    |              |                    |                 |               | yes      |
|        | text              | grade   | 几年级？             | ${school} = 'yes'  |              |                    |                 |               | yes      |
|        | integer           | age     | 年龄                 |                    | . < 18       | 儿童应未满 18 岁   |                 |               |          |
|        | calculate         | next    |                      |                    |              |                    | ${age} + 1      |               |          |
|        | note              | hello   | 明年你 ${next} 岁    |                    |              |                    |                 |               |          |
|        | select_one county | county  | 县                   |                    |              |                    |                 |               |          |
|        | select_one town   | town    | 乡镇                 |                    |              |                    |                 | county = ${county} |     |
|        | begin_repeat      | sib     | 兄弟姐妹             |                    |              |                    |                 |               |          |
|        | text              | sname   | 名字                 |                    |              |                    |                 |               |          |
|        | calculate         | num     |                      |                    |              |                    | position(..)    |               |          |
|        | note              | which   | 第 ${num} 位          |                    |              |                    |                 |               |          |
|        | end_repeat        |         |                      |                    |              |                    |                 |               |          |
| choices |
|         | list_name | name | label | county |
|         | yn        | yes  | 是    |        |
|         | yn        | no   | 否    |        |
|         | county    | c1   | 甲县  |        |
|         | county    | c2   | 乙县  |        |
|         | town      | t1   | 一镇  | c1     |
|         | town      | t3   | 三镇  | c2     |
"""


@pytest.fixture
def phone():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        yield page
        browser.close()


def test_filling_a_form_in_the_browser(live_site, tx_users, phone):
    from playwright.sync_api import expect

    version = form_import(FORM)
    page = phone
    page.goto(f"{live_site.url}/accounts/login/")
    page.fill('input[name="login"]', "director")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_site.url}/assessments/q/{version.pk}/fill/")

    grade = page.locator('[data-node="grade"]')
    expect(grade).to_be_hidden()
    page.get_by_label("是").check()
    expect(grade).to_be_visible()  # relevance, live

    page.fill('input[name="age"]', "12")
    expect(page.locator('[data-node="hello"]')).to_contain_text("明年你 13 岁")  # calculation + output
    page.fill('input[name="age"]', "20")
    expect(page.locator('[data-node="age"] [data-error]')).to_have_text("儿童应未满 18 岁")
    page.fill('input[name="age"]', "9")
    expect(page.locator('[data-node="age"] [data-error]')).to_have_text("")

    page.get_by_label("乙县").check()
    expect(page.get_by_label("一镇")).to_be_hidden()  # choice filter
    page.get_by_label("三镇").check()

    page.fill('input[name="sib[0]/sname"]', "大哥")
    page.get_by_role("button", name="添加一条").click()
    page.fill('input[name="sib[1]/sname"]', "小妹")
    expect(page.locator('[data-node="sib[1]/which"]')).to_contain_text("第 2 位")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-node="sib[0]"] [data-remove]').click()
    expect(page.locator('input[name="sib[0]/sname"]')).to_have_value("小妹")  # renumbered
    expect(page.locator('[data-node="sib[0]/which"]')).to_contain_text("第 1 位")

    page.get_by_role("button", name="提交").click()  # grade is required and empty: stopped in the page
    expect(page.locator('[data-node="grade"] [data-error]')).to_have_text("此题必须回答。")
    assert not Response.objects.exists()
    page.fill('input[name="grade"]', "四年级")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_have_text("已提交")
    stored = Response.objects.get()
    assert stored.answers == {
        "school": "yes",
        "grade": "四年级",
        "age": 9,
        "next": "10",
        "county": "c2",
        "town": "t3",
        "sib": [{"sname": "小妹", "num": "1"}],
    }
    assert page.js_errors == []
