"""People's text, written so that each renderer shows it exactly as typed: never as markup, a link or an image.

Names, titles, questions, notes, statements and the like reach four renderers, each with its own writer here:

- `markdown`: Streamlit's markdown (st.markdown, captions, titles, alerts, table cells). Every ASCII punctuation
  character is backslash-escaped, which CommonMark turns back into the character itself, so no emphasis, link,
  image, HTML, entity (`&copy;`), heading (`x` over `===`), list, table or maths (`$x$`) can start, and no
  `:smile:` reads as an emoji code. Streamlit also rewrites the parsed text itself, escapes or not (`:streamlit:`
  becomes its logo, `:material_x:` an icon, a `--` or `->` standing alone a dash or an arrow, an address such as
  `https://…`, `www.…` or `a@b.c` a link): an invisible word joiner (U+2060) inside each such pattern, and nowhere
  else, keeps it as typed. Line breaks stay line breaks, and leading spaces cannot make a code block.
- `label`: widget labels, options, tabs and buttons, which Streamlit reads as one line of inline markdown and some
  widgets also hand to screen readers raw (their accessible name): only what could format, link or be rewritten is
  escaped, so a name keeps few backslashes there; a line break becomes a space.
- `html_text`: HTML, including the projector's, which Streamlit's markdown reads first (`unsafe_allow_html`):
  `html.escape` plus the colon and line breaks as character references, so neither a blank line nor
  `:material/` can reach markdown.
- `chart_text`: plotly's labels, titles, legends and hover text, which read a few tags (`<b>`, `<br>`, `<a href>`),
  its entities and `%{…}` placeholders, and take `$…$` as maths: all of those as character references.

Links are never made from people's text, the facilitator's workshop notes included (README.md, "People's text").
"""

from __future__ import annotations

import html
import re
import textwrap

JOINER = "\u2060"  # WORD JOINER: invisible and zero-width; breaks a pattern without changing what is seen
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character: CommonMark lets each be escaped
# What Streamlit rewrites in the text itself, after markdown is parsed (escapes cannot stop it): its logo and
# icons, dashes and arrows standing alone, and addresses (GFM's autolinks: http:// and https://, www., e-mail).
# A word joiner goes inside each, and nowhere else.
_ICON = re.compile(r":(?=streamlit:|material[_/])")
_TYPOGRAPHY = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
_ADDRESS = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)|(?<=@)(?=[-\w])")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]~$<>&:])")


def _unrewritable(text: str) -> str:
    text = _TYPOGRAPHY.sub(lambda m: JOINER.join(m.group(1)), _ICON.sub(":" + JOINER, text))
    return _ADDRESS.sub(JOINER, text)


def markdown(text: str) -> str:
    """For Streamlit's markdown: shown as typed, line breaks included."""
    escaped = _PUNCTUATION.sub(r"\\\1", _unrewritable(_LINE_BREAK.sub("\n", str(text))))
    escaped = _LEADING_SPACE.sub(lambda m: m.group(0).replace(" ", "&#32;").replace("\t", "&#9;"), escaped)
    return escaped.replace("\n", "  \n")


def label(text: str) -> str:
    """For a widget's label or options: one line, as typed, with as few escapes as keep it text."""
    return _LABEL_SPECIAL.sub(r"\\\1", _unrewritable(_LINE_BREAK.sub(" ", str(text))))


def html_text(text: object) -> str:
    """For HTML, also where Streamlit's markdown reads it first (the projector)."""
    escaped = html.escape(str(text), quote=True).replace(":", "&#58;")
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;")


_CHART_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;", "$": "&#36;", "{": "&#123;", "}": "&#125;"}
_CHART = re.compile("[&<>%${}]")


def chart_text(text: object) -> str:
    """For plotly: the references it turns back into characters (it knows few named ones, so mostly numbers)."""
    return _CHART.sub(lambda m: _CHART_SPECIAL[m.group(0)], str(text))


def chart_lines(text: object, width: int) -> str:
    """People's text for a chart's axis or legend: as chart_text, wrapped onto lines of about `width` characters."""
    return "<br>".join(chart_text(line) for line in textwrap.wrap(str(text), width)) or chart_text(text)
