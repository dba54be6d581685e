r"""The PostgreSQL schema: the SQLite schema of schema.py as it stands after migration 0015 (schema_undo_steps.py), in
PostgreSQL's terms, and the functions the store's SQL calls as it would on SQLite (store/pg.py runs that SQL as it is
written, its placeholders translated).

Same tables, columns (in the same order), constraints, indexes, the view `importing`, and every trigger of SQLite as a
PL/pgSQL trigger function of the trigger's name: the same WHEN condition and checks in the same order, each refusal
raised with its code as the message and SQLSTATE AB000 (`REFUSAL`), which store/pg.py turns into the refusal SQLite's
RAISE(ABORT, code) gives. Types: INTEGER PRIMARY KEY is a bigint identity (BY DEFAULT: imports write ids of their own),
other INTEGER bigint, REAL double precision, BLOB bytea, TEXT text, and a TEXT column COLLATE NOCASE citext; flags stay
integers 0/1 under the same CHECKs.

SQLite's functions, as PostgreSQL functions of the same names (FUNCTIONS):
- `strftime(format, value, modifier...)`, `date(...)`, `datetime(...)`, `julianday(...)`, `unixepoch(...)`: SQLite's
  date and time functions (SQLite 3.40's, which the app runs on), value text or a number; they follow SQLite's own
  arithmetic (a julian day in milliseconds), so they give what SQLite gives, down to a kept '2023-02-30', the 24th
  hour, '+1 month' from 31 January landing in March and 'unixepoch' only as a number's first modifier. 'now' is the
  time the statement started, to the millisecond, as SQLite's is.
- `group_concat(value)`, `group_concat(value, separator)`: text or any other value, ',' by default.
- `max(a, b)` and `min(a, b)` of two values (bigint, double precision or text; NULL if either is): analysis.py's
  `max(moderated, ?)`, workshops.py's `max(coalesce(held_on, ''), ...)`.
- `sum(boolean)`: SQLite sums comparisons as 1 and 0 (analytics_impact.py, outside_in_feedback.py).
- `instr(text, text)`, `hex(bytea | text)`, `randomblob(n)`, `zeroblob(n)`, `json_valid(text)` (the CHECK on
  events.params; NULL is not JSON, as SQLite 3.40 has it).
- `app_language()`: the reader's language (schema_texts.py), the setting `abc.language` store/pg.py gives each
  connection.

What is not quite SQLite's:
- `date('now')` with one literal argument (analytics_impact.py) is read by PostgreSQL as a cast to its date type
  before any function named date is looked at: it gives today's date as a date, not as text. `date(text 'now')`,
  `date('now', 'start of day')` or a typed parameter reach the function here.
- `X COLLATE NOCASE` in a query has no collation of that name here: `(X)::citext` is its equivalent, and the indexes
  on workshops(organisation COLLATE NOCASE) and statements(text COLLATE NOCASE) are on `(organisation::citext)` and
  `(text::citext)`. citext and lower() fold case beyond ASCII, SQLite's NOCASE and lower() only ASCII's.
- it_people.name is citext, not text with a case-blind UNIQUE: PostgreSQL's ON CONFLICT (organisation_id, name)
  (outside_in.py) needs a constraint on the columns themselves; so its equality and order are case-blind too.
- 'localtime' and 'utc' use the session's TimeZone (store/pg.py sets UTC), not the process's, and after a value or
  modifier SQLite could not read they give NULL, where SQLite forgets the error and gives a date. %f rounds a parsed
  fraction of 4 or more digits half up from its 15-digit decimal, where SQLite's printf rounds the binary value. A
  group_concat of a double reads as PostgreSQL writes it ('1', not '1.0').
- AFTER triggers run at the end of their statement, not after each row; the ones here touch only their own row's round,
  workshop, team or feedback, so what they leave is the same.
"""

from __future__ import annotations

# The SQLSTATE of a refusal; its message is the refusal's code (store/base.py, _REFUSALS).
REFUSAL = "AB000"

# Unix time with sub-second precision, as schema.py's NOW is on SQLite.
NOW = "(extract(epoch FROM clock_timestamp())::double precision)"

_SPACE = r"[ \t\n\v\f\r]"  # what SQLite's date parser skips as space (ASCII only)
_NUMBER = rf"^{_SPACE}*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?{_SPACE}*$"  # a number, as SQLite reads one

# SQLite's computeJD: Y, M, D, h, m, s (and a time zone) to the julian day in milliseconds; an error ends with NULL.
_COMPUTE_JD = """
        IF NOT has_jd THEN
            IF raw OR (has_ymd AND (y < -4713 OR y > 9999)) THEN jd := NULL; RETURN; END IF;
            IF has_ymd THEN jd := _sqlite_day(y, mo, d); ELSE jd := _sqlite_day(2000, 1, 1); END IF;
            has_jd := true;
            IF has_hms THEN
                jd := jd + h * 3600000 + mi * 60000 + trunc(s * 1000 + 0.5)::bigint;
                IF has_tz THEN
                    jd := jd - tz * 60000;
                    has_ymd := false; has_hms := false; has_tz := false;
                END IF;
            END IF;
        END IF;"""

# SQLite's computeYMD and computeHMS.
_COMPUTE_YMD = """
        IF NOT has_ymd THEN
            IF NOT has_jd THEN
                y := 2000; mo := 1; d := 1;
            ELSIF jd < 0 OR jd > 464269060799999 THEN
                jd := NULL; RETURN;
            ELSE
                SELECT ymd.y, ymd.mo, ymd.d INTO y, mo, d FROM _sqlite_ymd(jd) AS ymd;
            END IF;
            has_ymd := true;
        END IF;"""
_COMPUTE_HMS = f"""
        IF NOT has_hms THEN{_COMPUTE_JD}
            x := (jd + 43200000) % 86400000;
            s := x / 1000.0::double precision;
            x := trunc(s)::bigint;
            s := s - x;
            h := x / 3600;
            x := x - h * 3600;
            mi := x / 60;
            s := s + (x - mi * 60);
            raw := false;
            has_hms := true;
        END IF;"""
_CLEAR = "has_ymd := false; has_hms := false; has_tz := false;"
_FAIL = "jd := NULL; RETURN;"


