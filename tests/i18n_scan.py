"""Finds words shown to people that do not go through the translation layer (abc_workshop/i18n.py).

`python3 -m tests.i18n_scan [FILE ...]` lists them; tests/core/test_i18n.py fails while any is left. What counts as
shown: a string (or an f-string's literal part) with a word in it, given to a Streamlit element as its text, label,
help, placeholder or caption, or as the message of an exception the pages show. A line may say why its words stay
as they are with a comment `# not translated: <why>` (a CSS class, a file name, an example the reader types).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("pages", "ui", "abc_workshop")
ELEMENTS = set(
    """title header subheader markdown caption write text error warning info success toast exception button
    download_button link_button page_link form_submit_button text_input text_area number_input date_input time_input
    selectbox multiselect radio checkbox toggle slider select_slider pills segmented_control file_uploader
    color_picker camera_input tabs expander popover spinner status metric progress dialog feedback chat_input
    data_editor""".split()
)
TEXT_KEYWORDS = {"label", "help", "placeholder", "caption", "body", "text", "value_label", "title", "message"}
MESSAGES = {"InvalidInput", "AccessDenied", "NotFound", "Refused", "Busy", "LineError", "ImportFileError", "DeckError"}
TRANSLATORS = {"_", "gettext", "ngettext", "pgettext", "N_"}
# Markdown colour and icon directives are not words: ':gray[', ':material/check:', ':red-background['.
_DIRECTIVE = re.compile(r":[a-z-]+\[|:material/[a-z_]+:|\]")
_WORD = re.compile(r"[A-Za-z]{2,}")
EXEMPT = "# not translated:"


def _has_words(text: str) -> bool:
    return bool(_WORD.search(_DIRECTIVE.sub(" ", text)))


def _literal_words(node: ast.AST) -> bool:
    """A literal with words, or an f-string / concatenation whose literal parts have some."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_literal_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    return False


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _shown_arguments(call: ast.Call) -> Iterator[ast.expr]:
    name = _name(call.func)
    if name in ELEMENTS and isinstance(call.func, ast.Attribute):
        if name == "tabs" and call.args and isinstance(call.args[0], ast.List | ast.Tuple):
            yield from call.args[0].elts
        elif call.args:
            yield call.args[0]
        yield from (keyword.value for keyword in call.keywords if keyword.arg in TEXT_KEYWORDS)
    elif name in MESSAGES and call.args:
        yield call.args[0]


def unwrapped(path: Path) -> Iterator[tuple[int, str]]:
    """(line, source) of each shown literal in a file that no translator call wraps."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for argument in _shown_arguments(node):
            if not _literal_words(argument):
                continue
            first = lines[argument.lineno - 1]
            last = lines[(argument.end_lineno or argument.lineno) - 1]
            if EXEMPT in first or EXEMPT in last:
                continue
            yield argument.lineno, ast.get_source_segment(source, argument) or first.strip()


def scanned_files() -> list[Path]:
    return sorted(path for folder in SCANNED for path in (ROOT / folder).rglob("*.py"))


def main(argv: list[str]) -> int:
    files = [Path(name).resolve() for name in argv] or scanned_files()
    found = 0
    for path in files:
        for line, text in unwrapped(path):
            found += 1
            print(f"{path.relative_to(ROOT)}:{line}: {text[:110]}")
    print(f"{found} shown strings outside the translation layer")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
