"""Every real-world XLSForm of the shared corpus either works or is refused with a clear message.

The corpus (37 third-party forms, ../shared/data/xlsforms, see its MANIFEST.md) is read in place,
never copied into this repository. A form "works" when it imports, its fill page renders, a valid
submission generated from its definition is stored, and an invalid one (a required answer left out,
a constraint broken, a wrong type ...) is refused by the server. The test fails if any form crashes
(an exception instead of work-or-refuse) or if fewer than MIN_WORKING forms work.
"""

import collections
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from seedling.assessments import services
from seedling.assessments.models import Response
from seedling.assessments.xlsform import FormRefused

from .formfill import GeneratorStuck, invalid_data, to_post, valid_data

pytestmark = pytest.mark.django_db

# What this engine achieves on the corpus today; raise it when support grows, never lower it quietly.
MIN_WORKING = 12


def corpus_dir() -> Path:
    configured = os.environ.get("SEEDLING_XLSFORM_CORPUS")
    return (
        Path(configured) if configured else Path(settings.PROJECT_DIR).parent / "shared" / "data" / "xlsforms"
    )


def _try_form(client, path: Path) -> tuple[str, str]:
    """(outcome, detail): outcome is works / refused / stuck / broken."""
    try:
        version = services.questionnaire_import(content=path.read_bytes(), filename=path.name)
    except FormRefused as refused:
        assert refused.problems and all(p.message for p in refused.problems)
        return "refused", "|".join(refused.features)
    url = reverse("assessments:fill", args=[version.pk])
    page = client.get(url)
    if page.status_code != 200:
        return "broken", f"fill page answered {page.status_code}"
    env = services.submission_env()
    try:
        data = valid_data(version.spec, env)
    except GeneratorStuck as stuck:
        return "stuck", f"no valid submission generated: {stuck}"
    before = Response.objects.count()
    answer = client.post(url, to_post(version.spec, data))
    if answer.status_code != 302 or Response.objects.count() != before + 1:
        return "broken", f"valid submission refused ({answer.status_code})"
    try:
        broken, name, rule = invalid_data(version.spec, data, env)
    except GeneratorStuck:
        return "stuck", "no invalid submission possible"
    answer = client.post(url, to_post(version.spec, broken))
    if answer.status_code != 400 or Response.objects.count() != before + 1:
        return "broken", f"invalid submission ({rule} at {name}) accepted"
    return "works", rule


def test_every_corpus_form_works_or_is_refused_clearly(client, users, capsys):
    folder = corpus_dir()
    files = (
        sorted(p for p in folder.glob("*") if p.suffix.lower() in (".xlsx", ".xls"))
        if folder.is_dir()
        else []
    )
    if not files:
        pytest.skip(f"XLSForm corpus not found at {folder}")
    client.force_login(users.director)  # a village director needs no second factor in tests
    outcomes: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    crashes = []
    for path in files:
        try:
            outcome, detail = _try_form(client, path)
        except Exception as exc:  # noqa: BLE001 -- a crash is what this test exists to catch
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        outcomes[outcome].append((path.name, detail))
    refused_by = collections.Counter(f for _name, d in outcomes["refused"] for f in d.split("|"))
    with capsys.disabled():
        print(f"\nXLSForm corpus: {len(files)} forms in {folder}")
        print(
            f"  work: {len(outcomes['works'])}   refused: {len(outcomes['refused'])}   "
            f"generator stuck: {len(outcomes['stuck'])}   broken: {len(outcomes['broken'])}   crashed: {len(crashes)}"
        )
        for name, rule in outcomes["works"]:
            print(f"  works    {name} (invalid submission: {rule})")
        print("  refused, by feature (a form may count under several):")
        for feature, count in refused_by.most_common():
            print(f"    {count:3d}  {feature}")
        for name, detail in outcomes["stuck"] + outcomes["broken"]:
            print(f"  !  {name}: {detail}")
        for crash in crashes:
            print(f"  CRASH {crash}")
    assert crashes == []
    assert outcomes["broken"] == []
    assert len(outcomes["works"]) >= MIN_WORKING
