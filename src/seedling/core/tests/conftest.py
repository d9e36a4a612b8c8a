import pytest

from seedling.core.audit import audit_log
from seedling.testing import areas


@pytest.fixture
def log_rows(users):
    """A few access-log rows: reads in two counties, a change, and a sign-in (no area)."""

    def write(n: int = 5):
        rows = []
        for i in range(n):
            area = areas.VILLAGE_A if i % 2 == 0 else areas.OTHER_COUNTY_VILLAGE
            rows.append(audit_log(user=users.county_officer, action="view", area_code=area, reason=f"r{i}"))
        return rows

    return write
