#include "store/store_accounts.h"

#include <string.h>

#include "core/login_rule.h"
#include "core/roles.h"
#include "store/scope.h"
#include "store/store_rows.h"
#include "util/clock.h"

int64_t store_account_create(db *d, const char *username, const char *display_name,
                             const char *password_hash, int64_t person_id)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO accounts(username, password_hash, display_name, person_id, "
                     "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                     P_TEXT(username), P_TEXT(password_hash), P_OPT(display_name),
                     person_id ? P_INT(person_id) : P_NULL, P_INT(clock_now()));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

#define ACCOUNT_SELECT                                                                             \
    "SELECT id, username, password_hash, display_name, person_id, disabled FROM accounts "

/* The first row of an ACCOUNT_SELECT into *out; false when there is none. */
static bool account_of(const db_rows *r, struct account_row *out)
{
    if (!r || !r->nrows) return false;
    *out = (struct account_row){.id = db_get_int(r, 0, 0),
                                .username = db_get(r, 0, 1),
                                .password_hash = db_get(r, 0, 2),
                                .display_name = db_get(r, 0, 3),
                                .person_id = db_get_int(r, 0, 4),
                                .disabled = db_get_int(r, 0, 5) != 0};
    return true;
}

bool store_account_by_username(db *d, arena *a, const char *username, struct account_row *out)
{
    return account_of(DBQ(d, a, ACCOUNT_SELECT "WHERE username = ?", P_TEXT(username)), out);
}

bool store_account_get(db *d, arena *a, int64_t id, struct account_row *out)
{
    return account_of(DBQ(d, a, ACCOUNT_SELECT "WHERE id = ?", P_INT(id)), out);
}

const char *store_account_home_place(db *d, arena *a, int64_t id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT COALESCE(g.place_code, gr.community_code, o.place_code) FROM grants g "
                     "LEFT JOIN grids gr ON gr.id = g.grid_id "
                     "LEFT JOIN organisations o ON o.id = g.org_id "
                     "WHERE g.account_id = ? ORDER BY g.id LIMIT 1",
                     P_INT(id));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int store_account_set_password(db *d, int64_t id, const char *password_hash)
{
    return DBX(d, "UPDATE accounts SET password_hash = ? WHERE id = ?", P_TEXT(password_hash),
               P_INT(id));
}

int store_account_set_disabled(db *d, int64_t id, int disabled)
{
    int rc = DBX(d, "UPDATE accounts SET disabled = ? WHERE id = ?", P_INT(disabled), P_INT(id));
    if (rc >= 0 && disabled) DBX(d, "DELETE FROM sessions WHERE account_id = ?", P_INT(id));
    return rc;
}

int store_account_sessions_delete(db *d, int64_t id)
{
    return DBX(d, "DELETE FROM sessions WHERE account_id = ?", P_INT(id));
}

int64_t store_grant_add(db *d, int64_t account_id, const char *role, const char *place_code,
                        int64_t grid_id, int64_t org_id)
{
    arena *a = arena_new();
    db_rows *r =
        DBQ(d, a,
            "INSERT INTO grants(account_id, role, place_code, grid_id, org_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            P_INT(account_id), P_TEXT(role), P_OPT(place_code), grid_id ? P_INT(grid_id) : P_NULL,
            org_id ? P_INT(org_id) : P_NULL, P_INT(clock_now()));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_grant_delete(db *d, int64_t grant_id)
{
    return DBX(d, "DELETE FROM grants WHERE id = ?", P_INT(grant_id));
}

#define GRANTS_SELECT                                                                              \
    "SELECT g.id, g.account_id, g.role, g.place_code, p.name AS place_name, g.grid_id, "           \
    "gr.name AS grid_name, g.org_id, o.name AS org_name FROM grants g "                            \
    "LEFT JOIN places p ON p.code = g.place_code LEFT JOIN grids gr ON gr.id = g.grid_id "         \
    "LEFT JOIN organisations o ON o.id = g.org_id "

db_rows *store_grants_of(db *d, arena *a, int64_t account_id)
{
    return DBQ(d, a, GRANTS_SELECT "WHERE g.account_id = ? ORDER BY g.id", P_INT(account_id));
}

static db_rows *store_grant_by_id(db *d, arena *a, int64_t grant_id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT g.id, g.account_id, g.role, g.place_code, g.grid_id, g.org_id "
                     "FROM grants g WHERE g.id = ?",
                     P_INT(grant_id));
    return r && r->nrows ? r : NULL;
}

