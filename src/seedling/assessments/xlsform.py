"""XLSForm import: pyxform reads the workbook, then the form is checked against what Seedling can run.

Supported: text, integer, decimal, date, select_one, select_multiple, note, calculate, groups,
repeats (with repeat_count), required (with its message), relevant, constraint (with its message),
calculation, choice_filter, default (static, and dynamic defaults in the expression subset),
several languages (label::Chinese (zh), label::English (en) ...).

Metadata: start, end and today are filled in by the server. Device and subscriber identifiers,
phone number, user name, e-mail and the Collect audit log are ignored on purpose: a web form has no
device identity to give, and Seedling collects no identifiers it does not need. Everything else
(location, media, barcode, external data, encryption, entities ...) is refused at import, each
problem naming its row on the survey sheet. Pure functions: no ORM.
"""

import dataclasses
import io
import re
import warnings as python_warnings
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from pyxform.aliases import yes_no
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from . import xpath

_TYPES = {
    "text": "text",
    "string": "text",
    "q string": "text",
    "add text prompt": "text",
    "integer": "integer",
    "int": "integer",
    "q int": "integer",
    "add integer prompt": "integer",
    "decimal": "decimal",
    "q decimal": "decimal",
    "add decimal prompt": "decimal",
    "date": "date",
    "q date": "date",
    "add date prompt": "date",
    "select one": "select_one",
    "q select1": "select_one",
    "select all that apply": "select_multiple",
    "q select": "select_multiple",
    "note": "note",
    "q note": "note",
    "add note prompt": "note",
    "calculate": "calculate",
    "q calculate": "calculate",
    "add calculate prompt": "calculate",
}
_META = {
    "start": "start",
    "start time": "start",
    "get start time": "start",
    "end": "end",
    "end time": "end",
    "get end time": "end",
    "today": "today",
    "get today": "today",
}
_IGNORED_META = {
    "deviceid", "device id", "get device id", "imei", "uri:deviceid", "subscriberid", "subscriber id",
    "get subscriber id", "uri:subscriberid", "simserial", "sim id", "get sim id", "uri:simserial",
    "phonenumber", "phone number", "get phone number", "uri:phonenumber", "username", "uri:username",
    "email", "uri:email", "audit",
}  # fmt: skip
_FEATURE_NAMES = {
    "gps": "geopoint", "location": "geopoint", "q location": "geopoint", "q geopoint": "geopoint",
    "add location prompt": "geopoint", "photo": "image", "q picture": "image", "q image": "image",
    "add image prompt": "image", "datetime": "dateTime", "date time": "dateTime",
    "select one external": "select_one_external", "xml-external": "external instance",
    "csv-external": "external instance",
}  # fmt: skip
_KNOWN_BIND = {"required", "relevant", "constraint", "jr:constraintMsg", "calculate", "readonly"}
_KNOWN_BIND |= {"jr:requiredMsg", "jr:noAppErrorString"}
_OR_OTHER = re.compile(r"^selected\(\.\./([A-Za-z_][\w.\-]*), 'other'\)$")
_FILE_ITEMSET = re.compile(r"\.(csv|xml|geojson)$", re.I)
_LANG_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$")
_LANG_NAMES = {
    "english": "en", "chinese": "zh", "中文": "zh", "简体中文": "zh", "汉语": "zh", "french": "fr",
    "arabic": "ar", "العربية": "ar", "swahili": "sw", "spanish": "es", "portuguese": "pt",
}  # fmt: skip


@dataclass
class Problem:
    row: int | None
    feature: str
    message: str


@dataclass
class Compiled:
    spec: dict
    pyxform: dict
    warnings: list[str]
    title: str
    version: str


