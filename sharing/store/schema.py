"""The one schema of the published-data store, for both back ends (DuckDB file and PostgreSQL).

Each revision is a list of plain SQL statements that both databases accept, so
the two back ends hold exactly the same tables. PostgreSQL applies them through
Alembic (sharing/store/migrations, one revision file per entry of REVISIONS);
the DuckDB file applies them itself and records the same revision id in the
same `alembic_version` table, so "which schema is this?" has one answer.

What is stored (aggregates only, never a worker-level row):

- publications: one per shared snapshot or club submission (name, date, as-of date, notes);
- publication_frames: each suppressed table of a publication (view, grouping and filter key),
  as compressed JSON, with the record of its columns, dtypes and hidden (`c`) cells;
- club_*: members, their hashed keys, who submitted which quarter, the agreed agency pay caps,
  and two indexes over the stored tables (figures per service area; cap breaches per role)
  that the club page queries;
- store_state: a generation number bumped by every write, so every replica notices a change at once.
"""

from __future__ import annotations

INITIAL = "0001_initial"

REVISIONS: dict[str, list[str]] = {
    INITIAL: [
        """CREATE TABLE publications (
            id VARCHAR(64) NOT NULL PRIMARY KEY,
            kind VARCHAR(16) NOT NULL,
            name TEXT NOT NULL,
            published_at TIMESTAMP NOT NULL,
            published_by TEXT NOT NULL,
            as_of DATE,
            source_label TEXT NOT NULL,
            threshold INTEGER NOT NULL,
            meta TEXT NOT NULL)""",
        "CREATE INDEX publications_by_kind ON publications (kind, published_at)",
        """CREATE TABLE publication_frames (
            publication_id VARCHAR(64) NOT NULL,
            view VARCHAR(100) NOT NULL,
            key TEXT NOT NULL,
            meta TEXT NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY (publication_id, view, key))""",
        """CREATE TABLE club_members (
            authority VARCHAR(16) NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            joined_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE club_keys (
            key_id VARCHAR(32) NOT NULL PRIMARY KEY,
            authority VARCHAR(16) NOT NULL,
            role VARCHAR(16) NOT NULL,
            salt VARCHAR(64) NOT NULL,
            key_hash VARCHAR(128) NOT NULL,
            label TEXT NOT NULL,
            created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE club_publications (
            authority VARCHAR(16) NOT NULL,
            quarter VARCHAR(6) NOT NULL,
            publication_id VARCHAR(64) NOT NULL,
            published_at TIMESTAMP NOT NULL,
            published_by TEXT NOT NULL,
            as_of DATE,
            PRIMARY KEY (authority, quarter))""",
        """CREATE TABLE club_figures (
            authority VARCHAR(16) NOT NULL,
            quarter VARCHAR(6) NOT NULL,
            service_area TEXT NOT NULL,
            figure VARCHAR(64) NOT NULL,
            value DOUBLE PRECISION,
            suppressed BOOLEAN NOT NULL,
            PRIMARY KEY (authority, quarter, service_area, figure))""",
        "CREATE INDEX club_figures_by_quarter ON club_figures (quarter, service_area, figure)",
        "CREATE INDEX club_figures_by_figure ON club_figures (figure, service_area, quarter)",
        """CREATE TABLE club_caps (
            role TEXT NOT NULL,
            effective_from VARCHAR(6) NOT NULL,
            max_hourly_rate DOUBLE PRECISION NOT NULL,
            recorded_by VARCHAR(16) NOT NULL,
            recorded_at TIMESTAMP NOT NULL,
            PRIMARY KEY (role, effective_from))""",
        """CREATE TABLE club_cap_breaches (
            authority VARCHAR(16) NOT NULL,
            quarter VARCHAR(6) NOT NULL,
            role TEXT NOT NULL,
            max_hourly_rate DOUBLE PRECISION,
            agency_headcount DOUBLE PRECISION,
            agency_headcount_suppressed BOOLEAN NOT NULL,
            cap_breaches DOUBLE PRECISION,
            cap_breaches_suppressed BOOLEAN NOT NULL,
            PRIMARY KEY (authority, quarter, role))""",
        """CREATE TABLE store_state (
            id INTEGER NOT NULL PRIMARY KEY,
            generation BIGINT NOT NULL)""",
        "INSERT INTO store_state (id, generation) VALUES (1, 0)",
    ],
}
"""Revision id → the statements that create it from the one before (in order)."""

HEAD = list(REVISIONS)[-1]
"""The schema revision this code reads and writes."""

TABLES: tuple[str, ...] = ("publications", "publication_frames", "club_members", "club_keys", "club_publications",
                           "club_figures", "club_caps", "club_cap_breaches", "store_state")
"""Every table of the head revision (besides alembic_version)."""

VERSION_TABLE = "alembic_version"
VERSION_DDL = f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"


def statements_after(revision: str | None) -> list[str]:
    """The statements that take a database from `revision` (None: empty) to HEAD."""
    names = list(REVISIONS)
    start = 0 if revision is None else names.index(revision) + 1
    return [stmt for name in names[start:] for stmt in REVISIONS[name]]
