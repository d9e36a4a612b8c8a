"""Instrument definitions (量表定义): what a file must contain, checked before anything is stored.

An instrument is data: items with their answer option sets, reverse-scored items, subscales, the
total, bands (a score range on the total or a subscale -> band code, label and the action it
triggers), critical items (e.g. PHQ-9 item 9 > 0 is urgent whatever the total), the rule for
missing answers and the age range. Every error names its place in the file ("items[8].options").
Bands must cover every score the scale can produce exactly once. Pure functions: no ORM.
"""

import hashlib
import json
import re
from pathlib import Path

from django.utils.translation import gettext as _

BAND_CODES = ("green", "yellow", "orange", "red")
# The actions a band or a critical answer triggers, least to most pressing (DOMAIN.md section 4).
ACTIONS = ("none", "watch", "counsellor_within_days", "urgent_referral_today")
LANGUAGES = ("zh", "en")
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,49}$")
_TOP_KEYS = {
    "id", "version", "name", "licence", "instructions", "age_range", "option_sets", "items", "reverse",
    "subscales", "total", "bands", "critical", "missing", "notes", "cutoffs_are_defaults",
}  # fmt: skip


def definition_checksum(definition: dict) -> str:
    """A digest of the definition's content, blind to key order and formatting."""
    canonical = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class InstrumentDefinitionError(ValueError):
    """A definition that cannot be loaded; `errors` lists every problem with its path."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def definition_read(path: Path) -> dict:
    """The definition in a .json (or .yaml/.yml) file."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # JSONDecodeError or YAMLError: either way the file is unreadable
        raise InstrumentDefinitionError([_("文件无法解析：%s") % exc]) from exc
    if not isinstance(data, dict):
        raise InstrumentDefinitionError([_("文件顶层必须是一个对象（键值表）。")])
    return data


class _Checker:
    def __init__(self, definition: dict):
        self.d = definition
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}：{message}" if path else message)

    def texts(self, value, path: str) -> None:
        if not isinstance(value, dict):
            self.error(path, _("需要中文（zh）和英文（en）两种文字。"))
            return
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.error(f"{path}.{lang}", _("缺少文字。"))

    def integer(self, value, path: str, minimum: int | None = None) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(path, _("必须是整数。"))
            return False
        if minimum is not None and value < minimum:
            self.error(path, _("不能小于 %d。") % minimum)
            return False
        return True


def definition_check(d: dict) -> None:
    """Raise InstrumentDefinitionError listing every problem in the definition `d`."""
    c = _Checker(d)
    for key in sorted(set(d) - _TOP_KEYS):
        c.error(key, _("未知的键。"))
    if not isinstance(d.get("id"), str) or not _ID.match(d["id"]):
        c.error("id", _("需要由小写字母、数字、下划线或连字符组成的标识。"))
    if not isinstance(d.get("version"), str) or not d["version"].strip():
        c.error("version", _("需要版本号（文字）。"))
    c.texts(d.get("name"), "name")
    if "licence" in d:
        c.texts(d["licence"], "licence")
    if "instructions" in d:
        c.texts(d["instructions"], "instructions")
    _check_age(c, d.get("age_range"))
    option_values = _check_option_sets(c, d.get("option_sets"))
    items = _check_items(c, d.get("items"), option_values)
    scored = [i for i, info in items.items() if info["scored"]]
    _check_reverse(c, d.get("reverse", []), items)
    scales = _check_scales(c, d, items, scored)
    _check_bands(c, d.get("bands"), scales, items)
    _check_critical(c, d.get("critical", []), items)
    _check_missing(c, d.get("missing", {}))
    if c.errors:
        raise InstrumentDefinitionError(c.errors)


def _check_age(c: _Checker, age) -> None:
    if age is None:
        return
    if not isinstance(age, dict):
        c.error("age_range", _("需要 min 和 max（岁）。"))
        return
    low, high = age.get("min"), age.get("max")
    ok_low = low is None or c.integer(low, "age_range.min", 0)
    ok_high = high is None or c.integer(high, "age_range.max", 0)
    if ok_low and ok_high and low is not None and high is not None and low > high:
        c.error("age_range", _("最小年龄大于最大年龄。"))


