"""Demo users (演示账号): one per role, placed inside the demo data, all with the password below.

They mirror the test scenario users (seedling.testing.scenario) with short, readable usernames.
Roles above a village director must set up two-step verification (TOTP) at their first sign-in
(SEEDLING_MFA_REQUIRED_ABOVE): nothing is pre-enrolled, so the first sign-in shows a QR code to scan
with any authenticator app. The demo is the place to see that step, so it is not switched off.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.geo.models import Division

from .mfa import mfa_required
from .models import Membership, User
from .roles import Role

DEMO_PASSWORD = "seedling-demo"  # noqa: S105 -- the published demo password (README)

# Areas of the demo data (NBS 2023 codes).
VILLAGE_A = "330723101201"  # 寺后村委会, 履坦镇, 武义县
VILLAGE_B = "330723101203"  # 履二村委会, same township
TOWNSHIP = "330723101"  # 履坦镇
COUNTY = "330723"  # 武义县
CITY = "3307"  # 金华市
PROVINCE = "33"  # 浙江省


EXTRA_DEMO_USERNAMES = ["police", "counsellor_lead", "counsellor2"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    area_code: str  # "" = national
    full_name: str
    is_staff: bool = False


DEMO_USERS = [
    DemoUser("director", Role.VILLAGE_DIRECTOR, VILLAGE_A, "王村主任"),
    DemoUser("director2", Role.VILLAGE_DIRECTOR, VILLAGE_B, "李村主任"),
    DemoUser("supervisor", Role.TOWNSHIP_SUPERVISOR, TOWNSHIP, "赵督导"),
    DemoUser("county", Role.COUNTY_OFFICER, COUNTY, "钱科长"),
    DemoUser("city", Role.CITY_OFFICER, CITY, "孙处长"),
    DemoUser("province", Role.PROVINCE_OFFICER, PROVINCE, "周处长"),
    DemoUser("national", Role.NATIONAL_OFFICER, "", "吴司长"),
    DemoUser("institution", Role.INSTITUTION_WORKER, COUNTY, "郑保育员"),
    DemoUser("socialworker", Role.SOCIAL_WORKER, TOWNSHIP, "冯社工"),
    DemoUser("counsellor", Role.SCHOOL_COUNSELLOR, TOWNSHIP, "褚老师"),
    DemoUser("researcher", Role.RESEARCHER, PROVINCE, "卫研究员"),
    DemoUser("admin", Role.SYSADMIN, "", "蒋管理员", is_staff=True),
]


@transaction.atomic
def demo_users_ensure() -> dict[str, User]:
    """Create the demo users that are missing (idempotent); existing users and passwords are kept."""
    users = {}
    hashed = None  # one argon2 hash for all: it takes half a second each, and the password is public
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User(username=spec.username, full_name=spec.full_name, is_staff=spec.is_staff)
            user.password = hashed
            user.save()
        area = Division.objects.get(code=spec.area_code) if spec.area_code else None
        Membership.objects.get_or_create(user=user, role=spec.role, area=area)
        users[spec.username] = user
    return users


def demo_logins() -> list[dict[str, str]]:
    """The sign-in table: username, password, role, area, and whether the first sign-in sets up TOTP."""
    names = dict(
        Division.objects.filter(code__in=[u.area_code for u in DEMO_USERS]).values_list("code", "name")
    )
    rows = []
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        rows.append(
            {
                "username": spec.username,
                "password": DEMO_PASSWORD,
                "role": str(Role(spec.role).label),
                "area": _area_label(spec.area_code, names),
                "mfa": "TOTP" if user is not None and mfa_required(user) else "",
            }
        )
    # Accounts the workflow apps' demo parts create (same password): the police station of the
    # mandatory-report demo (no membership: it sees only the reports routed to the station) and the
    # counsellor pool's lead and second counsellor.
    for username in EXTRA_DEMO_USERNAMES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        membership = user.memberships.select_related("area").first()
        if membership is None:
            role, area = str(_("接报单位（派出所）")), str(_("履坦派出所"))
        else:
            role = str(Role(membership.role).label)
            area = f"{membership.area.name} {membership.area_id}" if membership.area_id else str(_("全国"))
        rows.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "role": role,
                "area": area,
                "mfa": "TOTP" if mfa_required(user) else "",
            }
        )
    return rows


def _area_label(code: str, names: dict[str, str]) -> str:
    if not code:
        return str(_("全国"))
    return f"{names.get(code, '')} {code}".strip()


def logins_table() -> str:
    """The sign-in table as aligned text for a terminal (CJK characters count double)."""
    header = {"username": "username", "password": "password", "role": "role", "area": "area", "mfa": "MFA"}
    rows = [header, *demo_logins()]
    keys = list(header)
    widths = {k: max(_width(r[k]) for r in rows) for k in keys}
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(row[k] + " " * (widths[k] - _width(row[k])) for k in keys).rstrip())
        if i == 0:
            lines.append("  ".join("-" * widths[k] for k in keys))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
