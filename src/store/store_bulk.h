/* Multi-row INSERT for the bulk writers (the division import, the demo county).
 *
 * One statement of up to 500 rows replaces 500 statements: on SQLite it saves
 * the per-statement work, on PostgreSQL the round trips. Statement text is
 * generated once per (statement, row count) and kept for the life of the
 * process, because the statement cache keys on the text's address (db.h).
 * Row counts come from a fixed set (500, 100, 20, 5, 1), so a remainder costs
 * at most a few extra statements and a connection prepares at most five texts
 * per statement shape. */
#ifndef LINLI_STORE_BULK_H
#define LINLI_STORE_BULK_H
#include "store/db.h"

#define BULK_MAX_ROWS 500

/* The row count to use for the next batch when `remaining` rows are left:
 * the largest of 500, 100, 20, 5, 1 not above it (0 when remaining ≤ 0). */
int bulk_batch_rows(int remaining);

/* "head(?, …), (?, …) … tail" with nrows tuples of ncols placeholders.
 * head and tail must be string literals (they are part of the cache key).
 * The text is made once and kept until the process exits. */
const char *bulk_sql(const char *head, int ncols, int nrows, const char *tail);

/* The tables the demo fills in bulk; the column order is the order of the
 * values given to bulk_add (see store_bulk.c for each list). */
enum bulk_table {
    BULK_ORGANISATIONS,     /* id, kind, name, parent_id, place_code, formation, phone, created_at,
                               has_position, has_ledger, has_mechanism, has_plan,
                               secretary_person_id, secretary_way, one_shoulder */
    BULK_ORG_PLACES,        /* org_id, place_code */
    BULK_AGREEMENTS,        /* org_id, place_code, title, signed_on, expires_on, created_at */
    BULK_GRIDS,             /* id, code, name, kind, community_code, created_at */
    BULK_GRID_PLACES,       /* grid_id, place_code */
    BULK_GRID_WORKERS,      /* grid_id, person_id */
    BULK_PEOPLE,            /* id, name, sex, birth_date, id_number, phone, place_code, hukou_local,
                               relation, note, created_at, updated_at */
    BULK_PARTY_MEMBERS,     /* person_id, kind, branch_id, joined_on, work_unit, work_org_id,
                               reported_at, reported_community, pioneer_post, duty_area */
    BULK_VOLUNTEERS,        /* person_id, team_id, skills */
    BULK_PARTNERS,          /* person_id, trade, company, duties */
    BULK_COMMUNITY_WORKERS, /* person_id, community_code, post, grade, certificate */
    BULK_CARE_TAGS,         /* person_id, tag */
    BULK_TABLE_COUNT
};

/* Number of values per row of a table. */
int bulk_columns(enum bulk_table t);

/* A buffer of rows for one table. Rows are kept (text copied) until
 * bulk_flush writes them all, so the caller decides the order in which tables
 * reach the database (foreign keys are checked at the end of each statement). */
typedef struct bulk bulk;

bulk *bulk_new(enum bulk_table t);
/* Appends one row of bulk_columns(t) values; text is copied. */
void bulk_add(bulk *b, const db_param *values);
long bulk_pending(const bulk *b);
/* Writes every buffered row in batches and empties the buffer. Returns the
 * number of rows written, or a negative DB_* code (db_errmsg says why). */
long bulk_flush(bulk *b, db *d);
void bulk_free(bulk *b);

#define BULK_ADD(b, ...) bulk_add((b), (const db_param[]){__VA_ARGS__})

/* For a command that is about to write a large transaction on this connection
 * (the division import, the demo): on SQLite, lets the page cache grow to
 * 256 MiB (used only as needed), so dirty pages are not spilled to the WAL and
 * rewritten again and again mid-transaction — the all-China import writes
 * 4× less and runs 3× faster. PostgreSQL needs nothing. */
void bulk_tune_connection(db *d);

/* For a load of many multi-row INSERTs (the people import): each keeps a
 * statement journal of the pages it touched (to undo just that statement);
 * on SQLite in memory, not a temporary file: 4× less system time for a
 * million rows. PostgreSQL needs nothing. */
void bulk_journal_in_memory(db *d);

/* Inside a write transaction, before people rows are written with ids chosen
 * by the writer: keeps every other writer out of people until the
 * transaction ends (SQLite: its write lock already does; PostgreSQL: a table
 * lock) and answers the largest id in use (0 when none), or -1 on error. */
int64_t bulk_people_lock_max_id(db *d);

/* After rows were written with explicit ids: on PostgreSQL, moves the identity
 * sequence of table.id past the largest id so later inserts do not collide
 * (SQLite needs nothing). table is one of "people", "organisations", "grids". */
int bulk_sync_identity(db *d, const char *table);

#endif