class FormRefused(Exception):
    """The workbook cannot be run here; `problems` name the rows and features."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return "\n".join(p.message for p in self.problems)

    @property
    def features(self) -> list[str]:
        return sorted({p.feature for p in self.problems})


def _at_row(row: int | None, text: str) -> str:
    return _("第 %(row)d 行：%(text)s") % {"row": row, "text": text} if row else text


def file_type_of(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return ".xlsx"
    if lower.endswith(".xls"):
        return ".xls"
    raise FormRefused([Problem(None, "file type", _("只能导入 .xlsx 或 .xls 格式的 XLSForm 文件。"))])


def xlsform_compile(content: bytes, filename: str) -> Compiled:
    """Read an XLSForm workbook into Seedling's form spec, or raise FormRefused with every problem."""
    file_type = file_type_of(filename)
    try:
        with python_warnings.catch_warnings():
            # openpyxl complains about styles and extensions a form never needs
            python_warnings.simplefilter("ignore", UserWarning)
            workbook = get_xlsform(xlsform=io.BytesIO(content), file_type=file_type)
    except Exception as exc:  # noqa: BLE001 -- an unreadable upload is refused, whatever the reader raised
        raise FormRefused([Problem(None, "unreadable", _("无法读取该表格文件：%s") % exc)]) from exc
    rows = _rows_by_name(workbook.survey or [])
    warnings: list[str] = []
    # Hand pyxform the workbook already read (reading is half the cost on big forms).
    sheets = {f.name: getattr(workbook, f.name) for f in dataclasses.fields(workbook)}
    sheets["fallback_form_name"] = Path(filename).stem
    try:
        result = convert(xlsform=sheets, warnings=warnings, form_name="data")
    except PyXFormError as exc:
        raise FormRefused([Problem(None, "pyxform", _("pyxform 拒绝了此表单：%s") % exc)]) from exc
    except Exception as exc:  # noqa: BLE001 -- pyxform failing on odd input is a refusal, not a crash
        message = f"{type(exc).__name__}: {exc}"
        raise FormRefused([Problem(None, "pyxform", _("pyxform 无法转换此表单：%s") % message)]) from exc
    form = result._pyxform or {}
    compiler = _Compiler(rows, warnings)
    if workbook.entities:
        compiler.refuse(None, "entities", _("不支持 entities（实体）工作表。"))
    if form.get("public_key"):
        compiler.refuse(None, "encryption", _("不支持加密提交（settings 中的 public_key）。"))
    children = compiler.children(form.get("children", []))
    choices = {
        name: [_choice(c) for c in items if isinstance(c, dict) and "name" in c]
        for name, items in (form.get("choices") or {}).items()
    }
    for node_row, list_name in compiler.lists_used:
        if list_name not in choices:
            compiler.refuse(node_row, "choices", _("选项列表 %s 不存在。") % list_name)
    if compiler.problems:
        raise FormRefused(compiler.problems)
    languages = _languages(compiler.languages, form.get("default_language", "default"))
    title = str(form.get("title") or form.get("id_string") or filename)
    spec = {
        "title": {"default": title},
        "languages": languages,
        "default_language": form.get("default_language", "default"),
        "choices": choices,
        "children": children,
    }
    return Compiled(spec, form, warnings, title, str(form.get("version") or ""))


def _or_other(raw: dict, key: str, text: str) -> str:
    """pyxform writes the "or_other" relevance as selected(../q, 'other'); say it as ${q}."""
    m = _OR_OTHER.match(text)
    if key == "relevant" and m and raw.get("name") == f"{m[1]}_other":
        return f"selected(${{{m[1]}}}, 'other')"
    return text


def _rows_by_name(survey: list[dict]) -> dict[str, int]:
    rows: dict[str, int] = {}
    for i, row in enumerate(survey):
        name = row.get("name") if isinstance(row, dict) else None
        if name:
            rows.setdefault(str(name).strip(), i + 2)
    return rows


def _choice(raw: dict) -> dict:
    data = {
        k: str(v) for k, v in raw.items() if k not in ("name", "label", "media") and not isinstance(v, dict)
    }
    return {
        "name": str(raw["name"]),
        "label": _texts(raw.get("label")) or {"default": str(raw["name"])},
        "data": data,
    }


def _texts(value) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v not in (None, "")}
    return {"default": str(value)}


def language_code(key: str) -> str:
    m = _LANG_CODE.search(key)
    if m:
        return m[1].lower()
    return _LANG_NAMES.get(key.strip().lower(), key.strip().lower())


def _languages(keys: list[str], default: str) -> list[dict]:
    named = [k for k in keys if k != "default"]
    if not named:
        return [{"key": "default", "code": "", "label": ""}]
    if "default" in keys and default not in named:
        named.append("default")
    return [
        {"key": k, "code": language_code(k) if k != "default" else "", "label": k if k != "default" else ""}
        for k in named
    ]


