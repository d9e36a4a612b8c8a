"""Screening and the self-service portal, in a real browser on a 375-px phone (issue 5, section 7).

A school counsellor starts a PHQ-A campaign for a class and prints the invitation codes; a student
opens the link, types their code and answers: the red result shows kind words and the hotlines at
once, and the counsellor finds an urgent task in the inbox. A guardian, with no account, takes an
anonymous self-check on the portal and sees the county's hotline at the top of the result.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from seedling.testing import areas

from .test_fieldwork_journey import nav, sign_in

pytestmark = [pytest.mark.browser]

PHONE_WIDTH = 375
COUNTY_LINE = "0579-8765 4321"
COUNTY_DIAL = "057987654321"  # what the tel: link dials
SCHOOL, CLASS = "履坦镇初级中学", "初二（3）班"


def fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        f"""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > {PHONE_WIDTH})
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""
    )
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px phone: {wide}"


@pytest.fixture
def phone375(browser):
    def make():
        context = browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": 780}, locale="zh-CN", is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    pages = []
    yield lambda: pages.append(make()) or pages[-1]
    for page in pages:
        page.context.close()


@pytest.fixture
def school_class(tx_users, settings):
    """A pilot school's grade-8 class of two students aged 14 (no guardian consent needed), the built-in
    instruments, and the hotlines of the county and the nation."""
    from seedling.assessments.services import instruments_builtin_load
    from seedling.portal.models import Hotline
    from seedling.schools.models import School, SchoolClass, Student

    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    instruments_builtin_load()
    school = School.objects.create(name=SCHOOL, kind=School.Kind.JUNIOR, area_id=areas.TOWNSHIP, pilot=True)
    klass = SchoolClass.objects.create(school=school, school_year=2026, grade=8, name=CLASS)
    for name, born in (("林晓雨", datetime.date(2011, 9, 3)), ("陈子轩", datetime.date(2012, 1, 20))):
        Student.objects.create(school_class=klass, name=name, birth_date=born, sex="F")
    Hotline.objects.create(area_id=areas.COUNTY, name_zh="武义县心理援助热线", name_en="Wuyi helpline",
                           number=COUNTY_LINE)  # fmt: skip
    Hotline.objects.create(area=None, name_zh="青少年服务台", name_en="Youth helpline", number="12355")
    return klass


def choose(select, text):
    """Pick the option whose label contains `text`."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def answer_everything_with_the_last_option(page):
    """The heaviest answer to every question (for PHQ-A: every symptom nearly every day, and yes)."""
    page.locator("form input[type=radio]").first.wait_for()
    names = page.eval_on_selector_all("form input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    assert len(names) >= 9
    for name in names:
        page.locator(f'form input[type=radio][name="{name}"]').last.check()


def test_a_red_phq_a_reaches_the_counsellor_and_a_guardian_sees_the_hotline(
    live_server, school_class, phone375
):
    base = live_server.url

    # 1. The counsellor starts a PHQ-A campaign for the class and prints the codes.
    counsellor = phone375()
    sign_in(counsellor, base, "counsellor")
    nav(counsellor, "心理筛查")
    counsellor.locator("#campaign-new").click()
    counsellor.get_by_label("名称").fill("初二（3）班秋季情绪筛查")
    choose(counsellor.locator("select[name=questionnaire_version]"), "PHQ-A")
    counsellor.get_by_role("radio", name="班级", exact=True).check()
    choose(counsellor.locator("select[name=school_class]"), CLASS)
    now = datetime.datetime.now()
    counsellor.locator("input[name=opens_at]").fill(
        (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    counsellor.locator("input[name=closes_at]").fill(
        (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    counsellor.locator("form button[type=submit]").last.click()
    expect(counsellor.locator("h1")).to_contain_text("初二（3）班秋季情绪筛查")
    fits_phone(counsellor)
    counsellor.get_by_role("button", name="开放并打印邀请码").click()
    expect(counsellor.locator("#codes-once")).to_be_visible()
    slip = counsellor.locator("[data-slip]").first
    student_code = slip.locator("[data-code]").inner_text().strip()
    link = re.search(r"/s/[^/\s]+/", counsellor.locator("span.font-monospace").first.inner_text()).group(0)
    fits_phone(counsellor)

    # 2. A student opens the link on their own phone, types the code and answers.
    student = phone375()
    student.goto(base + link)
    student.locator("input[name=code]").fill(student_code)
    student.get_by_role("button", name="开始").click()
    answer_everything_with_the_last_option(student)
    fits_phone(student)
    student.get_by_role("button", name="提交").click()
    hotlines = student.locator("#hotlines")
    expect(hotlines).to_be_visible()
    expect(hotlines.locator(f'a[href="tel:{COUNTY_DIAL}"]')).to_be_visible()
    expect(student.locator("body")).not_to_contain_text("重度")  # no clinical label thrown at a child
    fits_phone(student)

    # 3. The counsellor has an urgent task in the inbox, today.
    counsellor.goto(base + "/")
    expect(counsellor.locator("#inbox-count")).to_have_class(re.compile("text-bg-danger"))
    nav(counsellor, "待办")
    urgent = counsellor.locator("main").get_by_text("紧急").first
    expect(urgent).to_be_visible()
    fits_phone(counsellor)

    # 4. A guardian, with no account, takes an anonymous self-check and sees the county's hotline first.
    guardian = phone375()
    guardian.goto(base + "/portal/")
    guardian.get_by_role("link", name="选择地区").first.click()  # so the county's own lines show
    pick_county(guardian)
    guardian.goto(base + "/portal/")
    expect(guardian.locator(f'a[href="tel:{COUNTY_DIAL}"]').first).to_be_visible()
    fits_phone(guardian)
    guardian.locator("#tile-checks").click()
    guardian.get_by_label("家长或照料孩子的大人").check()
    guardian.get_by_role("button", name="看看适合我的自测").click()
    guardian.locator("[data-check]").filter(has_text="PHQ-9").get_by_role("link", name="开始").click()
    answer_everything_with_the_last_option(guardian)
    guardian.locator("form button[type=submit]").last.click()
    first = guardian.locator("#hotlines-first")  # before any words: the numbers to call now
    expect(first.locator(f'a[href="tel:{COUNTY_DIAL}"]')).to_be_visible()
    expect(first.locator('a[href="tel:12355"]')).to_be_visible()
    fits_phone(guardian)


def pick_county(page):
    page.locator("select#province").select_option(areas.PROVINCE)
    page.locator("select#city").select_option(areas.CITY)
    page.locator("select#county").select_option(areas.COUNTY)
    page.get_by_role("button", name="就是这里").click()
