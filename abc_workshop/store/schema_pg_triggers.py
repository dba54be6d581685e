"""PostgreSQL's triggers: each of SQLite's as a PL/pgSQL function of its name, with the same checks in the same order
and the same refusal codes (schema_pg.py)."""

from __future__ import annotations

from .schema_pg_functions import NOW, REFUSAL


def _refuse(code: str) -> str:
    """A refusal, as SQLite's RAISE(ABORT, code): store/pg.py reads the SQLSTATE and the code."""
    return f"RAISE EXCEPTION USING MESSAGE = '{code}', ERRCODE = '{REFUSAL}';"


def _trigger(name: str, event: str, body: str, *, when: str | None = None) -> str:
    """SQLite's trigger `name` as a PL/pgSQL function of that name and the trigger that runs it for each row.

    `event` is as SQLite's ("BEFORE UPDATE OF state ON rounds"); `when` is SQLite's WHEN where it has no subquery
    (PostgreSQL's WHEN takes none: those conditions open the function's body instead). The function lets the row
    through as a BEFORE trigger must (NEW, or OLD for a DELETE); an AFTER trigger's return is ignored."""
    returns = "NULL" if event.startswith("AFTER") else "OLD" if " DELETE " in event else "NEW"
    condition = f"\n    WHEN ({when})" if when else ""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN{body}
    RETURN {returns};
END
$fn$;
CREATE TRIGGER {name} {event}
    FOR EACH ROW{condition} EXECUTE FUNCTION {name}();
