"""A province of screening data: identified children with everything a file holds, anonymous self-checks."""

import datetime

import pytest

from seedling.accounts.roles import Role
from seedling.registry.models import Person
from seedling.testing import areas
from seedling.testing.factories import child_create, valid_id
from seedling.testing.scenario import make_user

from .helpers import at, phq_a, respond


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about research data; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    settings.SEEDLING_RESEARCH_MIN_CELL = 5


@pytest.fixture
def phq(db):
    return phq_a()


@pytest.fixture
def researcher_bj(db):
    """A researcher of another province (Beijing)."""
    return make_user("researcher_bj", Role.RESEARCHER, "11", "北京研究员")


@pytest.fixture
def ouyang(users):
    """A child whose file has everything that must never reach a researcher."""
    birth = datetime.date(2011, 4, 5)
    child = child_create(
        users.director,
        name="欧阳小雨",
        sex="F",
        birth_date=birth,
        id_number=valid_id(birth, "F"),
        school="武义县履坦镇中心小学",
        grade="g6",
        address="寺后村 12 号",
    )
    Person.objects.create(child=child, relation="mother", name="司马秀英", phone="13905790001")
    return child


@pytest.fixture
def dataset(users, phq, ouyang):
    """Zhejiang: 武义县 with 9 responses (欧阳小雨 twice), 温岭市 with 1; Beijing 通州区 with 2.

    Bands in 武义县: green ×4, yellow ×3 (欧阳小雨's first), orange ×1 (her second), red ×1.
    """
    first = respond(phq, child=ouyang, user=users.director, level=1, when=at(2024, 5, 10))
    second = respond(phq, child=ouyang, user=users.director, level=2, when=at(2024, 11, 3))
    others = []
    for n, (level, sex, village) in enumerate(
        [
            (0, "M", areas.VILLAGE_A),
            (0, "F", areas.VILLAGE_B),
            (0, "M", areas.VILLAGE_B),
            (1, "M", areas.VILLAGE_A),
        ]
    ):
        child = child_create(
            users.supervisor,
            name=f"王小{'一二三四'[n]}",
            sex=sex,
            birth_date=datetime.date(2009 + n, 3, 1),
            area_code=village,
        )
        others.append(respond(phq, child=child, user=users.director, level=level))
    # Anonymous self-checks in the county (no child): green, yellow, red.
    anonymous = [respond(phq, level=level, area_code=areas.TOWNSHIP) for level in (0, 1, 3)]
    wenling = child_create(users.director_other_county, name="陈小温", area_code=areas.OTHER_COUNTY_VILLAGE)
    small = respond(phq, child=wenling, level=0)
    beijing = [respond(phq, level=0, area_code=areas.BEIJING_DISTRICT) for _ in range(2)]
    return {
        "ouyang": [first, second],
        "others": others,
        "anonymous": anonymous,
        "wenling": small,
        "beijing": beijing,
    }
