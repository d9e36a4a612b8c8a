"""A township supervisor's first sign-in on a 360-px phone: set up the authenticator app, then sign in
with a code (issue: login with allauth, TOTP for every role above village level)."""

import re

import pytest

from seedling.accounts.tests.helpers import totp_code
from seedling.testing.scenario import PASSWORD

pytestmark = [pytest.mark.browser]


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _submit_sign_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_first_sign_in_sets_up_the_authenticator_then_asks_for_codes(live_site, tx_users, phone, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "village"
    from playwright.sync_api import expect

    base, page = live_site.url, phone

    _submit_sign_in(page, base, "supervisor", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确。")
    assert _fits_the_screen(page)

    _submit_sign_in(page, base, "supervisor", PASSWORD)
    page.wait_for_url(re.compile(r".*/2fa/totp/activate/$"))
    expect(page.get_by_role("alert").last).to_contain_text("您的角色必须启用两步验证")
    assert _fits_the_screen(page)
    secret = page.input_value("#authenticator_secret")
    page.fill('input[name="code"]', totp_code(secret))
    page.get_by_role("button", name="启用").click()

    page.wait_for_url(re.compile(r".*/2fa/recovery-codes/$"))
    expect(page.locator("#recovery_codes")).to_be_visible()
    assert _fits_the_screen(page)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.locator("h1")).to_contain_text("我的工作")

    page.context.clear_cookies()
    _submit_sign_in(page, base, "supervisor", PASSWORD)
    page.wait_for_url(re.compile(r".*/2fa/authenticate/$"))
    assert _fits_the_screen(page)
    page.fill('input[name="code"]', totp_code(secret, step=1))
    page.get_by_role("button", name="验证并登录").click()
    expect(page.locator("h1")).to_contain_text("我的工作")
