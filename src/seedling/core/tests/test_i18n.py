"""English is complete: every message has a checked translation, and the pages and the API speak English.

Needs no gettext tools: the committed .po is read by a small parser, and Django loads the committed .mo.
"""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.registry import idnumber
from seedling.registry.models import Child
from seedling.registry.reasons import REASON_TEXTS, reason_text
from seedling.registry.rules import Reason
from seedling.testing import areas
from seedling.testing.factories import child_create
from seedling.testing.registration import registration_form_data

PO_PATH = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{\{?\s*\w+\s*\}?\}")
HAN = re.compile(r"[\u3400-\u9fff]")
BIRTH = datetime.date(2016, 4, 12)


# --- the committed catalogue ---


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text.strip()[1:-1])


def po_entries() -> list[dict]:
    """Entries of the committed en .po: msgid, msgid_plural, msgstr {index: text}, flags (no header)."""
    entries, current, field = [], None, None
    for raw in PO_PATH.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current and current["msgstr"]:
                entries.append(current)
                current = None
            if line.startswith("#,"):
                current = current or {"msgid": "", "plural": None, "msgstr": {}, "flags": set()}
                current["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            kind, index = field
            if kind == "msgstr":
                current["msgstr"][index] += _unquote(line)
            else:
                current[kind] += _unquote(line)
            continue
        if keyword in ("msgid", "msgctxt") and current and current["msgstr"]:
            entries.append(current)
            current = None
        current = current or {"msgid": "", "plural": None, "msgstr": {}, "flags": set()}
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current["msgstr"][index] = _unquote(rest)
            field = ("msgstr", index)
        elif keyword == "msgid_plural":
            current["plural"] = _unquote(rest)
            field = ("plural", None)
        elif keyword == "msgid":
            current["msgid"] = _unquote(rest)
            field = ("msgid", None)
        else:
            current["msgctxt"] = _unquote(rest)
            field = ("msgctxt", None)
    if current:
        entries.append(current)
    return [entry for entry in entries if entry["msgid"]]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = po_entries()
    assert len(entries) > 500  # the whole UI, not a stub
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    # Plurals fill both English forms.
    plurals = [e for e in entries if e["plural"] is not None]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in po_entries():
        wanted = set(PLACEHOLDER.findall(entry["msgid"]) + PLACEHOLDER.findall(entry["plural"] or ""))
        for index, text in entry["msgstr"].items():
            got = set(PLACEHOLDER.findall(text))
            if got != wanted and not (entry["plural"] and index == 0 and got <= wanted):
                wrong.append((entry["msgid"], index, sorted(wanted), sorted(got)))
    assert wrong == []


def test_translations_are_english():
    chinese = [e["msgid"] for e in po_entries() for text in e["msgstr"].values() if HAN.search(text)]
    assert chinese == []


def test_compiled_catalogue_matches_the_po():
    # Django reads the .mo, not the .po: a translation edited but not compiled never reaches users.
    with PO_PATH.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in po_entries():
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, index): text for index, text in entry["msgstr"].items()})
    compiled.pop("", None)  # the header
    assert compiled == expected


def test_catalogue_header_declares_english_plurals():
    header = PO_PATH.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: en\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def test_rule_reasons_are_extracted_and_read_in_english():
    msgids = {e["msgid"] for e in po_entries()}
    assert set(REASON_TEXTS.values()) <= msgids  # gettext_noop (N_) strings are in the catalogue
    reason = Reason("parent_away", {"parent": "father", "since": "2024-02-01", "months": 9, "min": 6})
    with translation.override("en"):
        assert (
            reason_text(reason)
            == "Father: working outside the county since 2024-02-01, 9 months so far (≥ 6 months)"
        )
    with translation.override("zh-hans"):
        assert reason_text(reason).startswith("父亲自 2024-02-01 起在县外务工")


# --- the pages and the API in English ---