"""


# schema.py 0003: what an answer, new or changed, must meet.
_POLL_OF_ANSWER = "(SELECT {} FROM polls p JOIN statements s ON s.poll_id = p.id WHERE s.id = NEW.statement_id)"
_ANSWER_RULES = f"""
    IF {_POLL_OF_ANSWER.format("p.state")} IS DISTINCT FROM 'open' THEN {_refuse("poll_not_open")} END IF;
    IF {_POLL_OF_ANSWER.format("p.closes_at")} < {NOW} THEN {_refuse("poll_time_up")} END IF;
    IF NEW.value > {_POLL_OF_ANSWER.format("CASE p.scale WHEN 'agree3' THEN 3 ELSE 5 END")} THEN
        {_refuse("answer_out_of_range")}
    END IF;"""
_ROUND_OF_BALLOT = "(SELECT {} FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = {}.ballot_id)"
_WORKSHOPS_IMPORT = "(SELECT import_id FROM workshops WHERE id = NEW.workshop_id)"

# The triggers, in the order the migrations made them. Where two may fire for one statement (rounds: the import id and
# the state; moments: the import id and the photo), SQLite runs the newer first and PostgreSQL the one first by name:
# the names keep that order (imported_rounds_stay_finished before round_import_id_is_fixed, moment_import_id_is_fixed
# before moments_photo_only_removed).
TRIGGERS = "".join(
    [
        # schema.py 0001 (ballots_never_deleted and picks_frozen_after_close as 0003 remade them)
        _trigger(
            "ballots_only_while_open",
            "BEFORE INSERT ON ballots",
            f"""
    IF (SELECT state FROM rounds WHERE id = NEW.round_id) <> 'open' THEN {_refuse("round_not_open")} END IF;
    IF (SELECT closes_at FROM rounds WHERE id = NEW.round_id) < {NOW} THEN {_refuse("round_time_up")} END IF;
    IF (SELECT attempt FROM rounds WHERE id = NEW.round_id) <> NEW.attempt THEN {_refuse("stale_attempt")} END IF;""",
        ),
        _trigger(
            "ballots_frozen_after_close",
            "BEFORE UPDATE ON ballots",
            f"""
    IF (SELECT state FROM rounds WHERE id = OLD.round_id) <> 'open' THEN {_refuse("round_not_open")} END IF;""",
        ),
        _trigger(
            "ballots_never_deleted",
            "BEFORE DELETE ON ballots",
            f"""
    IF (SELECT import_id FROM rounds WHERE id = OLD.round_id) IS NULL THEN {_refuse("ballots_are_kept")} END IF;""",
        ),
        _trigger(
            "picks_only_while_open",
            "BEFORE INSERT ON picks",
            f"""
    IF {_ROUND_OF_BALLOT.format("r.state", "NEW")} <> 'open' THEN {_refuse("round_not_open")} END IF;
    IF {_ROUND_OF_BALLOT.format("r.closes_at", "NEW")} < {NOW} THEN {_refuse("round_time_up")} END IF;
    IF (SELECT deck_id FROM cards WHERE id = NEW.card_id) IS DISTINCT FROM {_ROUND_OF_BALLOT.format("r.deck_id", "NEW")} THEN
        {_refuse("card_not_in_deck")}
    END IF;
    IF (SELECT count(*) FROM picks WHERE ballot_id = NEW.ballot_id) >= {_ROUND_OF_BALLOT.format("r.pick_limit", "NEW")} THEN
        {_refuse("pick_limit_exceeded")}
    END IF;""",
        ),
        _trigger(
            "picks_frozen_after_close",
            "BEFORE DELETE ON picks",
            f"""
    IF {_ROUND_OF_BALLOT.format("r.import_id", "OLD")} IS NULL
       AND {_ROUND_OF_BALLOT.format("r.state", "OLD")} <> 'open' THEN
        {_refuse("round_not_open")}
    END IF;""",
        ),
        _trigger(
            "picks_never_updated",
            "BEFORE UPDATE ON picks",
            f"""
    {_refuse("picks_are_replaced_not_edited")}""",
        ),
        # schema.py 0003
        _trigger(
            "workshop_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON workshops",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
        _trigger(
            "round_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON rounds",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
        _trigger(
            "imported_rounds_stay_finished",
            "BEFORE UPDATE OF state ON rounds",
            f"""
    {_refuse("imported_round_is_final")}""",
            when="OLD.import_id IS NOT NULL AND NEW.state NOT IN ('closed', 'revealed')",
        ),
        # Ranked picks (imports with a rank column) score Borda points: pick limit + 1 - rank; imported counts bring
        # their own points and ranked ballots (schema_imports.py 0006).
        _trigger(
            "tallies_when_a_round_finishes",
            "AFTER UPDATE OF state ON rounds",
            """
    DELETE FROM tally_cards WHERE round_id = NEW.id;
    DELETE FROM tally_teams WHERE round_id = NEW.id;
    INSERT INTO tally_teams (round_id, workshop_id, organisation, country, perspective, deck_id, team_id, team_name,
                             participants, ranked)
    SELECT NEW.id, NEW.workshop_id, w.organisation, w.country, NEW.perspective, NEW.deck_id, x.team_id, tm.name,
           x.participants, x.ranked
    FROM (
        SELECT team_id, sum(participants) AS participants, sum(ranked) AS ranked FROM (
            SELECT b.team_id, 1 AS participants,
                   (EXISTS (SELECT 1 FROM picks p WHERE p.ballot_id = b.id AND p.pick_rank IS NOT NULL))::integer AS ranked
            FROM ballots b WHERE b.round_id = NEW.id AND b.attempt = NEW.attempt
            UNION ALL
            SELECT team_id, participants, ranked FROM imported_team_sizes WHERE round_id = NEW.id
        ) AS counted GROUP BY team_id
    ) x JOIN workshops w ON w.id = NEW.workshop_id LEFT JOIN teams tm ON tm.id = x.team_id;
    INSERT INTO tally_cards (round_id, workshop_id, organisation, country, perspective, deck_id, team_id, team_name,
                             card_id, card_type, picks, borda, team_rank)
    SELECT NEW.id, NEW.workshop_id, w.organisation, w.country, NEW.perspective, NEW.deck_id, x.team_id, tm.name,
           x.card_id, c.type, x.picks, x.borda, rank() OVER (PARTITION BY x.team_id ORDER BY x.picks DESC)
    FROM (
        SELECT team_id, card_id, sum(picks) AS picks, sum(borda) AS borda FROM (
            SELECT b.team_id, p.card_id, 1 AS picks, NEW.pick_limit + 1 - p.pick_rank AS borda
            FROM ballots b JOIN picks p ON p.ballot_id = b.id WHERE b.round_id = NEW.id AND b.attempt = NEW.attempt
            UNION ALL
            SELECT team_id, card_id, picks, borda FROM imported_card_counts WHERE round_id = NEW.id
        ) AS counted GROUP BY team_id, card_id
    ) x JOIN cards c ON c.id = x.card_id JOIN workshops w ON w.id = NEW.workshop_id
        LEFT JOIN teams tm ON tm.id = x.team_id;""",
            when="NEW.state IN ('closed', 'revealed')",
        ),
        _trigger(
            "tallies_when_a_round_opens_again",
            "AFTER UPDATE OF state ON rounds",
            """
    DELETE FROM tally_cards WHERE round_id = NEW.id;
    DELETE FROM tally_teams WHERE round_id = NEW.id;""",
            when="NEW.state NOT IN ('closed', 'revealed')",
        ),
        _trigger(
            "tallies_follow_workshop_edits",
            "AFTER UPDATE OF organisation, country ON workshops",
            """
    UPDATE tally_cards SET organisation = NEW.organisation, country = NEW.country WHERE workshop_id = NEW.id;
    UPDATE tally_teams SET organisation = NEW.organisation, country = NEW.country WHERE workshop_id = NEW.id;""",
        ),
        _trigger(
            "tallies_follow_team_renames",
            "AFTER UPDATE OF name ON teams",
            """
    UPDATE tally_cards SET team_name = NEW.name WHERE workshop_id = NEW.workshop_id AND team_id = NEW.id;
    UPDATE tally_teams SET team_name = NEW.name WHERE workshop_id = NEW.workshop_id AND team_id = NEW.id;""",
        ),
        _trigger(
            "imported_polls_stay_closed",
            "BEFORE UPDATE OF state, import_id ON polls",
            f"""
    {_refuse("imported_poll_is_final")}""",
            when="OLD.import_id IS NOT NULL OR NEW.import_id IS DISTINCT FROM OLD.import_id",
        ),
        _trigger(
            "answers_only_while_open",
            "BEFORE INSERT ON answers",
            f"""{_ANSWER_RULES}
    IF (SELECT workshop_id FROM participants WHERE id = NEW.participant_id)
       IS DISTINCT FROM {_POLL_OF_ANSWER.format("p.workshop_id")} THEN
        {_refuse("not_in_this_workshop")}
    END IF;""",
        ),
        _trigger(
            "answers_frozen_after_close",
            "BEFORE UPDATE ON answers",
            f"""
    IF NEW.statement_id <> OLD.statement_id OR NEW.participant_id <> OLD.participant_id THEN
        {_refuse("answers_stay_put")}
    END IF;{_ANSWER_RULES}""",
        ),
        _trigger(
            "answers_never_deleted",
            "BEFORE DELETE ON answers",
            f"""
    {_refuse("answers_are_kept")}""",
        ),
        # schema_programme.py 0004
        _trigger(
            "visits_finish_once",
            "BEFORE UPDATE OF status ON visits",
            f"""
    {_refuse("visit_is_final")}""",
            when="OLD.status <> 'planned' AND NEW.status <> OLD.status",
        ),
        _trigger(
            "feedback_status_order",
            "BEFORE UPDATE OF status ON feedback",
            f"""
    {_refuse("feedback_status_order")}""",
            when="""NEW.status <> OLD.status AND NOT (
        (OLD.status = 'new' AND NEW.status = 'acknowledged') OR
        (OLD.status = 'acknowledged' AND NEW.status = 'answered') OR
        (OLD.status = 'answered' AND NEW.status = 'acted_upon') OR
        (OLD.status IN ('new', 'acknowledged', 'answered') AND NEW.status = 'declined'))""",
        ),
        _trigger(
            "feedback_starts_new",
            "BEFORE INSERT ON feedback",
            f"""
    {_refuse("feedback_status_order")}""",
            when="NEW.status <> 'new'",
        ),
        *(
            _trigger(
                f"feedback_{status}_at",
                "AFTER UPDATE OF status ON feedback",
                f"""
    UPDATE feedback SET {status}_at = {NOW} WHERE id = NEW.id;""",
                when=f"NEW.status = '{status}' AND OLD.status <> '{status}'",
            )
            for status in ("acknowledged", "answered", "acted_upon", "declined")
        ),
        # schema_imports.py 0006 and 0007
        _trigger(
            "published_ranks_only_imported",
            "BEFORE INSERT ON published_ranks",
            f"""
    IF (SELECT import_id FROM rounds WHERE id = NEW.round_id) IS NULL THEN {_refuse("imported_round_is_final")} END IF;""",
        ),
        _trigger(
            "card_correspondence_into_another_deck",
            "BEFORE UPDATE OF same_as ON cards",
            f"""
    IF NEW.same_as IS NOT NULL AND (SELECT deck_id FROM cards WHERE id = NEW.same_as) = NEW.deck_id THEN
        {_refuse("same_deck_correspondence")}
    END IF;""",
        ),
        _trigger(
            "imported_impact_scores_only_imported",
            "BEFORE INSERT ON imported_impact_scores",
            f"""
    IF (SELECT r.import_id FROM topics t JOIN rounds r ON r.id = t.round_id WHERE t.id = NEW.topic_id) IS NULL THEN
        {_refuse("imported_round_is_final")}
    END IF;""",
        ),
        _trigger(
            "topic_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON topics",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
        _trigger(
            "team_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON teams",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
        _trigger(
            "participant_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON participants",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
        _trigger(
            "rounds_belong_to_their_import",
            "BEFORE INSERT ON rounds",
            f"""
    IF (NEW.import_id IS NULL) <> ({_WORKSHOPS_IMPORT} IS NULL) THEN {_refuse("imported_workshop_is_read_only")} END IF;""",
        ),
        _trigger(
            "polls_belong_to_their_import",
            "BEFORE INSERT ON polls",
            f"""
    IF (NEW.import_id IS NULL) <> ({_WORKSHOPS_IMPORT} IS NULL) THEN {_refuse("imported_workshop_is_read_only")} END IF;""",
        ),
        # schema_doors.py 0008. SQLite's INSERT OR IGNORE also skips a row its CHECKs refuse: a name of spaces only.
        _trigger(
            "workshops_join_the_organisation_of_their_name",
            "AFTER INSERT ON workshops",
            """
    IF length(trim(NEW.organisation)) BETWEEN 1 AND 120 THEN
        INSERT INTO organisations (name, name_key, channel_token)
            VALUES (trim(NEW.organisation), lower(trim(NEW.organisation)), lower(hex(randomblob(16))))
            ON CONFLICT DO NOTHING;
    END IF;
    UPDATE workshops SET organisation_id = (SELECT id FROM organisations WHERE name_key = lower(trim(NEW.organisation)))
    WHERE id = NEW.id;""",
            when="NEW.organisation_id IS NULL",
        ),
        # schema_moments.py 0010
        _trigger(
            "moments_of_their_visits_organisation",
            "BEFORE INSERT ON moments",
            f"""
    IF NEW.visit_id IS NOT NULL
       AND (SELECT organisation_id FROM visits WHERE id = NEW.visit_id) IS DISTINCT FROM NEW.organisation_id THEN
        {_refuse("not_this_programme")}
    END IF;""",
        ),
        _trigger(
            "moments_photo_only_removed",
            "BEFORE UPDATE OF photo ON moments",
            f"""
    {_refuse("photo_is_kept_or_deleted")}""",
            when="NEW.photo IS NOT NULL AND NEW.photo IS DISTINCT FROM OLD.photo",
        ),
        _trigger(
            "moment_import_id_is_fixed",
            "BEFORE UPDATE OF import_id ON moments",
            f"""
    {_refuse("import_id_is_fixed")}""",
        ),
    ]
)