FUNCTIONS = rf"""
CREATE EXTENSION IF NOT EXISTS citext;
-- `x COLLATE NOCASE` in the store's queries (grouping organisations, teams and statements as one whatever their case):
-- an ICU collation that compares letters without their case, as SQLite's NOCASE does.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- The reader's language for cards' texts (schema_texts.py): the setting store/pg.py gives each connection.
CREATE OR REPLACE FUNCTION app_language() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT coalesce(nullif(current_setting('abc.language', true), ''), 'en')
$fn$;

-- ---------------------------------------------------------------------------------------------------------------
-- SQLite's date and time functions. A time is kept as SQLite keeps it: a julian day in milliseconds (jd) and/or the
-- year, month, day, hour, minute and seconds it was written as, each valid or not; the steps below are SQLite's.

-- The julian day (in milliseconds) of a day's midnight, as SQLite computes it (its integer and float arithmetic).
CREATE OR REPLACE FUNCTION _sqlite_day(year integer, month integer, day integer) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    a integer;
    b integer;
BEGIN
    IF month <= 2 THEN
        year := year - 1;
        month := month + 12;
    END IF;
    a := year / 100;
    b := 2 - a + (a / 4);
    RETURN trunc(((36525 * (year + 4716) / 100 + 306001 * (month + 1) / 10000 + day + b)::double precision
                  - 1524.5::double precision) * 86400000::double precision)::bigint;
END
$fn$;

-- The year, month and day of a julian day in milliseconds, as SQLite computes them.
CREATE OR REPLACE FUNCTION _sqlite_ymd(jd bigint, OUT y integer, OUT mo integer, OUT d integer)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    z integer := (jd + 43200000) / 86400000;
    a integer;
    b integer;
    c integer;
    dd integer;
    e integer;
BEGIN
    a := trunc((z - 1867216.25::double precision) / 36524.25::double precision)::integer;
    a := z + 1 + a - (a / 4);
    b := a + 1524;
    c := trunc((b - 122.1::double precision) / 365.25::double precision)::integer;
    dd := (36525 * (c & 32767)) / 100;
    e := trunc((b - dd) / 30.6001::double precision)::integer;
    d := b - dd - trunc(30.6001::double precision * e)::integer;
    mo := CASE WHEN e < 14 THEN e - 1 ELSE e - 13 END;
    y := CASE WHEN mo > 2 THEN c - 4716 ELSE c - 4715 END;
END
$fn$;

-- HH:MM[:SS[.F...]] and a time zone ([+-]HH:MM or Z), as SQLite reads a time; h is NULL when it is not one.
CREATE OR REPLACE FUNCTION _sqlite_clock(
    value text, OUT h integer, OUT mi integer, OUT s double precision, OUT tz integer, OUT tz_set boolean)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    m text[] := regexp_match(value,
        '^([0-9]{{2}}):([0-9]{{2}})(?::([0-9]{{2}})(?:\.([0-9]+))?)?{_SPACE}*(?:([Zz])|([-+])([0-9]{{2}}):([0-9]{{2}}))?{_SPACE}*$');
BEGIN
    IF m IS NULL OR m[1]::integer > 24 OR m[2]::integer > 59 OR coalesce(m[3]::integer, 0) > 59
       OR (m[6] IS NOT NULL AND (m[7]::integer > 14 OR m[8]::integer > 59)) THEN
        RETURN;
    END IF;
    h := m[1]::integer;
    mi := m[2]::integer;
    s := coalesce(m[3]::integer, 0);
    IF m[4] IS NOT NULL THEN
        s := s + m[4]::numeric::double precision / power(10::double precision, length(m[4]));
    END IF;
    tz_set := m[5] IS NOT NULL OR m[6] IS NOT NULL;
    tz := CASE WHEN m[6] IS NULL THEN 0
               ELSE (CASE WHEN m[6] = '-' THEN -1 ELSE 1 END) * (m[7]::integer * 60 + m[8]::integer) END;
END
$fn$;

-- A number as SQLite reads one from text (spaces around it allowed), or NULL.
CREATE OR REPLACE FUNCTION _sqlite_number(value text) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
BEGIN
    IF value !~ '{_NUMBER}' THEN
        RETURN NULL;
    END IF;
    RETURN value::numeric::double precision;
EXCEPTION WHEN data_exception THEN
    RETURN NULL;  -- beyond a double: SQLite's infinity, which no date takes
END
$fn$;

-- A time value (text, or a number) and its modifiers, as SQLite's isDate reads them, then computed as its output
-- functions compute them: jd, year, month, day, hour, minute and seconds, or jd NULL where SQLite gives NULL.
CREATE OR REPLACE FUNCTION _sqlite_time(
    value text, number double precision, modifiers text[],
    OUT jd bigint, OUT y integer, OUT mo integer, OUT d integer, OUT h integer, OUT mi integer, OUT s double precision)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
DECLARE
    has_jd boolean := false;
    has_ymd boolean := false;
    has_hms boolean := false;
    has_tz boolean := false;
    tz_set boolean := false;
    raw boolean := false;  -- the value was a number, not yet read as a julian day or a unix time
    raw_value double precision;
    tz integer := 0;
    part text[];
    clock record;
    k integer;
    z text;
    r double precision;
    rest text;
    n integer;
    unit integer;  -- which of units[] a modifier adds
    x bigint;
    wall timestamp;
    units text[] := ARRAY['second', 'minute', 'hour', 'day', 'month', 'year'];
    limits double precision[] := ARRAY[4.6427e+14, 7.7379e+12, 1.2897e+11, 5373485.0, 176546.0, 14713.0];
    scales double precision[] := ARRAY[1.0, 60.0, 3600.0, 86400.0, 2592000.0, 31536000.0];
BEGIN
    IF number IS NULL AND lower(value) = 'now' THEN
        jd := floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint + 210866760000000;
        has_jd := true;
    ELSIF number IS NULL AND value IS NULL THEN
        RETURN;
    ELSE
        IF number IS NULL THEN
            part := regexp_match(value, '^(-?)([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})[ \t\n\v\f\rT]*(.*)$');
            IF part IS NOT NULL AND part[3]::integer BETWEEN 1 AND 12 AND part[4]::integer BETWEEN 1 AND 31 THEN
                IF part[5] = '' THEN
                    has_ymd := true;
                ELSE
                    clock := _sqlite_clock(part[5]);
                    has_ymd := clock.h IS NOT NULL;
                    has_hms := has_ymd;
                END IF;
            END IF;
            IF has_ymd THEN
                y := CASE WHEN part[1] = '-' THEN -part[2]::integer ELSE part[2]::integer END;
                mo := part[3]::integer;
                d := part[4]::integer;
            ELSE
                clock := _sqlite_clock(value);
                has_hms := clock.h IS NOT NULL;
                IF NOT has_hms THEN
                    number := _sqlite_number(value);
                    IF number IS NULL THEN {_FAIL} END IF;
                END IF;
            END IF;
            IF has_hms THEN
                h := clock.h; mi := clock.mi; s := clock.s; tz := clock.tz; tz_set := clock.tz_set;
                has_tz := tz <> 0;
                IF has_ymd AND has_tz THEN{_COMPUTE_JD}
                END IF;
            END IF;
        END IF;
        IF number IS NOT NULL THEN
            raw := true;
            raw_value := number;
            IF number >= 0 AND number < 5373484.5 THEN
                jd := trunc(number * 86400000.0::double precision + 0.5)::bigint;
                has_jd := true;
            END IF;
        END IF;
    END IF;

    FOR k IN 1 .. coalesce(array_length(modifiers, 1), 0) LOOP
        IF modifiers[k] IS NULL THEN {_FAIL} END IF;
        z := translate(modifiers[k], 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
        IF z = 'auto' THEN
            IF k > 1 THEN {_FAIL} END IF;
            IF NOT raw OR has_jd THEN
                raw := false;
            ELSIF raw_value >= -210866760000 AND raw_value <= 253402300799 THEN
                {_CLEAR}
                jd := trunc(raw_value * 1000.0::double precision + 210866760000000.0::double precision + 0.5)::bigint;
                has_jd := true;
                raw := false;
            ELSE
                {_FAIL}
            END IF;
        ELSIF z = 'julianday' THEN
            IF k > 1 OR NOT (has_jd AND raw) THEN {_FAIL} END IF;
            raw := false;
        ELSIF z = 'unixepoch' THEN
            IF k > 1 OR NOT raw THEN {_FAIL} END IF;
            r := raw_value * 1000.0::double precision + 210866760000000.0::double precision;
            IF NOT (r >= 0 AND r < 464269060800000.0::double precision) THEN {_FAIL} END IF;
            {_CLEAR}
            jd := trunc(r + 0.5)::bigint;
            has_jd := true;
            raw := false;
        ELSIF z = 'localtime' THEN
            -- the session's time zone (store/pg.py sets UTC) where SQLite takes the process's
            {_COMPUTE_JD}
            wall := to_timestamp((jd - 210866760000000) / 1000.0) AT TIME ZONE current_setting('TimeZone');
            y := extract(year FROM wall)::integer;
            IF y < 0 THEN y := y + 1; END IF;  -- 1 BC is SQLite's year 0
            mo := extract(month FROM wall)::integer;
            d := extract(day FROM wall)::integer;
            h := extract(hour FROM wall)::integer;
            mi := extract(minute FROM wall)::integer;
            s := floor(extract(second FROM wall))::double precision + (jd % 1000) * 0.001::double precision;
            has_ymd := true; has_hms := true; has_jd := false; raw := false; has_tz := false;
        ELSIF z = 'utc' THEN
            IF NOT tz_set THEN{_COMPUTE_JD}
                wall := to_timestamp((jd - 210866760000000) / 1000.0) AT TIME ZONE 'UTC';
                jd := round(extract(epoch FROM wall AT TIME ZONE current_setting('TimeZone')) * 1000)::bigint
                      + 210866760000000;
                {_CLEAR}
                has_jd := true; raw := false; tz_set := true;
            END IF;
        ELSIF left(z, 8) = 'weekday ' THEN
            r := _sqlite_number(substr(z, 9));
            IF r IS NULL OR NOT (r >= 0 AND r < 7 AND r = trunc(r)) THEN {_FAIL} END IF;
            n := r::integer;
            {_COMPUTE_YMD}{_COMPUTE_HMS}
            has_tz := false;
            has_jd := false;{_COMPUTE_JD}
            x := ((jd + 129600000) / 86400000) % 7;
            IF x > n THEN x := x - 7; END IF;
            jd := jd + (n - x) * 86400000;
            {_CLEAR}
        ELSIF left(z, 9) = 'start of ' THEN
            IF NOT (has_jd OR has_ymd OR has_hms) THEN {_FAIL} END IF;{_COMPUTE_YMD}
            has_hms := true; h := 0; mi := 0; s := 0; raw := false; has_tz := false; has_jd := false;
            rest := substr(z, 10);
            IF rest = 'month' THEN
                d := 1;
            ELSIF rest = 'year' THEN
                mo := 1; d := 1;
            ELSIF rest <> 'day' THEN
                {_FAIL}
            END IF;
        ELSIF z ~ '^[-+0-9]' THEN
            part := regexp_match(z, '^(.[^: \t\n\v\f\r]*)(.*)$');
            r := _sqlite_number(part[1]);
            IF r IS NULL THEN {_FAIL} END IF;
            IF left(part[2], 1) = ':' THEN
                -- [+-]HH:MM[:SS.FFF]: a time of day added or taken away
                clock := _sqlite_clock(CASE WHEN z ~ '^[0-9]' THEN z ELSE substr(z, 2) END);
                IF clock.h IS NULL THEN {_FAIL} END IF;
                x := _sqlite_day(2000, 1, 1) + clock.h * 3600000 + clock.mi * 60000 + trunc(clock.s * 1000 + 0.5)::bigint
                     - clock.tz * 60000 - 43200000;
                x := x - (x / 86400000) * 86400000;
                IF left(z, 1) = '-' THEN x := -x; END IF;{_COMPUTE_JD}
                {_CLEAR}
                jd := jd + x;
            ELSE
                -- NNN days, hours, minutes, seconds, months or years
                rest := ltrim(part[2], E' \t\n\f\r' || chr(11));
                n := length(rest);
                IF n > 10 OR n < 3 THEN {_FAIL} END IF;
                IF right(rest, 1) = 's' THEN n := n - 1; END IF;{_COMPUTE_JD}
                unit := NULL;
                FOR i IN 1 .. 6 LOOP
                    IF length(units[i]) = n AND left(rest, n) = units[i] AND r > -limits[i] AND r < limits[i] THEN
                        unit := i;
                        EXIT;
                    END IF;
                END LOOP;
                IF unit IS NULL THEN {_FAIL} END IF;
                IF unit = 5 THEN
                    {_COMPUTE_YMD}{_COMPUTE_HMS}
                    mo := mo + trunc(r)::integer;
                    n := CASE WHEN mo > 0 THEN (mo - 1) / 12 ELSE (mo - 12) / 12 END;
                    y := y + n;
                    mo := mo - n * 12;
                    has_jd := false;
                ELSIF unit = 6 THEN
                    {_COMPUTE_YMD}{_COMPUTE_HMS}
                    y := y + trunc(r)::integer;
                    has_jd := false;
                END IF;
                IF unit >= 5 THEN
                    r := r - trunc(r);{_COMPUTE_JD}
                END IF;
                jd := jd + trunc(r * 1000.0::double precision * scales[unit]
                                 + CASE WHEN r < 0 THEN -0.5 ELSE 0.5 END)::bigint;
                {_CLEAR}
            END IF;
        ELSE
            {_FAIL}
        END IF;
    END LOOP;
    {_COMPUTE_JD}
    IF jd < 0 OR jd > 464269060799999 THEN {_FAIL} END IF;{_COMPUTE_YMD}{_COMPUTE_HMS}
END
$fn$;

-- printf's %0Nd.
CREATE OR REPLACE FUNCTION _sqlite_pad(value bigint, width integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT CASE WHEN value < 0 THEN '-' || lpad((-value)::text, greatest(width - 1, length((-value)::text)), '0')
                ELSE lpad(value::text, greatest(width, length(value::text)), '0') END
$fn$;

-- printf's %.16g of a positive double (or 0), from its exact binary value: what SQLite's %J writes.
CREATE OR REPLACE FUNCTION _sqlite_g16(value double precision) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    a integer;
    exact numeric;
    digits integer;
    cut numeric;
    result numeric;
BEGIN
    IF value = 0 THEN
        RETURN '0';
    END IF;
    a := floor(ln(value) / ln(2::double precision))::integer;  -- value is in [2^a, 2^(a+1)), corrected below
    WHILE value * power(2::double precision, 52 - a) >= 9007199254740992 LOOP a := a + 1; END LOOP;
    WHILE value * power(2::double precision, 52 - a) < 4503599627370496 LOOP a := a - 1; END LOOP;
    -- value = k * 2^(a - 52), k a 53-bit integer: its decimal expansion, exactly
    exact := (value * power(2::double precision, 52 - a))::bigint::numeric;
    IF a < 52 THEN
        exact := exact * power(5::numeric, 52 - a) * ('1e-' || (52 - a))::numeric;
    ELSE
        exact := exact * power(2::numeric, a - 52);
    END IF;
    digits := floor(log(10, exact))::integer;  -- the exponent printf writes
    cut := ('1e' || (digits - 15))::numeric;
    result := round(exact / cut);  -- halves away from zero; printf's halves to even, below
    IF exact / cut - trunc(exact / cut) = 0.5 AND mod(trunc(exact / cut), 2) = 0 THEN
        result := trunc(exact / cut);
    END IF;
    IF result >= 1e16 THEN  -- rounded up to the next power of ten
        digits := digits + 1;
        result := result / 10;
    END IF;
    IF digits < -4 OR digits >= 16 THEN
        RETURN coalesce(nullif(rtrim(rtrim(((result / 1e15)::numeric(17, 15))::text, '0'), '.'), ''), '0')
               || 'e' || CASE WHEN digits < 0 THEN '-' ELSE '+' END || lpad(abs(digits)::text, 2, '0');
    END IF;
    result := result * cut;
    RETURN CASE WHEN result = trunc(result) THEN trunc(result)::text ELSE rtrim(result::text, '0') END;
END
$fn$;

CREATE OR REPLACE FUNCTION _sqlite_strftime(format text, value text, number double precision, modifiers text[])
RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
DECLARE
    t record;
    result text := '';
    i integer := 1;
    c text;
    day_one bigint;
    nday bigint;
BEGIN
    IF format IS NULL THEN
        RETURN NULL;
    END IF;
    t := _sqlite_time(value, number, modifiers);
    IF t.jd IS NULL THEN
        RETURN NULL;
    END IF;
    WHILE i <= length(format) LOOP
        c := substr(format, i, 1);
        IF c <> '%' THEN
            result := result || c;
            i := i + 1;
            CONTINUE;
        END IF;
        c := substr(format, i + 1, 1);
        i := i + 2;
        CASE c
            WHEN 'd' THEN result := result || _sqlite_pad(t.d, 2);
            WHEN 'f' THEN result := result || to_char(round(least(t.s, 59.999)::numeric, 3), 'FM00.000');
            WHEN 'H' THEN result := result || _sqlite_pad(t.h, 2);
            WHEN 'j', 'W' THEN
                day_one := _sqlite_day(t.y, 1, 1) + t.h * 3600000 + t.mi * 60000 + trunc(t.s * 1000 + 0.5)::bigint;
                nday := (t.jd - day_one + 43200000) / 86400000;
                IF c = 'j' THEN
                    result := result || _sqlite_pad(nday + 1, 3);
                ELSE
                    result := result || _sqlite_pad((nday + 7 - ((t.jd + 43200000) / 86400000) % 7) / 7, 2);
                END IF;
            WHEN 'J' THEN result := result || _sqlite_g16(t.jd / 86400000.0::double precision);
            WHEN 'm' THEN result := result || _sqlite_pad(t.mo, 2);
            WHEN 'M' THEN result := result || _sqlite_pad(t.mi, 2);
            WHEN 's' THEN result := result || (t.jd / 1000 - 210866760000)::text;
            WHEN 'S' THEN result := result || _sqlite_pad(trunc(t.s)::bigint, 2);
            WHEN 'w' THEN result := result || (((t.jd + 129600000) / 86400000) % 7)::text;
            WHEN 'Y' THEN result := result || _sqlite_pad(t.y, 4);
            WHEN '%' THEN result := result || '%';
            ELSE RETURN NULL;  -- a format SQLite does not know, or a lone % at the end
        END CASE;
    END LOOP;
    RETURN result;
END
$fn$;

CREATE OR REPLACE FUNCTION _sqlite_date(t record) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    IF t.jd IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN CASE WHEN t.y < 0 THEN '-' ELSE '' END || lpad((abs(t.y) % 10000)::text, 4, '0')
           || '-' || lpad(t.mo::text, 2, '0') || '-' || lpad(t.d::text, 2, '0');
END
$fn$;

CREATE OR REPLACE FUNCTION _sqlite_datetime(t record) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    IF t.jd IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN _sqlite_date(t) || ' ' || lpad(t.h::text, 2, '0') || ':' || lpad(t.mi::text, 2, '0')
           || ':' || lpad(trunc(t.s)::text, 2, '0');
END
$fn$;

-- The stamps of the tables' defaults ('now' in the two formats schema.py writes) are plain SQL, inlined where they are
-- used: the same statement time to the millisecond, some 40 times faster than _sqlite_strftime.
CREATE OR REPLACE FUNCTION strftime(format text, value text, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT CASE
        WHEN value = 'now' AND cardinality(modifiers) = 0 AND format = '%Y-%m-%dT%H:%M:%SZ'
            THEN to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        WHEN value = 'now' AND cardinality(modifiers) = 0 AND format = '%Y-%m-%dT%H:%M:%fZ'
            THEN to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        ELSE _sqlite_strftime(format, value, NULL, modifiers)
    END
$fn$;
CREATE OR REPLACE FUNCTION strftime(format text, value double precision, VARIADIC modifiers text[] DEFAULT '{{}}')
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT _sqlite_strftime(format, NULL, value, modifiers) $fn$;
CREATE OR REPLACE FUNCTION date(value text, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT _sqlite_date(_sqlite_time(value, NULL, modifiers)) $fn$;
CREATE OR REPLACE FUNCTION date(value double precision, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT _sqlite_date(_sqlite_time(NULL, value, modifiers)) $fn$;
CREATE OR REPLACE FUNCTION datetime(value text, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT _sqlite_datetime(_sqlite_time(value, NULL, modifiers)) $fn$;
CREATE OR REPLACE FUNCTION datetime(value double precision, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT _sqlite_datetime(_sqlite_time(NULL, value, modifiers)) $fn$;
CREATE OR REPLACE FUNCTION julianday(value text, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT (_sqlite_time(value, NULL, modifiers)).jd / 86400000.0::double precision
$fn$;
CREATE OR REPLACE FUNCTION julianday(value double precision, VARIADIC modifiers text[] DEFAULT '{{}}')
RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT (_sqlite_time(NULL, value, modifiers)).jd / 86400000.0::double precision
$fn$;
CREATE OR REPLACE FUNCTION unixepoch(value text, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT (_sqlite_time(value, NULL, modifiers)).jd / 1000 - 210866760000
$fn$;
CREATE OR REPLACE FUNCTION unixepoch(value double precision, VARIADIC modifiers text[] DEFAULT '{{}}') RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT (_sqlite_time(NULL, value, modifiers)).jd / 1000 - 210866760000
$fn$;

-- ---------------------------------------------------------------------------------------------------------------
-- SQLite's other functions the store's SQL calls.

-- group_concat: the non-NULL values joined by the separator (',' unless given; a NULL separator joins with nothing).
CREATE OR REPLACE FUNCTION _group_concat_step(state text, value text, separator text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN value IS NULL THEN state WHEN state IS NULL THEN value
                ELSE state || coalesce(separator, '') || value END
$fn$;
CREATE OR REPLACE FUNCTION _group_concat_step(state text, value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT _group_concat_step(state, value, ',') $fn$;
CREATE OR REPLACE FUNCTION _group_concat_any(state text, value anynonarray, separator text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT _group_concat_step(state, value::text, separator) $fn$;
CREATE OR REPLACE FUNCTION _group_concat_any(state text, value anynonarray) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT _group_concat_step(state, value::text, ',') $fn$;
CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = _group_concat_step, STYPE = text, PARALLEL = SAFE);
CREATE OR REPLACE AGGREGATE group_concat(text, text) (SFUNC = _group_concat_step, STYPE = text, PARALLEL = SAFE);
CREATE OR REPLACE AGGREGATE group_concat(anynonarray) (SFUNC = _group_concat_any, STYPE = text, PARALLEL = SAFE);
CREATE OR REPLACE AGGREGATE group_concat(anynonarray, text) (SFUNC = _group_concat_any, STYPE = text, PARALLEL = SAFE);

-- sum() of comparisons, which SQLite counts as 1 and 0: NULL when there is nothing to sum, as SQLite's sum().
CREATE OR REPLACE FUNCTION _sum_flag(state bigint, value boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN value IS NULL THEN state ELSE coalesce(state, 0) + value::integer END
$fn$;
CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = _sum_flag, STYPE = bigint, PARALLEL = SAFE);

-- max() and min() of two values: NULL if either is, text compared byte by byte, as SQLite's.
CREATE OR REPLACE FUNCTION max(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END
$fn$;
CREATE OR REPLACE FUNCTION max(a double precision, b double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END
$fn$;
CREATE OR REPLACE FUNCTION max(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a COLLATE "C", b COLLATE "C") END
$fn$;
CREATE OR REPLACE FUNCTION min(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END
$fn$;
CREATE OR REPLACE FUNCTION min(a double precision, b double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END
$fn$;
CREATE OR REPLACE FUNCTION min(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a COLLATE "C", b COLLATE "C") END
$fn$;

-- instr(haystack, needle): where needle first starts in haystack, from 1; 0 if it does not occur.
CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$ SELECT strpos(haystack, needle)::bigint $fn$;

-- hex(): upper-case hexadecimal of bytes, or of a text's UTF-8 bytes.
CREATE OR REPLACE FUNCTION hex(value bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT upper(encode(value, 'hex'))
$fn$;
CREATE OR REPLACE FUNCTION hex(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT upper(encode(convert_to(value, 'UTF8'), 'hex'))
$fn$;

-- randomblob(n): n random bytes (at least 1), from the server's strong random source (gen_random_uuid), no extension.
CREATE OR REPLACE FUNCTION randomblob(n bigint) RETURNS bytea LANGUAGE sql VOLATILE PARALLEL SAFE AS $fn$
    SELECT substring(string_agg(sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), ''::bytea)
                     FROM 1 FOR greatest(n, 1)::integer)
    FROM generate_series(1, (greatest(n, 1) + 31) / 32)
$fn$;

-- zeroblob(n): n zero bytes (tests/core/test_outside_in.py writes an oversized photo with it).
CREATE OR REPLACE FUNCTION zeroblob(n bigint) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT decode(repeat('00', greatest(n, 0)::integer), 'hex')
$fn$;

-- json_valid(text): whether the text is JSON (the CHECK on events.params, schema_events.py); NULL is not, as SQLite 3.40
-- has it.
CREATE OR REPLACE FUNCTION json_valid(value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    IF value IS NULL THEN
        RETURN false;
    END IF;
    PERFORM value::json;
    RETURN true;
EXCEPTION WHEN data_exception THEN
    RETURN false;
END
$fn$;
"""


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


