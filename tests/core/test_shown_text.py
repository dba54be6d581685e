"""People's text written for Streamlit's markdown, widget labels, HTML and plotly comes back exactly as typed.

Each renderer is modelled by what it does to escaped text (CommonMark's backslash escapes and character
references, Streamlit's rewrites of text, plotly's references); tests/browser/test_people_text.py checks the
real ones in Chromium.
"""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from abc_workshop.shown_text import JOINER, chart_text, html_text, label, markdown
from tests.payloads import PAYLOADS, plotly_text

# What Streamlit's frontend does to the text of a markdown element (StreamlitMarkdown): these must never match.
STREAMLIT_REWRITES = [
    re.compile(r":material/"),  # replaced in the source before parsing
    re.compile(r":(?!material\/|streamlit:)[\w+-][\w_+-]*:"),  # any of these in the source loads emoji shortcodes
]
TEXT_REWRITES = [  # applied to the parsed text, after escapes are undone
    re.compile(r":streamlit:"),
    re.compile(r":material_\w+:"),
    re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    re.compile(r"(?i)https?://|www(?=\.)|[-.\w+]+@[-\w]+(\.[-\w]+)+"),  # GFM's autolinks, found in the parsed text
]
ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def commonmark_text(source: str) -> str:
    """The text CommonMark makes of source, left to right: a backslash escape is its character, an unescaped
    `&...;` reference is decoded, a hard break (two spaces, line break) is a line break."""
    tokens = re.finditer(r"\\([!-/:-@\[-`{-~])|(&(?:#\d+|#x[\da-fA-F]+|\w+);)|(  \n)|(.)", source, re.DOTALL)
    return "".join(t[1] or (html.unescape(t[2]) if t[2] else "") or ("\n" if t[3] else t[4]) for t in tokens)


def unescaped_punctuation(source: str) -> list[str]:
    """ASCII punctuation the writer left for markdown to read (its own `&#32;` references aside)."""
    tokens = re.finditer(r"\\[!-/:-@\[-`{-~]|&#(?:32|9);|.", source, re.DOTALL)
    return [t[0] for t in tokens if len(t[0]) == 1 and t[0] in ASCII_PUNCTUATION]


def typed(text: str) -> str:
    return re.sub(r"\r\n?", "\n", text)


@given(st.text())
def test_markdown_gives_back_the_text_and_leaves_nothing_to_read_as_markup(text):
    written = markdown(text)
    shown = commonmark_text(written)
    assert shown.replace(JOINER, "") == typed(text).replace(JOINER, "")
    assert unescaped_punctuation(written) == []
    for pattern in STREAMLIT_REWRITES:
        assert not pattern.search(written)
    for pattern in TEXT_REWRITES:
        assert not pattern.search(shown)
    assert not re.search(r"^( {4}|\t)", written, re.MULTILINE), "a leading indent would be a code block"


@given(st.text())
def test_a_label_gives_back_the_text_on_one_line(text):
    written = label(text)
    shown = commonmark_text(written)
    assert shown.replace(JOINER, "") == re.sub(r"\r\n?|\n", " ", text).replace(JOINER, "")
    assert "\n" not in written and "\r" not in written
    assert not re.search(r"(?<!\\)[`*_\[\]~$<>&]", written.replace("\\\\", ""))
    for pattern in STREAMLIT_REWRITES:
        assert not pattern.search(written)
    for pattern in TEXT_REWRITES:
        assert not pattern.search(shown)


@given(st.text())
def test_html_text_gives_back_the_text_and_keeps_markdown_out(text):
    written = html_text(text)
    assert html.unescape(written) == text
    assert not set(written) & set("<>\"'\n\r:")


@given(st.text())
def test_chart_text_gives_back_the_text_with_no_tag_placeholder_or_maths(text):
    written = chart_text(text)
    assert plotly_text(written) == text
    assert not set(written) & set("<>%${}")


def test_the_audit_s_payloads_are_written_as_text():
    assert markdown("[Click to re-join](https://e.example)") == "\\[Click to re\\-join\\]\\(https\\:\u2060\\/\\/e\\.example\\)"
    assert markdown("x\n===") == "x  \n\\=\\=\\="
    assert markdown("&copy; :smile: 10:30 a--b") == "\\&copy\\; \\:smile\\: 10\\:30 a\\-\\-b"
    assert markdown(":streamlit: a -- b ->") == "\\:\u2060streamlit\\: a \\-\u2060\\- b \\-\u2060\\>"
    assert markdown("\\:material/home\\:") == "\\\\\\:\u2060material\\/home\\\\\\:"
    assert label("![t](https://e.example/t.png) www.e.example") == "!\\[t\\](https\\:\u2060//e.example/t.png) www\u2060.e.example"
    assert chart_text("<b>R&D</b> 100% {x} $y$") == "&lt;b&gt;R&amp;D&lt;/b&gt; 100&#37; &#123;x&#125; &#36;y&#36;"
    for payload in PAYLOADS:
        assert commonmark_text(markdown(payload)).replace(JOINER, "") == payload
