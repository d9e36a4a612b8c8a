"""Writes of the research app: research projects, and the prepared (and logged) de-identified export.

Rules of the row-level export (去标识明细导出):
- only users with the RESEARCH action, only responses from their areas (research.selectors);
- a stated purpose, kept in the access log with the filters, the format and the number of rows
  (never a child's id);
- an instrument or a questionnaire must be chosen (the columns are its questions);
- never narrower than a county (`row_level_refusal`): a researcher whose areas include a township or
  village gets no rows, and a campaign of one class or one school (or one township or village)
  cannot be chosen, because its rows are the rows of a named group of children; the aggregate tables
  remain (suppressed) for both;
- date filters count in whole months (ResearchFilters.whole_months): with day-level filters two
  exports of one project would tell on which day a child answered;
- fewer than SEEDLING_RESEARCH_MIN_CELL responses in all is refused: a county with 3 responses
  would point at those 3 children; the aggregate tables remain (suppressed);
- the file is k-anonymous (research.kanon, k = SEEDLING_RESEARCH_MIN_CELL): rows of small groups of
  area, sex, age band and year-month are generalised or left out; the rows counted in the access
  log and the README are the rows in the file;
- a project keys the pseudonyms; without one the export gets a salt of its own (research.pseudonym).
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.assessments.models import Campaign, InstrumentVersion, QuestionnaireVersion
from seedling.assessments.scoring import scale_items
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog
from seedling.geo.models import Division

from . import rules
from .aggregates import min_cell
from .export import XLSX_MAX_ROWS, ResearchExport, quasi_identifiers
from .filters import ResearchFilters
from .kanon import k_anonymise
from .models import ResearchProject, new_salt
from .pseudonym import research_key
from .selectors import research_prefixes, research_responses, with_place

FORMATS = ("csv", "xlsx")
PURPOSE_MIN = 4
PURPOSE_MAX = 500
COUNTY_DIGITS = 6
# Campaigns whose rows are the rows of one named group of children.
NAMED_GROUP_TARGETS = (Campaign.Target.CLASS, Campaign.Target.SCHOOL)


def research_allowed(user) -> None:
    """Refuse anyone without the RESEARCH action (a county officer included: identified data is theirs)."""
    if not research_prefixes(user):
        raise PermissionDenied(_("您没有使用研究数据的权限。"))


@transaction.atomic
def research_project_create(*, user, title: str) -> ResearchProject:
    """A new research project of `user`, with a fresh pseudonym salt."""
    research_allowed(user)
    title = (title or "").strip()
    if len(title) < 2:
        raise ValidationError({"title": _("请填写项目名称（至少 2 个字）。")})
    if len(title) > 100:
        raise ValidationError({"title": _("项目名称最多 100 个字。")})
    if ResearchProject.objects.filter(owner=user, title=title).exists():
        raise ValidationError({"title": _("您已有同名的研究项目。")})
    try:
        with transaction.atomic():
            return ResearchProject.objects.create(owner=user, title=title)
    except IntegrityError:  # the same title saved a moment ago in another request
        raise ValidationError({"title": _("您已有同名的研究项目。")}) from None


def _check_request(*, filters: ResearchFilters, fmt: str, purpose: str) -> str:
    errors: dict[str, str] = {}
    purpose = (purpose or "").strip()
    if len(purpose) < PURPOSE_MIN:
        errors["purpose"] = _("请写明导出用途（至少 %(n)d 个字），用途会记入访问日志。") % {"n": PURPOSE_MIN}
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = _("导出用途最多 %(n)d 个字。") % {"n": PURPOSE_MAX}
    if fmt not in FORMATS:
        errors["format"] = _("导出格式只能是 CSV 或 Excel（.xlsx）。")
    if filters.instrument is None and filters.questionnaire is None:
        errors["instrument"] = _("请选择量表或问卷：导出的列就是它的题目。")
    if errors:
        raise ValidationError(errors)
    return purpose


def _layout(responses) -> dict:
    """Columns of the file: the questionnaire and instrument versions present, and their questions."""
    version_ids = set(responses.order_by().values_list("questionnaire_version_id", flat=True).distinct())
    versions = sorted(
        QuestionnaireVersion.objects.filter(pk__in=version_ids).select_related("questionnaire"),
        key=lambda v: (v.questionnaire.code, v.number),
    )
    instrument_ids = set(
        responses.order_by()
        .exclude(instrument_version=None)
        .values_list("instrument_version_id", flat=True)
        .distinct()
    )
    instrument_versions = InstrumentVersion.objects.filter(pk__in=instrument_ids).select_related("instrument")
    scales: list[str] = []
    for instrument_version in sorted(instrument_versions, key=lambda v: (v.instrument.code, v.loaded_at)):
        scales += [s for s in scale_items(instrument_version.definition) if s not in scales]
    dropped: list[str] = []
    for version in versions:
        dropped += [name for name in rules.dropped_questions(version.spec) if name not in dropped]
    return {
        "questionnaires": {v.pk: (v.questionnaire.code, v.number) for v in versions},
        "answer_columns": {v.pk: rules.answer_columns(v.spec) for v in versions},
        "instruments": {v.pk: (v.instrument.code, v.version) for v in instrument_versions},
        "scales": scales,
        "dropped": dropped,
    }


def row_level_refusal(*, user, filters: ResearchFilters) -> ValidationError | None:
    """Why no row-level file may be made for `user` with `filters` whatever the numbers, or None.

    Rows never cover less than a county: a researcher placed at a township or village would get
    the rows of that place, and a class or school campaign the rows of a named group of children.
    """
    if any(len(prefix) > COUNTY_DIGITS for prefix in research_prefixes(user)):
        return ValidationError(
            _(
                "您的研究数据范围包括乡镇或村：这么小范围的明细可能认出具体的儿童，不能导出去标识明细。"
                "请查看汇总表；如需明细，请申请县级或更大范围的研究权限。"
            )
        )
    campaign = filters.campaign
    if campaign is not None and campaign.target in NAMED_GROUP_TARGETS:
        return ValidationError(
            {
                "campaign": _(
                    "按班级或学校开展的筛查活动不能导出明细：一个班、一所学校的明细可能认出具体的儿童。"
                    "请不选筛查活动，按区域和时间导出；该活动的汇总表仍可查看。"
                )
            }
        )
    if campaign is not None and len(campaign.area_id or "") > COUNTY_DIGITS:
        return ValidationError(
            {
                "campaign": _(
                    "这项筛查活动只在一个乡镇或村开展：这么小范围的明细可能认出具体的儿童，不能导出。"
                    "请不选筛查活动，按区域和时间导出；该活动的汇总表仍可查看。"
                )
            }
        )
    return None


def _anonymity(responses, minimum: int) -> dict:
    """One pass over the rows' quasi-identifiers: counties pooled, then k-anonymity (research.kanon)."""
    rows = responses.order_by().values_list("county", "child__sex", "child__birth_date", "submitted_at")
    by_county: Counter = Counter()  # (county, sex, age band, year-month) -> rows
    for county, sex, birth_date, submitted_at in rows.iterator(chunk_size=5000):
        by_county[quasi_identifiers(county, sex, birth_date, timezone.localdate(submitted_at))] += 1
    county_counts: Counter = Counter()
    for (county, *_rest), n in by_county.items():
        county_counts[county] += n
    areas = rules.area_generalise(dict(county_counts), minimum)
    counts: Counter = Counter()  # the same, counties pooled as the file shows them
    for (county, *rest), n in by_county.items():
        counts[(areas[county], *rest)] += n
    published = k_anonymise(dict(counts), minimum)
    kept = sum(n for key, n in counts.items() if published[key] is not None)
    codes = {key[0] for key in published.values() if key and key[0]}
    return {
        "areas": areas,
        "published": published,
        "count": kept,
        "left_out": sum(counts.values()) - kept,
        "area_names": dict(Division.objects.filter(code__in=codes).values_list("code", "name")),
    }