_ISO_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"  # when a row was written (ISO 8601, UTC), as schema.py stamps it
_ISO_NOW_MS = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_ID = "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

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

_TABLES = f"""
CREATE TABLE decks (
    id {_ID},
    name citext NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    source text NOT NULL,
    created_at text NOT NULL DEFAULT ({_ISO_NOW})
);
CREATE TABLE cards (
    id {_ID},
    deck_id bigint NOT NULL REFERENCES decks (id),
    card_key text NOT NULL CHECK (length(card_key) BETWEEN 1 AND 40),
    type text NOT NULL CHECK (type IN ('A', 'B', 'C')),
    theme text NOT NULL CHECK (length(theme) <= 60),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description text NOT NULL CHECK (length(description) <= 400),
    position bigint NOT NULL,
    same_as bigint REFERENCES cards (id),
    UNIQUE (deck_id, card_key)
);
CREATE TABLE imports (
    id {_ID},
    kind text NOT NULL CHECK (kind IN ('picks', 'counts', 'answers', 'synthetic')),
    file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    file_sha256 text NOT NULL,
    rows bigint NOT NULL CHECK (rows >= 0),
    summary text NOT NULL,
    imported_at text NOT NULL DEFAULT ({_ISO_NOW}),
    undone_at text,
    state text NOT NULL DEFAULT 'stored' CHECK (state IN ('storing', 'stored', 'failed')),
    undoing bigint NOT NULL DEFAULT 0 CHECK (undoing IN (0, 1))
);
CREATE TABLE organisations (
    id {_ID},
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    name_key text NOT NULL UNIQUE CHECK (name_key = lower(trim(name))),
    channel_token text NOT NULL UNIQUE,
    created_at text NOT NULL DEFAULT ({_ISO_NOW})
);
CREATE TABLE workshops (
    id {_ID},
    join_code text NOT NULL UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    organisation text NOT NULL CHECK (length(organisation) BETWEEN 1 AND 120),
    held_on text,
    notes text CHECK (notes IS NULL OR length(notes) <= 2000),
    key_hash text NOT NULL,
    version bigint NOT NULL DEFAULT 0,
    current_round_id bigint,  -- REFERENCES rounds (id), added once rounds exists (below)
    created_at text NOT NULL DEFAULT ({_ISO_NOW}),
    projector_view text,
    country citext CHECK (country IS NULL OR length(country) BETWEEN 1 AND 60),
    import_id bigint REFERENCES imports (id),
    date_precision text NOT NULL DEFAULT 'day' CHECK (date_precision IN ('year', 'month', 'day')),
    organisation_id bigint REFERENCES organisations (id),
    key_hint text,
    ended_at text,
    language text NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 8)
);
CREATE TABLE teams (
    id {_ID},
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    name citext NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    position bigint NOT NULL,
    version bigint NOT NULL DEFAULT 0,
    import_id bigint REFERENCES imports (id),
    UNIQUE (workshop_id, name)
);
CREATE TABLE participants (
    id {_ID},
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    token text NOT NULL UNIQUE,
    display_name text CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 40),
    team_id bigint REFERENCES teams (id),
    joined_at text NOT NULL DEFAULT ({_ISO_NOW}),
    entered_by_facilitator bigint NOT NULL DEFAULT 0 CHECK (entered_by_facilitator IN (0, 1)),
    import_id bigint REFERENCES imports (id),
    via_survey bigint NOT NULL DEFAULT 0 CHECK (via_survey IN (0, 1)),
    language text CHECK (language IS NULL OR length(language) BETWEEN 2 AND 8)
);
CREATE TABLE rounds (
    id {_ID},
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    position bigint NOT NULL,
    question text NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    deck_id bigint NOT NULL REFERENCES decks (id),
    perspective text NOT NULL
        CHECK (perspective IN ('recognise', 'users_would_pick', 'users_pick', 'resistance', 'custom')),
    perspective_label text CHECK (perspective_label IS NULL OR length(perspective_label) <= 120),
    pick_limit bigint NOT NULL CHECK (pick_limit BETWEEN 1 AND 60),
    timer_seconds bigint CHECK (timer_seconds IS NULL OR timer_seconds BETWEEN 1 AND 10800),
    show_names bigint NOT NULL DEFAULT 0 CHECK (show_names IN (0, 1)),
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
    attempt bigint NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    closes_at double precision,
    created_at text NOT NULL DEFAULT ({_ISO_NOW}),
    import_id bigint REFERENCES imports (id),
    CHECK (perspective <> 'custom' OR perspective_label IS NOT NULL)
);
ALTER TABLE workshops ADD FOREIGN KEY (current_round_id) REFERENCES rounds (id);
CREATE TABLE ballots (
    id {_ID},
    round_id bigint NOT NULL REFERENCES rounds (id),
    attempt bigint NOT NULL,
    participant_id bigint NOT NULL REFERENCES participants (id),
    team_id bigint REFERENCES teams (id),
    submitted_at double precision NOT NULL,
    updated_at double precision NOT NULL,
    UNIQUE (round_id, attempt, participant_id)
);
CREATE TABLE picks (
    ballot_id bigint NOT NULL REFERENCES ballots (id),
    card_id bigint NOT NULL REFERENCES cards (id),
    pick_rank bigint CHECK (pick_rank IS NULL OR pick_rank BETWEEN 1 AND 60),
    PRIMARY KEY (ballot_id, card_id)
);
CREATE TABLE events (
    id {_ID},
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    round_id bigint REFERENCES rounds (id),
    kind text NOT NULL,
    detail text NOT NULL,
    at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    params text CHECK (params IS NULL OR json_valid(params))
);
CREATE TABLE topics (
    id {_ID},
    round_id bigint NOT NULL REFERENCES rounds (id),
    team_id bigint NOT NULL REFERENCES teams (id),
    card_id bigint NOT NULL REFERENCES cards (id),
    on_shortlist bigint NOT NULL DEFAULT 1 CHECK (on_shortlist IN (0, 1)),
    created_at text NOT NULL DEFAULT ({_ISO_NOW}),
    import_id bigint REFERENCES imports (id),
    UNIQUE (round_id, team_id, card_id)
);
CREATE TABLE shortlist_changes (
    id {_ID},
    topic_id bigint NOT NULL REFERENCES topics (id),
    change text NOT NULL CHECK (change IN ('from_votes', 'added', 'removed')),
    participant_id bigint REFERENCES participants (id),
    by_facilitator bigint NOT NULL DEFAULT 0 CHECK (by_facilitator IN (0, 1)),
    at text NOT NULL DEFAULT ({_ISO_NOW_MS})
);
CREATE TABLE impact_notes (
    id {_ID},
    topic_id bigint NOT NULL REFERENCES topics (id),
    heading text NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    participant_id bigint REFERENCES participants (id),
    hidden bigint NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    edited_at text,
    moderated bigint NOT NULL DEFAULT 0 CHECK (moderated IN (0, 1))
);
CREATE TABLE impact_scores (
    topic_id bigint NOT NULL REFERENCES topics (id),
    heading text NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
    participant_id bigint NOT NULL REFERENCES participants (id),
    score bigint NOT NULL CHECK (score BETWEEN 1 AND 5),
    updated_at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    PRIMARY KEY (topic_id, heading, participant_id)
);
CREATE TABLE risk_decisions (
    topic_id {_ID} REFERENCES topics (id),
    decision text NOT NULL CHECK (decision IN ('yes', 'no', 'undecided')),
    reason text CHECK (reason IS NULL OR length(reason) <= 300),
    participant_id bigint REFERENCES participants (id),
    decided_at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    reason_hidden bigint NOT NULL DEFAULT 0 CHECK (reason_hidden IN (0, 1))
);
CREATE TABLE behaviours (
    id {_ID},
    topic_id bigint NOT NULL REFERENCES topics (id),
    statement text NOT NULL CHECK (length(statement) BETWEEN 1 AND 300),
    participant_id bigint REFERENCES participants (id),
    hidden bigint NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at text NOT NULL DEFAULT ({_ISO_NOW_MS})
);
CREATE TABLE actions (
    id {_ID},
    topic_id bigint NOT NULL REFERENCES topics (id),
    what text NOT NULL CHECK (length(what) BETWEEN 1 AND 300),
    owner text NOT NULL CHECK (length(owner) BETWEEN 1 AND 80),
    due_on text,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    participant_id bigint REFERENCES participants (id),
    created_at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    updated_at text NOT NULL DEFAULT ({_ISO_NOW_MS}),
    hidden bigint NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))
);
CREATE TABLE action_updates (
    id {_ID},
    action_id bigint NOT NULL REFERENCES actions (id),
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    status text NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    note text CHECK (note IS NULL OR length(note) <= 300),
    at text NOT NULL DEFAULT ({_ISO_NOW_MS})
);
CREATE TABLE imported_card_counts (
    round_id bigint NOT NULL REFERENCES rounds (id),
    team_id bigint REFERENCES teams (id),
    card_id bigint NOT NULL REFERENCES cards (id),
    picks bigint NOT NULL CHECK (picks >= 1),
    borda bigint CHECK (borda IS NULL OR borda >= 0)
);
CREATE TABLE imported_team_sizes (
    round_id bigint NOT NULL REFERENCES rounds (id),
    team_id bigint REFERENCES teams (id),
    participants bigint NOT NULL CHECK (participants >= 1),
    ranked bigint NOT NULL DEFAULT 0 CHECK (ranked >= 0)
);
-- Tallies are derived data, kept by the triggers below (schema.py 0003): no foreign keys.
CREATE TABLE tally_teams (
    round_id bigint NOT NULL, workshop_id bigint NOT NULL, organisation citext NOT NULL,
    country citext, perspective text NOT NULL, deck_id bigint NOT NULL,
    team_id bigint, team_name citext, participants bigint NOT NULL, ranked bigint NOT NULL
);
CREATE TABLE tally_cards (
    round_id bigint NOT NULL, workshop_id bigint NOT NULL, organisation citext NOT NULL,
    country citext, perspective text NOT NULL, deck_id bigint NOT NULL,
    team_id bigint, team_name citext, card_id bigint NOT NULL, card_type text NOT NULL,
    picks bigint NOT NULL, borda bigint, team_rank bigint NOT NULL
);
CREATE TABLE polls (
    id {_ID},
    workshop_id bigint NOT NULL REFERENCES workshops (id),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    scale text NOT NULL CHECK (scale IN ('agree3', 'scale5')),
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
    closes_at double precision,
    survey_code text NOT NULL UNIQUE,
    on_projector bigint NOT NULL DEFAULT 0 CHECK (on_projector IN (0, 1)),
    import_id bigint REFERENCES imports (id),
    created_at text NOT NULL DEFAULT ({_ISO_NOW})
);
CREATE TABLE statements (
    id {_ID},
    poll_id bigint NOT NULL REFERENCES polls (id),
    position bigint NOT NULL,
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    UNIQUE (poll_id, position)
);
CREATE TABLE answers (
    statement_id bigint NOT NULL REFERENCES statements (id),
    participant_id bigint NOT NULL REFERENCES participants (id),
    value bigint NOT NULL CHECK (value BETWEEN 1 AND 5),
    answered_at double precision NOT NULL,
    PRIMARY KEY (statement_id, participant_id)
);
CREATE TABLE imported_answer_counts (
    statement_id bigint NOT NULL REFERENCES statements (id),
    team_id bigint REFERENCES teams (id),
    value bigint NOT NULL CHECK (value BETWEEN 1 AND 5),
    answers bigint NOT NULL CHECK (answers >= 1)
);
-- name is citext (SQLite: UNIQUE (organisation_id, name COLLATE NOCASE)), so that ON CONFLICT (organisation_id, name)
-- in outside_in.py finds the constraint.
CREATE TABLE it_people (
    id {_ID},
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    name citext NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    team text NOT NULL CHECK (length(team) BETWEEN 1 AND 60),
    role text NOT NULL CHECK (length(role) BETWEEN 1 AND 80),
    UNIQUE (organisation_id, name)
);
CREATE TABLE visits (
    id {_ID},
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    kind text NOT NULL
        CHECK (kind IN ('business_unit', 'store', 'call_centre', 'website_app', 'it_rotation', 'undercover_customer')),
    person text NOT NULL CHECK (length(person) BETWEEN 1 AND 80),
    team text NOT NULL CHECK (length(team) BETWEEN 1 AND 60),
    role text NOT NULL CHECK (length(role) BETWEEN 1 AND 80),
    place text NOT NULL CHECK (length(place) BETWEEN 1 AND 120),
    activity text NOT NULL CHECK (length(activity) BETWEEN 1 AND 300),
    host text CHECK (host IS NULL OR length(host) BETWEEN 1 AND 80),
    visit_on text NOT NULL CHECK (date(visit_on) IS NOT DISTINCT FROM visit_on),
    look_for text NOT NULL DEFAULT '' CHECK (length(look_for) <= 1000),
    questions text NOT NULL DEFAULT '' CHECK (length(questions) <= 1000),
    expected text NOT NULL DEFAULT '' CHECK (length(expected) <= 1000),
    token text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
    summary text CHECK (summary IS NULL OR length(summary) <= 2000),
    should_change text CHECK (should_change IS NULL OR length(should_change) <= 2000),
    debriefed_at double precision,
    workshop_id bigint REFERENCES workshops (id),
    action_id bigint REFERENCES actions (id),
    created_at text NOT NULL DEFAULT ({_ISO_NOW})
);
CREATE TABLE moments (
    id {_ID},
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    visit_id bigint REFERENCES visits (id),
    source text NOT NULL CHECK (source IN ('scout', 'feedback')),
    stage text NOT NULL CHECK (stage IN ('finding', 'accessing', 'using', 'support')),
    positive bigint NOT NULL CHECK (positive IN (0, 1)),
    what_happened text NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 1000),
    customer_words text CHECK (customer_words IS NULL OR length(customer_words) BETWEEN 1 AND 500),
    effort bigint CHECK (effort IS NULL OR effort BETWEEN 1 AND 5),
    business_unit text CHECK (business_unit IS NULL OR length(business_unit) BETWEEN 1 AND 120),
    internal bigint NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    photo bytea CHECK (photo IS NULL OR length(photo) <= 2097152),
    photo_type text CHECK (photo_type IS NULL OR photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
    created_at double precision NOT NULL DEFAULT ({NOW}),
    import_id bigint REFERENCES imports (id),
    CHECK (import_id IS NOT NULL OR (source = 'scout') = (visit_id IS NOT NULL)),
    CHECK (import_id IS NULL OR (visit_id IS NULL AND photo IS NULL)),
    CHECK ((photo IS NULL) = (photo_type IS NULL))
);
CREATE TABLE moment_cards (
    moment_id bigint NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
    card_id bigint NOT NULL REFERENCES cards (id),
    PRIMARY KEY (moment_id, card_id)
);
CREATE TABLE feedback (
    id {_ID},
    moment_id bigint NOT NULL UNIQUE REFERENCES moments (id),
    token text NOT NULL UNIQUE,
    writer_name text CHECK (writer_name IS NULL OR length(writer_name) BETWEEN 1 AND 80),
    owner text CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 80),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'answered', 'acted_upon', 'declined')),
    answer text CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 1000),
    action_taken text CHECK (action_taken IS NULL OR length(action_taken) BETWEEN 1 AND 1000),
    decline_reason text CHECK (decline_reason IS NULL OR length(decline_reason) BETWEEN 1 AND 500),
    created_at double precision NOT NULL DEFAULT ({NOW}),
    acknowledged_at double precision, answered_at double precision, acted_upon_at double precision,
    declined_at double precision,
    CHECK (status = 'new' OR owner IS NOT NULL),
    CHECK (status NOT IN ('answered', 'acted_upon') OR answer IS NOT NULL),
    CHECK (status <> 'acted_upon' OR action_taken IS NOT NULL),
    CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);
CREATE TABLE published_ranks (
    round_id bigint NOT NULL REFERENCES rounds (id),
    team_id bigint REFERENCES teams (id),
    card_id bigint NOT NULL REFERENCES cards (id),
    rank bigint NOT NULL CHECK (rank BETWEEN 1 AND 200)
);
CREATE TABLE title_mappings (
    source citext NOT NULL CHECK (length(source) <= 120),
    deck_id bigint NOT NULL REFERENCES decks (id),
    title_key text NOT NULL CHECK (length(title_key) BETWEEN 1 AND 400),
    card_id bigint NOT NULL REFERENCES cards (id),
    decided_at text NOT NULL DEFAULT ({_ISO_NOW}),
    PRIMARY KEY (source, deck_id, title_key)
);
CREATE TABLE imported_impact_scores (
    topic_id bigint NOT NULL REFERENCES topics (id),
    heading text NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
    score bigint NOT NULL CHECK (score BETWEEN 1 AND 5),
    scores bigint NOT NULL CHECK (scores >= 1),
    PRIMARY KEY (topic_id, heading, score)
);
CREATE TABLE shortlist_seeds (
    round_id bigint NOT NULL REFERENCES rounds (id),
    team_id bigint NOT NULL REFERENCES teams (id),
    attempt bigint NOT NULL,
    seeded_at text NOT NULL DEFAULT ({_ISO_NOW}),
    PRIMARY KEY (round_id, team_id)
);
CREATE TABLE import_claims (
    claim text PRIMARY KEY,
    import_id bigint NOT NULL REFERENCES imports (id),
    workshop_id bigint REFERENCES workshops (id)
);
CREATE TABLE card_texts (
    card_id bigint NOT NULL REFERENCES cards (id),
    language text NOT NULL CHECK (length(language) BETWEEN 2 AND 8),
    title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120),
    description text CHECK (description IS NULL OR length(description) BETWEEN 1 AND 400),
    theme text CHECK (theme IS NULL OR length(theme) BETWEEN 1 AND 60),
    PRIMARY KEY (card_id, language)
);

CREATE INDEX participants_by_workshop ON participants (workshop_id, team_id);
CREATE INDEX rounds_by_workshop ON rounds (workshop_id, position);
CREATE UNIQUE INDEX one_open_round_per_workshop ON rounds (workshop_id) WHERE state = 'open';
CREATE INDEX picks_by_card ON picks (card_id);
CREATE INDEX events_by_workshop ON events (workshop_id, id);
CREATE INDEX impact_notes_by_topic ON impact_notes (topic_id, heading);
CREATE INDEX topics_by_team ON topics (team_id, round_id);
CREATE INDEX workshops_by_organisation ON workshops ((organisation::citext), held_on);
CREATE INDEX workshops_by_date ON workshops (held_on);
CREATE INDEX workshops_by_import ON workshops (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX teams_by_name ON teams (name);
CREATE INDEX imported_card_counts_by_round ON imported_card_counts (round_id);
CREATE INDEX imported_team_sizes_by_round ON imported_team_sizes (round_id);
CREATE INDEX tally_teams_by_round ON tally_teams (round_id);
CREATE INDEX tally_teams_by_workshop ON tally_teams (workshop_id);
CREATE INDEX tally_cards_by_round ON tally_cards (round_id);
CREATE INDEX tally_cards_by_workshop ON tally_cards (workshop_id, card_id);
CREATE INDEX tally_cards_covering ON tally_cards (
    perspective, card_id, card_type, deck_id, team_name, organisation, country, workshop_id, team_rank, picks, borda,
    round_id
);
CREATE INDEX polls_by_workshop ON polls (workshop_id, state);
CREATE UNIQUE INDEX one_projected_poll_per_workshop ON polls (workshop_id) WHERE on_projector = 1;
CREATE INDEX statements_by_text ON statements ((text::citext));
CREATE INDEX imported_answer_counts_by_statement ON imported_answer_counts (statement_id);
CREATE INDEX visits_by_organisation ON visits (organisation_id, visit_on);
CREATE INDEX moment_cards_by_card ON moment_cards (card_id);
CREATE INDEX participants_entered_on_paper ON participants (workshop_id, display_name)
    WHERE entered_by_facilitator = 1;
CREATE INDEX published_ranks_by_round ON published_ranks (round_id);
CREATE INDEX topics_by_import ON topics (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX teams_by_import ON teams (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX participants_by_import ON participants (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX workshops_by_organisation_record ON workshops (organisation_id);
CREATE INDEX workshops_by_key_hint ON workshops (key_hint) WHERE key_hint IS NOT NULL;
CREATE INDEX moments_by_organisation ON moments (organisation_id, created_at);
CREATE INDEX moments_by_visit ON moments (visit_id);
CREATE INDEX moments_by_import ON moments (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX import_claims_by_import ON import_claims (import_id);
CREATE INDEX import_claims_by_workshop ON import_claims (workshop_id) WHERE workshop_id IS NOT NULL;
CREATE INDEX rounds_by_import ON rounds (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX polls_by_import ON polls (import_id) WHERE import_id IS NOT NULL;

CREATE VIEW importing AS SELECT id FROM imports WHERE state = 'storing' OR undoing = 1;
"""

# The triggers, in the order the migrations made them. Where two may fire for one statement (rounds: the import id and
# the state; moments: the import id and the photo), SQLite runs the newer first and PostgreSQL the one first by name:
# the names keep that order (imported_rounds_stay_finished before round_import_id_is_fixed, moment_import_id_is_fixed
# before moments_photo_only_removed).
_TRIGGERS = "".join(
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

BASELINE = _TABLES + _TRIGGERS

# PostgreSQL's history starts at the SQLite schema of migration 0015 (schema_undo_steps.py): a database made here is
# that schema at once. A later change of the schema adds a pair, one migration per engine: a sqlite-utils migration as
# schema.py's, and a (name, SQL) here, in order.
MIGRATIONS: list[tuple[str, str]] = [("0015_baseline", FUNCTIONS + BASELINE)]
