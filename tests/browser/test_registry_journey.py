"""A village director's day, in a real browser on a 360-px phone (issue: foundation, section 6)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from seedling.registry import idnumber
from seedling.testing.scenario import PASSWORD

pytestmark = [pytest.mark.browser]

NAME = "林可"  # a two-character name: the hard case for search


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url(re.compile(r".*/$"))


def sign_out(page, base_url):
    page.context.clear_cookies()


def test_director_registers_confirms_and_finds_a_left_behind_child(live_site, tx_users, phone):
    base = live_site.url
    page = phone
    sign_in(page, base, "director")
    expect(page.locator("h1")).to_contain_text("我的工作")

    page.get_by_role("link", name="登记儿童").last.click()
    expect(page.locator("h1")).to_contain_text("登记儿童")
    birth = datetime.date(2015, 9, 20)
    page.fill("#id_name", NAME)
    page.fill("#id_id_number", idnumber.make("330723", birth, 135))
    page.select_option("#id_hukou_type", "rural")
    page.fill("#id_father-name", "林建国")
    page.select_option("#id_father-situation", "working_away")
    page.fill("#id_father-since", "2023-03-01")
    page.fill("#id_father-place", "杭州")
    page.select_option("#id_father-evidence_type", "employment_proof")
    page.fill("#id_mother-name", "黄美玲")
    page.select_option("#id_mother-situation", "working_away")
    page.fill("#id_mother-since", "2023-05-01")
    page.fill("#id_mother-place", "宁波")
    page.select_option("#id_mother-evidence_type", "employment_proof")
    page.fill("#id_carer-name", "林奶奶")
    page.select_option("#id_carer-relation", "paternal_grandmother")
    page.fill("#id_carer-phone", "138 0057 1234")
    page.get_by_role("button", name="保存").click()

    # The file shows the proposal with its reasons; the director confirms it.
    expect(page.locator("h1")).to_contain_text(NAME)
    proposal = page.locator('.proposal[data-category="left_behind_both"]')
    expect(proposal).to_be_visible()
    expect(proposal.locator(".reason-list li").first).to_be_visible()
    assert proposal.locator(".reason-list li").count() >= 2
    proposal.get_by_role("button", name="确认").click()
    expect(page.locator("#categories")).to_contain_text("农村留守儿童（双亲外出）")
    expect(page.locator('.proposal[data-category="left_behind_both"]')).to_have_count(0)

    # Found by the two-character name and by pinyin initials.
    page.goto(f"{base}/children/?q={NAME}")
    expect(page.locator("#results tbody")).to_contain_text(NAME)
    page.goto(f"{base}/children/?q=lk")
    expect(page.locator("#results tbody")).to_contain_text(NAME)
    page.get_by_role("link", name=NAME).first.click()
    # Wait for the file itself to load before measuring it or keeping its address.
    page.wait_for_url(re.compile(r"/children/[^/?]+/$"))
    expect(page.locator("h1")).to_contain_text(NAME)
    file_url = page.url

    # The page fits a 360-px screen: nothing wider than the viewport.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"

    # The add-a-family-member form is not in the page until its section is opened, then fetched.
    expect(page.locator('input[name="person-name"]')).to_have_count(0)
    page.locator("#family summary", has_text="添加家庭成员或照护人").click()
    expect(page.locator('#family input[name="person-name"]')).to_be_visible()
    page.fill('#family input[name="person-name"]', "林大伯")
    page.select_option('#family select[name="person-relation"]', "paternal_grandfather")
    page.locator("#family").get_by_role("button", name="添加").click()
    expect(page.locator("#family")).to_contain_text("林大伯")

    # Another village's director can neither find nor open the child.
    sign_out(page, base)
    sign_in(page, base, "director_b")
    page.goto(f"{base}/children/?q={NAME}")
    expect(page.locator("#results tbody")).not_to_contain_text(NAME)
    page.goto(f"{base}/children/?q=lk")
    expect(page.locator("#results tbody")).not_to_contain_text(NAME)
    response = page.goto(file_url)
    assert response.status == 404