def _log_area(user, filters: ResearchFilters) -> str:
    # The area the export covers, so the auditors of that area see the row in their access log.
    if filters.area is not None:
        return filters.area.code
    prefixes = research_prefixes(user)
    return prefixes[0] if len(prefixes) == 1 else ""


def research_export_prepare(
    *,
    user,
    filters: ResearchFilters,
    fmt: str,
    purpose: str,
    project: ResearchProject | None = None,
    via: str = "page",
) -> ResearchExport:
    """Check an export, write its access-log row, and return it ready to stream.

    The rows' quasi-identifiers are read once here (for k-anonymity); the rows themselves are read
    while the file is sent. The filters used (dates in whole months) are the ones logged.
    """
    research_allowed(user)
    purpose = _check_request(filters=filters, fmt=fmt, purpose=purpose)
    if project is not None and project.owner_id != user.pk:
        raise ValidationError({"project": _("研究项目不存在。")})
    if (refusal := row_level_refusal(user=user, filters=filters)) is not None:
        raise refusal
    filters = filters.whole_months()
    minimum = min_cell()
    responses = with_place(research_responses(user=user, filters=filters))
    count = responses.count()
    if count == 0:
        raise ValidationError(_("没有符合条件的答卷。"))
    if count < minimum:
        raise ValidationError(
            _(
                "符合条件的答卷不足 %(m)d 份：这么少的明细可能认出具体的儿童，不能导出。"
                "请扩大区域或时间范围，或查看汇总表。"
            )
            % {"m": minimum}
        )
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        raise ValidationError({"format": _("超过 Excel 的行数上限，请导出为 CSV 或缩小筛选范围。")})
    anonymity = _anonymity(responses, minimum)
    if anonymity["count"] == 0:
        raise ValidationError(
            _(
                "符合条件的答卷分散在不同年份和地区，每组都不足 %(m)d 份，"
                "去标识处理后没有可以导出的答卷。请扩大区域或时间范围，或查看汇总表。"
            )
            % {"m": minimum}
        )
    audit_log(
        user=user,
        action=AccessLog.Action.EXPORT,
        obj=project,
        area_code=_log_area(user, filters),
        reason=purpose,
        detail={
            "kind": "research",
            "filters": filters.as_log(),
            "format": fmt,
            "rows": anonymity["count"],
            "left_out": anonymity["left_out"],
            "project": project.pk if project else None,
            "via": via,
        },
    )
    return ResearchExport(
        responses=responses,
        fmt=fmt,
        key=research_key(project.salt if project else new_salt()),
        filters=filters,
        minimum=minimum,
        project_title=project.title if project else "",
        purpose=purpose,
        **anonymity,
        **_layout(responses),
    )
