"""One shared set of scenario users, used by every test (and mirrored by the demo users)."""

from types import SimpleNamespace

from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Role

from . import areas

PASSWORD = "seedling-demo"  # noqa: S105 -- the published demo password (README)

# name -> (role, area code or "" for national, full name)
SCENARIO = {
    "director": (Role.VILLAGE_DIRECTOR, areas.VILLAGE_A, "王村主任"),
    "director_b": (Role.VILLAGE_DIRECTOR, areas.VILLAGE_B, "李村主任"),
    "director_other_county": (Role.VILLAGE_DIRECTOR, areas.OTHER_COUNTY_VILLAGE, "陈村主任"),
    "supervisor": (Role.TOWNSHIP_SUPERVISOR, areas.TOWNSHIP, "赵督导"),
    "county_officer": (Role.COUNTY_OFFICER, areas.COUNTY, "钱科长"),
    "city_officer": (Role.CITY_OFFICER, areas.CITY, "孙处长"),
    "province_officer": (Role.PROVINCE_OFFICER, areas.PROVINCE, "周处长"),
    "national_officer": (Role.NATIONAL_OFFICER, "", "吴司长"),
    "institution_worker": (Role.INSTITUTION_WORKER, areas.COUNTY, "郑保育员"),
    "social_worker": (Role.SOCIAL_WORKER, areas.TOWNSHIP, "冯社工"),
    "counsellor": (Role.SCHOOL_COUNSELLOR, areas.TOWNSHIP, "褚老师"),
    "researcher": (Role.RESEARCHER, areas.PROVINCE, "卫研究员"),
    "admin": (Role.SYSADMIN, "", "蒋管理员"),
}


def make_user(
    username: str, role: str, area_code: str, full_name: str = "", password: str = PASSWORD
) -> User:
    user = User.objects.create_user(username=username, password=password, full_name=full_name)
    Membership.objects.create(user=user, role=role, area_id=area_code or None)
    return user


def scenario_users() -> SimpleNamespace:
    return SimpleNamespace(
        **{name: make_user(name, role, area, full_name) for name, (role, area, full_name) in SCENARIO.items()}
    )
