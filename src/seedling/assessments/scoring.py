"""Scoring an instrument (量表计分): answers -> item scores, subscales, total, band, action, reasons.

Pure functions over a checked definition (see definitions.py) and a dict of answers; no ORM.
Missing answers follow the instrument's rule: with at most `max_missing` unanswered items of a scale
and method "prorate", the scale is the mean of the answered items times the number of items, rounded
half up; otherwise the scale is incomplete and gets no band. Critical items (e.g. PHQ-9 item 9 > 0)
trigger their action whatever the totals, even when answers are missing.
"""

import math
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from .definitions import ACTIONS

ACTION_RANK = {action: rank for rank, action in enumerate(ACTIONS)}


class ScoringError(ValueError):
    """An answer that is not one of the item's option values."""


@dataclass
class Score:
    item_scores: dict[str, int]
    missing: list[str]
    scales: dict[str, int | None]
    bands: dict[str, dict | None]
    band: str | None
    action: str
    within_days: int | None
    reasons: list[dict] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(value is not None for value in self.scales.values())

    def as_dict(self) -> dict:
        return {**asdict(self), "complete": self.complete}


def reverse_value(value: int, low: int, high: int) -> int:
    """Reverse keying on an option range: low <-> high. Applying it twice gives the value back."""
    return low + high - value


def _option_values(definition: dict, item: dict) -> list[int]:
    return [o["value"] for o in definition["option_sets"][item["options"]]]


def item_score(definition: dict, item: dict, answer) -> int:
    """The score of one answer (an option value, as int or text), reverse-keyed where the item is."""
    values = _option_values(definition, item)
    try:
        value = int(str(answer).strip())
    except ValueError:
        raise ScoringError(f"item {item['id']}: {answer!r} is not an option value") from None
    if value not in values:
        raise ScoringError(f"item {item['id']}: {value} is not an option value")
    if item["id"] in definition.get("reverse", []):
        return reverse_value(value, min(values), max(values))
    return value


def scale_items(definition: dict) -> dict[str, list[str]]:
    """Scale id ("total" and each subscale) -> its item ids, in definition order."""
    scored = [i["id"] for i in definition["items"] if i.get("scored", True) is not False]
    scales = {s["id"]: list(s["items"]) for s in definition.get("subscales", [])}
    total = definition.get("total", {"items": scored})
    if total is not None:
        if "subscales" in total:
            members: list[str] = []
            for sub in total["subscales"]:
                members += [i for i in scales[sub] if i not in members]
            scales["total"] = members
        else:
            scales["total"] = list(total.get("items", scored))
    return scales


def scale_score(item_scores: dict[str, int], members: list[str], missing_rule: dict) -> int | None:
    """The scale's sum; prorated when few enough items are missing; None when incomplete."""
    answered = [item_scores[i] for i in members if i in item_scores]
    missing = len(members) - len(answered)
    if missing == 0:
        return sum(answered)
    if not answered or missing > missing_rule.get("max_missing", 0):
        return None
    if missing_rule.get("method", "prorate") != "prorate":
        return None
    return math.floor(sum(answered) * len(members) / len(answered) + 0.5)


def band_for(definition: dict, scale: str, value: int) -> dict | None:
    """The band a scale's score falls in (definitions guarantee at most one)."""
    for band in definition["bands"]:
        if band.get("on", "total") == scale and band["min"] <= value <= band["max"]:
            return band
    return None


def _more_pressing(action: str, days: int | None, current: str, current_days: int | None):
    if ACTION_RANK[action] > ACTION_RANK[current]:
        return action, days
    if action == current == "counsellor_within_days" and days is not None:
        return action, min(days, current_days) if current_days is not None else days
    return current, current_days


