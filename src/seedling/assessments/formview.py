"""What the fill page shows: the form spec, the current answers and errors, as a tree for templates.

Works without JavaScript (the server computes relevance and calculations for what it renders);
static/assessments/xform.js (with xpath.js and formdata.js) then keeps relevance, calculations, choice filters and repeats live.
Repeat instances carry a <template> with a placeholder index ("[__name__]") the browser replaces.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .formdata import Context, FormIndex
from .submission import Env, allowed_choices, compute, text_in

_OUTPUT = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")


def choose_language(spec: dict, requested: str, ui_language: str) -> str:
    """The form language to show: the one asked for, else the UI language's, else the form's default."""
    keys = [lang["key"] for lang in spec.get("languages", [])]
    if requested in keys:
        return requested
    ui = ui_language.lower().split("-")[0]
    for lang in spec.get("languages", []):
        if lang["code"] and lang["code"].split("-")[0] == ui:
            return lang["key"]
    default = spec.get("default_language", "default")
    return default if default in keys else (keys[0] if keys else "default")


def initial_data(spec: dict) -> dict:
    """A fresh form: static defaults, and one instance of each repeat without a repeat count."""
    return _initial(spec.get("children", []))


def _initial(children: list[dict]) -> dict:
    data: dict = {}
    for node in children:
        if node["kind"] == "group":
            data[node["name"]] = _initial(node["children"])
        elif node["kind"] == "repeat":
            data[node["name"]] = [] if node.get("repeat_count") else [_initial(node["children"])]
        elif node.get("default"):
            data[node["name"]] = node["default"]
    return data


def element_id(name: str) -> str:
    return "f-" + _ID_UNSAFE.sub("-", name).strip("-")


class _Builder:
    def __init__(self, spec: dict, data: dict, errors: dict, language: str, env: Env):
        self.spec = spec
        self.data = data
        self.errors = errors
        self.language = language
        self.env = env
        self.index = FormIndex(spec)
        self.relevance = compute(spec, data, env)

    def label(self, texts, path: list | None) -> str:
        text = escape(text_in(texts, self.language))

        def output(m):
            value = ""
            if path is not None and m[1] in self.index.paths:
                ctx = Context(self.index, self.data, path, today=self.env.today, now=self.env.now)
                found = ctx.resolve(m[1])
                value = found[0] if found else ""
            return f'<span data-output="{escape(m[1])}">{escape(value)}</span>'

        return mark_safe(_OUTPUT.sub(output, text).replace("\n", "<br>"))  # noqa: S308 -- escaped above

    def nodes(
        self, children: list[dict], container: dict | None, prefix: str, path: list | None
    ) -> list[dict]:
        out = []
        for node in children:
            name = f"{prefix}/{node['name']}" if prefix else node["name"]
            here = [*path, node["name"]] if path is not None else None
            hidden = here is not None and not self.relevance.get(name, True)
            kind = node["kind"]
            if kind == "group":
                sub = (container or {}).get(node["name"]) if container is not None else None
                out.append(
                    {
                        "kind": "group",
                        "name": name,
                        "label": self.label(node.get("label"), here),
                        "hidden": hidden,
                        "children": self.nodes(
                            node["children"], sub if isinstance(sub, dict) else None, name, here
                        ),
                    }
                )
            elif kind == "repeat":
                out.append(self.repeat(node, container, name, here, hidden))
            elif node["type"] not in ("calculate", "meta"):
                out.append(self.field(node, container, name, here, hidden))
        return out

    def repeat(self, node: dict, container, name: str, here, hidden: bool) -> dict:
        instances = (container or {}).get(node["name"]) if container is not None else None
        rendered = []
        for i, inst in enumerate(instances if isinstance(instances, list) else []):
            iname = f"{name}[{i}]"
            rendered.append(
                {
                    "name": iname,
                    "number": i + 1,
                    "children": self.nodes(node["children"], inst, iname, [*here, i]),
                }
            )
        placeholder = f"__{node['name']}__"
        template_name = f"{name}[{placeholder}]"
        return {
            "kind": "repeat",
            "name": name,
            "repeat": node["name"],
            "label": self.label(node.get("label"), None),
            "hidden": hidden,
            "fixed": bool(node.get("repeat_count")),
            "instances": rendered,
            "template": {
                "name": template_name,
                "children": self.nodes(node["children"], None, template_name, None),
            },
        }

    def field(self, node: dict, container, name: str, here, hidden: bool) -> dict:
        value = (container or {}).get(node["name"], "") if container is not None else node.get("default", "")
        value = value if isinstance(value, str) else ""
        kind = node["type"]
        view = {
            "kind": "field",
            "type": kind,
            "name": name,
            "field": node["name"],
            "id": element_id(name),
            "label": self.label(node.get("label"), here),
            "hint": self.label(node.get("hint"), here),
            "required": node.get("required") is True,
            "readonly": node.get("readonly") is True or bool(node.get("calculate")),
            "hidden": hidden,
            "value": value,
            "error": self.errors.get(name, ""),
            "multiline": "multiline" in node.get("appearance", ""),
        }
        if kind in ("select_one", "select_multiple"):
            chosen = set(value.split()) if kind == "select_multiple" else {value}
            allowed = None
            if here is not None and node.get("choice_filter"):
                ctx = Context(self.index, self.data, here, today=self.env.today, now=self.env.now)
                allowed = {c["name"] for c in allowed_choices(self.spec, node, ctx)}
            view["options"] = [
                {
                    "value": choice["name"],
                    "label": self.label(choice.get("label"), None),
                    "checked": choice["name"] in chosen,
                    "index": k,
                    "id": f"{view['id']}-{k}",
                    "hidden": allowed is not None and choice["name"] not in allowed,
                }
                for k, choice in enumerate(self.spec.get("choices", {}).get(node.get("list", ""), []))
            ]
        return view


def form_view(spec: dict, data: dict, errors: dict, language: str, env: Env) -> list[dict]:
    """The render tree of a form with its current answers (data is computed in place)."""
    builder = _Builder(spec, data, errors, language, env)
    return builder.nodes(spec.get("children", []), data, "", [])
