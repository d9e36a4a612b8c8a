"""A filled form as a tree, and the context expressions are evaluated in.

The tree mirrors the XForm instance: a dict per form, group and repeat instance; a group is a nested
dict, a repeat a list of dicts, an answer a string (select_multiple: names separated by spaces).
A place in the tree is a path: names, each repeat name followed by the 0-based instance index,
e.g. ["household", 2, "member", "age"]. In HTML input names it is written "household[2]/member/age".

static/assessments/formdata.js mirrors this module for the browser (the same vectors run both).
References follow what pyxform generates for ${name}: inside the same repeat instance as the field
being evaluated they mean that instance's answer; across repeats they mean every instance's answer.
"""

import re
from collections.abc import Iterator

from . import xpath

_STEP = re.compile(r"^([^/\[\]]+)(?:\[(\d+)\])?$")


class FormIndex:
    """Where each named element of a form spec sits: name -> [(name, kind), ...] from the root."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.paths: dict[str, list[tuple[str, str]]] = {}
        self.nodes: dict[str, dict] = {}
        self._collect(spec.get("children", []), [])

    def _collect(self, children: list[dict], trail: list[tuple[str, str]]) -> None:
        for node in children:
            here = [*trail, (node["name"], node["kind"])]
            self.paths.setdefault(node["name"], here)
            self.nodes.setdefault(node["name"], node)
            if node["kind"] in ("group", "repeat"):
                self._collect(node.get("children", []), here)


def path_to_name(path: list) -> str:
    """The HTML input name of a place in the tree: ["rep", 0, "x"] -> "rep[0]/x"."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
        else:
            parts.append(step)
    return "/".join(parts)


def name_to_steps(name: str) -> list[tuple[str, int | None]] | None:
    """ "rep[0]/x" -> [("rep", 0), ("x", None)]; None when the name is not a form path."""
    steps = []
    for part in name.split("/"):
        m = _STEP.match(part)
        if m is None:
            return None
        steps.append((m[1], int(m[2]) if m[2] is not None else None))
    return steps


def value_at(data: dict, path: list) -> str:
    node = data
    for step in path[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return ""
            node = node[step]
        else:
            node = node.get(step) if isinstance(node, dict) else None
            if node is None:
                return ""
    value = node.get(path[-1], "") if isinstance(node, dict) else ""
    return value if isinstance(value, str) else ""


def container_at(data: dict, path: list, create: bool = False) -> dict | None:
    """The dict that holds the last step of `path` (its parent group or repeat instance)."""
    node = data
    steps = path[:-1]
    for i, step in enumerate(steps):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
            continue
        nxt = node.get(step)
        if nxt is None:
            if not create:
                return None
            nxt = [] if i + 1 < len(steps) and isinstance(steps[i + 1], int) else {}
            node[step] = nxt
        node = nxt
    return node if isinstance(node, dict) else None


class Context:
    """The evaluation context of one expression: the form, the answers, and where the expression sits."""

    def __init__(self, index: FormIndex, data: dict, at: list, *, today: str, now: str, choice=None):
        self.index = index
        self.data = data
        self.at = at
        self._today = today
        self._now = now
        self.choice = choice

    def today(self) -> str:
        return self._today

    def now(self) -> str:
        return self._now

    def current(self) -> list[str]:
        return [value_at(self.data, self.at)] if self.at else [""]

    def column(self, name: str) -> list[str]:
        if self.choice is None or name not in self.choice:
            return []
        return [str(self.choice[name])]

    def resolve(self, name: str, at: list | None = None) -> list[str]:
        steps = self.index.paths.get(name)
        if steps is None:
            return []
        at = self.at if at is None else at
        containers: list = [self.data]
        aligned, li = True, 0
        for depth, (step, kind) in enumerate(steps):
            last = depth == len(steps) - 1
            if aligned and li < len(at) and at[li] == step:
                li += 1
            else:
                aligned = False
            if kind == "repeat":
                use_index = aligned and not last and li < len(at) and isinstance(at[li], int)
                nxt = []
                for c in containers:
                    instances = c.get(step) if isinstance(c.get(step), list) else []
                    if use_index:
                        if at[li] < len(instances):
                            nxt.append(instances[at[li]])
                    else:
                        nxt.extend(instances)
                if use_index:
                    li += 1
                else:
                    aligned = False
                containers = nxt
                if last:
                    return [""] * len(containers)
            elif kind == "group":
                containers = [c.get(step) if isinstance(c.get(step), dict) else {} for c in containers]
                if last:
                    return [""] * len(containers)
            else:
                return [v if isinstance(v := c.get(step, ""), str) else "" for c in containers]
        return []

    def position(self, levels: int) -> int:
        entries: list[int | None] = []
        for step in self.at:
            if isinstance(step, int):
                entries[-1] = step
            else:
                entries.append(None)
        target = len(entries) - 1 - levels
        if target < 0:
            return 1
        index = entries[target]
        return index + 1 if index is not None else 1

    def indexed(self, ref_tree, pairs: list[tuple[str, float]]) -> list[str]:
        wanted = {}
        for name, number in pairs:
            if number != number or number < 1:
                return []
            wanted[name] = int(number) - 1
        last = pairs[-1][0]
        steps = self.index.paths.get(last)
        if steps is None:
            return []
        at2: list = []
        aligned = True
        for depth, (step, kind) in enumerate(steps):
            aligned = aligned and depth < len(self.at) and _step_name(self.at, len(at2)) == step
            at2.append(step)
            if kind == "repeat":
                if step in wanted:
                    at2.append(wanted[step])
                elif aligned and len(at2) < len(self.at) and isinstance(self.at[len(at2)], int):
                    at2.append(self.at[len(at2)])
                else:
                    at2.append(0)
        at2.append("")  # a placeholder leaf inside the chosen instance
        return self.resolve(ref_tree[1], at=at2)[:1]


def _step_name(at: list, position: int):
    return at[position] if position < len(at) else None


def evaluate(expr: str, ctx: Context):
    """Evaluate the expression text (parsed once and cached) in `ctx`."""
    return xpath.evaluate(parsed(expr), ctx)


_CACHE: dict[str, tuple] = {}


def parsed(expr: str):
    tree = _CACHE.get(expr)
    if tree is None:
        tree = xpath.parse(expr)
        if len(_CACHE) < 20000:
            _CACHE[expr] = tree
    return tree


def walk_instances(children: list[dict], data: dict, path: list) -> Iterator[tuple[dict, dict, list]]:
    """(node, container, path) for every field node of every instance, in document order."""
    for node in children:
        here = [*path, node["name"]]
        if node["kind"] == "group":
            sub = data.setdefault(node["name"], {})
            yield from walk_instances(node.get("children", []), sub, here)
        elif node["kind"] == "repeat":
            for i, inst in enumerate(data.setdefault(node["name"], [])):
                yield from walk_instances(node.get("children", []), inst, [*here, i])
        else:
            yield node, data, here
