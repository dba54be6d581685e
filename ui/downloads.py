"""The facilitator's report and workbook downloads, built on request and kept in the session.

A download button given a function builds the file only when clicked, and Streamlit forgets that function
on the next rerun; with teams writing notes the page reruns every few seconds, so such a download could
vanish between the click and the transfer. Here a click on Build makes the file's bytes once and keeps them
in the session with their build time; the download button that follows serves those bytes, which every
rerun offers again unchanged, so nothing a team writes can take the file away.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from abc_workshop import i18n, report, report_pdf
from abc_workshop.domain import Workshop
from abc_workshop.i18n import N_, _, number
from abc_workshop.store import Store
from ui.polls import browser_zone
from ui.text import plain

log = logging.getLogger(__name__)
BUILT = "built-downloads"


@dataclass(frozen=True)
class Format:
    label: str  # English, marked with N_: shown as _(label)
    suffix: str
    mime: str
    icon: str
    build: Callable[[report.WorkshopReport], bytes | str]


FORMATS = {
    "pdf": Format(N_("Report (PDF)"), "-report.pdf", "application/pdf", "📕", report_pdf.pdf),
    "html": Format(N_("Report (HTML)"), "-report.html", "text/html", "📄", report.html),
    "xlsx": Format(
        N_("Workbook (Excel)"),
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "📊",
        report.workbook,
    ),
}


@dataclass(frozen=True)
class Built:
    data: bytes
    built_at: float
    file_name: str


def file_stem(workshop: Workshop) -> str:
    """The title's letters and digits, in any script, joined by dashes: nothing else in a title can name a path,
    start markup or trouble a file system."""
    return re.sub(r"[\W_]+", "-", workshop.title).strip("-").lower() or "workshop"


def build_file(store: Store, workshop: Workshop, key: str, kind: str) -> Built:
    """Build one file from everything recorded so far, in the workshop's language (whoever clicks: the report is the
    room's record); raises whatever the report raised."""
    with i18n.speaking(store.workshop(workshop.id).language):
        made = FORMATS[kind].build(report.gather(store, workshop.id, key))
    data = made.encode() if isinstance(made, str) else made
    return Built(data, time.time(), f"{file_stem(workshop)}{FORMATS[kind].suffix}")


def built_files() -> dict[tuple[int, str], Built]:
    return st.session_state.setdefault(BUILT, {})


def report_downloads(store: Store, workshop: Workshop, key: str) -> None:
    st.caption(
        _("Each file holds everything recorded until you build it; build it again later to include what teams wrote since.")
    )
    for column, (kind, fmt) in zip(st.columns(len(FORMATS)), FORMATS.items()):
        with column:
            # Translators: a button; {file} is "Report (PDF)", "Report (HTML)" or "Workbook (Excel)"
            if st.button(_("Build {file}").format(file=_(fmt.label)), key=f"build-{kind}", icon=fmt.icon, width="stretch"):
                _build_into_session(store, workshop, key, kind)
            built = built_files().get((workshop.id, kind))
            if built is not None:
                st.download_button(
                    _("Download {file}").format(file=_(fmt.label)),
                    built.data,
                    file_name=built.file_name,
                    mime=fmt.mime,
                    key=f"download-{kind}",
                    icon="⬇️",
                    type="primary",
                    on_click="ignore",
                    width="stretch",
                )
                when = datetime.datetime.fromtimestamp(built.built_at, browser_zone()).strftime("%H:%M:%S")
                st.caption(_("Built at {time} · {size}").format(time=when, size=_size(len(built.data))))


def _build_into_session(store: Store, workshop: Workshop, key: str, kind: str) -> None:
    label = _(FORMATS[kind].label)
    try:
        with st.spinner(_("Building {file}…").format(file=label)):
            built = build_file(store, workshop, key, kind)
    except Exception as error:  # any failure must reach the facilitator as a sentence, never as a silent non-download
        log.exception("building %s for workshop %s failed", kind, workshop.id)  # not translated: the server log
        st.error(
            _("{file} could not be built: {error}. Nothing was downloaded; try Build again in a moment.").format(
                file=plain(label), error=plain(str(error) or type(error).__name__)
            )
        )
        return
    built_files()[(workshop.id, kind)] = built


def _size(length: int) -> str:
    """The file's size, its number in the run's language ('1.5 MB', '1,5 MB')."""
    return f"{number(length / 1_000_000, 1)} MB" if length >= 1_000_000 else f"{number(max(1, round(length / 1000)))} kB"
