"""Make a valid and an invalid submission for any form spec (test helper for the corpus test).

The valid one answers every relevant question in document order with the first candidate value
that passes the type, the choice filter and the constraint, re-computing relevance and calculations
after each answer. Optional questions whose constraint no candidate satisfies stay empty. The
invalid one breaks one rule the server must enforce (a required answer left out, a constraint
violated, a wrong type or an unknown choice).
"""

import copy
import datetime

from seedling.assessments import formdata, submission, xpath
from seedling.assessments.formdata import Context, FormIndex, path_to_name, walk_instances
from seedling.assessments.formview import initial_data

INTEGERS = [
    "1",
    "2",
    "0",
    "3",
    "5",
    "10",
    "12",
    "18",
    "25",
    "30",
    "50",
    "100",
    "150",
    "200",
    "999",
    "1000",
    "-1",
]
DECIMALS = ["1.5", "1", "0", "2.5", "10", "50.5", "100", "0.5", "999"]
TEXTS = [
    "测试回答",
    "abc",
    "Test answer",
    "12345",
    "1",
    "abcdefghijk",
    "ABCDEFG",
    "Abc1234",
    "a1b2c3d4e5f",
    "0712345678",
    "13812345678",
    "+254712345678",
    "test@example.org",
]


class GeneratorStuck(Exception):
    """No candidate value satisfies these questions' rules."""


def _dates(env: submission.Env) -> list[str]:
    today = datetime.date.fromisoformat(env.today)
    return [
        env.today,
        (today - datetime.timedelta(days=1)).isoformat(),
        "2015-06-15",
        "2010-01-01",
        "2000-01-01",
        (today + datetime.timedelta(days=1)).isoformat(),
    ]


def _candidates(spec: dict, node: dict, ctx: Context, env: submission.Env) -> list[str]:
    kind = node["type"]
    if kind == "integer":
        return INTEGERS
    if kind == "decimal":
        return DECIMALS
    if kind == "date":
        return _dates(env)
    if kind == "text":
        return TEXTS
    names = [c["name"] for c in submission.allowed_choices(spec, node, ctx)]
    if kind == "select_one":
        return names
    return names[:1] + [" ".join(names[:2])] + names[1:]


def _ok(spec: dict, node: dict, ctx: Context) -> bool:
    if node.get("constraint") and not xpath.to_boolean(formdata.evaluate(node["constraint"], ctx)):
        return False
    if node["type"] in ("select_one", "select_multiple"):
        names = {c["name"] for c in submission.allowed_choices(spec, node, ctx)}
        return all(v in names for v in xpath.split_selected(ctx.current()[0]))
    return True


def _inputs(spec: dict, data: dict, env: submission.Env):
    relevance = submission.compute(spec, data, env)
    for node, container, here in walk_instances(spec.get("children", []), data, []):
        if (
            node["type"] not in submission.INPUT_TYPES
            or node.get("calculate")
            or node.get("readonly") is True
        ):
            continue
        if relevance.get(path_to_name(here), True):
            yield node, container, here


def valid_data(spec: dict, env: submission.Env) -> dict:
    """A tree of answers the server accepts; raises GeneratorStuck naming what it could not satisfy."""
    index = FormIndex(spec)
    data = initial_data(spec)
    done: set[str] = set()
    for _round in range(3):
        progressed = False
        for node, container, here in list(_inputs(spec, data, env)):
            name = path_to_name(here)
            if name in done:
                continue
            done.add(name)
            progressed = True
            for value in _candidates(
                spec, node, Context(index, data, here, today=env.today, now=env.now), env
            ):
                container[node["name"]] = value
                submission.compute(spec, data, env)
                if _ok(spec, node, Context(index, data, here, today=env.today, now=env.now)):
                    break
            else:
                container[node["name"]] = ""
        if not progressed:
            break
    checked = submission.check(spec, copy.deepcopy(data), env, "default")
    if not checked.ok:
        raise GeneratorStuck("; ".join(f"{k}: {v}" for k, v in checked.errors.items()))
    return data


def invalid_data(spec: dict, data: dict, env: submission.Env) -> tuple[dict, str, str]:
    """A copy of valid answers with one rule broken: (data, input name, which rule)."""
    index = FormIndex(spec)
    attempts = []
    for node, _container, here in _inputs(spec, copy.deepcopy(data), env):
        attempts.append((node, here))
    for rule in ("required", "constraint", "type", "choice", "length"):
        for node, here in attempts:
            broken = copy.deepcopy(data)
            container = formdata.container_at(broken, here)
            if container is None:
                continue
            for value in _breaking_values(rule, node, broken, here, index, env):
                container[node["name"]] = value
                checked = submission.check(spec, copy.deepcopy(broken), env, "default")
                if path_to_name(here) in checked.errors:
                    return broken, path_to_name(here), rule
    raise GeneratorStuck("no answer can be made invalid")


def _breaking_values(rule: str, node: dict, data: dict, here: list, index, env) -> list[str]:
    kind = node["type"]
    if rule == "required":
        return [""] if node.get("required") else []
    if rule == "constraint":
        return INTEGERS + DECIMALS + TEXTS + _dates(env) if node.get("constraint") else []
    if rule == "type":
        return {"integer": ["abc", "1.5"], "decimal": ["abc"], "date": ["2024-13-45"]}.get(kind, [])
    if rule == "choice":
        return ["__no_such_choice__"] if kind in ("select_one", "select_multiple") else []
    return ["x" * (submission.MAX_TEXT + 1)] if kind == "text" else []


def to_post(spec: dict, data: dict) -> dict[str, list[str]]:
    """Input name -> posted values, as the fill page's form would send them."""
    post: dict[str, list[str]] = {}
    _post_level(spec.get("children", []), data, "", post)
    return post


def _post_level(children: list[dict], data: dict, prefix: str, post: dict) -> None:
    for node in children:
        name = f"{prefix}/{node['name']}" if prefix else node["name"]
        value = data.get(node["name"])
        if node["kind"] == "group":
            _post_level(node["children"], value or {}, name, post)
        elif node["kind"] == "repeat":
            for i, inst in enumerate(value or []):
                post[f"{name}[{i}]"] = ["1"]
                _post_level(node["children"], inst, f"{name}[{i}]", post)
        elif node["type"] in submission.INPUT_TYPES and isinstance(value, str) and value != "":
            post[name] = xpath.split_selected(value) if node["type"] == "select_multiple" else [value]
