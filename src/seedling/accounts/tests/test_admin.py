"""User administration: who may use the admin, what an area's system administrator sees, and the rule
that a role sits at its level (成员资格)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.urls import reverse

from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Role
from seedling.core.models import AccessLog
from seedling.testing import areas
from seedling.testing.scenario import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa_gate(settings):
    # The second factor is tested in test_mfa.py; here it would only add sign-in steps.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="root-password-123")


@pytest.fixture
def province_admin(users):
    user = make_user("zj_admin", Role.SYSADMIN, areas.PROVINCE, "省管理员")
    user.is_staff = True
    user.save()
    return user


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_only_superusers_and_staff_sysadmins_may_use_the_admin(client, users, root, province_admin):
    users.county_officer.is_staff = True  # staff flag without the sysadmin role
    users.county_officer.save()
    users.admin.is_staff = False  # sysadmin role without the staff flag
    users.admin.save()
    for user, allowed in [
        (root, True),
        (province_admin, True),
        (users.county_officer, False),
        (users.admin, False),
    ]:
        client.force_login(user)
        response = client.get(reverse("admin:accounts_user_changelist"))
        assert (response.status_code == 200) is allowed, user.username


def test_user_page_shows_memberships_inline(client, users, root):
    client.force_login(root)
    response = client.get(reverse("admin:accounts_user_change", args=[users.supervisor.pk]))
    html = response.content.decode()
    assert 'name="memberships-TOTAL_FORMS"' in html
    assert "乡镇（街道）儿童督导员" in html


@pytest.mark.parametrize(
    ("role", "area", "message"),
    [
        (
            Role.TOWNSHIP_SUPERVISOR,
            areas.COUNTY,
            "角色“乡镇（街道）儿童督导员”须设在乡级区划；所选区域是县级（武义县）。",
        ),
        (Role.VILLAGE_DIRECTOR, None, "角色“村（居）儿童主任”须设在村级区划；所选区域是全国。"),
        (
            Role.NATIONAL_OFFICER,
            areas.PROVINCE,
            "角色“国家级民政干部”的区域须留空（全国）；所选区域是省级（浙江省）。",
        ),
    ],
)
def test_a_role_must_sit_at_its_level(users, role, area, message):
    membership = Membership(user=users.director, role=role, area_id=area)
    with pytest.raises(ValidationError) as caught:
        membership.full_clean()
    assert caught.value.message_dict["area"] == [message]


def test_roles_without_a_fixed_level_go_anywhere(users):
    Membership(user=users.director, role=Role.SOCIAL_WORKER, area_id=areas.VILLAGE_A).full_clean()
    Membership(user=users.director, role=Role.SYSADMIN, area_id=None).full_clean()


def test_admin_refuses_a_membership_at_the_wrong_level(client, users, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": users.director.pk,
            "role": Role.TOWNSHIP_SUPERVISOR,
            "area": areas.COUNTY,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "须设在乡级区划；所选区域是县级（武义县）" in response.content.decode()
    assert not Membership.objects.filter(user=users.director, role=Role.TOWNSHIP_SUPERVISOR).exists()

    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": users.director.pk,
            "role": Role.TOWNSHIP_SUPERVISOR,
            "area": areas.TOWNSHIP,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=users.director, role=Role.TOWNSHIP_SUPERVISOR).exists()


def test_an_area_sysadmin_manages_only_users_of_the_area(client, users, root, province_admin):
    outsider = make_user("bj_officer", Role.COUNTY_OFFICER, areas.BEIJING_DISTRICT, "北京干部")
    client.force_login(province_admin)
    html = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "王村主任" in html
    assert "北京干部" not in html
    assert "root" not in html  # nobody but a superuser touches a superuser
    assert client.get(reverse("admin:accounts_user_change", args=[outsider.pk])).status_code == 302

    response = client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": users.director.pk,
            "role": Role.COUNTY_OFFICER,
            "area": areas.BEIJING_DISTRICT,
            "is_active": "on",
        },
    )
    assert "您只能在自己管理的区域内分配角色。" in response.content.decode()
    assert not Membership.objects.filter(area_id=areas.BEIJING_DISTRICT, user=users.director).exists()


def test_a_sysadmin_cannot_grant_superuser_status(client, users, province_admin):
    client.force_login(province_admin)
    html = client.get(reverse("admin:accounts_user_change", args=[users.director.pk])).content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="is_active"' in html


def test_reset_two_step_verification_for_a_lost_phone(client, users, root):
    Authenticator.objects.create(user=users.supervisor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_mfa", "_selected_action": [users.supervisor.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=users.supervisor).exists()
    row = AccessLog.objects.get(action=AccessLog.Action.CHANGE, object_id=str(users.supervisor.pk))
    assert (row.user, row.detail) == (root, {"what": "mfa_reset"})


def _new_user_form(role, area):
    return {
        "username": "new_director",
        "full_name": "新主任",
        "usable_password": "true",
        "password1": "a-long-new-password",
        "password2": "a-long-new-password",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": role,
        "memberships-0-area": area,
        "memberships-0-is_active": "on",
    }


def test_an_area_sysadmin_creates_a_user_with_a_role(client, users, province_admin):
    client.force_login(province_admin)
    add = reverse("admin:accounts_user_add")
    response = client.post(add, _new_user_form(Role.VILLAGE_DIRECTOR, areas.TOWNSHIP))
    assert "须设在村级区划；所选区域是乡级（履坦镇）" in response.content.decode()
    assert not User.objects.filter(username="new_director").exists()

    response = client.post(add, _new_user_form(Role.VILLAGE_DIRECTOR, areas.VILLAGE_B))
    assert response.status_code == 302
    created = User.objects.get(username="new_director")
    assert [(m.role, m.area_id) for m in created.memberships.all()] == [
        (Role.VILLAGE_DIRECTOR, areas.VILLAGE_B)
    ]
    assert created.check_password("a-long-new-password")


def test_a_user_cannot_hold_the_same_national_role_twice(users):
    from django.db import IntegrityError, transaction

    from seedling.accounts.models import Membership

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=users.national_officer, role="national_officer", area=None)
