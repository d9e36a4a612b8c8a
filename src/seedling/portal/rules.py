"""Rules of the self-service portal (自助服务): which self-check suits whom, what the result says.

Pure functions over plain data (instrument definitions, scores); no ORM. The words a child reads
after a self-check are written here once: warm, plain, never a diagnosis.
"""

import re
import secrets
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Who is using the portal: a child or teenager, or a parent/carer (an adult).
CHILD, GUARDIAN = "child", "guardian"
ADULT_AGE = 18
AGES = range(6, 18)  # the ages a child can choose; the instruments start at 6 (CES-DC)

# Actions of a score that call for a person, not just a kind word (assessments.definitions.ACTIONS).
SUPPORT_ACTIONS = frozenset({"counsellor_within_days", "urgent_referral_today"})
SUPPORT_BANDS = frozenset({"orange", "red"})


@dataclass(frozen=True)
class SelfCheck:
    """A built-in instrument offered on the portal, with the name a child understands."""

    code: str  # Instrument.code
    audience: frozenset[str]  # CHILD, GUARDIAN or both
    title: str | Promise  # translated when shown
    about: str | Promise
    topic: str  # portal.models.Topic: the help articles shown with the result


# The built-in instruments the portal offers (DOMAIN.md section 4). The age range comes from each
# instrument's definition; the audience says whether adults take it (PHQ-9) or children (PHQ-A).
SELF_CHECKS = (
    SelfCheck(
        "phq-a",
        frozenset({CHILD}),
        _("最近两周的心情"),
        _("看看最近是不是常常不开心、提不起劲。"),
        "feelings",
    ),
    SelfCheck(
        "ces-dc",
        frozenset({CHILD}),
        _("最近一周的感受"),
        _("说说这一周里你的心情、睡眠和玩耍。"),
        "feelings",
    ),
    SelfCheck(
        "gad7",
        frozenset({CHILD, GUARDIAN}),
        _("担心和紧张"),
        _("看看担心、紧张是不是让你很难放松。"),
        "study",
    ),
    SelfCheck(
        "cls",
        frozenset({CHILD}),
        _("朋友和孤单"),
        _("说说你和同学、朋友相处的感觉。"),
        "friends",
    ),
    SelfCheck(
        "rosenberg",
        frozenset({CHILD, GUARDIAN}),
        _("我怎么看待自己"),
        _("想一想你对自己有多满意。"),
        "feelings",
    ),
    SelfCheck(
        "phq9",
        frozenset({GUARDIAN}),
        _("最近两周的心情（成年人）"),
        _("照顾孩子的人也需要被照顾：看看自己最近的心情。"),
        "parenting",
    ),
)
SELF_CHECK_BY_CODE = {check.code: check for check in SELF_CHECKS}


def age_fits(age_range: dict | None, age: int) -> bool:
    """Whether `age` falls in an instrument's {"min": .., "max": ..} (None: no limit)."""
    age_range = age_range or {}
    low, high = age_range.get("min"), age_range.get("max")
    return (low is None or age >= low) and (high is None or age <= high)


def suited(check: SelfCheck, age_range: dict | None, *, who: str, age: int | None) -> bool:
    """Whether a self-check suits the user: the audience, and the instrument's age range.

    A guardian counts as an adult (18); a child who has not said their age sees nothing yet.
    """
    if who not in check.audience:
        return False
    if who == GUARDIAN:
        return age_fits(age_range, ADULT_AGE)
    return age is not None and age_fits(age_range, age)


@dataclass(frozen=True)
class Feedback:
    """What the result page says, and whether the hotlines go to the top at once."""

    kind: str  # calm | watch | support | urgent
    headline: str
    body: str
    tips: tuple[str, ...]
    show_hotlines_first: bool
    offer_counsellor: bool


def critical_reasons(score: dict | None) -> list[dict]:
    """The critical items of a score (e.g. thoughts of self-harm), whatever the total."""
    return [r for r in (score or {}).get("reasons", []) if r.get("kind") == "critical"]


def feedback_kind(*, band: str, action: str, score: dict | None) -> str:
    """calm, watch, support or urgent: from the action, the band and any critical item.

    A critical item or an urgent action is "urgent"; a counsellor-within-days action or an orange/red
    band is "support" (both put the hotlines at the top); a watch action or yellow band is "watch".
    """
    critical = critical_reasons(score)
    if action == "urgent_referral_today" or any(r.get("action") == "urgent_referral_today" for r in critical):
        return "urgent"
    if critical or action in SUPPORT_ACTIONS or band in SUPPORT_BANDS:
        return "support"
    if action == "watch" or band == "yellow":
        return "watch"
    return "calm"


