"""k-anonymity (k-匿名) of the row-level file. Pure functions.

A row says four things that someone who knows a child could also know: the area (county), the sex,
the age band and the year-month of the response: the quasi-identifiers. If only two rows of a file
say "330723, F, 12–14, 2024-05", whoever knows that a 13-year-old girl of 武义县 was screened that
month has found her answers. So every combination of the four that a file publishes must be shared by
at least k rows, k being the minimum cell (SEEDLING_RESEARCH_MIN_CELL, default 5):

- Rows start with their own values (the area already pooled by county: rules.area_generalise).
- Rows in a group (the same four values) of fewer than k rows are generalised one step further, in
  this order, keeping the steps already taken:
    1. year-month → year ("2024-05" → "2024");
    2. age band → a wider band (0–5 and 6–8 → 0–8, 9–11 and 12–14 → 9–14, 15–17 and 18+ → 15+);
    3. age band → "unknown";
    4. sex → blank;
    5. area → its city (4 digits), 6. → its province (2 digits), 7. → blank;
    8. the row is left out of the file.
- This repeats until every group has at least k rows (a group can shrink when rows leave it, so
  its other rows follow). Rows that have the same four values always take the same steps, so the
  work is done once per combination, not per row: the file is still streamed.

Generalised values look like the values of rows that were never generalised: a blank sex or an
"unknown" age band can mean "not recorded" or "withheld for k-anonymity"; the README says so, and
how many rows were left out.
"""

from collections import Counter

from .rules import UNKNOWN

Key = tuple[str, str, str, str]  # (area code, sex, age band, year-month)

WIDER_AGE = {
    "0–5": "0–8",
    "6–8": "0–8",
    "9–11": "9–14",
    "12–14": "9–14",
    "15–17": "15+",
    "18+": "15+",
}
LAST_STEP = 7  # a row at step 8 is left out


def generalise(key: Key, step: int) -> Key:
    """The values a row of `key` is published with after `step` steps (see the module doc)."""
    area, sex, age, month = key
    if step >= 1:
        month = month[:4]
    if step >= 2:
        age = WIDER_AGE.get(age, UNKNOWN)
    if step >= 3:
        age = UNKNOWN
    if step >= 4:
        sex = ""
    if step >= 5:
        area = area[:4]
    if step >= 6:
        area = area[:2]
    if step >= 7:
        area = ""
    return area, sex, age, month


def k_anonymise(counts: dict[Key, int], k: int) -> dict[Key, Key | None]:
    """For each combination (with its number of rows): the values to publish, or None (left out).

    Every published combination covers at least k rows.
    """
    steps = dict.fromkeys(counts, 0)
    while True:
        sizes: Counter[Key] = Counter()
        for key, step in steps.items():
            if step <= LAST_STEP:
                sizes[generalise(key, step)] += counts[key]
        small = [key for key, step in steps.items() if step <= LAST_STEP and sizes[generalise(key, step)] < k]
        if not small:
            break
        for key in small:
            steps[key] += 1
    return {key: generalise(key, step) if step <= LAST_STEP else None for key, step in steps.items()}
