"""Numbers typed into addresses and forms by anyone: a plain whole number, or None.

`str.isdigit()` says yes to "²" or "٣" (superscripts, other scripts' digits), which `int()`
then refuses or reads as something nobody typed; and a 40-digit id overflows the database's
integer (a 500 on PostgreSQL). Every id, page, count or year read from a request goes through
`whole_number`.
"""

# A bigint holds 19 digits; 18 keep every accepted number within it.
ID_DIGITS = 18


def whole_number(raw, *, digits=ID_DIGITS):
    """`raw` (str or None) as an int when it is 1 to `digits` ASCII digits, else None."""
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else str(raw)
    if not text or len(text) > digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
