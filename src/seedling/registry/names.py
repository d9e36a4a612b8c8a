"""Chinese names: the display pinyin of a name (search keys with every reading live in registry.search)."""

from pypinyin import lazy_pinyin


def pinyin_of(name: str) -> str:
    """Common reading, syllables separated by spaces: 张伟 → 'zhang wei'."""
    return " ".join(s for s in lazy_pinyin(name.replace("·", " "), errors="ignore") if s.strip())
