"""Text from users, files and URLs made safe to place in Markdown.

Streamlit renders Markdown (and its own extras: `:red[…]` colours,
`:material/…:` icons, emoji short codes, `$…$` LaTeX) in st.markdown,
st.caption, st.info and friends, widget labels and help. A value someone else
chose — a team name in a spreadsheet, a snapshot's name, `?la=` in a link —
must appear as the characters it is, never as a link, an image, formatting or
a heading: `md_escape` is the one place that makes it so.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&^=\"'@])")
_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029]+")


def md_escape(text: object) -> str:
    """`text` as literal characters in Markdown: every Markdown (and Streamlit) symbol backslash-escaped,
    line breaks turned into spaces (so a value cannot start a heading, list or table of its own)."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