static void grant_fill(const db_rows *r, int i, void *out)
{
    *(struct grant_row *)out = (struct grant_row){.id = db_get_int(r, i, 0),
                                                  .account_id = db_get_int(r, i, 1),
                                                  .role = db_get(r, i, 2),
                                                  .place_code = db_get(r, i, 3),
                                                  .place_name = db_get(r, i, 4),
                                                  .grid_id = db_get_int(r, i, 5),
                                                  .grid_name = db_get(r, i, 6),
                                                  .org_id = db_get_int(r, i, 7),
                                                  .org_name = db_get(r, i, 8)};
}

int store_grants_list(db *d, arena *a, int64_t account_id, struct grant_row **out)
{
    int n;
    *out = store_rows(a, store_grants_of(d, a, account_id), sizeof **out, grant_fill, &n);
    return n;
}

bool store_grant_get(db *d, arena *a, int64_t grant_id, struct grant_row *out)
{
    db_rows *r = store_grant_by_id(d, a, grant_id);
    if (!r) return false;
    *out = (struct grant_row){.id = db_get_int(r, 0, 0),
                              .account_id = db_get_int(r, 0, 1),
                              .role = db_get(r, 0, 2),
                              .place_code = db_get(r, 0, 3),
                              .grid_id = db_get_int(r, 0, 4),
                              .org_id = db_get_int(r, 0, 5)};
    return true;
}

bool store_grant_anchor(db *d, arena *a, int64_t grid_id, int64_t org_id, const char **place)
{
    db_rows *r =
        grid_id > 0 ? DBQ(d, a, "SELECT community_code FROM grids WHERE id = ?", P_INT(grid_id))
                    : DBQ(d, a, "SELECT place_code FROM organisations WHERE id = ?", P_INT(org_id));
    if (!r || !r->nrows) return false;
    *place = db_get(r, 0, 0);
    return true;
}

db_rows *store_accounts_list(db *d, arena *a, int64_t viewer, const char *q, int64_t after_id,
                             int limit)
{
    const char *like = (q && *q) ? arena_printf(a, "%%%s%%", q) : NULL;
    if (viewer == 0)
        return DBQ(
            d, a,
            "SELECT a.id, a.username, a.display_name, a.disabled, a.created_at "
            "FROM accounts a WHERE a.id > ? AND (CAST(? AS TEXT) IS NULL OR a.username LIKE ? OR "
            "a.display_name LIKE ?) ORDER BY a.id LIMIT ?",
            P_INT(after_id), P_NTEXT(like), P_NTEXT(like), P_NTEXT(like), P_INT(limit));
    /* An account is listed when one of its place grants lies in the viewer's scope. */
    return DBQ(
        d, a,
        "SELECT a.id, a.username, a.display_name, a.disabled, a.created_at "
        "FROM accounts a WHERE a.id > ? AND (CAST(? AS TEXT) IS NULL OR a.username LIKE ? OR "
        "a.display_name LIKE ?) AND EXISTS (SELECT 1 FROM scope_ranges t "
        "WHERE t.account_id = a.id AND " SCOPE_COVERS("t.lo") ") ORDER BY a.id LIMIT ?",
        P_INT(after_id), P_NTEXT(like), P_NTEXT(like), P_NTEXT(like), P_INT(viewer),
        P_TEXT(CAP_ACCOUNTS), P_INT(limit));
}

static void account_fill(const db_rows *r, int i, void *out)
{
    *(struct account_row *)out = (struct account_row){.id = db_get_int(r, i, 0),
                                                      .username = db_get(r, i, 1),
                                                      .display_name = db_get(r, i, 2),
                                                      .disabled = db_get_int(r, i, 3) != 0};
}

int store_accounts_find(db *d, arena *a, int64_t viewer, const char *q, int64_t after_id, int limit,
                        struct account_row **out)
{
    int n;
    *out = store_rows(a, store_accounts_list(d, a, viewer, q, after_id, limit), sizeof **out,
                      account_fill, &n);
    return n;
}

bool store_account_in_scope(db *d, int64_t viewer, int64_t account_id)
{
    if (viewer == 0) return true;
    /* every scope range of the account must lie inside the viewer's scope */
    return DBI(d, 0,
               "SELECT CASE WHEN EXISTS (SELECT 1 FROM scope_ranges t WHERE t.account_id = ?) "
               "AND NOT EXISTS (SELECT 1 FROM scope_ranges t WHERE t.account_id = ? AND "
               "NOT " SCOPE_COVERS("t.lo") ") THEN 1 ELSE 0 END",
               P_INT(account_id), P_INT(account_id), P_INT(viewer), P_TEXT(CAP_ACCOUNTS)) == 1;
}

bool store_place_in_scope(db *d, int64_t viewer, const char *cap, const char *place_code)
{
    if (viewer == 0) return true;
    if (!place_code) return false;
    return DBI(d, 0, "SELECT 1 WHERE " SCOPE_COVERS("?"), P_INT(viewer), P_TEXT(cap),
               P_TEXT(place_code), P_TEXT(place_code)) == 1;
}

