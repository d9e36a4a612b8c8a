"""The filters of research data, checked once for the page, the API and the command.

Instrument, questionnaire, campaign, a range of submission dates and an area. The area may be a
province, city or county (2, 4 or 6 digits) inside the researcher's own areas: never finer, because
rows only ever name a county. Dates are days; the row-level export widens them to whole months
(`whole_months`): rows say only the month, and with day-level filters two exports of one project
would tell on which day a child answered (the rows in one and not in the other).
"""

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.assessments.models import Campaign, Instrument, Questionnaire
from seedling.core.scope import restrict, user_may
from seedling.geo.models import Division

_AREA = re.compile(r"^(\d{2}|\d{4}|\d{6})$")


@dataclass(frozen=True)
class ResearchFilters:
    instrument: Instrument | None = None
    questionnaire: Questionnaire | None = None
    campaign: Campaign | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    area: Division | None = None

    def as_log(self) -> dict:
        """The filters as plain text for the access log (codes and ids only, never a child)."""
        values = {
            "instrument": self.instrument.code if self.instrument else "",
            "questionnaire": self.questionnaire.code if self.questionnaire else "",
            "campaign": str(self.campaign.pk) if self.campaign else "",
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "area": self.area.code if self.area else "",
        }
        return {k: v for k, v in values.items() if v}

    def whole_months(self) -> "ResearchFilters":
        """The same filters with the dates widened to whole months (the 1st to the month's last day)."""
        date_from, date_to = self.date_from, self.date_to
        if date_from is not None:
            date_from = date_from.replace(day=1)
        if date_to is not None:
            date_to = date_to.replace(day=calendar.monthrange(date_to.year, date_to.month)[1])
        return replace(self, date_from=date_from, date_to=date_to)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value, field: str, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        errors[field] = _("请填写有效日期（年-月-日）。")
        return None


def filters_clean(*, user, data: dict) -> ResearchFilters:
    """ResearchFilters from raw values (codes, ids, dates or ISO text); ValidationError names the field."""
    errors: dict[str, str] = {}
    instrument = questionnaire = campaign = area = None
    if code := _text(data.get("instrument")):
        instrument = Instrument.objects.filter(code=code).first()
        if instrument is None:
            errors["instrument"] = _("没有标识为“%(code)s”的量表。") % {"code": code}
    if code := _text(data.get("questionnaire")):
        questionnaire = Questionnaire.objects.filter(code=code).first()
        if questionnaire is None:
            errors["questionnaire"] = _("没有标识为“%(code)s”的问卷。") % {"code": code}
        elif instrument is not None and questionnaire.instrument_id not in (None, instrument.pk):
            errors["questionnaire"] = _("所选问卷不是所选量表的问卷。")
    if raw := _text(data.get("campaign")):
        if raw.isdigit() and len(raw) <= 18:  # larger than any id (and than a bigint)
            campaign = restrict(Campaign.objects.all(), user, Action.RESEARCH).filter(pk=int(raw)).first()
        if campaign is None:
            errors["campaign"] = _("筛查活动不存在，或不在您的研究数据范围内。")
    date_from = _date(data.get("date_from"), "date_from", errors)
    date_to = _date(data.get("date_to"), "date_to", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = _("结束日期不能早于开始日期。")
    if code := _text(data.get("area")):
        if not _AREA.match(code):
            errors["area"] = _("区域请填写 2 位（省）、4 位（市）或 6 位（县）区划代码。")
        elif (area := Division.objects.filter(code=code).first()) is None:
            errors["area"] = _("没有区划代码为 %(code)s 的区域。") % {"code": code}
        elif not user_may(user, Action.RESEARCH, code):
            errors["area"] = _("%(name)s不在您的研究数据范围内。") % {"name": area.name}
            area = None
    if errors:
        raise ValidationError(errors)
    return ResearchFilters(instrument, questionnaire, campaign, date_from, date_to, area)
