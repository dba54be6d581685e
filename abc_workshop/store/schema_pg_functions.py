"""SQLite's functions for PostgreSQL, under their own names, so the store's SQL runs as written (schema_pg.py says which
and what differs); and the two names the schema's other parts share: REFUSAL and NOW."""

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
