"""Writes of the assessments app: load instruments, import questionnaires, store responses."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog

from . import scoring, submission
from .definitions import InstrumentDefinitionError, definition_check, definition_checksum, definition_read
from .instrument_form import instrument_answers, instrument_spec
from .models import Instrument, InstrumentVersion, Questionnaire, QuestionnaireVersion, Response
from .xlsform import xlsform_compile

BUILTIN_DIR = Path(__file__).parent / "instruments"
BUILTIN_SUFFIXES = (".json", ".yaml", ".yml")


class InstrumentVersionConflict(InstrumentDefinitionError):
    """The same instrument id and version were loaded before with different content."""


@dataclass
class Loaded:
    version: InstrumentVersion
    created: bool


@transaction.atomic
def instrument_load(*, definition: dict, source: str = InstrumentVersion.Source.FILE, user=None) -> Loaded:
    """Store an instrument version after checking it; loading identical content again changes nothing.

    A version is frozen: the same id and version with different content is refused, because
    responses keep the version they were answered with (DOMAIN.md section 4).
    """
    definition_check(definition)
    checksum = definition_checksum(definition)
    instrument, _created = Instrument.objects.get_or_create(
        code=definition["id"],
        defaults={
            "name_zh": definition["name"]["zh"],
            "name_en": definition["name"]["en"],
            "builtin": source == InstrumentVersion.Source.BUILTIN,
        },
    )
    existing = instrument.versions.filter(version=definition["version"]).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise InstrumentVersionConflict(
                [
                    _("量表 %(id)s 的版本 %(version)s 已导入且内容不同；修改量表请使用新的版本号。")
                    % {"id": definition["id"], "version": definition["version"]}
                ]
            )
        return Loaded(existing, False)
    instrument.name_zh, instrument.name_en = definition["name"]["zh"], definition["name"]["en"]
    instrument.save(update_fields=["name_zh", "name_en", "updated_at"])
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition["version"],
        definition=definition,
        checksum=checksum,
        source=source,
        loaded_by=user,
    )
    questionnaire, _created = Questionnaire.objects.get_or_create(
        instrument=instrument,
        defaults={"code": _free_code(f"instrument-{instrument.code}"), "title": definition["name"]["zh"]},
    )
    questionnaire.title = definition["name"]["zh"]
    questionnaire.save(update_fields=["title", "updated_at"])
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=_next_number(questionnaire),
        form_version=definition["version"],
        instrument_version=version,
        spec=instrument_spec(definition),
        imported_by=user,
    )
    return Loaded(version, True)


def instrument_load_file(*, path: Path, source: str = InstrumentVersion.Source.FILE, user=None) -> Loaded:
    """Load an instrument definition file (.json or .yaml)."""
    return instrument_load(definition=definition_read(path), source=source, user=user)


def instruments_builtin_load() -> list[Loaded]:
    """Load every instrument the project ships; idempotent by id and version (run after migrate)."""
    return [
        instrument_load_file(path=path, source=InstrumentVersion.Source.BUILTIN)
        for path in sorted(BUILTIN_DIR.iterdir())
        if path.suffix in BUILTIN_SUFFIXES
    ]


def _next_number(questionnaire: Questionnaire) -> int:
    last = questionnaire.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _free_code(base: str) -> str:
    base = slugify(base)[:100] or "form"
    code, n = base, 1
    while Questionnaire.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def questionnaire_import(*, content: bytes, filename: str, user=None, code: str = "") -> QuestionnaireVersion:
    """Import an XLSForm as a new questionnaire version; raises xlsform.FormRefused naming each problem.

    The form's id (settings form_id, else the file name) picks the questionnaire; importing the
    very same file again returns the version it made before.
    """
    compiled = xlsform_compile(content, filename)
    sha = hashlib.sha256(content).hexdigest()
    form_id = str(compiled.pyxform.get("id_string") or Path(filename).stem)
    code = slugify(code or form_id)[:120] or _free_code("form")
    questionnaire = Questionnaire.objects.filter(code=code, instrument__isnull=True).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            code=_free_code(code), title=compiled.title[:300], created_by=user
        )
    else:
        same = questionnaire.versions.filter(source_sha256=sha).first()
        if same is not None:
            return same
        questionnaire.title = compiled.title[:300]
        questionnaire.save(update_fields=["title", "updated_at"])
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=_next_number(questionnaire),
        form_version=compiled.version[:100],
        spec=compiled.spec,
        pyxform=compiled.pyxform,
        source_name=Path(filename).name[:255],
        source_sha256=sha,
        source_file=content,
        warnings=compiled.warnings,
        imported_by=user,
    )


class ResponseRefused(Exception):
    """The submission does not pass the server's check; `checked.errors` maps inputs to messages."""

    def __init__(self, checked: submission.Checked):
        self.checked = checked
        super().__init__(_("答卷有 %d 处需要修改。") % len(checked.errors))


def submission_env(*, started: str = "") -> submission.Env:
    """The clock of a submission: today and now in Asia/Shanghai."""
    now = timezone.localtime(clock.now())
    return submission.Env(
        today=now.date().isoformat(), now=now.isoformat(timespec="milliseconds"), started=started
    )


@transaction.atomic
def response_submit(
    *,
    version: QuestionnaireVersion,
    data: dict,
    language: str,
    user=None,
    child=None,
    started_at=None,
    campaign=None,
    area=None,
    anonymous: bool = False,
) -> Response:
    """Check a filled form on the server and store it; an instrument's answers are scored.

    Browser checks can be bypassed, so everything is checked again here (submission.check);
    answers to questions that are not relevant are dropped. Raises ResponseRefused. A screening
    campaign's response carries the campaign and its area; an anonymous one never a child.
    """
    if anonymous and child is not None:
        raise ValueError("an anonymous response cannot name a child")
    env = submission_env(started=started_at.isoformat() if started_at else "")
    checked = submission.check(version.spec, data, env, language)
    if not checked.ok:
        raise ResponseRefused(checked)
    score = None
    instrument_version = version.instrument_version
    if instrument_version is not None:
        score = scoring.score(instrument_version.definition, instrument_answers(checked.answers)).as_dict()
    response = Response.objects.create(
        questionnaire_version=version,
        instrument_version=instrument_version,
        child=child,
        campaign=campaign,
        area=area,
        anonymous=anonymous,
        answers=checked.answers,
        score=score,
        band=(score or {}).get("band") or "",
        action=(score or {}).get("action") or "",
        language=language[:20],
        started_at=started_at,
        submitted_at=clock.now(),
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if child is not None:
        audit_log(user=user, action=AccessLog.Action.CREATE, obj=response, child=child)
    return response
