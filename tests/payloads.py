"""Text that markdown, HTML or a chart would read as more than text: every page must show it exactly as typed.

`{m}` marks where a test may put a marker of its own, to find the text again on a page; PAYLOADS has none.
Each is at most 34 characters, so a 6-character marker still fits a participant's name (40).
"""

from __future__ import annotations

import re

TRACKER = "https://track.example/p.png"  # an image from outside: a browser must never fetch it

TEMPLATES = [
    "[Click to re-join{m}](https://e.ex/j)",
    "![t{m}](" + TRACKER + ")",
    ":red[red]{m} :smile: :streamlit:",
    ":material/home:{m} \\:material/home\\:",
    "{m}x\n===",
    "&copy;{m} &#169; <b>b</b> <img src=x>",
    "https://e.ex/{m} www.e.ex a@e.ex",
    "*e* _e_{m} `c` ~~s~~ $x$ -- -> %{y}",
    "# Heading{m}",
    "> Quote{m}",
    "1. List{m}",
    "- Item | a{m} | b |",
]
PAYLOADS = [template.replace("{m}", "") for template in TEMPLATES]


def marked(index: int, marker: str) -> str:
    """The payload `index` with `marker` at its mark."""
    return TEMPLATES[index].replace("{m}", marker)


def plotly_text(source: str) -> str:
    """Plotly's convertEntities: numeric references and a few names (amp, lt, gt, ...), nothing else."""
    names = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0"}

    def one(match):
        ref = match.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))  # noqa: FURB166 - the prefix is "#x", which int() does not read
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return names.get(ref, match.group(0))

    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", one, source)
