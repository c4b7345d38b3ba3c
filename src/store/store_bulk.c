/* Multi-row INSERT: statement texts made once, row buffers, identity sync.
 * See store_bulk.h. */
#include "store/store_bulk.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* ---- statement texts ---- */

struct sql_text {
    const char *head, *tail;
    int ncols, nrows;
    char *text;
    struct sql_text *next;
};

/* Kept until exit: the statement caches of open connections point at them. */
static struct sql_text *texts;
static pthread_mutex_t texts_lock = PTHREAD_MUTEX_INITIALIZER;

int bulk_batch_rows(int remaining)
{
    static const int sizes[] = {BULK_MAX_ROWS, 100, 20, 5, 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (remaining >= sizes[i]) return sizes[i];
    return 0;
}

const char *bulk_sql(const char *head, int ncols, int nrows, const char *tail)
{
    pthread_mutex_lock(&texts_lock);
    for (struct sql_text *t = texts; t; t = t->next)
        if (t->head == head && t->tail == tail && t->ncols == ncols && t->nrows == nrows) {
            pthread_mutex_unlock(&texts_lock);
            return t->text;
        }
    buf b = {0};
    buf_puts(&b, head);
    for (int r = 0; r < nrows; r++) {
        buf_puts(&b, r ? ",(" : "(");
        for (int c = 0; c < ncols; c++) buf_puts(&b, c ? ",?" : "?");
        buf_puts(&b, ")");
    }
    buf_puts(&b, tail ? tail : "");
    struct sql_text *t = calloc(1, sizeof *t);
    if (!t) abort();
    *t = (struct sql_text){head, tail, ncols, nrows, strdup(buf_cstr(&b)), texts};
    if (!t->text) abort();
    buf_free(&b);
    texts = t;
    pthread_mutex_unlock(&texts_lock);
    return t->text;
}

/* ---- tables ---- */

static const struct {
    const char *head;
    int ncols;
} tables[BULK_TABLE_COUNT] = {
    [BULK_ORGANISATIONS] = {"INSERT INTO organisations(id, kind, name, parent_id, place_code, "
                            "formation, phone, created_at, has_position, has_ledger, "
                            "has_mechanism, has_plan, secretary_person_id, secretary_way, "
                            "one_shoulder) VALUES ",
                            15},
    [BULK_ORG_PLACES] = {"INSERT INTO org_places(org_id, place_code) VALUES ", 2},
    [BULK_AGREEMENTS] = {"INSERT INTO agreements(org_id, place_code, title, signed_on, "
                         "expires_on, created_at) VALUES ",
                         6},
    [BULK_GRIDS] = {"INSERT INTO grids(id, code, name, kind, community_code, created_at) VALUES ",
                    6},
    [BULK_GRID_PLACES] = {"INSERT INTO grid_places(grid_id, place_code) VALUES ", 2},
    [BULK_GRID_WORKERS] = {"INSERT INTO grid_workers(grid_id, person_id) VALUES ", 2},
    [BULK_PEOPLE] = {"INSERT INTO people(id, name, sex, birth_date, id_number, phone, "
                     "place_code, hukou_local, relation, note, created_at, updated_at) VALUES ",
                     12},
    [BULK_PARTY_MEMBERS] = {"INSERT INTO party_members(person_id, kind, branch_id, joined_on, "
                            "work_unit, work_org_id, reported_at, reported_community, "
                            "pioneer_post, duty_area) VALUES ",
                            10},
    [BULK_VOLUNTEERS] = {"INSERT INTO volunteers(person_id, team_id, skills) VALUES ", 3},
    [BULK_PARTNERS] = {"INSERT INTO partners(person_id, trade, company, duties) VALUES ", 4},
    [BULK_COMMUNITY_WORKERS] = {"INSERT INTO community_workers(person_id, community_code, post, "
                                "grade, certificate) VALUES ",
                                5},
    [BULK_CARE_TAGS] = {"INSERT INTO care_tags(person_id, tag) VALUES ", 2},
};

int bulk_columns(enum bulk_table t)
{
    return tables[t].ncols;
}

/* ---- row buffers ---- */

struct bulk {
    enum bulk_table table;
    int ncols;
    db_param *vals; /* rows × ncols */
    long nrows, cap;
    arena *text; /* copies of text values */
};

bulk *bulk_new(enum bulk_table t)
{
    bulk *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->table = t;
    b->ncols = tables[t].ncols;
    b->text = arena_new();
    return b;
}

void bulk_add(bulk *b, const db_param *values)
{
    if (b->nrows == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->vals = realloc(b->vals, sizeof *b->vals * (size_t)(b->cap * b->ncols));
        if (!b->vals) abort();
    }
    db_param *row = b->vals + b->nrows * b->ncols;
    for (int c = 0; c < b->ncols; c++) {
        row[c] = values[c];
        if (row[c].type == DBP_TEXT) row[c].s = arena_strdup(b->text, row[c].s);
    }
    b->nrows++;
}

long bulk_pending(const bulk *b)
{
    return b->nrows;
}

long bulk_flush(bulk *b, db *d)
{
    long done = 0;
    while (done < b->nrows) {
        long left = b->nrows - done;
        int n = bulk_batch_rows(left > BULK_MAX_ROWS ? BULK_MAX_ROWS : (int)left);
        const char *sql = bulk_sql(tables[b->table].head, b->ncols, n, NULL);
        int rc = db_exec(d, sql, n * b->ncols, b->vals + done * b->ncols);
        if (rc < 0) return rc;
        done += n;
    }
    b->nrows = 0;
    arena_free(b->text);
    b->text = arena_new();
    return done;
}

void bulk_free(bulk *b)
{
    if (!b) return;
    arena_free(b->text);
    free(b->vals);
    free(b);
}

void bulk_tune_connection(db *d)
{
    if (db_kind_of(d) == DB_SQLITE) db_exec_script(d, "PRAGMA cache_size = -262144");
}

void bulk_journal_in_memory(db *d)
{
    if (db_kind_of(d) == DB_SQLITE) db_exec_script(d, "PRAGMA temp_store = MEMORY");
}

int64_t bulk_people_lock_max_id(db *d)
{
    if (db_kind_of(d) == DB_PG && DBX(d, "LOCK TABLE people IN EXCLUSIVE MODE") < 0) return -1;
    return DBI(d, -1, "SELECT COALESCE(MAX(id), 0) FROM people");
}

int bulk_sync_identity(db *d, const char *table)
{
    if (db_kind_of(d) != DB_PG) return 0;
    /* One literal per table: a table name cannot be a parameter. */
    const char *sql =
        !strcmp(table, "people") ? "SELECT setval(pg_get_serial_sequence('people', 'id'), "
                                   "(SELECT COALESCE(MAX(id), 0) + 1 FROM people), false)"
        : !strcmp(table, "organisations")
            ? "SELECT setval(pg_get_serial_sequence('organisations', 'id'), "
              "(SELECT COALESCE(MAX(id), 0) + 1 FROM organisations), false)"
        : !strcmp(table, "grids") ? "SELECT setval(pg_get_serial_sequence('grids', 'id'), "
                                    "(SELECT COALESCE(MAX(id), 0) + 1 FROM grids), false)"
                                  : NULL;
    if (!sql) return DB_ERROR;
    arena *a = arena_new();
    db_rows *r = db_query(d, a, sql, 0, NULL);
    arena_free(a);
    return r ? 0 : DB_ERROR;
}
