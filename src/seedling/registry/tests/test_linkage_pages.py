"""Pages of the duplicate queue: list, the pair side by side with the score in words, merge, unmerge."""

import datetime

import pytest
from django.urls import include, path

from seedling.core.models import AccessLog
from seedling.registry import idnumber, services
from seedling.registry.linkage import services as linkage
from seedling.registry.models import Child, DuplicateCandidate, MergeRecord
from seedling.testing import areas
from seedling.testing.factories import child_create

# The lead mounts registry.urls_linkage at /duplicates/ in the project's urls; until then, here.
urlpatterns = [
    path("duplicates/", include("seedling.registry.urls_linkage")),
    path("", include("seedling.config.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

BIRTH = datetime.date(2016, 7, 9)


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about the duplicate pages; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def pair(users):
    first = child_create(users.director, name="林欣怡", sex="F", birth_date=BIRTH, school="甲小学",
                         id_number=idnumber.make(areas.COUNTY, BIRTH, 22))  # fmt: skip
    second = child_create(users.director, name="林心怡", sex="F", birth_date=BIRTH, school="乙小学")
    for child in (first, second):
        services.person_create(
            user=users.director, child=child, fields={"relation": "mother", "name": "陈芳"}
        )
    linkage.candidates_record_for(second)
    return DuplicateCandidate.objects.get(), first, second


def login(client, user):
    client.force_login(user)
    return client


def test_queue_lists_the_pair_with_its_reasons(client, users, pair):
    page = login(client, users.director).get("/duplicates/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "林欣怡" in text and "林心怡" in text
    assert "名同音不同字" in text


def test_queue_is_closed_to_roles_without_review(client, users, pair):
    assert login(client, users.social_worker).get("/duplicates/").status_code == 403


def test_detail_shows_every_part_and_logs_both_reads(client, users, pair):
    candidate, first, second = pair
    page = login(client, users.director).get(f"/duplicates/{candidate.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "得分构成" in text and "出生日期相同" in text
    assert 'name="field-school"' in text  # the differing field gets a choice
    assert 'name="field-sex"' not in text  # the same value needs none
    viewed = AccessLog.objects.filter(action="view", detail__duplicate=candidate.pk)
    assert set(viewed.values_list("child_id", flat=True)) == {first.pk, second.pk}


def test_a_pair_outside_the_scope_is_not_found(client, users, pair):
    assert login(client, users.director_other_county).get(f"/duplicates/{pair[0].pk}/").status_code in (
        403,
        404,
    )
    assert login(client, users.director_b).get(f"/duplicates/{pair[0].pk}/").status_code == 404


def test_merge_by_field_choice_then_unmerge(client, users, pair):
    candidate, first, second = pair
    login(client, users.director)
    response = client.post(
        f"/duplicates/{candidate.pk}/merge/",
        {"keep": "left", "field-name": "left", "field-school": "right",
         "version-left": first.version, "version-right": second.version},
    )  # fmt: skip
    assert response.status_code == 302
    survivor = Child.objects.get(pk=first.pk)
    assert (survivor.name, survivor.school) == ("林欣怡", "乙小学")
    assert Child.objects.get(pk=second.pk).merged_into == survivor
    record = MergeRecord.objects.get()
    assert "林心怡" in client.get("/duplicates/merges/").content.decode()
    client.post(f"/duplicates/merges/{record.pk}/unmerge/", {"reason": "不是同一人"})
    assert Child.objects.get(pk=first.pk).school == "甲小学"
    assert Child.objects.get(pk=second.pk).merged_into is None


def test_not_a_duplicate_from_the_page(client, users, pair):
    candidate, _first, _second = pair
    login(client, users.supervisor).post(f"/duplicates/{candidate.pk}/not-duplicate/", {"note": "两个孩子"})
    assert DuplicateCandidate.objects.get().status == "not_duplicate"
    assert "林心怡" not in client.get("/duplicates/").content.decode()
