#!/usr/bin/env python
"""Check that the English translation is complete and that the committed .mo matches the .po.

msgids are Simplified Chinese (the default language); English is the second language and must be
complete. This script re-extracts the messages from the source into a temporary copy of the package
(the working tree is never touched), then fails if any message in the source is missing from the
committed en .po, untranslated, fuzzy, or has different placeholders, or if the committed .mo does not
hold exactly what the .po says.

    python scripts/check_translations.py            # check (CI); exit status 1 on any problem
    python scripts/check_translations.py --update   # re-extract into the real .po (then translate
                                                     # the new entries and run compilemessages)

Needs gettext's xgettext/msgmerge (as makemessages does); stdlib + Django only.
"""

import argparse
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "seedling"
LANGUAGE = "en"
PO_PATH = PACKAGE / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Test code and test helpers hold data, not UI text.
IGNORE_PATTERNS = ["tests/*", "testing/*"]
# Our code marks deferred messages with `gettext_noop as N_` (e.g. registry/reasons.py), which
# xgettext does not know by default.
EXTRA_KEYWORDS = ["--keyword=N_"]
# %(name)s / %(n)d (Python and blocktranslate variables), bare %s, and {name} (python-brace-format).
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{\w*\}")


# --- a small .po reader (the format makemessages writes) ---


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def label(self) -> str:
        text = self.msgid if self.msgctxt is None else f"[{self.msgctxt}] {self.msgid}"
        return text.replace("\n", "\\n")


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted string: {text!r}")
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """All entries of a .po file, the header (msgid "") included, obsolete ones marked."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry, target
        if entry.msgstr or entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if entry.msgstr:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if entry.msgstr:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            finish()
        entry.obsolete = entry.obsolete or obsolete
        entry.line = entry.line or number
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword in ("msgid", "msgid_plural", "msgctxt"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, None)
        else:
            raise ValueError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one translated entry (empty list: fine)."""
    problems = []
    if "fuzzy" in entry.flags:
        problems.append("fuzzy")
    if not entry.msgstr or any(not text for text in entry.msgstr.values()):
        problems.append("untranslated")
        return problems
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    wanted = {p for source in sources for p in placeholders(source)}
    for index, text in entry.msgstr.items():
        got = set(placeholders(text))
        # A plural's singular form may leave out the number ("One child" for "%(n)s children").
        missing = wanted - got if entry.msgid_plural is None or index != 0 else set()
        extra = got - wanted
        if missing or extra:
            problems.append(
                f"placeholders differ in msgstr[{index}]: missing {sorted(missing)}, extra {sorted(extra)}"
            )
    return problems


# --- extraction ---


def _setup_django():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedling.config.settings")
    import django

    django.setup()


def makemessages(package_dir: Path) -> None:
    """Run makemessages for English in `package_dir` (our package or a copy of it), writing its locale/."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.commands.makemessages import Command as MakeMessages

    class Command(MakeMessages):
        xgettext_options = MakeMessages.xgettext_options + EXTRA_KEYWORDS

    settings.LOCALE_PATHS = [str(package_dir / "locale")]
    here = Path.cwd()
    os.chdir(package_dir)
    try:
        call_command(
            Command(), locale=[LANGUAGE], no_obsolete=True, ignore_patterns=IGNORE_PATTERNS, verbosity=0
        )
    finally:
        os.chdir(here)


def extract_fresh(workdir: Path) -> Path:
    """The .po that makemessages would write now, made in a copy of the package."""
    copy = workdir / "seedling"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    makemessages(copy)
    return copy / PO_PATH.relative_to(PACKAGE)


# --- the compiled catalogue ---


def expected_catalog(entries: list[Entry]) -> dict:
    """What msgfmt puts in the .mo for these entries: fuzzy, obsolete and empty ones are left out."""
    catalog = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if entry.msgstr.get(0):
                catalog[key] = entry.msgstr[0]
        elif all(entry.msgstr.values()):
            for index, text in entry.msgstr.items():
                catalog[(key, index)] = text
    return catalog


def mo_problems(entries: list[Entry]) -> list[str]:
    if not MO_PATH.exists():
        return [f"{MO_PATH.relative_to(ROOT)} is missing: run compilemessages and commit it"]
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = expected_catalog(entries)
    problems = []
    for key in sorted(set(expected) | set(compiled), key=str):
        if key == "":
            continue  # the header: only dates differ
        if key not in compiled:
            problems.append(f"not in the .mo: {key!r}")
        elif key not in expected:
            problems.append(f"in the .mo but not in the .po: {key!r}")
        elif compiled[key] != expected[key]:
            problems.append(f"different in the .mo: {key!r}")
    return problems


def msgfmt_problems() -> list[str]:
    """msgfmt's own checks (format strings, plural header); skipped where gettext is not installed."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    command = [msgfmt, "--check", "-o", os.devnull, str(PO_PATH)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 -- fixed arguments
    return [line for line in result.stderr.splitlines() if line.strip()] if result.returncode else []


# --- the report ---


def check() -> int:
    if not PO_PATH.exists():
        print(f"FAIL: {PO_PATH.relative_to(ROOT)} does not exist: run this script with --update")
        return 1
    committed = read_po(PO_PATH)
    live = {e.key: e for e in committed if not e.obsolete and e.msgid}
    with tempfile.TemporaryDirectory(prefix="seedling-i18n-") as workdir:
        fresh = [e for e in read_po(extract_fresh(Path(workdir))) if e.msgid and not e.obsolete]
    fresh_keys = {e.key for e in fresh}

    missing = [e for e in fresh if e.key not in live]
    bad = [(e, problems) for e in fresh if e.key in live and (problems := entry_problems(live[e.key]))]
    stale = [e for key, e in live.items() if key not in fresh_keys]
    plural_changed = [
        e for e in fresh if e.key in live and (e.msgid_plural is None) != (live[e.key].msgid_plural is None)
    ]
    mo = mo_problems(committed)
    msgfmt = msgfmt_problems()

    print(
        f"English translation: {len(fresh)} messages in the source, {len(live)} entries in the committed .po."
    )
    sections = [
        ("in the source but missing from the .po", [f"  {e.label}" for e in missing]),
        ("translation problems", [f"  {live[e.key].line}: {e.label} -- {'; '.join(p)}" for e, p in bad]),
        ("singular/plural changed", [f"  {e.label}" for e in plural_changed]),
        ("compiled .mo does not match the .po (run compilemessages)", [f"  {p}" for p in mo[:20]]),
        ("msgfmt --check", [f"  {p}" for p in msgfmt]),
    ]
    failed = False
    for title, lines in sections:
        if lines:
            failed = True
            print(f"\nFAIL: {len(lines)} {title}:")
            print("\n".join(lines))
    if stale:
        print(
            f"\nnote: {len(stale)} stale entries in the .po are no longer in the source (makemessages drops them):"
        )
        print("\n".join(f"  {e.label}" for e in stale))
    if failed:
        print(
            "\nTo fix: python scripts/check_translations.py --update, translate the new/empty/fuzzy entries in"
            f" {PO_PATH.relative_to(ROOT)}, then (in src/seedling) seedling compilemessages -l en."
        )
        return 1
    print("OK: every message is translated, none fuzzy, placeholders kept, and the .mo matches the .po.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="re-extract messages into the real .po")
    args = parser.parse_args()
    _setup_django()
    if args.update:
        makemessages(PACKAGE)
        print(f"updated {PO_PATH.relative_to(ROOT)}")
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
