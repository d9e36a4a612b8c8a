"""Rules of screening campaigns (筛查活动) as pure functions: codes, consent age, windows, feedback.

No ORM here: the services and selectors feed these plain values, and the tests check them with tables.
"""

import datetime
import secrets

from django.utils.translation import gettext as _

# Letters and digits a child cannot confuse on a printed slip: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# PIPL Art. 31: personal information of a child under 14 needs the guardian's consent.
CONSENT_AGE = 14
# Band codes as the instruments name them (green/yellow/orange/red); an unscored response has none.
BANDS = ("green", "yellow", "orange", "red")
URGENT_ACTION = "urgent_referral_today"

MIN_RESCREEN_DAYS = 7
MAX_RESCREEN_DAYS = 730
MAX_REMIND_DAYS = 30
MAX_WINDOW_DAYS = 180


def code_new() -> str:
    """A fresh personal code (8 characters, about 40 bits): printed once, stored only as a keyed hash."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalize(raw: str) -> str:
    """The code as typed (any case, spaces or dashes) in canonical form; "" when it cannot be a code."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -_\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def code_display(code: str) -> str:
    """A code in two groups of four, easier to read aloud and copy: "ABCD-EFGH"."""
    return f"{code[:4]}-{code[4:]}"


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Full years of age on a date (周岁)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def needs_guardian_consent(birth: datetime.date | None, on: datetime.date) -> bool:
    """Whether identified screening needs a guardian's consent: under 14, or age unknown (PIPL Art. 31)."""
    return birth is None or age_on(birth, on) < CONSENT_AGE


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def birth_date_bounds(
    age_range: dict | None, on: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """(born after, born on or before) for ages min..max on `on`; None where the range is open."""
    if not age_range:
        return None, None
    latest = _years_before(on, age_range["min"]) if age_range.get("min") is not None else None
    earliest = _years_before(on, age_range["max"] + 1) if age_range.get("max") is not None else None
    return earliest, latest


class Window:
    DRAFT = "draft"
    NOT_YET = "not_yet"
    OPEN = "open"
    ENDED = "ended"


def window_state(status: str, opens_at, closes_at, now) -> str:
    """Whether a campaign takes answers now: draft, not yet open, open, or ended (closed or past)."""
    if status == "draft":
        return Window.DRAFT
    if status == "closed" or now >= closes_at:
        return Window.ENDED
    if now < opens_at:
        return Window.NOT_YET
    return Window.OPEN


def rescreen_window(*, opens_at, closes_at, now) -> tuple[datetime.datetime, datetime.datetime]:
    """The next round opens now and stays open as long as the previous window did."""
    return now, now + (closes_at - opens_at)


def is_high_risk(band: str, action: str) -> bool:
    """Red, or anything that asks for an urgent referral today (a critical item such as PHQ item 9)."""
    return band == "red" or action == URGENT_ACTION


def has_critical(score: dict | None) -> bool:
    return any(r.get("kind") == "critical" for r in (score or {}).get("reasons", []))


class Feedback:
    THANKS = "thanks"  # no band (a questionnaire, or incomplete)
    WELL = "well"  # green
    CARE = "care"  # yellow
    TALK = "talk"  # orange
    URGENT = "urgent"  # red, or a critical item


def feedback_kind(band: str, action: str, score: dict | None) -> str:
    """Which kind, non-clinical message the respondent sees (never the band's clinical label)."""
    if is_high_risk(band, action) or has_critical(score):
        return Feedback.URGENT
    return {"green": Feedback.WELL, "yellow": Feedback.CARE, "orange": Feedback.TALK}.get(
        band, Feedback.THANKS
    )


def shows_hotlines(band: str, action: str, score: dict | None) -> bool:
    """Orange, red or any critical item: the respondent sees the hotlines at once."""
    return band in ("orange", "red") or is_high_risk(band, action) or has_critical(score)


def campaign_field_errors(fields: dict, *, now) -> dict[str, str]:
    """Checks of a campaign's figures that need no database; field -> message (empty when fine)."""
    errors: dict[str, str] = {}
    opens_at, closes_at = fields.get("opens_at"), fields.get("closes_at")
    if opens_at is None:
        errors["opens_at"] = _("请填写开始时间。")
    if closes_at is None:
        errors["closes_at"] = _("请填写截止时间。")
    if opens_at is not None and closes_at is not None:
        if closes_at <= opens_at:
            errors["closes_at"] = _("截止时间必须晚于开始时间。")
        elif closes_at <= now:
            errors["closes_at"] = _("截止时间已经过去，请选择以后的时间。")
        elif closes_at - opens_at > datetime.timedelta(days=MAX_WINDOW_DAYS):
            errors["closes_at"] = _("筛查时间最长 %(n)d 天。") % {"n": MAX_WINDOW_DAYS}
    remind = fields.get("remind_every_days")
    if remind is None or not 0 <= remind <= MAX_REMIND_DAYS:
        errors["remind_every_days"] = _("提醒间隔须在 0 到 %(n)d 天之间（0 表示不提醒）。") % {
            "n": MAX_REMIND_DAYS
        }
    rescreen = fields.get("rescreen_after_days")
    if rescreen is not None and not MIN_RESCREEN_DAYS <= rescreen <= MAX_RESCREEN_DAYS:
        errors["rescreen_after_days"] = _("复筛间隔须在 %(low)d 到 %(high)d 天之间，不复筛请留空。") % {
            "low": MIN_RESCREEN_DAYS,
            "high": MAX_RESCREEN_DAYS,
        }
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写筛查活动的名称。")
    elif len(title) > 200:
        errors["title"] = _("名称最多 200 字。")
    return errors


def small_cells_suppress(cells: list[tuple[str, int]], min_cell: int) -> list[tuple[str, int | str | None]]:
    """Anonymous counts as they may be shown: a cell below `min_cell` (zero too) as "<5"; exact otherwise.

    When exactly one cell is hidden, the total would give it away, so the smallest other cell is hidden
    as well (None, shown as "—"). A count of one anonymous answer and the time it came in can point at
    one child; this is the usual small-cell rule of official statistics, applied to every band of the
    instrument so that a missing band does not tell its count either.
    """
    below = f"<{min_cell}"
    shown: list[tuple[str, int | str | None]] = [(key, below if n < min_cell else n) for key, n in cells]
    hidden = [i for i, (_key, value) in enumerate(shown) if value == below]
    exact = [i for i, (_key, value) in enumerate(shown) if value != below]
    if len(hidden) == 1 and exact:
        smallest = min(exact, key=lambda i: (cells[i][1], -i))
        shown[smallest] = (cells[smallest][0], None)
    return shown


def anonymous_high_risk_shown(high_risk: int, red_shown: int | str | None, min_cell: int) -> int | None:
    """The high-risk count of an anonymous campaign, or None when showing it could single a child out:
    below `min_cell`, or a small difference to an exact red count (the others are a critical item)."""
    if high_risk < min_cell:
        return None
    if isinstance(red_shown, int) and 0 < high_risk - red_shown < min_cell:
        return None
    return high_risk