_TIPS = {
    "feelings": (
        _("每天做一件让自己放松的小事：听歌、画画、散步、和小狗玩。"),
        _("把心里的话说给一个信任的人听，写下来也可以。"),
        _("按时吃饭、睡觉，白天到户外晒晒太阳、动一动。"),
    ),
    "study": (
        _("紧张的时候，慢慢吸气数到四，再慢慢呼气数到六，做几次。"),
        _("把大任务拆成小步骤，一次只做一小步，做完给自己一点鼓励。"),
        _("担心的事可以写下来，和老师或家人一起想办法。"),
    ),
    "friends": (
        _("试着和一个同学多聊几句，从一起做一件小事开始。"),
        _("参加一个你喜欢的兴趣小组或活动，更容易遇到合得来的人。"),
        _("如果有人欺负你，这不是你的错，一定要告诉老师或家人。"),
    ),
    "parenting": (
        _("照顾好自己，才能更好地照顾孩子：给自己留一点休息的时间。"),
        _("和家人、朋友或邻居说说你的难处，不必一个人扛。"),
        _("每天和孩子好好说几句话，听听他们的想法。"),
    ),
}


def feedback(*, band: str, action: str, score: dict | None, topic: str, who: str = CHILD) -> Feedback:
    """The kind words of a self-check result (no clinical labels), what might help, and the urgency."""
    kind = feedback_kind(band=band, action=action, score=score)
    tips = tuple(str(t) for t in _TIPS.get(topic, _TIPS["feelings"]))
    adult = who == GUARDIAN
    if kind == "urgent":
        tell = _("告诉身边信任的家人或朋友") if adult else _("马上告诉身边一个你信任的大人")
        return Feedback(
            kind,
            str(_("谢谢你愿意说出来。你现在的感受很重要，你不需要一个人扛着。")),
            str(
                _(
                    "你的回答告诉我们，你最近可能非常难受。如果你有过伤害自己的念头，"
                    "请现在就打下面的电话，或者%(tell)s。如果你现在就有危险，请拨打 110。"
                )
                % {"tell": tell}
            ),
            tips,
            True,
            True,
        )
    if kind == "support":
        return Feedback(
            kind,
            str(_("谢谢你认真回答。看起来你最近过得不太容易。")),
            str(
                _(
                    "很多人都会有这样的时候，这不是你的错，也是可以好起来的。"
                    "和心理辅导员聊一聊会有帮助：你可以在下面留言，也可以直接打求助电话。"
                )
            ),
            tips,
            True,
            True,
        )
    if kind == "watch":
        who_to_ask = _("家人、朋友或心理辅导员") if adult else _("信任的大人或心理辅导老师")
        return Feedback(
            kind,
            str(_("谢谢你认真回答。你最近可能有一些烦心的事。")),
            str(
                _(
                    "这些感受很常见。试试下面的小方法，多照顾自己一点。"
                    "如果过一两周还是不见好，或者越来越难受，请找%(who)s聊一聊。"
                )
                % {"who": who_to_ask}
            ),
            tips,
            False,
            True,
        )
    return Feedback(
        kind,
        str(_("谢谢你认真回答。看起来你最近总体还不错。")),
        str(_("继续照顾好自己。以后如果心情不好，随时可以回来看看，或者找人聊一聊。")),
        tips,
        False,
        False,
    )


# A request's status in words for the child or guardian who sent it (counselling.HelpRequest.Status).
REQUEST_STATUS_FOR_HOLDER = {
    "new": _("已收到，正在安排心理辅导员"),
    "assigned": _("已有心理辅导员负责"),
    "in_progress": _("心理辅导员正在跟进"),
    "closed": _("已结束"),
}


def request_status_for_holder(status: str) -> str:
    return str(REQUEST_STATUS_FOR_HOLDER.get(status, _("已收到")))


# Invitation codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE_SEPARATORS = re.compile(r"[\s\-_.]+")


def invitation_code_new() -> str:
    """A fresh random code (cryptographically random)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def invitation_code_normalize(raw: str) -> str | None:
    """The code as typed ("abcd-efgh", spaces, lower case) in its stored form, or None if malformed."""
    code = _CODE_SEPARATORS.sub("", (raw or "").strip()).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def invitation_code_display(code: str) -> str:
    """ABCDEFGH → ABCD-EFGH (easier to read out and type)."""
    return f"{code[:4]}-{code[4:]}"


# A hotline number: digits and dashes, 3 to 20 characters (110, 12355, 0579-87654321).
PHONE_NUMBER = re.compile(r"^(?=.*[0-9])[0-9][0-9-]{1,18}[0-9]$")


def phone_number_valid(number: str) -> bool:
    """Digits and dashes only, 3–20 characters, starting and ending with a digit."""
    return bool(PHONE_NUMBER.match(number or ""))


def tel_href(number: str) -> str:
    """The tel: link of a hotline number: digits only (and a leading +), as every phone dials it.

    Numbers are written for people ("0579-8765 4321"); a space or dash left in the link breaks
    the call on some phones."""
    number = number.strip()
    return "tel:" + ("+" if number.startswith("+") else "") + "".join(c for c in number if c.isdigit())
