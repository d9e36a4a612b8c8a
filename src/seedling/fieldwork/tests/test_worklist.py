"""Work lists: the director's children due and overdue, the supervisor's counts per village, the
county's per township, each within the user's area only."""

import pytest
from django.urls import reverse

from seedling.core import clock
from seedling.fieldwork import selectors
from seedling.geo.models import Division
from seedling.testing import areas
from seedling.testing.factories import child_create

from .conftest import assign, days, visit

pytestmark = pytest.mark.django_db


NAMES = {"A1": "王一", "A2": "王二", "A3": "王三", "B1": "李四", "O1": "陈五"}


@pytest.fixture
def village_children(users):
    """A1 overdue (5 days), A2 due in 10 days, A3 visited today; B1 and O1 (another township) past the
    grace period. Orphans are visited monthly: the category's start date sets the first due date."""
    today = clock.today()
    made = {}
    for key, user, area, started in (
        ("A1", users.director, areas.VILLAGE_A, 35),
        ("A2", users.director, areas.VILLAGE_A, 20),
        ("A3", users.director, areas.VILLAGE_A, 0),
        ("B1", users.director_b, areas.VILLAGE_B, 45),
        ("O1", users.county_officer, areas.OTHER_TOWNSHIP_VILLAGE, 50),
    ):
        child = child_create(user, name=NAMES[key], area_code=area)
        assign(users.county_officer, child, "orphan", started_on=today - days(started))
        made[key] = child
    visit(users.director, made["A3"])
    return made


def names(rows):
    return [s.child.name for s in rows]


def test_the_director_sees_due_overdue_and_never_visited_children_of_the_village(users, village_children):
    rows = selectors.worklist_children(user=users.director, area=areas.VILLAGE_A)
    assert names(rows) == ["王一", "王二"]  # most urgent first; A3 was visited today
    assert names(selectors.worklist_children(user=users.director, area=areas.VILLAGE_A, show="overdue")) == [
        "王一"
    ]
    assert names(selectors.worklist_children(user=users.director, area=areas.VILLAGE_A, within=5)) == [
        "王一",
        "王二",
    ]
    assert (
        names(selectors.worklist_children(user=users.director, area=areas.VILLAGE_A, show="due", within=5))
        == []
    )
    assert names(selectors.worklist_children(user=users.director, area=areas.VILLAGE_B)) == []  # not hers


def count_rows(rows):
    return {r.code: (r.children, r.overdue, r.escalated, r.due, r.never) for r in rows if r.children}


def test_the_supervisor_counts_per_village_of_the_township(users, village_children):
    township = Division.objects.get(code=areas.TOWNSHIP)
    rows = selectors.worklist_areas(user=users.supervisor, area=township)
    assert count_rows(rows) == {
        areas.VILLAGE_A: (3, 1, 0, 1, 2),
        areas.VILLAGE_B: (1, 1, 1, 0, 1),
    }
    assert all(r.code.startswith(areas.TOWNSHIP) for r in rows)  # every village of the township is listed
    assert selectors.worklist_totals(rows).overdue == 2


def test_the_county_counts_per_township(users, village_children):
    county = Division.objects.get(code=areas.COUNTY)
    rows = count_rows(selectors.worklist_areas(user=users.county_officer, area=county))
    assert rows == {
        areas.TOWNSHIP: (4, 2, 1, 1, 3),
        areas.OTHER_TOWNSHIP_VILLAGE[:9]: (1, 1, 1, 0, 1),
    }


def test_nobody_counts_outside_their_area(users, village_children):
    county = Division.objects.get(code=areas.COUNTY)
    with pytest.raises(Exception) as exc:
        selectors.worklist_area(user=users.supervisor, code=county.code)
    assert exc.type.__name__ == "Http404"
    assert count_rows(selectors.worklist_areas(user=users.director_other_county, area=county)) == {}


def test_pages_for_each_role(client, users, village_children):
    url = reverse("fieldwork:worklist")
    client.force_login(users.director)
    body = client.get(url).content.decode()
    assert "王一" in body and "王二" in body and "李四" not in body
    assert reverse("fieldwork:visit_create", kwargs={"uuid": village_children["A1"].uuid}) in body
    assert client.get(url, {"area": areas.VILLAGE_B}).status_code == 404

    client.force_login(users.supervisor)
    body = client.get(url).content.decode()
    assert 'data-area="330723101201"' in body and "王一" not in body  # counts, not names
    drill = client.get(url, {"area": areas.VILLAGE_A}).content.decode()
    assert "王一" in drill and "记录走访" in drill

    client.force_login(users.county_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert f'data-area="{areas.TOWNSHIP}"' in response.content.decode()

    client.force_login(users.researcher)  # de-identified data only: no work list
    assert client.get(url).status_code == 404


def test_the_navigation_links_to_the_work_list(client, users):
    client.force_login(users.director)
    assert reverse("fieldwork:worklist") in client.get(reverse("home")).content.decode()
