"""The fill page: instruments and questionnaires alike, checked again on the server, scored, confirmed."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from seedling.assessments.instrument_form import item_field
from seedling.assessments.models import Instrument, QuestionnaireVersion, Response

from .forms import form_import

pytestmark = pytest.mark.django_db

BUILTIN = {"phq9", "phq-a", "gad7", "ces-dc", "rosenberg", "cls"}


def instrument_form(code: str) -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(instrument_version__instrument__code=code)


def test_the_shipped_instruments_are_loaded_after_migrate_in_both_languages():
    assert set(Instrument.objects.values_list("code", flat=True)) >= BUILTIN
    for code in BUILTIN:
        spec = instrument_form(code).spec
        items = [c for c in spec["children"] if c["type"] == "select_one"]
        assert items and all(c["label"]["zh"] and c["label"]["en"] for c in items)
    call_command("instrument_load", builtin=True, verbosity=0)  # idempotent
    assert QuestionnaireVersion.objects.filter(instrument_version__instrument__code="phq9").count() == 1


def test_the_list_offers_every_instrument(filler):
    html = filler.client.get(reverse("assessments:index")).content.decode()
    for code in BUILTIN:
        assert reverse("assessments:fill", args=[instrument_form(code).pk]) in html


def _phq_a(values, extra=None) -> dict:
    answers = {item_field(str(i)): str(v) for i, v in enumerate(values, 1)}
    answers.update({item_field(k): str(v) for k, v in (extra or {}).items()})
    return answers


def test_phq_a_is_filled_scored_and_confirmed(filler):
    version = instrument_form("phq-a")
    page = filler.page(version)
    html = page.content.decode()
    assert page.status_code == 200
    assert "做事时提不起劲或没有兴趣" in html and 'name="item_9"' in html
    response, stored = filler.submit(
        version, _phq_a([2, 2, 2, 2, 2, 1, 1, 0, 0], {"10": 1, "11": 1, "12": 0, "13": 0})
    )
    assert response.status_code == 302
    assert stored.instrument_version == version.instrument_version
    assert stored.score["scales"]["total"] == 12
    assert stored.band == "orange" and stored.action == "counsellor_within_days"
    done = filler.client.get(response["Location"]).content.decode()
    assert "12" in done and "中度" in done and "7 天内由心理辅导员跟进" in done


def test_phq_a_item_9_above_zero_is_urgent_whatever_the_total(filler):
    response, stored = filler.submit(instrument_form("phq-a"), _phq_a([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert stored.band == "green" and stored.action == "urgent_referral_today"
    done = filler.client.get(response["Location"]).content.decode()
    assert "当天紧急转介" in done


def test_the_server_refuses_a_skipped_required_item_even_if_the_browser_was_bypassed(filler):
    version = instrument_form("phq9")
    answers = _phq_a([1] * 9)
    del answers["item_3"]
    response, stored = filler.submit(version, answers)
    assert response.status_code == 400 and stored is None
    assert response.context["errors"] == {"item_3": "此题必须回答。"}
    assert "此题必须回答。" in response.content.decode()
    # what was answered stays on the page
    assert 'name="item_1" id="f-item_1-1" value="1" checked' in response.content.decode()


def test_the_server_refuses_a_value_that_is_not_an_option(filler):
    response, stored = filler.submit(instrument_form("gad7"), {item_field(str(i)): "7" for i in range(1, 8)})
    assert response.status_code == 400 and stored is None
    assert set(response.context["errors"]) == {item_field(str(i)) for i in range(1, 8)}


def test_the_server_refuses_a_constraint_violation_even_if_the_browser_was_bypassed(filler):
    version = form_import("""
        | survey |
        |        | type    | name  | label      | constraint | constraint_message | required |
        |        | integer | age   | 孩子年龄   | . < 18     | 儿童应未满 18 岁   | yes      |
    """)
    response, stored = filler.submit(version, {"age": "25"})
    assert response.status_code == 400 and stored is None
    assert response.context["errors"] == {"age": "儿童应未满 18 岁"}
    response, stored = filler.submit(version, {})
    assert response.status_code == 400 and response.context["errors"] == {"age": "此题必须回答。"}


def test_the_confirmation_is_only_for_the_person_who_submitted(filler, users, client):
    response, stored = filler.submit(
        instrument_form("rosenberg"), {item_field(str(i)): "2" for i in range(1, 11)}
    )
    assert stored.score["scales"]["total"] == 15 and stored.submitted_by == users.director
    filler.client.force_login(users.director_b)
    assert filler.client.get(response["Location"]).status_code == 404


def test_filling_needs_a_signed_in_user(client):
    version = instrument_form("phq9")
    response = client.get(reverse("assessments:fill", args=[version.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("assessments:fill", args=[version.pk]), {"item_1": "0"}).status_code == 302
    assert not Response.objects.exists()


def test_an_unknown_version_is_not_found(filler):
    assert filler.client.get(reverse("assessments:fill", args=[999999])).status_code == 404


def test_instrument_pages_follow_the_ui_language(filler, settings):
    version = instrument_form("gad7")
    filler.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = filler.page(version).content.decode()
    assert "Feeling nervous, anxious, or on edge" in html and "Not at all" in html


def test_a_response_about_a_child_is_stored_and_logged_in_the_childs_file(users):
    """Campaigns (later) pass the child; the write path and the access log are already in place."""
    from seedling.assessments import services
    from seedling.assessments.submission import data_from_post
    from seedling.core.models import AccessLog
    from seedling.testing.factories import child_create

    child = child_create(users.director, name="王小丫")
    version = instrument_form("ces-dc")
    data = data_from_post(version.spec, {item_field(str(i)): ["1"] for i in range(1, 21)})
    response = services.response_submit(
        version=version, data=data, language="zh", user=users.director, child=child
    )
    assert response.child == child and response.score["scales"]["total"] == 24 and response.band == "orange"
    assert AccessLog.objects.filter(child_id=child.pk, action="create", object_id=str(response.pk)).exists()
