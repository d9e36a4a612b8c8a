"""Server-side check of a filled form: the same rules the browser applied, applied again.

The browser can be bypassed, so the server recomputes calculations and relevance from the posted
answers, drops answers to questions that are not relevant, and checks types, choices (after the
choice filter), required answers and constraints with their messages. Pure functions, no ORM.
"""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import xpath
from .formdata import Context, FormIndex, evaluate, name_to_steps, path_to_name, walk_instances

MAX_REPEAT = 200
MAX_TEXT = 5000
_MAX_PASSES = 50
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INPUT_TYPES = {"text", "integer", "decimal", "date", "select_one", "select_multiple"}


@dataclass
class Env:
    """The clock of one submission (Asia/Shanghai), so `today()` and `now()` agree everywhere."""

    today: str
    now: str
    started: str = ""


@dataclass
class Checked:
    data: dict  # the tree of strings after calculation and relevance
    answers: dict  # typed answers to store (irrelevant and empty ones left out)
    errors: dict[str, str] = field(default_factory=dict)  # input name -> message
    relevance: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def text_in(texts, language: str) -> str:
    """One language's text of a {language: text} dict (a plain string is language-neutral)."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(language) or texts.get("default") or next(iter(texts.values()), "")


def flag(value, ctx: Context) -> bool:
    """A required/readonly setting: True, False or an expression."""
    if isinstance(value, bool):
        return value
    return xpath.to_boolean(evaluate(value, ctx))


def data_from_post(spec: dict, post) -> dict:
    """The tree of strings from posted input names ("rep[0]/x"); unknown names are ignored."""
    data: dict = {}
    index = FormIndex(spec)
    for key in post:
        steps = name_to_steps(key)
        if not steps:
            continue
        values = [v for v in post.getlist(key)] if hasattr(post, "getlist") else _as_list(post[key])
        _place(data, spec.get("children", []), steps, values, index)
    _compact(data, spec.get("children", []))
    return data


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _place(data: dict, children: list[dict], steps, values: list[str], index: FormIndex) -> None:
    node_map = {n["name"]: n for n in children}
    name, position = steps[0]
    node = node_map.get(name)
    if node is None:
        return
    if node["kind"] == "field":
        if len(steps) != 1 or position is not None:
            return
        if node["type"] == "select_multiple":
            data[name] = " ".join(v.strip() for v in values if v.strip())
        else:
            data[name] = values[-1] if values else ""
        return
    if node["kind"] == "group":
        if position is None and len(steps) > 1:
            _place(data.setdefault(name, {}), node.get("children", []), steps[1:], values, index)
        return
    if position is None or position >= 10 * MAX_REPEAT:
        return
    instances = data.setdefault(name, {})
    if not isinstance(instances, dict):
        return
    instance = instances.setdefault(position, {})
    if len(steps) > 1:  # a bare "rep[3]" is the marker that keeps an all-empty instance
        _place(instance, node.get("children", []), steps[1:], values, index)


def _compact(data: dict, children: list[dict]) -> None:
    """Repeat instances posted as {index: {...}} become a list in index order."""
    for node in children:
        value = data.get(node["name"])
        if node["kind"] == "repeat":
            instances = [value[k] for k in sorted(value)] if isinstance(value, dict) else []
            data[node["name"]] = instances[:MAX_REPEAT]
            for inst in data[node["name"]]:
                _compact(inst, node.get("children", []))
        elif node["kind"] == "group" and isinstance(value, dict):
            _compact(value, node.get("children", []))


def compute(spec: dict, data: dict, env: Env) -> dict[str, bool]:
    """Run calculations, repeat counts and relevance until they settle; blank what is not relevant.

    Returns the relevance of every node by input name. Mutates `data`.
    """
    index = FormIndex(spec)
    relevance: dict[str, bool] = {}
    for _pass in range(_MAX_PASSES):
        relevance = {}
        changed = _compute_level(spec.get("children", []), data, [], True, index, data, env, relevance)
        if not changed:
            break
    return relevance


def _ctx(index: FormIndex, root: dict, path: list, env: Env) -> Context:
    return Context(index, root, path, today=env.today, now=env.now)


def _compute_level(children, container, path, parent_relevant, index, root, env, relevance) -> bool:
    changed = False
    for node in children:
        here = [*path, node["name"]]
        relevant = parent_relevant
        if relevant and node.get("relevant"):
            relevant = xpath.to_boolean(evaluate(node["relevant"], _ctx(index, root, here, env)))
        relevance[path_to_name(here)] = relevant
        kind = node["kind"]
        if kind == "group":
            sub = container.setdefault(node["name"], {})
            changed |= _compute_level(node["children"], sub, here, relevant, index, root, env, relevance)
        elif kind == "repeat":
            instances = container.setdefault(node["name"], [])
            if node.get("repeat_count") and relevant:
                wanted = _repeat_count(node["repeat_count"], _ctx(index, root, here, env))
                if wanted != len(instances):
                    del instances[wanted:]
                    instances.extend({} for _ in range(wanted - len(instances)))
                    changed = True
            for i, inst in enumerate(instances):
                relevance[path_to_name([*here, i])] = relevant
                changed |= _compute_level(
                    node["children"], inst, [*here, i], relevant, index, root, env, relevance
                )
        else:
            value = _field_value(node, container, here, relevant, index, root, env)
            if value != container.get(node["name"], ""):
                container[node["name"]] = value
                changed = True
    return changed


def _repeat_count(expr: str, ctx: Context) -> int:
    number = xpath.to_number(evaluate(expr, ctx))
    if math.isnan(number) or number < 0:
        return 0
    return min(int(number), MAX_REPEAT)


def _field_value(node, container, here, relevant, index, root, env) -> str:
    if not relevant:
        return ""
    current = container.get(node["name"], "")
    if node.get("calculate"):
        return xpath.to_string(evaluate(node["calculate"], _ctx(index, root, here, env)))
    if node["type"] == "meta":
        return {"start": env.started or env.now, "end": env.now, "today": env.today}.get(node["meta"], "")
    if node.get("readonly") is True:  # nobody types here: only a default can fill it
        if node.get("default_expr"):
            return xpath.to_string(evaluate(node["default_expr"], _ctx(index, root, here, env)))
        return node.get("default", "")
    return current.strip() if isinstance(current, str) else ""


def allowed_choices(spec: dict, node: dict, ctx: Context) -> list[dict]:
    """The choices of a select after its choice_filter (evaluated per choice, columns as names)."""
    choices = spec.get("choices", {}).get(node.get("list", ""), [])
    expr = node.get("choice_filter")
    if not expr:
        return choices
    kept = []
    for choice in choices:
        columns = {"name": choice["name"], **choice.get("data", {})}
        item_ctx = Context(ctx.index, ctx.data, ctx.at, today=ctx.today(), now=ctx.now(), choice=columns)
        if xpath.to_boolean(evaluate(expr, item_ctx)):
            kept.append(choice)
    return kept


def check(spec: dict, data: dict, env: Env, language: str) -> Checked:
    """Compute, then check every relevant answer; the typed answers to store when there are no errors."""
    relevance = compute(spec, data, env)
    index = FormIndex(spec)
    errors: dict[str, str] = {}
    for node, container, here in walk_instances(spec.get("children", []), data, []):
        name = path_to_name(here)
        if not relevance.get(name, True) or node["type"] not in INPUT_TYPES or node.get("calculate"):
            continue
        ctx = _ctx(index, data, here, env)
        value = container.get(node["name"], "")
        if value == "":
            if node.get("required") and flag(node["required"], ctx):
                errors[name] = text_in(node.get("required_message"), language) or _("此题必须回答。")
            continue
        message = _type_error(spec, node, value, ctx)
        if (
            message is None
            and node.get("constraint")
            and not xpath.to_boolean(evaluate(node["constraint"], ctx))
        ):
            message = text_in(node.get("constraint_message"), language) or _("回答不符合本题的要求。")
        if message:
            errors[name] = message
    answers = typed_answers(spec.get("children", []), data, [], relevance)
    return Checked(data=data, answers=answers, errors=errors, relevance=relevance)


def _type_error(spec: dict, node: dict, value: str, ctx: Context) -> str | None:
    kind = node["type"]
    if kind == "text":
        return _("回答过长（最多 %(n)d 字）。") % {"n": MAX_TEXT} if len(value) > MAX_TEXT else None
    if kind == "integer":
        if not _INTEGER.match(value) or abs(int(value)) > 2**31 - 1:
            return _("请填写整数。")
        return None
    if kind == "decimal":
        return None if _DECIMAL.match(value) else _("请填写数字。")
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError
            datetime.date.fromisoformat(value)
        except ValueError:
            return _("请填写有效日期（年-月-日）。")
        return None
    names = {c["name"] for c in allowed_choices(spec, node, ctx)}
    picked = xpath.split_selected(value) if kind == "select_multiple" else [value]
    if any(p not in names for p in picked):
        return _("请从给出的选项中选择。")
    return None


def typed_answers(children: list[dict], data: dict, path: list, relevance: dict[str, bool]) -> dict:
    """Answers as stored: numbers as numbers, multiple choices as lists; nothing empty or irrelevant."""
    out: dict = {}
    for node in children:
        here = [*path, node["name"]]
        if not relevance.get(path_to_name(here), True):
            continue
        value = data.get(node["name"])
        if node["kind"] == "group":
            sub = typed_answers(node["children"], value or {}, here, relevance)
            if sub:
                out[node["name"]] = sub
        elif node["kind"] == "repeat":
            out[node["name"]] = [
                typed_answers(node["children"], inst, [*here, i], relevance)
                for i, inst in enumerate(value or [])
            ]
        elif isinstance(value, str) and value != "" and node["type"] != "note":
            out[node["name"]] = _typed(node, value)
    return out


def _typed(node: dict, value: str):
    kind = node["type"]
    if node.get("calculate") or kind == "meta":
        return value
    if kind == "integer" and _INTEGER.match(value):
        return int(value)
    if kind == "decimal" and _DECIMAL.match(value):
        return float(value)
    if kind == "select_multiple":
        return xpath.split_selected(value)
    return value
