/* Bulk upsert of places: batched INSERT … ON CONFLICT DO NOTHING, then an
 * UPDATE of the rows that differ. See store_places_write.h. */
#include "store/store_places_write.h"

#include <stdlib.h>

#include "store/store_bulk.h"

#define INSERT_COLS 6 /* code, parent_code, level, name, kind, created_at */
#define UPDATE_COLS 5 /* code, parent_code, level, name, kind */

static const char insert_head[] =
    "INSERT INTO places(code, parent_code, level, name, kind, created_at) VALUES ";
static const char insert_tail[] = " ON CONFLICT(code) DO NOTHING";
/* A CTE rather than "(VALUES …) AS v(cols)": SQLite has no column list on a
 * derived table. New rows of this batch are identical, so they do not count. */
static const char update_head[] = "WITH v(code, parent_code, level, name, kind) AS (VALUES ";
static const char update_tail[] =
    ") UPDATE places SET parent_code = v.parent_code, level = v.level, name = v.name, "
    "kind = v.kind FROM v WHERE places.code = v.code AND ("
    "places.parent_code IS DISTINCT FROM v.parent_code OR places.level <> v.level OR "
    "places.name <> v.name OR places.kind IS DISTINCT FROM v.kind)";

struct places_writer {
    db *d;
    int64_t now;
    db_param ins[BULK_MAX_ROWS * INSERT_COLS];
    db_param upd[BULK_MAX_ROWS * UPDATE_COLS];
    int n;
    arena *text; /* copies of the queued strings */
    struct places_counts counts;
};

places_writer *places_writer_new(db *d, int64_t now)
{
    places_writer *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->d = d;
    w->now = now;
    w->text = arena_new();
    return w;
}

/* Writes rows [from, from + n) of the queue as one batch. */
static int write_batch(places_writer *w, int from, int n)
{
    const char *ins = bulk_sql(insert_head, INSERT_COLS, n, insert_tail);
    int inserted = db_exec(w->d, ins, n * INSERT_COLS, w->ins + from * INSERT_COLS);
    if (inserted < 0) return inserted;
    int updated = 0;
    if (inserted < n) { /* some existed: update those that differ */
        const char *upd = bulk_sql(update_head, UPDATE_COLS, n, update_tail);
        updated = db_exec(w->d, upd, n * UPDATE_COLS, w->upd + from * UPDATE_COLS);
        if (updated < 0) return updated;
    }
    w->counts.inserted += inserted;
    w->counts.updated += updated;
    w->counts.unchanged += n - inserted - updated;
    return 0;
}

int places_writer_flush(places_writer *w)
{
    int done = 0;
    while (done < w->n) {
        int n = bulk_batch_rows(w->n - done);
        int rc = write_batch(w, done, n);
        if (rc < 0) return rc;
        done += n;
    }
    w->n = 0;
    arena_free(w->text);
    w->text = arena_new();
    return 0;
}

int places_writer_add(places_writer *w, const char *code, const char *parent_code,
                      const char *level, const char *name, const char *kind)
{
    code = arena_strdup(w->text, code);
    parent_code = arena_strdup(w->text, parent_code);
    level = arena_strdup(w->text, level);
    name = arena_strdup(w->text, name);
    kind = arena_strdup(w->text, kind);
    db_param *i = w->ins + w->n * INSERT_COLS;
    i[0] = P_TEXT(code);
    i[1] = P_NTEXT(parent_code);
    i[2] = P_TEXT(level);
    i[3] = P_TEXT(name);
    i[4] = P_NTEXT(kind);
    i[5] = P_INT(w->now);
    db_param *u = w->upd + w->n * UPDATE_COLS;
    for (int c = 0; c < UPDATE_COLS; c++) u[c] = i[c];
    if (++w->n == BULK_MAX_ROWS) return places_writer_flush(w);
    return 0;
}

struct places_counts places_writer_counts(const places_writer *w)
{
    return w->counts;
}

void places_writer_free(places_writer *w)
{
    if (!w) return;
    arena_free(w->text);
    free(w);
}

bool store_place_exists(db *d, const char *code)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM places WHERE code = ?", P_TEXT(code)) > 0;
}
