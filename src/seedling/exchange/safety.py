"""Spreadsheet formula injection (CSV injection): a cell that starts like a formula is made plain text.

Excel, WPS and LibreOffice run a cell starting with = + - @ (or a tab or carriage return before one)
as a formula, which can fetch URLs or run commands. A leading apostrophe makes any spreadsheet show
the text as typed (OWASP's advice); applied to every text cell of a file we hand out.
"""

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value):
    """The value, with a leading apostrophe if it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value
