"""Instrument definitions are checked on load, and every error names its place in the file."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from seedling.assessments import services
from seedling.assessments.definitions import InstrumentDefinitionError, definition_check, definition_read
from seedling.assessments.models import InstrumentVersion, QuestionnaireVersion
from seedling.assessments.services import BUILTIN_DIR


def _t(zh, en):
    return {"zh": zh, "en": en}


def tiny(**overrides) -> dict:
    """A small valid instrument: 3 items scored 0-2, item 3 reversed, bands over the total 0-6."""
    d = {
        "id": "tiny",
        "version": "1",
        "name": _t("小量表", "Tiny scale"),
        "option_sets": {
            "freq3": [
                {"value": 0, "label": _t("从不", "Never")},
                {"value": 1, "label": _t("有时", "Sometimes")},
                {"value": 2, "label": _t("经常", "Often")},
            ]
        },
        "items": [{"id": str(i), "text": _t(f"题{i}", f"Item {i}"), "options": "freq3"} for i in (1, 2, 3)],
        "reverse": ["3"],
        "bands": [
            {"min": 0, "max": 2, "code": "green", "label": _t("低", "Low"), "action": "none"},
            {"min": 3, "max": 4, "code": "yellow", "label": _t("中", "Middle"), "action": "watch"},
            {
                "min": 5,
                "max": 6,
                "code": "red",
                "label": _t("高", "High"),
                "action": "urgent_referral_today",
            },
        ],
    }
    d.update(overrides)
    return d


def errors_of(definition: dict) -> str:
    with pytest.raises(InstrumentDefinitionError) as info:
        definition_check(definition)
    return "\n".join(info.value.errors)


def test_a_valid_definition_passes():
    definition_check(tiny())


def test_an_unknown_option_set_is_named_with_its_item_path():
    d = tiny()
    d["items"][1]["options"] = "freq4"
    assert "items[1].options" in errors_of(d) and "freq4" in errors_of(d)


def test_bands_that_leave_scores_uncovered_name_the_gap():
    d = tiny()
    d["bands"][1]["max"] = 3  # 4 is in no band
    message = errors_of(d)
    assert "total" in message and "4" in message and "未覆盖" in message


def test_bands_that_overlap_name_the_score():
    d = tiny()
    d["bands"][1]["min"] = 2
    message = errors_of(d)
    assert "重叠" in message and "2" in message


def test_a_gap_in_the_middle_is_reported_as_a_range():
    d = tiny()
    d["bands"] = [d["bands"][0], {**d["bands"][2], "min": 6}]
    assert "3–5" in errors_of(d)


def test_band_codes_and_actions_are_checked():
    d = tiny()
    d["bands"][0]["code"] = "blue"
    d["bands"][1]["action"] = "phone_home"
    message = errors_of(d)
    assert "bands[0].code" in message and "bands[1].action" in message


def test_counsellor_action_needs_a_number_of_days():
    d = tiny()
    d["bands"][1]["action"] = "counsellor_within_days"
    assert "bands[1].within_days" in errors_of(d)


def test_texts_need_both_languages():
    d = tiny()
    del d["items"][0]["text"]["en"]
    d["name"] = {"zh": "小量表"}
    message = errors_of(d)
    assert "items[0].text.en" in message and "name.en" in message


def test_duplicate_items_and_unknown_references_are_named():
    d = tiny()
    d["items"].append(copy.deepcopy(d["items"][0]))
    d["reverse"] = ["9"]
    d["subscales"] = [{"id": "s", "name": _t("分", "Sub"), "items": ["1", "8"]}]
    d["critical"] = [{"item": "7", "min": 1, "action": "urgent_referral_today", "reason": _t("原因", "Why")}]
    message = errors_of(d)
    for path in ("items[3].id", "reverse[0]", "subscales[0].items[1]", "critical[0].item"):
        assert path in message


def test_bands_on_an_unknown_scale_and_unknown_keys_are_refused():
    d = tiny(itmes=[])
    d["bands"][0]["on"] = "anxiety"
    message = errors_of(d)
    assert "itmes" in message and "bands[0].on" in message


def test_duplicate_option_values_are_refused():
    d = tiny()
    d["option_sets"]["freq3"][2]["value"] = 1
    assert "option_sets.freq3[2].value" in errors_of(d)


def test_subscale_bands_must_cover_the_subscale_range():
    d = tiny(subscales=[{"id": "first", "name": _t("前两题", "First two"), "items": ["1", "2"]}])
    d["bands"].append(
        {"on": "first", "min": 0, "max": 3, "code": "green", "label": _t("低", "Low"), "action": "none"}
    )
    assert "first" in errors_of(d) and "4" in errors_of(d)


@pytest.mark.django_db
def test_loading_the_same_version_twice_is_idempotent_and_different_content_is_refused():
    first = services.instrument_load(definition=tiny())
    again = services.instrument_load(definition=tiny())
    assert first.created and not again.created and again.version.pk == first.version.pk
    changed = tiny()
    changed["items"][0]["text"]["zh"] = "改过的题目"
    with pytest.raises(services.InstrumentVersionConflict):
        services.instrument_load(definition=changed)
    newer = services.instrument_load(definition={**changed, "version": "2"})
    assert newer.created
    assert InstrumentVersion.objects.filter(instrument__code="tiny").count() == 2
    # each version keeps its own fillable form
    assert QuestionnaireVersion.objects.filter(instrument_version__instrument__code="tiny").count() == 2


@pytest.mark.django_db
def test_a_licensed_instrument_file_loads_through_the_same_path(tmp_path):
    """SDQ and other licensed tools are not shipped; a licensed user loads their file like this."""
    licensed = tiny(
        id="licensed-demo",
        licence=_t("仅限持有许可的机构使用（示例）", "For licensed organisations only (example)"),
        subscales=[{"id": "first", "name": _t("前两题", "First two"), "items": ["1", "2"]}],
        total={"subscales": ["first"]},
    )
    licensed["bands"] = [
        {"min": 0, "max": 1, "code": "green", "label": _t("正常", "Normal"), "action": "none"},
        {
            "min": 2,
            "max": 3,
            "code": "orange",
            "label": _t("偏高", "Raised"),
            "action": "counsellor_within_days",
            "within_days": 5,
        },
        {"min": 4, "max": 4, "code": "red", "label": _t("高", "High"), "action": "urgent_referral_today"},
    ]
    path = tmp_path / "licensed.yaml"
    import yaml

    path.write_text(yaml.safe_dump(licensed, allow_unicode=True), encoding="utf-8")
    call_command("instrument_load", str(path), verbosity=0)
    version = InstrumentVersion.objects.get(instrument__code="licensed-demo")
    assert version.definition["licence"]["en"].startswith("For licensed")
    assert version.form.spec["children"][0]["name"] == "item_1"


@pytest.mark.django_db
def test_the_command_reports_every_error_with_the_file(tmp_path):
    bad = tiny()
    bad["items"][2]["options"] = "nope"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("instrument_load", str(path), verbosity=0)
    assert "bad.json" in str(info.value) and "items[2].options" in str(info.value)


def test_an_unparseable_file_is_refused_clearly(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError) as info:
        definition_read(path)
    assert "无法解析" in str(info.value)


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_shipped_instrument_is_a_valid_definition(path):
    definition = definition_read(path)
    definition_check(definition)
    assert definition["licence"]["zh"] and definition["licence"]["en"]
