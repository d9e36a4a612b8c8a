"""De-identification rules of research data (去标识规则): what a row may say, and how coarsely. Pure.

- Age: a band at the time of the response, never the birth date (AGE_BANDS; "unknown" without one).
- Time: the year and month of submission, never the day.
- Place: the county (the first 6 digits of the area code), coarsened to the city, the province or
  nothing when fewer than the minimum rows of the file come from there (`area_generalise`).
- Together, area, sex, age band and year-month are generalised further (or the row left out) until
  every combination a file shows covers the minimum number of rows: research.kanon.
- Answers: only choice and number questions. Text questions are dropped whatever they ask: free text
  can name a child, a parent, a school or a village. Date questions are dropped (a date may be a
  birth date); calculations (they can copy text), metadata (exact times) and repeats (their rows
  could count family members) are dropped too.
"""

import datetime
import re
from collections import Counter

UNKNOWN = "unknown"
# (lowest age, highest age or None, label). En dashes: a spreadsheet reads "6-8" as the 8th of June.
AGE_BANDS: list[tuple[int, int | None, str]] = [
    (0, 5, "0–5"),
    (6, 8, "6–8"),
    (9, 11, "9–11"),
    (12, 14, "12–14"),
    (15, 17, "15–17"),
    (18, None, "18+"),
]
AGE_BAND_LABELS = [label for _low, _high, label in AGE_BANDS] + [UNKNOWN]
EXPORTED_TYPES = {"select_one", "select_multiple", "integer", "decimal"}
ANSWER_PREFIX = "q_"
SCALE_PREFIX = "scale_"
_INTEGER_TEXT = re.compile(r"^-?\d{1,9}$")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    """The age band on `day` ("12–14"), or "unknown" without a birth date (or one after `day`)."""
    if birth_date is None or birth_date > day:
        return UNKNOWN
    age = age_on(birth_date, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return UNKNOWN


def year_month(day: datetime.date) -> str:
    """ "2024-05": the month of a date, not the day."""
    return f"{day.year:04d}-{day.month:02d}"


def county_of(area_code: str | None) -> str:
    """The county part of an area code (its first 6 digits); a shorter code stays as it is."""
    return (area_code or "")[:6]


def area_generalise(counts: dict[str, int], minimum: int) -> dict[str, str]:
    """County code -> the code to publish: the county, or its city, province or "" when too few rows.

    A county with fewer than `minimum` rows is pooled into its city; a city whose pooled rows are
    still fewer goes to its province; a province still short gets no area at all. Pooled rows are
    the ones that move, so each published code covers `minimum` rows or more (or names no place).
    """
    published = {code: code for code in counts}
    for length in (4, 2, 0):
        totals: Counter[str] = Counter()
        for code, n in counts.items():
            totals[published[code]] += n
        for code in counts:
            shown = published[code]
            if len(shown) > length and totals[shown] < minimum:
                published[code] = shown[:length]
    return published


def answer_columns(spec: dict) -> list[tuple[str, tuple[str, ...]]]:
    """(column name, path in the answers) of every exported question of a form spec, in form order.

    Groups are walked into ("q_group/question"); repeats and every non-exported type are left out.
    """
    columns: list[tuple[str, tuple[str, ...]]] = []

    def walk(children: list[dict], path: tuple[str, ...]) -> None:
        for node in children:
            here = (*path, node["name"])
            if node.get("kind") == "group":
                walk(node.get("children", []), here)
            elif (
                node.get("kind") == "field"
                and node.get("type") in EXPORTED_TYPES
                and not node.get("calculate")
            ):
                columns.append((ANSWER_PREFIX + "/".join(here), here))

    walk(spec.get("children", []), ())
    return columns


def answer_value(answers: dict, path: tuple[str, ...]):
    """The exported value of one answer: a number, choice names joined by spaces, or "" when unanswered."""
    value: object = answers
    for step in path:
        if not isinstance(value, dict):
            return ""
        value = value.get(step)
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    text = str(value)
    # Choice names that are numbers (every instrument item) go out as numbers for the analysis.
    return int(text) if _INTEGER_TEXT.match(text) else text


def scale_columns(scale_ids) -> list[str]:
    """Column names of scale scores ("scale_total", "scale_somatic")."""
    return [SCALE_PREFIX + scale_id for scale_id in scale_ids]


def dropped_questions(spec: dict) -> list[str]:
    """Names of the questions a research file leaves out (text, dates, calculations, repeats)."""
    dropped: list[str] = []

    def walk(children: list[dict], path: tuple[str, ...]) -> None:
        for node in children:
            here = (*path, node["name"])
            if node.get("kind") == "group":
                walk(node.get("children", []), here)
            elif node.get("kind") == "repeat":
                dropped.append("/".join(here))
            elif node.get("type") in ("note", "meta"):
                continue
            elif node.get("type") not in EXPORTED_TYPES or node.get("calculate"):
                dropped.append("/".join(here))

    walk(spec.get("children", []), ())
    return dropped
