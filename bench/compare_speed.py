"""Time the compare page on a large history: `python3 bench/compare_speed.py --db /tmp/history.sqlite3`.

Two measurements, each the median of --repeat runs:
- the whole page per view, run by Streamlit's AppTest (the page script with its queries, figures and
  their serialisation, as the server runs it on a rerun, without the browser's drawing);
- the default view broken down: each query, the DataFrame work and the figure, timed directly.
Make the history first with bench/make_history.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from abc_workshop import compare, compare_charts
from abc_workshop.domain import CompareFilter
from abc_workshop.store import Store

APP = Path(__file__).resolve().parent.parent / "ui" / "navigation.py"
VIEWS = ["Top cards", "Heatmap", "A/B/C profile", "Users vs IT", "Trend", "Impact", "Statements", "Export"]
DEFAULT = CompareFilter(perspectives=("recognise",))


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_timings(db: Path, repeat: int) -> dict[str, float]:
    """Each view of the page, run whole by AppTest against the history; the first run (imports, opening) is not timed."""
    os.environ["ABC_DB_PATH"] = str(db)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("../pages/compare.py")  # page paths are written from ui/navigation.py
    at.run()
    timings = {}
    for name in VIEWS:
        at.session_state["view"] = name
        at.run()
        if at.exception:
            raise SystemExit(f"{name}: {at.exception[0].message}")
        timings[name] = median_seconds(at.run, repeat)
    return timings


def default_view_breakdown(store: Store, repeat: int) -> dict[str, float]:
    """What the first view costs, part by part: the filters' choices, the overview, the card totals and the chart."""
    cards, decks = store.card_totals(DEFAULT)
    table = compare.top_cards(cards, decks)
    top = table[table["rank"] <= 10]
    parts = {
        "filter choices (organisations, countries, dates, decks)": lambda: store.filter_choices(),
        "workshops and teams to choose from": lambda: store.workshop_choices(DEFAULT),
        "overview (workshops, rounds, ballots)": lambda: store.compare_overview(DEFAULT),
        "card totals (SQL)": lambda: store.card_totals(DEFAULT),
        "shares and ranks (pandas)": lambda: compare.top_cards(cards, decks),
        "top cards figure, built (graph_objects)": lambda: compare_charts.top_cards_figure(top, 66_000, "scope", ranked=66_000),
        "the same, built and turned into the JSON st.plotly_chart sends": lambda: compare_charts.top_cards_figure(
            top, 66_000, "scope", ranked=66_000
        ).to_json(),
    }
    return {name: median_seconds(part, repeat) for name, part in parts.items()}


def filtered_queries(store: Store, repeat: int) -> dict[str, float]:
    organisation = store.filter_choices()["organisations"][0]
    filters = {
        "one organisation": CompareFilter(perspectives=("recognise",), organisations=(organisation,)),
        "one year": CompareFilter(perspectives=("recognise",), date_from="2024-01-01", date_to="2024-12-31"),
        "one team name": CompareFilter(perspectives=("recognise",), teams=("Service Desk",)),
        "attitude cards": CompareFilter(perspectives=("recognise",), card_types=("A",)),
        "all perspectives": CompareFilter(),
    }
    return {
        name: median_seconds(lambda f=f: (store.compare_overview(f), store.card_totals(f)), repeat) for name, f in filters.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    store = Store(args.db)
    overview = store.compare_overview(CompareFilter())
    picks = int(store.card_totals(CompareFilter())[0]["picks"].sum())
    print(
        f"history: {overview['workshops']:,} workshops, {overview['rounds']:,} finished rounds, {overview['ballots']:,} ballots, "
        f"{picks:,} picks; median of {args.repeat} runs\n"
    )
    print("| whole page, per view (AppTest) | seconds |\n|---|---|")
    for name, seconds in page_timings(args.db, args.repeat).items():
        print(f"| {name}{' (the default view)' if name == 'Top cards' else ''} | {seconds:.3f} |")
    print("\n| default view, part by part | seconds |\n|---|---|")
    for name, seconds in default_view_breakdown(store, args.repeat).items():
        print(f"| {name} | {seconds:.3f} |")
    print("\n| overview and card totals, filtered | seconds |\n|---|---|")
    for name, seconds in filtered_queries(store, args.repeat).items():
        print(f"| {name} | {seconds:.3f} |")
    store.close()


if __name__ == "__main__":
    main()
