"""The progress of a screening campaign (筛查进度): counts by state, per class, and the band distribution.

Anonymous campaigns show small counts as "<5" (small-cell suppression, rules.small_cells_suppress): a
count of one anonymous answer and the time it came in can point at one child.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from . import rules
from .campaign_selectors import InvitationRow, high_risk_q, invitation_rows
from .models import Campaign, Invitation, Response


@dataclass
class Progress:
    counts: dict  # state -> number
    invited: int  # everyone not excused
    groups: list  # [(class name, {state: n}, invited)] for a school campaign
    bands: list  # [(band code or "", n)] in band order; anonymous: n may be "<5" or None (hidden)
    responses: int
    high_risk: int | None  # None: an anonymous count too small to show
    suppressed: bool = False  # some anonymous cells are not shown exactly

    @property
    def bars(self) -> list[tuple[str, object, int | None]]:
        """(band, count as shown, percent of the answers or None when the count is not exact)."""
        return [
            (band, n, round(100 * n / self.responses) if isinstance(n, int) and self.responses else None)
            for band, n in self.bands
        ]


def min_cell() -> int:
    """The smallest anonymous count shown exactly (the research setting, the same rule)."""
    return int(getattr(settings, "SEEDLING_RESEARCH_MIN_CELL", 5))


def _instrument_bands(campaign: Campaign) -> list[str]:
    instrument = campaign.questionnaire_version.instrument_version
    codes = {b.get("code") for b in (instrument.definition.get("bands") or [])} if instrument else set()
    return [b for b in rules.BANDS if b in codes]


def _anonymous_bands(campaign: Campaign, by_band: Counter, high_risk: int) -> tuple[list, int | None]:
    """Small-cell suppression of an anonymous campaign: every band of the instrument (a missing band
    would tell its count), cells below SEEDLING_RESEARCH_MIN_CELL shown as "<5" (rules)."""
    if not sum(by_band.values()):
        return [], None
    codes = _instrument_bands(campaign)
    cells = [(b, by_band[b]) for b in codes]
    if by_band[""] or not codes:
        cells.append(("", by_band[""]))
    shown = rules.small_cells_suppress(cells, min_cell())
    red = dict(shown).get("red", 0)
    return shown, rules.anonymous_high_risk_shown(high_risk, red, min_cell())


def campaign_progress(*, campaign: Campaign, rows: list[InvitationRow] | None = None) -> Progress:
    """Counts by state (per class for a school), the band distribution and the high-risk results.

    Anonymous campaigns: band and high-risk counts below SEEDLING_RESEARCH_MIN_CELL are not shown
    exactly (a count of one and the time it came in can point at one child); the total is.
    """
    rows = rows if rows is not None else ([] if campaign.anonymous else invitation_rows(campaign=campaign))
    counts = Counter(row.state for row in rows)
    groups: dict[str, Counter] = {}
    if campaign.target == Campaign.Target.SCHOOL:
        for row in rows:
            groups.setdefault(row.group, Counter())[row.state] += 1
    responses = Response.objects.filter(campaign=campaign)
    by_band = Counter(
        {row["band"]: row["n"] for row in responses.order_by().values("band").annotate(n=Count("pk"))}
    )
    bands = [(b, by_band[b]) for b in rules.BANDS if by_band[b]] + (
        [("", by_band[""])] if by_band[""] else []
    )
    high_risk = responses.filter(high_risk_q()).count()
    suppressed = False
    if campaign.anonymous:
        bands, high_risk = _anonymous_bands(campaign, by_band, high_risk)
        suppressed = any(not isinstance(n, int) for _band, n in bands)
    return Progress(
        counts=dict(counts),
        invited=sum(n for state, n in counts.items() if state != Invitation.Status.EXCUSED),
        groups=[
            (name, dict(c), sum(n for s, n in c.items() if s != Invitation.Status.EXCUSED))
            for name, c in sorted(groups.items())
        ],
        bands=bands,
        responses=sum(by_band.values()),
        high_risk=high_risk,
        suppressed=suppressed,
    )