def score(definition: dict, answers: dict) -> Score:
    """Score a set of answers {item id: option value}; unanswered items may be absent or None/""."""
    items = {i["id"]: i for i in definition["items"]}
    item_scores: dict[str, int] = {}
    values: dict[str, int] = {}
    for item_id, item in items.items():
        answer = answers.get(item_id)
        if answer is None or str(answer).strip() == "":
            continue
        scored = item_score(definition, item, answer)
        values[item_id] = int(str(answer).strip())
        if item.get("scored", True) is not False:
            item_scores[item_id] = scored
    scored_ids = [i for i, item in items.items() if item.get("scored", True) is not False]
    missing = [i for i in scored_ids if i not in item_scores]
    rule = definition.get("missing", {})
    action, within_days = "none", None
    reasons: list[dict] = []
    scales: dict[str, int | None] = {}
    bands: dict[str, dict | None] = {}
    for scale, members in scale_items(definition).items():
        value = scale_score(item_scores, members, rule)
        scales[scale] = value
        gaps = [i for i in members if i not in item_scores]
        if value is None:
            bands[scale] = None
            reasons.append({"kind": "incomplete", "scale": scale, "missing": gaps})
            continue
        if gaps:
            reasons.append({"kind": "prorated", "scale": scale, "missing": gaps, "score": value})
        band = band_for(definition, scale, value)
        bands[scale] = _band_summary(band)
        if band is not None:
            action, within_days = _more_pressing(band["action"], band.get("within_days"), action, within_days)
            reasons.append({"kind": "band", "scale": scale, "score": value, **_band_summary(band)})
    for rule_ in definition.get("critical", []):
        value = values.get(rule_["item"])
        if value is not None and value >= rule_["min"] and value <= rule_.get("max", value):
            action, within_days = _more_pressing(
                rule_["action"], rule_.get("within_days"), action, within_days
            )
            reasons.append(
                {
                    "kind": "critical",
                    "item": rule_["item"],
                    "value": value,
                    "action": rule_["action"],
                    "within_days": rule_.get("within_days"),
                    "reason": rule_["reason"],
                }
            )
    primary = bands.get("total") if "total" in bands else next(iter(bands.values()), None)
    return Score(
        item_scores=item_scores,
        missing=missing,
        scales=scales,
        bands=bands,
        band=primary["code"] if primary else None,
        action=action,
        within_days=within_days if action == "counsellor_within_days" else None,
        reasons=reasons,
    )


def _band_summary(band: dict | None) -> dict | None:
    if band is None:
        return None
    return {
        "code": band["code"],
        "label": band["label"],
        "action": band["action"],
        "within_days": band.get("within_days"),
        "min": band["min"],
        "max": band["max"],
    }


def action_label(action: str, within_days: int | None = None) -> str:
    """The action in the reader's language."""
    if action == "counsellor_within_days":
        return _("%(days)d 天内由心理辅导员跟进") % {"days": within_days or 7}
    return {
        "none": _("无需处理"),
        "watch": _("持续关注"),
        "urgent_referral_today": _("当天紧急转介"),
    }[action]


def reason_text(reason: dict, language: str, scale_names: dict[str, str] | None = None) -> str:
    """One reason of a score, as a sentence in the reader's language (zh or en texts from the file)."""
    lang = "en" if language.startswith("en") else "zh"
    scale = (scale_names or {}).get(reason.get("scale", ""), reason.get("scale", ""))
    if reason["kind"] == "band":
        return _("%(scale)s %(score)d 分，属于“%(band)s”（%(low)d–%(high)d 分）：%(action)s。") % {
            "scale": scale,
            "score": reason["score"],
            "band": reason["label"][lang],
            "low": reason["min"],
            "high": reason["max"],
            "action": action_label(reason["action"], reason.get("within_days")),
        }
    if reason["kind"] == "critical":
        return _("第 %(item)s 题回答为 %(value)d：%(reason)s（%(action)s）。") % {
            "item": reason["item"],
            "value": reason["value"],
            "reason": reason["reason"][lang],
            "action": action_label(reason["action"], reason.get("within_days")),
        }
    if reason["kind"] == "prorated":
        return _("%(scale)s 有 %(n)d 题未答，已按比例折算为 %(score)d 分。") % {
            "scale": scale,
            "n": len(reason["missing"]),
            "score": reason["score"],
        }
    return _("%(scale)s 有 %(n)d 题未答，无法计分。") % {"scale": scale, "n": len(reason["missing"])}
