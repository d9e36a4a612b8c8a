"""The browser and the server evaluate form expressions alike: both run the same vectors.

tests/xpath_vectors.json holds expression -> context -> expected value. The Python evaluator must
give each expected value; the JavaScript one (static/assessments/xpath.js and formdata.js, run with
Node.js) must
give the same, refuse the same expressions, and compute the same filled forms.
"""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from seedling.assessments import formdata, submission, xpath

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "xpath_vectors.json").read_text(encoding="utf-8"))
STATIC = HERE.parent / "static" / "assessments"


def _normalise(result):
    if isinstance(result, xpath.NodeSet):
        return ["nodeset", list(result)]
    if isinstance(result, bool):
        return ["boolean", result]
    if isinstance(result, float):
        return ["number", xpath.number_to_string(result)]
    return ["string", result]


def _python(case):
    form = VECTORS["forms"][case["form"]]
    ctx = formdata.Context(
        formdata.FormIndex(form),
        case["data"],
        case["at"],
        today=case.get("today", VECTORS["today"]),
        now=case.get("now", VECTORS["now"]),
        choice=case.get("choice"),
    )
    return _normalise(xpath.evaluate(xpath.parse(case["expr"]), ctx))


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["expr"] for c in VECTORS["cases"]])
def test_python_evaluator_gives_the_expected_value(case):
    assert _python(case) == case["expect"]


@pytest.mark.parametrize(("expr", "feature"), VECTORS["refused"])
def test_python_parser_refuses_what_is_outside_the_subset(expr, feature):
    with pytest.raises(xpath.XPathError) as info:
        xpath.parse(expr)
    assert info.value.feature == feature


def _python_computes():
    out = []
    for c in VECTORS["computes"]:
        data = copy.deepcopy(c["data"])
        env = submission.Env(today=VECTORS["today"], now=VECTORS["now"])
        relevance = submission.compute(c["form"], data, env)
        out.append({"data": data, "relevance": relevance})
    return out


def test_compute_settles_calculations_relevance_and_repeat_counts():
    first, second = _python_computes()
    data = first["data"]
    assert data["teen"] == "yes" and data["later"] == "8"  # a calculation reading a later answer settles
    assert data["g"]["q"] == "hi"  # answers are trimmed
    assert [i["idx"] for i in data["r"]] == ["1", "2", "3"]  # repeat_count made three instances
    assert [i.get("v", "") for i in data["r"]] == ["a", "", ""]  # the 2nd is not relevant, so dropped
    assert data["when"] == "2024-05-20" and data["stamp"] == "2024-05-20"  # a read-only dynamic default
    assert first["relevance"]["r[1]/v"] is False and first["relevance"]["r[2]/v"] is True
    data = second["data"]
    assert data["age"] == "" and data["teen"] == "no" and data["g"]["q"] == ""  # irrelevant -> blank
    assert data["r"] == [] and second["relevance"]["g"] is False


@pytest.fixture(scope="module")
def javascript_results():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run(
        [node, str(HERE / "run_vectors.js"), str(STATIC), str(HERE / "xpath_vectors.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_javascript_evaluator_agrees_with_every_vector(javascript_results):
    wrong = [
        (case["expr"], case["expect"], got)
        for case, got in zip(VECTORS["cases"], javascript_results["cases"], strict=True)
        if got != case["expect"]
    ]
    assert wrong == []


def test_javascript_parser_refuses_the_same_expressions(javascript_results):
    wrong = [
        (expr, feature, got)
        for (expr, feature), got in zip(VECTORS["refused"], javascript_results["refused"], strict=True)
        if got != feature
    ]
    assert wrong == []


def test_javascript_compute_matches_the_server(javascript_results):
    assert javascript_results["computes"] == _python_computes()
