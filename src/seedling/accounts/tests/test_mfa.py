"""Two-step verification: who must have it, what they can reach without it, and signing in with it."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.authtoken.models import Token

from seedling.accounts.mfa import mfa_required
from seedling.core.models import AccessLog
from seedling.testing.scenario import PASSWORD

from .helpers import activate_totp, recovery_codes, sign_in, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _default_mfa_rule(settings):
    # The shipped default, whatever the test suite around us chooses.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "village"


@pytest.mark.parametrize(
    ("threshold", "required"),
    [
        (
            "village",
            {
                "director": False,
                "supervisor": True,
                "county_officer": True,
                "national_officer": True,
                "social_worker": True,  # placed at a township
                "admin": True,
            },
        ),
        (
            "township",
            {"director": False, "supervisor": False, "county_officer": True, "social_worker": False},
        ),
        ("none", {"director": False, "supervisor": False, "national_officer": False, "admin": False}),
    ],
)
def test_who_must_use_two_step_verification(settings, users, threshold, required):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = threshold
    assert {name: mfa_required(getattr(users, name)) for name in required} == required


def test_superuser_without_a_role_counts_as_national(users):
    from seedling.accounts.models import User

    root = User.objects.create_superuser("root", password="x" * 12)
    assert mfa_required(root)


def test_village_director_is_not_forced(client, users):
    assert sign_in(client, "director").url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "建议启用" in response.content.decode()


def test_supervisor_without_totp_reaches_only_the_activation_page(client, users):
    sign_in(client, "supervisor")
    for path in [reverse("home"), reverse("mfa_index"), reverse("account_change_password"), "/admin/"]:
        response = client.get(path)
        assert (response.status_code, response.url) == (302, ACTIVATE), path
    response = client.get(ACTIVATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "您的角色必须启用两步验证" in html
    assert reverse("child_list") not in html  # the menu is hidden until it is set up
    # The language switch and signing out still work.
    response = client.post(reverse("set_language"), {"language": "en", "next": ACTIVATE})
    assert (response.status_code, response.url) == (302, ACTIVATE)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_public_pages_for_children_stay_open_but_portal_staff_pages_do_not(client, users):
    sign_in(client, "county_officer")  # a county officer without an authenticator yet
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("portal:articles")).status_code == 200
    for path in [reverse("portal:manage"), reverse("portal:hotline_create"), reverse("child_list")]:
        response = client.get(path)
        assert (response.status_code, response.url) == (302, ACTIVATE), path


def test_htmx_requests_are_sent_to_the_activation_page(client, users):
    sign_in(client, "supervisor")
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == ACTIVATE


def test_threshold_township_lets_a_supervisor_work_without_totp(client, users, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "township"
    sign_in(client, "supervisor")
    assert client.get(reverse("mfa_index")).status_code == 200
    client.post(reverse("account_logout"))
    sign_in(client, "county_officer")
    assert client.get(reverse("mfa_index")).url == ACTIVATE


def test_threshold_none_turns_it_off(client, users, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    sign_in(client, "national_officer")
    assert client.get(reverse("mfa_index")).status_code == 200


def test_activation_then_home_then_sign_in_with_a_code(client, users):
    sign_in(client, "supervisor")
    secret = activate_totp(client)
    assert client.get(reverse("home")).status_code == 200
    # The secret is stored encrypted, not as the base32 text an attacker could import.
    stored = Authenticator.objects.get(user=users.supervisor, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)
    # Recovery codes were made with it and are shown once after activation.
    assert len(recovery_codes(users.supervisor)) > 0

    client.post(reverse("account_logout"))
    response = sign_in(client, "supervisor")
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    page = client.get(reverse("mfa_authenticate"))
    assert "两步验证" in page.content.decode()

    response = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "111111"}
    )
    assert "验证码不正确。" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, step=1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users.supervisor.pk)
    assert client.get(reverse("home")).status_code == 200
    row = AccessLog.objects.filter(user=users.supervisor, detail__result="success").latest("id")
    assert row.detail["mfa"] == "totp"
    assert AccessLog.objects.filter(user=users.supervisor, detail__result="mfa_failed").count() == 1


def test_sign_in_with_a_recovery_code_which_then_is_used_up(client, users):
    sign_in(client, "county_officer")
    activate_totp(client)
    code = recovery_codes(users.county_officer)[0]
    client.post(reverse("account_logout"))

    sign_in(client, "county_officer")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users.county_officer.pk)
    row = AccessLog.objects.filter(user=users.county_officer, detail__result="success").latest("id")
    assert row.detail["mfa"] == "recovery_codes"
    assert code not in recovery_codes(users.county_officer)

    client.post(reverse("account_logout"))
    sign_in(client, "county_officer")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


def _age_sign_in(client, seconds=600):
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= seconds
    session.save()


def test_setup_right_after_sign_in_needs_no_second_password_but_later_it_does(client, users):
    sign_in(client, "supervisor")
    assert client.get(ACTIVATE).status_code == 200
    _age_sign_in(client)
    response = client.get(ACTIVATE)
    assert response.url.startswith(reverse("account_reauthenticate"))
    # The re-authentication page is reachable although two-step verification is still missing.
    assert client.get(response.url).status_code == 200
    client.post(response.url, {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200


def test_recovery_codes_are_shown_right_after_activation(client, users):
    sign_in(client, "supervisor")
    response = client.get(ACTIVATE)
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    page = client.get(response.url)
    assert page.status_code == 200
    codes = recovery_codes(users.supervisor)
    assert all(code in page.content.decode() for code in codes)


def test_required_totp_cannot_be_switched_off_but_optional_can(client, users):
    sign_in(client, "supervisor")
    activate_totp(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=users.supervisor, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    sign_in(client, "director")
    activate_totp(client)
    _age_sign_in(client)
    # Switching it off is sensitive: a while after signing in, allauth asks for the password again.
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.url == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=users.director, type=Authenticator.Type.TOTP).exists()


def test_api_token_is_not_blocked_but_the_session_is(client, users):
    token = Token.objects.create(user=users.supervisor)
    api_root = "/api/v1/"
    assert client.get(api_root, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200

    sign_in(client, "supervisor")
    response = client.get(api_root)
    assert response.status_code == 403
    assert "两步验证" in response.json()["detail"]


def test_mfa_index_is_the_my_account_page(client, users):
    sign_in(client, "director")
    html = client.get(reverse("mfa_index")).content.decode()
    assert "账户安全" in html and "村（居）儿童主任" in html and reverse("account_change_password") in html


def test_a_police_contact_without_an_area_role_must_use_two_step_verification(settings):
    from seedling.accounts.models import User
    from seedling.protection.models import ReportContact

    settings.SEEDLING_MFA_REQUIRED_ABOVE = "village"
    police = User.objects.create_user(username="police", password=PASSWORD)
    assert not mfa_required(police)  # no role and no link: nothing to protect yet
    contact = ReportContact.objects.create(area_prefix="330723101", kind="police", name="履坦派出所")
    contact.users.add(police)
    assert mfa_required(police)
