"""The demo: the researcher's project and enough self-checks for the tables, once."""

import pytest

from seedling.research import demo
from seedling.research.aggregates import aggregate_tables
from seedling.research.filters import filters_clean

pytestmark = pytest.mark.django_db


def test_demo_data_is_made_once_and_shows_on_the_tables(users):
    first = demo.demo_ensure()
    assert first == {"projects": 1, "responses": sum(n for _area, n in demo.SELF_CHECKS)}
    assert demo.demo_ensure() == {"projects": 0, "responses": 0}
    filters = filters_clean(user=users.researcher, data={"instrument": "phq-a"})
    report = aggregate_tables(user=users.researcher, filters=filters)
    assert report.total == first["responses"] and report.tables[0].published.hidden > 0