def english(client):
    """Switch the browser to English the way the language buttons do."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def chinese_ui_left(body: str, *data: str) -> list[str]:
    """Runs of Chinese text on a page, once user data (names, places) and the Chinese language button are cut out."""
    text = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    for value in (*data, "简体中文"):
        text = text.replace(value, "")
    return re.findall(r"[\u3400-\u9fff][\u3400-\u9fff\uff00-\uffef\u3000-\u303f ]*", text)


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def director(client, users):
    client.force_login(users.director)
    return client


PLACES = ("寺后村委会", "履坦镇", "武义县", "金华市", "浙江省")


@pytest.mark.django_db
def test_default_language_is_chinese(director):
    body = director.get(reverse("home")).content.decode()
    assert "我的工作" in body and "登记儿童" in body
    assert "My work" not in body


@pytest.mark.django_db
def test_home_page_in_english(director, users):
    body = english(director).get(reverse("home")).content.decode()
    for text in (
        "My work",
        "Village child director",
        "Children on the register",
        "Register a child",
        "Search",
    ):
        assert text in body
    for text in ("我的工作", "登记儿童", "在册儿童", "村（居）儿童主任"):
        assert text not in body
    assert chinese_ui_left(body, users.director.full_name, *PLACES) == []


@pytest.mark.django_db
def test_child_list_in_english(director, users):
    child_create(users.director, name="王小花")
    body = english(director).get(reverse("child_list")).content.decode()
    for text in ("Child files", "All categories", "1 child", "Age"):
        assert text in body
    assert "儿童档案" not in body and "全部类别" not in body
    assert chinese_ui_left(body, "王小花", users.director.full_name, *PLACES) == []


@pytest.mark.django_db
def test_registration_form_in_english(director, users):
    body = english(director).get(reverse("child_create")).content.decode()
    for text in (
        "Register a child",
        "Basic information",
        "ID number",
        "Date of birth",
        "Ethnic group",
        "Hukou type",
        "Delegated carer (required for left-behind children)",
        "Father",
        "Mother",
        "Save",
    ):
        assert text in body
    for text in ("登记儿童", "基本信息", "身份证号", "出生日期", "委托照护人"):
        assert text not in body
    assert chinese_ui_left(body, users.director.full_name, *PLACES) == []


@pytest.mark.django_db
def test_child_file_in_english_with_rule_reasons(director, users):
    english(director)
    response = director.post(reverse("child_create"), registration_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    body = director.get(response["Location"]).content.decode()
    for text in (
        "Basic information",
        "Date of birth",
        "Family members and carers",
        "Delegated carer",
        "Working away from home",
        "Change history",
        "age ",
    ):
        assert text in body
    for text in ("基本信息", "出生日期", "家庭成员与照护人", "外出务工"):
        assert text not in body
    data = (
        "刘小雨",
        "刘大伟",
        "陈丽",
        "刘爷爷",
        "杭州",
        "上海",
        "履坦镇中心小学",
        users.director.full_name,
        users.supervisor.full_name,
        *PLACES,
    )
    assert chinese_ui_left(body, *data) == []


@pytest.mark.django_db
def test_form_validation_error_in_english(director):
    good = idnumber.make(areas.COUNTY, BIRTH, 122)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = english(director).post(reverse("child_create"), registration_form_data(id_number=bad))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The check character of the ID number is wrong" in body
    assert "校验位" not in body
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_api_error_in_english(users):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=users.director)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {
        "name": "张小明",
        "hukou_type": "rural",
        "area": areas.VILLAGE_A,
        "id_number": "33072320160412122",
    }
    response = client.post("/api/v1/children/", body, format="json")
    assert response.status_code == 400
    assert response.json()["id_number"] == ["The ID number must have 18 characters; it has 17."]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/api/v1/children/", body, format="json")
    assert response.json()["id_number"] == ["身份证号应为 18 位，现为 17 位。"]


@pytest.mark.django_db
def test_sign_in_page_in_english(client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("account_login")).content.decode()
    for text in ("Sign in to Seedling", "Username", "Password", "Sign in"):
        assert text in body
    assert "登录小苗" not in body and "用户名" not in body
    assert chinese_ui_left(body) == []
