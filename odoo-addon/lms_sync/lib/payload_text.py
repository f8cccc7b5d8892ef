# Copyright 2024 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Names as the service accepts them in a webhook payload.

The service refuses (HTTP 400) an ``orderName`` longer than 64 or a ``requestedBy.name``
longer than 256, counted in UTF-16 code units as JavaScript counts a string's length (a
character outside the Basic Multilingual Plane, such as an emoji, counts 2), and an empty
one. Its schema (src/webhooks/schemas.ts) holds the same numbers; the service's CI checks
that both sides agree. A refused notification misses the real-time path, so the addon
sends every name cleaned and cut to fit: control characters (NUL included) and lone
surrogates removed, line breaks and tabs turned into spaces, and a name that is too long
cut on a character boundary and ended with "…".

Pure: Python standard library only, so the service's CI can load this file by path.
"""

import unicodedata

ORDER_NAME_MAX_LENGTH = 64
USER_NAME_MAX_LENGTH = 256
ELLIPSIS = "\u2026"
_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def utf16_length(text):
    """The length JavaScript gives ``text``: characters beyond U+FFFF count 2."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _clean(text):
    kept = []
    for char in text:
        if char in _SPACES:
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cs"):
            kept.append(char)
    return "".join(kept).strip()


def _cut(text, limit):
    if utf16_length(text) <= limit:
        return text
    room, kept = limit - 1, []  # one unit for the ellipsis
    for char in text:
        room -= 2 if ord(char) > 0xFFFF else 1
        if room < 0:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def bounded_name(value, limit, fallback):
    """``value`` cleaned and cut to at most ``limit`` UTF-16 units; ``fallback`` (cleaned
    and cut the same way) when nothing printable is left, since an empty name is refused."""
    cleaned = _clean(value if isinstance(value, str) else "")
    return _cut(cleaned or _clean(fallback), limit)