def _check_option_sets(c: _Checker, sets) -> dict[str, list[int]]:
    values: dict[str, list[int]] = {}
    if not isinstance(sets, dict) or not sets:
        c.error("option_sets", _("至少需要一个选项集。"))
        return values
    for name, options in sets.items():
        path = f"option_sets.{name}"
        if not isinstance(options, list) or not options:
            c.error(path, _("选项集不能为空。"))
            continue
        seen: list[int] = []
        for j, option in enumerate(options):
            opath = f"{path}[{j}]"
            if not isinstance(option, dict):
                c.error(opath, _("选项必须有 value 和 label。"))
                continue
            if c.integer(option.get("value"), f"{opath}.value"):
                if option["value"] in seen:
                    c.error(f"{opath}.value", _("选项值 %s 重复。") % option["value"])
                seen.append(option["value"])
            c.texts(option.get("label"), f"{opath}.label")
        values[name] = seen
    return values


def _check_items(c: _Checker, items, option_values: dict[str, list[int]]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    if not isinstance(items, list) or not items:
        c.error("items", _("至少需要一个题目。"))
        return found
    for i, item in enumerate(items):
        path = f"items[{i}]"
        if not isinstance(item, dict):
            c.error(path, _("题目必须是一个对象。"))
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id.strip():
            c.error(f"{path}.id", _("缺少题目编号。"))
            continue
        if item_id in found:
            c.error(f"{path}.id", _("题目编号 %s 重复。") % item_id)
            continue
        c.texts(item.get("text"), f"{path}.text")
        options = item.get("options")
        if options not in option_values:
            c.error(f"{path}.options", _("未知的选项集 '%s'。") % options)
        for key in set(item) - {"id", "text", "options", "scored"}:
            c.error(f"{path}.{key}", _("未知的键。"))
        found[item_id] = {
            "scored": item.get("scored", True) is not False,
            "values": option_values.get(options, []),
        }
    return found


def _check_reverse(c: _Checker, reverse, items: dict[str, dict]) -> None:
    if not isinstance(reverse, list):
        c.error("reverse", _("需要题目编号的列表。"))
        return
    for k, item_id in enumerate(reverse):
        if item_id not in items:
            c.error(f"reverse[{k}]", _("没有编号为 %s 的题目。") % item_id)
        elif not items[item_id]["scored"]:
            c.error(f"reverse[{k}]", _("题目 %s 不计分，不能反向计分。") % item_id)


def _check_scales(c: _Checker, d: dict, items: dict[str, dict], scored: list[str]) -> dict[str, list[str]]:
    """Every scale (the total and each subscale) -> its items."""
    scales: dict[str, list[str]] = {}
    for k, sub in enumerate(d.get("subscales", []) or []):
        path = f"subscales[{k}]"
        if not isinstance(sub, dict) or not isinstance(sub.get("id"), str):
            c.error(path, _("分量表需要 id、name 和 items。"))
            continue
        if sub["id"] in scales or sub["id"] == "total":
            c.error(f"{path}.id", _("分量表编号 %s 重复。") % sub["id"])
            continue
        c.texts(sub.get("name"), f"{path}.name")
        scales[sub["id"]] = _scale_items(c, sub.get("items"), f"{path}.items", items)
    total = d.get("total", {"items": scored})
    if total is not None:
        if not isinstance(total, dict):
            c.error("total", _("需要 items 或 subscales。"))
        elif "subscales" in total:
            members: list[str] = []
            for k, sub_id in enumerate(total["subscales"]):
                if sub_id not in scales:
                    c.error(f"total.subscales[{k}]", _("没有编号为 %s 的分量表。") % sub_id)
                else:
                    members += [i for i in scales[sub_id] if i not in members]
            scales["total"] = members
        else:
            scales["total"] = _scale_items(c, total.get("items", scored), "total.items", items)
    return scales


def _scale_items(c: _Checker, members, path: str, items: dict[str, dict]) -> list[str]:
    if not isinstance(members, list) or not members:
        c.error(path, _("至少需要一个题目。"))
        return []
    kept = []
    for k, item_id in enumerate(members):
        if item_id not in items:
            c.error(f"{path}[{k}]", _("没有编号为 %s 的题目。") % item_id)
        elif not items[item_id]["scored"]:
            c.error(f"{path}[{k}]", _("题目 %s 不计分。") % item_id)
        else:
            kept.append(item_id)
    return kept


def possible_scores(members: list[str], items: dict[str, dict]) -> range:
    """Every score the scale can take: each whole number from the lowest to the highest sum.

    Whole numbers between, not only sums complete answers can reach, because a prorated score
    (some answers missing) is rounded to any whole number in that range.
    """
    low = sum(min(items[i]["values"] or [0]) for i in members)
    high = sum(max(items[i]["values"] or [0]) for i in members)
    return range(low, high + 1)


def _ranges(numbers: list[int]) -> str:
    numbers = sorted(numbers)
    parts, start = [], numbers[0]
    for prev, cur in zip(numbers, [*numbers[1:], None], strict=True):
        if cur != prev + 1:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = cur
    return ", ".join(parts)


def _check_bands(c: _Checker, bands, scales: dict[str, list[str]], items: dict[str, dict]) -> None:
    if not isinstance(bands, list) or not bands:
        c.error("bands", _("至少需要一个分级区间。"))
        return
    by_scale: dict[str, list[tuple[int, int]]] = {}
    for k, band in enumerate(bands):
        path = f"bands[{k}]"
        if not isinstance(band, dict):
            c.error(path, _("分级区间必须是一个对象。"))
            continue
        on = band.get("on", "total")
        if on not in scales:
            c.error(f"{path}.on", _("没有名为 %s 的总分或分量表。") % on)
            continue
        if band.get("code") not in BAND_CODES:
            c.error(f"{path}.code", _("分级必须是 %s 之一。") % " / ".join(BAND_CODES))
        if band.get("action") not in ACTIONS:
            c.error(f"{path}.action", _("动作必须是 %s 之一。") % " / ".join(ACTIONS))
        if band.get("action") == "counsellor_within_days":
            c.integer(band.get("within_days"), f"{path}.within_days", 1)
        c.texts(band.get("label"), f"{path}.label")
        low, high = band.get("min"), band.get("max")
        if c.integer(low, f"{path}.min") and c.integer(high, f"{path}.max"):
            if low > high:
                c.error(path, _("min 大于 max。"))
            else:
                by_scale.setdefault(on, []).append((low, high))
    for scale, ranges in by_scale.items():
        counts: dict[int, int] = {}
        for low, high in ranges:
            for score in range(low, high + 1):
                counts[score] = counts.get(score, 0) + 1
        overlaps = [s for s, n in counts.items() if n > 1]
        if overlaps:
            c.error(
                "bands",
                _("%(scale)s 的分级区间在 %(where)s 处重叠。") % {"scale": scale, "where": _ranges(overlaps)},
            )
        gaps = [s for s in possible_scores(scales[scale], items) if s not in counts]
        if gaps:
            c.error(
                "bands",
                _("%(scale)s 的分级区间未覆盖 %(where)s。") % {"scale": scale, "where": _ranges(gaps)},
            )


def _check_critical(c: _Checker, critical, items: dict[str, dict]) -> None:
    if not isinstance(critical, list):
        c.error("critical", _("需要一个列表。"))
        return
    for k, rule in enumerate(critical):
        path = f"critical[{k}]"
        if not isinstance(rule, dict) or rule.get("item") not in items:
            c.error(
                f"{path}.item",
                _("没有编号为 %s 的题目。") % (rule.get("item") if isinstance(rule, dict) else rule),
            )
            continue
        c.integer(rule.get("min"), f"{path}.min")
        if rule.get("action") not in ACTIONS:
            c.error(f"{path}.action", _("动作必须是 %s 之一。") % " / ".join(ACTIONS))
        if rule.get("action") == "counsellor_within_days":
            c.integer(rule.get("within_days"), f"{path}.within_days", 1)
        c.texts(rule.get("reason"), f"{path}.reason")


def _check_missing(c: _Checker, missing) -> None:
    if not isinstance(missing, dict):
        c.error("missing", _("需要 max_missing 和 method。"))
        return
    c.integer(missing.get("max_missing", 0), "missing.max_missing", 0)
    if missing.get("method", "prorate") not in ("prorate", "none"):
        c.error("missing.method", _("只能是 prorate（按比例补足）或 none。"))
