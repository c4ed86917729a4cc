"""Text from users, files and URLs made safe to place in Markdown.

Streamlit renders Markdown (and its own extras: `:red[…]` colours,
`:material/…:` icons, emoji short codes, `$…$` LaTeX) in st.markdown,
st.caption, st.info and friends, st.table cells, widget labels and help. A
value someone else chose — a team name in a spreadsheet, a snapshot's name,
`?la=` in a link — must appear as the characters it is, never as a link, an
image, formatting or a heading: `md_escape` is the one place that makes it so.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>|~$&{}])")
"""Characters that start inline Markdown anywhere: emphasis, code, links and images, HTML, tables,
strikethrough, LaTeX and entities."""
_LEADING = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[+](?=\s|$)|-(?=[-\s]|$)|>|\d{1,9}(?=[.)](?:\s|$)))")
"""A heading, list, quote or numbered-list marker at the very start of a value."""
_COLON = re.compile(r":(?=[\w/+\-])")
"""A colon that could open a Streamlit directive (`:red[`), an icon or emoji (`:material/…:`, `:smile:`) or a
link (`https://`); not one before a space, as in 'South West 2025: 14.2%'."""
_AT = re.compile(r"@")
_WWW = re.compile(r"(?i)\b(www)\.")
"""'www.' would become a link by itself (GitHub-flavoured autolinks)."""
ZWSP = "\u200b"
"""A zero-width space: Streamlit turns web addresses, e-mail addresses and emoji codes into links and pictures
after escapes are undone, so a backslash cannot stop them; an invisible break inside them does."""
_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029]+")


def md_escape(text: object) -> str:
    """`text` as literal characters in Markdown: Markdown and Streamlit symbols backslash-escaped, line breaks
    turned into spaces (so a value cannot start a heading, list or table of its own)."""
    value = _BREAKS.sub(" ", str(text))
    value = _INLINE.sub(r"\\\1", value)
    value = _COLON.sub(":" + ZWSP, value)
    value = _AT.sub(ZWSP + "@", value)
    value = _WWW.sub(r"\1" + ZWSP + ".", value)
    match = _LEADING.match(value)
    if match:
        lead, marker = match.group(1), match.group(2)
        if marker.isdigit():  # "1. x" or "1) x": escape the dot or bracket after the number
            end = match.end()
            value = value[:end] + "\\" + value[end:]
        else:
            value = f"{lead}\\{marker}{value[match.end():]}"
    return value
