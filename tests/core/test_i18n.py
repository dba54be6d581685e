"""Every word the app shows goes through the translation layer, and every catalogue translates all of it.

The catalogues (abc_workshop/locales/) are compared with what Babel extracts from the code as it is now, so a new
message without its Dutch and German fails here, as does a translation that lost a placeholder.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from abc_workshop import i18n
from tests.i18n_scan import scanned_files, unwrapped

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import catalogues

TEMPLATE = catalogues.template()
LANGUAGES = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _forms(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def test_every_shown_literal_goes_through_the_translation_layer():
    found = [f"{path.name}:{line}: {text[:80]}" for path in scanned_files() for line, text in unwrapped(path)]
    assert found == [], "\n".join(found)


def test_the_code_marks_messages():
    assert len(TEMPLATE) > 500  # the pages, the core's refusals, the reports: far more than a handful


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_has_a_translation(code):
    catalog = catalogues.read(code)
    missing = []
    for message in TEMPLATE:
        if not message.id:
            continue
        have = catalog.get(message.id, context=message.context)
        if have is None or have.fuzzy or not all(_forms(have.string)) or not _forms(have.string):
            missing.append(message.id)
    assert missing == [], f"{len(missing)} messages without a {code} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_catalogue_holds_no_message_the_code_no_longer_has(code):
    wanted = {(message.id, message.context) for message in TEMPLATE if message.id}
    stale = [message.id for message in catalogues.read(code) if message.id and (message.id, message.context) not in wanted]
    assert stale == [], f"run `python3 scripts/catalogues.py update`: {stale[:5]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_every_placeholder(code):
    catalog = catalogues.read(code)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        wanted = set(_PLACEHOLDER.findall(" ".join(_forms(message.id))))
        for form in _forms(message.string):
            if form and set(_PLACEHOLDER.findall(form)) != wanted:
                wrong.append((message.id, form))
    assert wrong == [], wrong[:5]


def test_a_known_message_reads_in_each_language():
    for code in LANGUAGES:
        with i18n.speaking(code):
            assert i18n._("Vote") != "Vote"
    with i18n.speaking("en"):
        assert i18n._("Vote") == "Vote"


def test_every_fragment_and_dialog_speaks_the_language_of_its_page():
    """Streamlit reruns a fragment or a dialog without its page (ui/language.py, in_language)."""
    import ast

    bare = []
    for path in scanned_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [ast.unparse(d) for d in node.decorator_list]
                if any("fragment" in name for name in names) and "in_language" not in names:
                    bare.append(f"{path.name}:{node.lineno} {node.name}")
            dialog = isinstance(node, ast.Call) and isinstance(node.func, ast.Call) and ast.unparse(node.func.func) == "st.dialog"
            if dialog and not (node.args and ast.unparse(node.args[0]).startswith("in_language(")):
                bare.append(f"{path.name}:{node.lineno} st.dialog")
    assert bare == [], bare
