"""Candidate pairs by blocking (pure): only records sharing a key are ever compared.

Comparing every pair of a province's million files is 5·10¹¹ comparisons; comparing the pairs that
share one of these keys is a few million. Each key is there for a kind of error it survives:

- `i` the identity number: the same number on two files.
- `p` full pinyin + birth date, anywhere: homophones, traditional characters, an ID typo, a
  family that moved to another county, a name typed in pinyin letters.
- `d` county + birth date: similar-looking characters, swapped given names, any one-character slip.
- `n` the name with one character masked + city + birth date: one character changed in a file
  that also moved to another county of the city (anywhere would grow with the square of a
  province's size: a million children share a few thousand birth dates).
- `g` full pinyin + county + a parent's or guardian's name: any error of the birth date (month and
  day swapped, a digit wrong, the lunar birthday) together with a move within the county.

Keys on full pinyin + county + birth year or + month and day were measured and dropped: on the
training data they found 17 of 12,422 pairs no other key found, for 29% of all comparisons.

A block larger than `max_block` is not expanded (its pairs would be mostly unrelated children with a
very common name); the count of such blocks is reported so a run shows what it skipped.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .features import Prepared

MAX_BLOCK = 400


def keys(p: Prepared) -> list[str]:
    """The blocking keys of one prepared record."""
    out = []
    name, birth, county = p.name, p.birth_digits, p.area[:6]
    if p.id_number:
        out.append("i" + p.id_number)
    py = name.full_py
    if py and birth:
        out.append(f"p{py}|{birth}")
    if county and birth:
        out.append(f"d{county}|{birth}")
    if py and county:
        out.extend(f"g{py}|{county}|{guardian}" for guardian in sorted(p.guardians))
    if birth and not name.latin and len(name.name) >= 2 and p.area:
        chars, city = name.name, p.area[:4]
        out.extend(f"n{city}|{chars[:i]}*{chars[i + 1 :]}|{birth}" for i in range(len(chars)))
    return out


@dataclass
class BlockingReport:
    records: int = 0
    keys: int = 0
    pairs: int = 0
    skipped_blocks: int = 0
    largest_block: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def candidate_pairs(
    prepared: Sequence[Prepared], *, max_block: int = MAX_BLOCK, report: BlockingReport | None = None
) -> set[tuple[int, int]]:
    """Index pairs (i < j) of `prepared` that share at least one blocking key."""
    n = len(prepared)
    return {divmod(code, n) for code in candidate_codes(prepared, max_block=max_block, report=report)}


def candidate_codes(
    prepared: Sequence[Prepared], *, max_block: int = MAX_BLOCK, report: BlockingReport | None = None
) -> set[int]:
    """The candidate pairs as integers i * len(prepared) + j (i < j): the batch path, light on memory."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(prepared):
        for key in keys(record):
            blocks[key].append(index)
    # A pair is one integer a * n + b while deduplicating: a third of the memory of a set of tuples.
    n = len(prepared)
    codes: set[int] = set()
    skipped = largest = 0
    by_kind: dict[str, int] = defaultdict(int)
    for key, members in blocks.items():
        size = len(members)
        if size < 2:
            continue
        if size > max_block:
            skipped += 1
            continue
        largest = max(largest, size)
        before = len(codes)
        # Members were appended in index order, so a before b already has a < b.
        codes.update(a * n + b for i, a in enumerate(members) for b in members[i + 1 :] if a != b)
        by_kind[key[0]] += len(codes) - before
    if report is not None:
        report.records, report.keys, report.pairs = n, len(blocks), len(codes)
        report.skipped_blocks, report.largest_block, report.by_kind = skipped, largest, dict(by_kind)
    return codes