const char *store_place_visible(db *d, arena *a, int64_t viewer, const char *cap,
                                const char *place_code)
{
    if (!place_code || !*place_code) return NULL;
    db_rows *r = DBQ(d, a,
                     "SELECT pl.level FROM places pl WHERE pl.code = ? AND (? = 0 OR " SCOPE_COVERS(
                         "pl.code") ")",
                     P_TEXT(place_code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

/* The places a grant anchors, for grants g selected by a filter with one
 * parameter (repeated for each branch). */
#define GRANT_PLACES(filter)                                                                       \
    "SELECT g.place_code AS lo FROM grants g WHERE " filter " AND g.place_code IS NOT NULL "       \
    "UNION ALL SELECT gr.community_code FROM grants g JOIN grids gr ON gr.id = g.grid_id "         \
    "WHERE " filter " UNION ALL SELECT gp.place_code FROM grants g JOIN grid_places gp "           \
    "ON gp.grid_id = g.grid_id WHERE " filter " UNION ALL SELECT o.place_code FROM grants g "      \
    "JOIN organisations o ON o.id = g.org_id WHERE " filter " AND o.place_code IS NOT NULL "       \
    "UNION ALL SELECT op.place_code FROM grants g JOIN org_places op ON op.org_id = g.org_id "     \
    "WHERE " filter " UNION ALL SELECT ag.place_code FROM grants g JOIN agreements ag "            \
    "ON ag.org_id = g.org_id WHERE " filter

int64_t store_new_grant_outside(db *d, int64_t viewer, const char *cap, const char *place_code,
                                int64_t grid_id, int64_t org_id)
{
    if (viewer == 0) return 0;
    if (place_code && *place_code) return store_place_in_scope(d, viewer, cap, place_code) ? 0 : 1;
    return DBI(d, -1,
               "SELECT COUNT(*) FROM (SELECT community_code AS lo FROM grids WHERE id = ? "
               "UNION ALL SELECT place_code FROM grid_places WHERE grid_id = ? "
               "UNION ALL SELECT place_code FROM organisations WHERE id = ? AND place_code IS NOT "
               "NULL UNION ALL SELECT place_code FROM org_places WHERE org_id = ? "
               "UNION ALL SELECT place_code FROM agreements WHERE org_id = ?) t "
               "WHERE NOT " SCOPE_COVERS("t.lo"),
               P_INT(grid_id), P_INT(grid_id), P_INT(org_id), P_INT(org_id), P_INT(org_id),
               P_INT(viewer), P_TEXT(cap));
}

int64_t store_account_grants_outside(db *d, int64_t viewer, const char *cap, int64_t account_id)
{
    if (viewer == 0) return 0;
    return DBI(
        d, -1,
        "SELECT COUNT(*) FROM (" GRANT_PLACES("g.account_id = ?") ") t "
                                                                  "WHERE NOT " SCOPE_COVERS("t.lo"),
        P_INT(account_id), P_INT(account_id), P_INT(account_id), P_INT(account_id),
        P_INT(account_id), P_INT(account_id), P_INT(viewer), P_TEXT(cap));
}

int64_t store_grant_outside(db *d, int64_t viewer, const char *cap, int64_t grant_id)
{
    if (viewer == 0) return 0;
    return DBI(d, -1,
               "SELECT COUNT(*) FROM (" GRANT_PLACES("g.id = ?") ") t "
                                                                 "WHERE NOT " SCOPE_COVERS("t.lo"),
               P_INT(grant_id), P_INT(grant_id), P_INT(grant_id), P_INT(grant_id), P_INT(grant_id),
               P_INT(grant_id), P_INT(viewer), P_TEXT(cap));
}

int store_session_create(db *d, int64_t account_id, const char *token_hash, const char *csrf,
                         int64_t now, int64_t expires_at)
{
    return DBX(d,
               "INSERT INTO sessions(token_hash, account_id, csrf, created_at, expires_at) "
               "VALUES (?, ?, ?, ?, ?)",
               P_TEXT(token_hash), P_INT(account_id), P_TEXT(csrf), P_INT(now), P_INT(expires_at));
}

static void fill_caps(db *d, arena *a, struct principal *p)
{
    db_rows *g =
        DBQ(d, a, "SELECT DISTINCT role FROM grants WHERE account_id = ?", P_INT(p->account_id));
    p->ncaps = 0;
    p->top_rank = 0;
    for (int i = 0; g && i < g->nrows; i++) {
        const struct role *r = role_find(db_get(g, i, 0));
        if (!r) continue;
        if (r->rank > p->top_rank) p->top_rank = r->rank;
        for (int c = 0; c < ROLE_CAPS_MAX && r->caps[c]; c++) {
            if (principal_has_cap(p, r->caps[c])) continue;
            if (p->ncaps < (int)(sizeof p->caps / sizeof p->caps[0]))
                p->caps[p->ncaps++] = r->caps[c];
        }
    }
}

bool store_session_load(db *d, arena *a, const char *token_hash, int64_t now, struct principal *p,
                        int64_t *expires_at)
{
    db_rows *r = DBQ(d, a,
                     "SELECT a.id, a.username, a.display_name, a.person_id, s.csrf, s.expires_at "
                     "FROM sessions s JOIN accounts a ON a.id = s.account_id "
                     "WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0",
                     P_TEXT(token_hash), P_INT(now));
    if (!r || r->nrows == 0) return false;
    memset(p, 0, sizeof *p);
    p->account_id = db_get_int(r, 0, 0);
    p->username = db_get(r, 0, 1);
    p->display_name = db_get(r, 0, 2);
    p->person_id = db_get_int(r, 0, 3);
    p->csrf = db_get(r, 0, 4);
    *expires_at = db_get_int(r, 0, 5);
    fill_caps(d, a, p);
    return true;
}

bool store_principal_load(db *d, arena *a, int64_t account_id, struct principal *p)
{
    struct account_row acct;
    if (!store_account_get(d, a, account_id, &acct)) return false;
    memset(p, 0, sizeof *p);
    p->account_id = account_id;
    p->username = acct.username;
    p->display_name = acct.display_name;
    p->person_id = acct.person_id;
    fill_caps(d, a, p);
    return true;
}

int store_session_delete(db *d, const char *token_hash)
{
    return DBX(d, "DELETE FROM sessions WHERE token_hash = ?", P_TEXT(token_hash));
}

int store_sessions_purge(db *d, int64_t now)
{
    int64_t any = DBI(d, -1,
                      "SELECT COUNT(*) FROM (SELECT 1 FROM sessions WHERE expires_at <= ? "
                      "LIMIT 1) t",
                      P_INT(now));
    if (any <= 0) return (int)any;
    return DBX(d, "DELETE FROM sessions WHERE expires_at <= ?", P_INT(now));
}

int store_login_counter_lock(db *d, const char *key, struct login_counter *out)
{
    arena *a = arena_new();
    /* the no-op update takes the row lock on PostgreSQL; SQLite's writer holds the file */
    db_rows *r = DBQ(d, a,
                     "INSERT INTO login_limits(key, window_start, attempts, next_at) "
                     "VALUES (?, 0, 0, 0) ON CONFLICT (key) DO UPDATE SET attempts = "
                     "login_limits.attempts RETURNING window_start, attempts, next_at",
                     P_TEXT(key));
    int rc = r && r->nrows ? 0 : -1;
    if (rc == 0)
        *out =
            (struct login_counter){db_get_int(r, 0, 0), db_get_int(r, 0, 1), db_get_int(r, 0, 2)};
    arena_free(a);
    return rc;
}

int store_login_counter_put(db *d, const char *key, const struct login_counter *c)
{
    return DBX(d,
               "UPDATE login_limits SET window_start = ?, attempts = ?, next_at = ? WHERE key = ?",
               P_INT(c->window_start), P_INT(c->attempts), P_INT(c->next_at), P_TEXT(key));
}

int store_login_counter_clear(db *d, const char *key)
{
    return DBX(d, "DELETE FROM login_limits WHERE key = ?", P_TEXT(key));
}

int store_login_counter_release(db *d, const char *key)
{
    return DBX(d, "UPDATE login_limits SET attempts = attempts - 1 WHERE key = ? AND attempts > 0",
               P_TEXT(key));
}

int store_login_counters_purge(db *d, int64_t idle_before, int64_t failures_before)
{
    int a = DBX(d, "DELETE FROM login_limits WHERE window_start < ? AND next_at < ?",
                P_INT(idle_before), P_INT(idle_before));
    if (a < 0) return a;
    int b = DBX(d, "DELETE FROM login_failures WHERE at < ?", P_INT(failures_before));
    return b < 0 ? b : a + b;
}

int64_t store_login_failures_since(db *d, const char *key, int64_t since)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", P_TEXT(key),
               P_INT(since));
}

int store_login_failure_add(db *d, const char *key, int64_t now)
{
    return DBX(d, "INSERT INTO login_failures(key, at) VALUES (?, ?)", P_TEXT(key), P_INT(now));
}

int store_login_failures_clear(db *d, const char *key)
{
    return DBX(d, "DELETE FROM login_failures WHERE key = ?", P_TEXT(key));
}
