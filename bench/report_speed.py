"""Time the workshop report (PDF, HTML, Excel) as one card's notes grow: `python3 bench/report_speed.py`.

A workshop of 300 participants in 10 teams votes one round on a fresh SQLite file (through the Store, as
the pages do); every team analyses its shortlist and the report's records are gathered from that file. Then
one card gets N notes under each of its four headings, by the 300 participants, and each report is built
from those records; the notes are added to the gathered records rather than written to the file, so the
figures are the report's alone, whatever limits the store puts on how much one team writes.

The reference, measured in the same run and at the same size, is the same notes' text written by reportlab
as plain paragraphs (no tables): what a PDF of that much text costs at least. Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from abc_workshop import report, report_pdf
from abc_workshop.analysis import HEADINGS, Note
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

PARTICIPANTS, TEAMS, PICKS = 300, 10, 10
WORDS = (
    "requests",
    "wait",
    "a",
    "week",
    "for",
    "an",
    "answer",
    "and",
    "customers",
    "call",
    "the",
    "desk",
    "again",
    "costs",
    "rise",
    "because",
    "nobody",
    "owns",
    "the",
    "change",
    "outage",
    "reputation",
    "suffers",
    "deadline",
    "missed",
)


def workshop_report(db: Path, rng: random.Random) -> tuple[report.WorkshopReport, list[str]]:
    """A voted and analysed workshop on a fresh file, gathered as the facilitator's download gathers it."""
    store = Store(db)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Report speed", "Bench IT", team_names=[f"Team {i + 1}" for i in range(TEAMS)])
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    cards = [card.id for card in store.cards(deck.id)]
    spec = RoundSpec(question="Which cards do you recognise?", deck_id=deck.id, pick_limit=PICKS)
    rnd = store.open_round(store.create_round(workshop.id, key, spec).id, key)
    people = [store.join(workshop.id, f"Participant {i + 1}", teams[i % TEAMS].id) for i in range(PARTICIPANTS)]
    for person in people:
        store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, rng.sample(cards, PICKS))
    store.reveal_round(rnd.id, key)
    for team in teams:
        store.ensure_shortlist(rnd.id, team.id)
        members = [p for p in people if p.team_id == team.id]
        for topic in store.team_topics(rnd.id, team.id):
            for heading in HEADINGS:
                store.add_note(workshop.id, topic.id, heading, sentence(rng), token=members[0].token)
                store.set_score(workshop.id, topic.id, heading, rng.randint(1, 5), token=members[1].token)
            store.decide_risk(workshop.id, topic.id, "no", sentence(rng), token=members[2].token)
            store.add_behaviour(workshop.id, topic.id, sentence(rng), token=members[3].token)
            store.add_action(workshop.id, topic.id, sentence(rng), members[4].display_name, None, token=members[4].token)
    gathered = report.gather(store, workshop.id, key)
    store.close()
    return gathered, [p.display_name for p in people]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize() + "."


def with_notes(base: report.WorkshopReport, names: list[str], per_heading: int, rng: random.Random) -> report.WorkshopReport:
    """The first team's first card with `per_heading` notes under each heading, written by everyone in turn."""
    first = base.topics[0]
    notes = tuple(
        Note(10_000_000 + n, heading, sentence(rng), n % len(names), names[n % len(names)], False, False)
        for heading in HEADINGS
        for n in range(per_heading)
    )
    return dataclasses.replace(base, topics=[dataclasses.replace(first, notes=notes), *base.topics[1:]])


def plain_pdf(texts: list[str]) -> bytes:
    """The reference: the same text as bullet paragraphs in one flow, with the report's own style."""
    style = report_pdf._styles()["bullet"]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(escape(text), style, bulletText="•") for text in texts])
    return out.getvalue()


def seconds(build) -> tuple[float, int]:
    started = time.perf_counter()
    made = build()
    return time.perf_counter() - started, len(made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000], help="notes per heading on one card")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        base, names = workshop_report(Path(folder) / "report.sqlite3", rng)
        print(
            f"workshop: {PARTICIPANTS} participants, {TEAMS} teams, {len(base.topics)} cards analysed;"
            f" made and gathered in {time.perf_counter() - started:.1f} s"
        )
    print(
        f"{'notes/heading':>13} {'notes':>7} {'PDF s':>8} {'MB':>6} {'reference s':>12} {'PDF/ref':>8}"
        f" {'HTML s':>8} {'Excel s':>8}"
    )
    rows = {}
    for size in args.sizes:
        built = with_notes(base, names, size, rng)
        pdf_s, pdf_bytes = seconds(lambda built=built: report_pdf.pdf(built))
        ref_s, _ = seconds(lambda built=built: plain_pdf([n.text for n in built.topics[0].notes]))
        html_s, _ = seconds(lambda built=built: report.html(built).encode())
        excel_s, _ = seconds(lambda built=built: report.workbook(built))
        rows[size] = (pdf_s, ref_s, html_s, excel_s)
        print(
            f"{size:>13,} {size * len(HEADINGS):>7,} {pdf_s:>8.2f} {pdf_bytes / 1e6:>6.1f} {ref_s:>12.2f} {pdf_s / ref_s:>8.2f}"
            f" {html_s:>8.3f} {excel_s:>8.2f}"
        )
    if 1_000 in rows and 10_000 in rows:
        ratios = [big / small for big, small in zip(rows[10_000], rows[1_000])]
        print("ratio 10,000 : 1,000 (linear is 10): PDF {:.1f}, reference {:.1f}, HTML {:.1f}, Excel {:.1f}".format(*ratios))


if __name__ == "__main__":
    main()
