"""Reading what a page sent the browser, field by field, to check that people's text in it is shown as typed.

Every string in every element's protobuf message (and inside the tables, figures and component data it carries)
that holds a marked value (tests/payloads.py) is checked by what the browser does with that field: Streamlit's
markdown, a widget label (inline markdown), plain text, HTML, plotly text or a component's JSON. A field not
classified below fails the test, so a new widget or element is decided on, never passed by default.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pyarrow as pa
from google.protobuf.message import Message

from abc_workshop.shown_text import html_text, label, markdown
from tests.payloads import plotly_text

MARKER = re.compile(r"Qz\d{3}")

# The widgets whose label is read as a label; the same ones but a few take a help text too, read as markdown.
LABELLED = (
    "Button", "DownloadButton", "LinkButton", "PageLink", "Checkbox", "Radio", "Selectbox", "MultiSelect", "TextInput",
    "TextArea", "NumberInput", "DateInput", "TimeInput", "Slider", "ButtonGroup", "FileUploader", "Tab", "Expandable",
    "Popover", "Metric", "ColorPicker", "CameraInput", "ChatInput",
)  # fmt: skip
HELPED = (*(kind for kind in LABELLED if kind not in ("TimeInput", "Tab", "Expandable", "ColorPicker", "CameraInput",
                                                     "ChatInput")), "Markdown", "Heading")  # fmt: skip

# (element or block, field) -> how the browser shows it; a field given as "*" covers all of that element's strings.
FIELDS = {
    **{(kind, "body"): "markdown" for kind in ("Markdown", "Heading", "Alert", "Toast")},
    **{(kind, "label"): "label" for kind in LABELLED},
    **{(kind, "help"): "markdown" for kind in HELPED},
    ("Radio", "options"): "label",
    ("Radio", "captions"): "label",
    ("ButtonGroup", "options.content"): "label",
    ("Selectbox", "options"): "plain",
    ("Selectbox", "raw_value"): "plain",
    ("MultiSelect", "raw_values"): "plain",
    ("MultiSelect", "options"): "plain",
    ("Selectbox", "placeholder"): "plain",
    ("MultiSelect", "placeholder"): "plain",
    ("TextInput", "placeholder"): "plain",
    ("TextArea", "placeholder"): "plain",
    ("TextInput", "default"): "plain",
    ("TextArea", "default"): "plain",
    ("TextInput", "value"): "plain",
    ("TextArea", "value"): "plain",
    ("Code", "code_text"): "plain",
    ("Text", "body"): "plain",
    ("DownloadButton", "url"): "ignore",  # a media URL the server made
    ("Dataframe", "arrow_data.data"): "plain table",  # st.dataframe: cells as text
    ("Table", "arrow_data.data"): "markdown table",  # st.table: each cell read as markdown
    ("Block", "popover.label"): "label",
    ("Metric", "body"): "markdown",  # a metric's value is read as markdown too
    ("LinkButton", "url"): "ignore",
    ("PageLink", "page"): "ignore",
    ("PlotlyChart", "spec"): "chart",
    ("BidiComponent", "json"): "json",
    ("Heading", "anchor"): "ignore",  # an id made from the title, never shown
}


def strings(message: Message, path: str = "") -> Iterator[tuple[str, str | bytes]]:
    """Every string and bytes value in a protobuf message, with its field path (nested fields joined by dots)."""
    for field, value in message.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from strings(item, name)
            elif isinstance(item, str | bytes):
                yield name, item


def elements(node) -> Iterator[tuple[str, Message]]:
    """Each element's and block's own message in AppTest's tree, with its message type's name."""
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        yield type(proto).__name__, proto
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def table_strings(data: bytes) -> list[str]:
    """A table's cells and column names (st.dataframe and st.table send an Arrow stream)."""
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    found = [str(name) for name in table.column_names]
    for column in table.columns:
        found += [value for value in column.to_pylist() if isinstance(value, str)]
    return found


def json_strings(value) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            for path, found in json_strings(item):
                yield f"{key}.{path}" if path else str(key), found
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, str):
        yield "", value


def problems(at, values: dict[str, str], seen: set[str]) -> list[str]:
    """What is wrong with the people's text on this page; `seen` collects the markers found (coverage)."""
    found = []
    for kind, proto in elements(at._tree):
        for field, value in strings(proto):
            how = "ignore" if field == "id" or field.endswith(".id") else FIELDS.get((kind, field))  # widget ids: never shown
            if kind == "Markdown" and field == "body" and proto.allow_html:
                how = "html"
            if how in ("plain table", "markdown table"):
                how = how.split()[0]
                texts = [(field, text) for text in table_strings(value)]
            elif how == "chart" or how == "json":
                texts = list(json_strings(json.loads(value)))
            else:
                texts = [(field, value)] if isinstance(value, str) else []
            for where, text in texts:
                for marker in set(MARKER.findall(text)):
                    seen.add(marker)
                    wrong = _check(how, text, values[marker])
                    if wrong:
                        inside = f".{where}" if where and where != field else ""
                        found.append(f"{kind}.{field}{inside} ({how or 'unclassified'}): {wrong}: {text!r}")
    return found


def _check(how: str | None, shown: str, typed: str) -> str | None:
    if how is None:
        return "this field is not classified in tests/pages/shown_as_typed.py"
    if how == "ignore":
        return None
    if how == "markdown":
        return None if markdown(typed) in shown else "not written with ui.text.plain"
    if how == "label":
        return None if label(typed) in shown or markdown(typed) in shown else "not written with ui.text.plain_label"
    if how in ("plain", "json"):
        return None if typed in shown else "not the text as typed"
    if how == "html":
        return None if html_text(typed) in shown else "not written with shown_text.html_text"
    if how == "chart":
        return _chart_problem(shown, typed)
    raise AssertionError(how)


def _chart_problem(shown: str, typed: str) -> str | None:
    """Plotly reads tags, references, %{placeholders} and $maths$; a chart may wrap people's text onto lines."""
    rest = re.sub(r"<br>|</?sup>|<extra></extra>", " ", shown)
    if re.search(r"[<>$]|%\{(?!(x|y|z|text|customdata)(:[^}]*)?\})|&(?!amp;|lt;|gt;|#\d+;)", rest):
        return "plotly would read part of it as markup"
    unwrapped = "".join(plotly_text(shown.replace("<br>", "")).split())
    return None if "".join(typed.split()) in unwrapped else "not the text as typed, once plotly has read it"
