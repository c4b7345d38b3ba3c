#include "store/store_audit.h"

#include "core/roles.h"
#include "store/scope.h"
#include "store/store_rows.h"
#include "util/clock.h"

int audit_write(db *d, const struct principal *who, const char *action, const char *entity,
                const char *entity_id, const char *place_code, const char *before_json,
                const char *after_json, const char *note)
{
    int64_t acct = who ? who->account_id : 0;
    const char *actor = (who && who->username) ? who->username : "cli";
    return DBX(d,
               "INSERT INTO audit_log(at, account_id, actor, action, entity, entity_id, "
               "place_code, before_json, after_json, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               P_INT(clock_now()), acct ? P_INT(acct) : P_NULL, P_TEXT(actor), P_TEXT(action),
               P_TEXT(entity), P_NTEXT(entity_id), P_NTEXT(place_code), P_NTEXT(before_json),
               P_NTEXT(after_json), P_NTEXT(note));
}

static db_rows *audit_list(db *d, arena *a, int64_t viewer, const struct audit_filter *f)
{
    int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50;
    /* Entries without a place (system-wide events) are visible to the command
     * line and to system administrators; everyone else sees their subtree. */
    return DBQ(d, a,
               "SELECT l.id, l.at, l.actor, l.action, l.entity, l.entity_id, l.place_code, "
               "l.before_json, l.after_json, l.note FROM audit_log l WHERE "
               "(CAST(? AS TEXT) IS NULL OR l.entity = ?) "
               "AND (CAST(? AS TEXT) IS NULL OR l.action = ?) "
               "AND (CAST(? AS TEXT) IS NULL OR l.actor = ?) AND (? = 0 OR l.at >= ?) AND (? = 0 "
               "OR l.at < ?) "
               "AND (CAST(? AS TEXT) IS NULL OR (l.place_code >= ? AND l.place_code < CAST(? AS "
               "TEXT) || ':')) "
               "AND (? = 0 OR (l.place_code IS NOT NULL AND " SCOPE_COVERS(
                   "l.place_code") ") "
                                   "OR (l.place_code IS NULL AND EXISTS (SELECT 1 FROM grants g "
                                   "WHERE g.account_id = ? AND g.role = 'admin'))) "
                                   "AND (? = 0 OR l.id < ?) ORDER BY l.id DESC LIMIT ?",
               P_NTEXT(f->entity), P_NTEXT(f->entity), P_NTEXT(f->action), P_NTEXT(f->action),
               P_NTEXT(f->actor), P_NTEXT(f->actor), P_INT(f->from), P_INT(f->from), P_INT(f->to),
               P_INT(f->to), P_NTEXT(f->place_code), P_NTEXT(f->place_code), P_NTEXT(f->place_code),
               P_INT(viewer), P_INT(viewer), P_TEXT(CAP_AUDIT_READ), P_INT(viewer),
               P_INT(f->before_id), P_INT(f->before_id), P_INT(limit));
}

static void entry_fill(const db_rows *r, int i, void *out)
{
    *(struct audit_row *)out = (struct audit_row){.id = db_get_int(r, i, 0),
                                                  .at = db_get_int(r, i, 1),
                                                  .actor = db_get(r, i, 2),
                                                  .action = db_get(r, i, 3),
                                                  .entity = db_get(r, i, 4),
                                                  .entity_id = db_get(r, i, 5),
                                                  .place_code = db_get(r, i, 6),
                                                  .before_json = db_get(r, i, 7),
                                                  .after_json = db_get(r, i, 8),
                                                  .note = db_get(r, i, 9)};
}

int audit_find(db *d, arena *a, int64_t viewer, const struct audit_filter *f,
               struct audit_row **out)
{
    int n;
    *out = store_rows(a, audit_list(d, a, viewer, f), sizeof **out, entry_fill, &n);
    return n;
}