class _Compiler:
    def __init__(self, rows: dict[str, int], warnings: list[str]):
        self.rows = rows
        self.warnings = warnings
        self.problems: list[Problem] = []
        self.languages: list[str] = []
        self.lists_used: list[tuple[int | None, str]] = []

    def refuse(self, row: int | None, feature: str, text: str) -> None:
        self.problems.append(Problem(row, feature, _at_row(row, text)))

    def row_of(self, raw: dict) -> int | None:
        name = str(raw.get("name", ""))
        if name.startswith("generated_note_name_") and name[20:].isdigit():
            return int(name[20:])
        if name not in self.rows and name.endswith("_other"):
            return self.rows.get(name[:-6])  # the text question pyxform adds for "or_other"
        return self.rows.get(name)

    def texts(self, value) -> dict:
        texts = _texts(value)
        for key in texts:
            if key not in self.languages:
                self.languages.append(key)
        return texts

    def children(self, raws: list[dict]) -> list[dict]:
        out = []
        for raw in raws:
            node = self.node(raw)
            if node is not None:
                out.append(node)
        return out

    def node(self, raw: dict) -> dict | None:
        kind = str(raw.get("type", "")).strip()
        row = self.row_of(raw)
        control = raw.get("control") or {}
        if kind == "group" and control.get("bodyless"):
            return None  # pyxform's meta block (instanceID); the server keeps its own ids
        lowered = kind.lower()
        if lowered in _IGNORED_META:
            self.warnings.append(_at_row(row, _("元数据 %s 不收集，已忽略。") % kind))
            return None
        if kind in ("group", "repeat"):
            node = {"kind": kind, "name": raw["name"], "row": row, "label": self.texts(raw.get("label"))}
            self.common(raw, node, row)
            if kind == "repeat" and control.get("jr:count"):
                node["repeat_count"] = self.expression(row, "repeat_count", str(control["jr:count"]))
            node["children"] = self.children(raw.get("children", []))
            return node
        if lowered in _META:
            return {"kind": "field", "type": "meta", "meta": _META[lowered], "name": raw["name"], "row": row}
        if lowered not in _TYPES:
            feature = _FEATURE_NAMES.get(lowered, kind)
            self.refuse(row, feature, _("不支持题型 %s") % feature)
            return None
        node = {"kind": "field", "type": _TYPES[lowered], "name": raw["name"], "row": row}
        node["label"] = self.texts(raw.get("label"))
        node["hint"] = self.texts(raw.get("hint"))
        self.common(raw, node, row)
        if node["type"] in ("select_one", "select_multiple"):
            self.select(raw, node, row)
        if "default" in raw and raw["default"] not in (None, ""):
            if raw.get("_dynamic_default"):
                node["default_expr"] = self.expression(row, "default", str(raw["default"]))
            else:
                node["default"] = str(raw["default"])
        if raw.get("media"):
            self.warnings.append(_at_row(row, _("题目的图片/音频等媒体未导入，只显示文字。")))
        return node

    def select(self, raw: dict, node: dict, row: int | None) -> None:
        list_name = str(raw.get("itemset") or raw.get("list_name") or "")
        if _FILE_ITEMSET.search(list_name):
            feature = "select_one_from_file" if node["type"] == "select_one" else "select_multiple_from_file"
            self.refuse(row, feature, _("不支持从外部文件读取选项（%s）") % feature)
            return
        node["list"] = list_name
        self.lists_used.append((row, list_name))
        if raw.get("choice_filter"):
            node["choice_filter"] = self.expression(
                row, "choice_filter", str(raw["choice_filter"]), columns=True
            )

    def common(self, raw: dict, node: dict, row: int | None) -> None:
        bind = raw.get("bind") or {}
        if "trigger" in raw:
            self.refuse(row, "trigger", _("不支持 trigger 列。"))
        for key in bind:
            if key not in _KNOWN_BIND and not key.startswith("odk:"):
                self.refuse(row, key, _("不支持绑定属性 %s") % key)
        for key in ("relevant", "constraint", "calculate"):
            if bind.get(key) not in (None, ""):
                node[key] = self.expression(row, key, _or_other(raw, key, str(bind[key])))
        for key in ("required", "readonly"):
            value = bind.get(key)
            if value in (None, ""):
                continue
            value = str(value).strip()
            node[key] = yes_no[value] if value in yes_no else self.expression(row, key, value)
        if bind.get("jr:constraintMsg"):
            node["constraint_message"] = self.texts(bind["jr:constraintMsg"])
        if bind.get("jr:requiredMsg"):
            node["required_message"] = self.texts(bind["jr:requiredMsg"])
        appearance = str((raw.get("control") or {}).get("appearance") or "").strip()
        if appearance:
            if "search(" in appearance:
                self.refuse(row, "search()", _("不支持 search() 外部数据查询。"))
            node["appearance"] = appearance

    def expression(self, row: int | None, column: str, text: str, columns: bool = False) -> str:
        try:
            tree = xpath.parse(text)
        except xpath.XPathError as exc:
            if exc.feature:
                shown = _("XPath 路径（请用 ${name}）") if exc.feature == "path" else exc.feature
                self.refuse(
                    row,
                    exc.feature,
                    _("%(column)s 中不支持 %(feature)s：%(text)s")
                    % {"column": column, "feature": shown, "text": text},
                )
            else:
                self.refuse(
                    row,
                    "expression",
                    _("%(column)s 表达式无法解析（%(error)s）：%(text)s")
                    % {"column": column, "error": exc, "text": text},
                )
            return text
        if not columns and any(n[0] == "col" for n in xpath.walk(tree)):
            self.refuse(
                row,
                "path",
                _("%(column)s 中不支持 XPath 路径（请用 ${name}）：%(text)s")
                % {"column": column, "text": text},
            )
        return text
