/* Timers and notifications in SQL; see store_timers.h. */
#include "store/store_timers.h"

#include "store/scope.h"

int store_alert_claim(db *d, int64_t order_id, const char *kind, int level, int64_t now)
{
    /* ON CONFLICT DO NOTHING: a concurrent claimer waits on the unique index
     * and then inserts nothing (SQLite ≥ 3.24 and PostgreSQL alike) */
    return DBX(d,
               "INSERT INTO order_alerts(order_id, kind, at, level) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (order_id, kind) DO NOTHING",
               P_INT(order_id), P_TEXT(kind), P_INT(now), P_INT(level));
}

/* The first column of r as integers into *out; how many, or -1 for no rows. */
static int ids_of(arena *a, const db_rows *r, int64_t **out)
{
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) (*out)[i] = db_get_int(r, i, 0);
    return r->nrows;
}

int store_timer_open_orders(db *d, arena *a, int64_t after_id, int limit, int64_t **ids)
{
    return ids_of(a,
                  DBQ(d, a,
                      "SELECT o.id FROM orders o WHERE o.id > ? AND o.accepted_at IS NOT NULL "
                      "AND o.resolved_at IS NULL "
                      "AND o.state IN ('accepted', 'dispatched', 'taken', 'suspended') "
                      "AND NOT EXISTS (SELECT 1 FROM order_alerts al WHERE al.order_id = o.id "
                      "AND al.kind = 'resolution_breach') ORDER BY o.id LIMIT ?",
                      P_INT(after_id), P_INT(limit)),
                  ids);
}

int store_timer_unrated_orders(db *d, arena *a, int64_t before, int64_t after_id, int limit,
                               int64_t **ids)
{
    return ids_of(
        a,
        DBQ(d, a,
            "SELECT id FROM orders WHERE state = 'resolved' AND resolved_at <= ? AND id > ? "
            "ORDER BY id LIMIT ?",
            P_INT(before), P_INT(after_id), P_INT(limit)),
        ids);
}

db_rows *store_staff_for_place(db *d, arena *a, const char *place, int level, bool lead_only)
{
    const char *r1 = level >= 2 ? "county_admin" : level == 1 ? "street_admin" : "secretary";
    const char *r2 = level == 0 && !lead_only ? "community_worker" : r1;
    return DBQ(d, a,
               "SELECT DISTINCT s.account_id FROM scope_ranges s "
               "JOIN accounts ac ON ac.id = s.account_id "
               "WHERE ac.disabled = 0 AND s.role IN (?, ?) AND ? >= s.lo AND ? < s.lo || ':' "
               "ORDER BY s.account_id",
               P_TEXT(r1), P_TEXT(r2), P_TEXT(place), P_TEXT(place));
}

db_rows *store_assignee_accounts(db *d, arena *a, const char *kind, int64_t id)
{
    if (!kind || id <= 0) return NULL;
    if (kind[0] == 'p') /* person */
        return DBQ(d, a, "SELECT id FROM accounts WHERE person_id = ? AND disabled = 0 ORDER BY id",
                   P_INT(id));
    return DBQ(d, a,
               "SELECT DISTINCT g.account_id FROM grants g JOIN accounts ac ON ac.id = "
               "g.account_id WHERE g.org_id = ? AND ac.disabled = 0 ORDER BY g.account_id",
               P_INT(id));
}

db_rows *store_requester_accounts(db *d, arena *a, int64_t account_id, int64_t person_id)
{
    return DBQ(d, a,
               "SELECT id FROM accounts WHERE disabled = 0 AND (id = ? OR (person_id IS NOT NULL "
               "AND person_id = ?)) ORDER BY id",
               P_INT(account_id), P_INT(person_id));
}

db_rows *store_timer_order_place(db *d, arena *a, int64_t order_id)
{
    db_rows *r = DBQ(d, a, "SELECT place_code, code FROM orders WHERE id = ?", P_INT(order_id));
    return r && r->nrows ? r : NULL;
}

int64_t store_notification_add(db *d, int64_t account, const char *kind, int64_t order_id,
                               const char *title, const char *body, int64_t now)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO notifications(account_id, kind, order_id, title, body, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                     P_INT(account), P_TEXT(kind), order_id > 0 ? P_INT(order_id) : P_NULL,
                     P_TEXT(title), P_NTEXT(body), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

#define NOTIFICATION_COLS                                                                          \
    "n.id, n.kind, n.order_id, n.title, n.body, n.created_at, n.read_at, o.code "

db_rows *store_notifications_list(db *d, arena *a, int64_t account, bool unread_only,
                                  int64_t before_id, int limit)
{
    return DBQ(d, a,
               "SELECT " NOTIFICATION_COLS "FROM notifications n LEFT JOIN orders o ON o.id = "
               "n.order_id WHERE n.account_id = ? AND (? = 0 OR n.read_at IS NULL) "
               "AND (? = 0 OR n.id < ?) ORDER BY n.id DESC LIMIT ?",
               P_INT(account), P_INT(unread_only ? 1 : 0), P_INT(before_id), P_INT(before_id),
               P_INT(limit));
}

int64_t store_notifications_unread(db *d, int64_t account)
{
    return db_scalar_int(
        d, "SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL",
        DB_ARGS_(P_INT(account)), 0);
}

db_rows *store_notification_get(db *d, arena *a, int64_t account, int64_t id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT " NOTIFICATION_COLS "FROM notifications n LEFT JOIN orders o ON "
                     "o.id = n.order_id WHERE n.id = ? AND n.account_id = ?",
                     P_INT(id), P_INT(account));
    return r && r->nrows ? r : NULL;
}

int store_notification_read(db *d, int64_t account, int64_t id, int64_t now)
{
    return DBX(d,
               "UPDATE notifications SET read_at = ? WHERE id = ? AND account_id = ? AND read_at "
               "IS NULL",
               P_INT(now), P_INT(id), P_INT(account));
}

int64_t store_webhook_add(db *d, const char *url, const char *secret, const char *place,
                          const char *kinds, int64_t created_by, int64_t now)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO webhooks(url, secret, place_code, kinds, active, created_by, "
                     "created_at) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id",
                     P_TEXT(url), P_TEXT(secret), P_TEXT(place), P_OPT(kinds),
                     created_by > 0 ? P_INT(created_by) : P_NULL, P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

#define WEBHOOK_COLS "w.id, w.url, w.place_code, w.kinds, w.active, w.created_at, p.name, w.secret "

db_rows *store_webhooks_list(db *d, arena *a, int64_t viewer, int64_t before_id, int limit)
{
    return DBQ(d, a,
               "SELECT " WEBHOOK_COLS "FROM webhooks w JOIN places p ON p.code = w.place_code "
               "WHERE (? = 0 OR w.id < ?) AND (? = 0 OR " SCOPE_COVERS(
                   "w.place_code") ") "
                                   "ORDER BY w.id DESC LIMIT ?",
               P_INT(before_id), P_INT(before_id), P_INT(viewer), P_INT(viewer),
               P_TEXT("accounts.admin"), P_INT(limit));
}

db_rows *store_webhook_get(db *d, arena *a, int64_t viewer, int64_t id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT " WEBHOOK_COLS "FROM webhooks w JOIN places p ON p.code = "
                     "w.place_code WHERE w.id = ? AND (? = 0 OR " SCOPE_COVERS("w.place_code") ")",
                     P_INT(id), P_INT(viewer), P_INT(viewer), P_TEXT("accounts.admin"));
    return r && r->nrows ? r : NULL;
}

int store_webhook_disable(db *d, int64_t id)
{
    return DBX(d, "UPDATE webhooks SET active = 0 WHERE id = ? AND active = 1", P_INT(id));
}

db_rows *store_webhooks_for_place(db *d, arena *a, const char *place)
{
    return DBQ(d, a,
               "SELECT id, kinds FROM webhooks WHERE active = 1 AND ? >= place_code "
               "AND ? < place_code || ':' ORDER BY id",
               P_TEXT(place), P_TEXT(place));
}

int64_t store_outbox_add(db *d, int64_t webhook_id, const char *payload, int64_t now)
{
    int n = DBX(d,
                "INSERT INTO webhook_outbox(webhook_id, payload, state, attempts, "
                "next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)",
                P_INT(webhook_id), P_TEXT(payload), P_INT(now), P_INT(now));
    return n == 1 ? 1 : -1;
}

db_rows *store_outbox_due(db *d, arena *a, int64_t now, int64_t stale_before, int limit)
{
    return DBQ(d, a,
               "SELECT ob.id FROM webhook_outbox ob JOIN webhooks w ON w.id = ob.webhook_id "
               "WHERE w.active = 1 AND ((ob.state = 'pending' AND ob.next_attempt_at <= ?) "
               "OR (ob.state = 'sending' AND ob.claimed_at < ?)) "
               "ORDER BY ob.next_attempt_at, ob.id LIMIT ?",
               P_INT(now), P_INT(stale_before), P_INT(limit));
}

int store_outbox_claim(db *d, int64_t id, const char *token, int64_t now, int64_t stale_before)
{
    /* the conditional UPDATE is the claim: of two senders exactly one changes
     * the row (PostgreSQL re-checks the WHERE after waiting for the other) */
    return DBX(d,
               "UPDATE webhook_outbox SET state = 'sending', claim_token = ?, claimed_at = ?, "
               "attempts = attempts + 1 WHERE id = ? AND ((state = 'pending' AND "
               "next_attempt_at <= ?) OR (state = 'sending' AND claimed_at < ?))",
               P_TEXT(token), P_INT(now), P_INT(id), P_INT(now), P_INT(stale_before));
}

db_rows *store_outbox_get(db *d, arena *a, int64_t id)
{
    db_rows *r = DBQ(d, a,
                     "SELECT ob.id, ob.webhook_id, ob.payload, ob.attempts, w.url, w.secret "
                     "FROM webhook_outbox ob JOIN webhooks w ON w.id = ob.webhook_id "
                     "WHERE ob.id = ?",
                     P_INT(id));
    return r && r->nrows ? r : NULL;
}

int store_outbox_finish(db *d, int64_t id, const char *token, const char *state,
                        int64_t next_attempt_at)
{
    return DBX(d,
               "UPDATE webhook_outbox SET state = ?, next_attempt_at = ?, claim_token = NULL "
               "WHERE id = ? AND state = 'sending' AND claim_token = ?",
               P_TEXT(state), P_INT(next_attempt_at), P_INT(id), P_TEXT(token));
}

int store_delivery_log(db *d, int64_t outbox_id, int64_t webhook_id, int64_t now, int attempt,
                       int http_status, const char *error)
{
    return DBX(d,
               "INSERT INTO webhook_deliveries(outbox_id, webhook_id, at, attempt, http_status, "
               "error) VALUES (?, ?, ?, ?, ?, ?)",
               P_INT(outbox_id), P_INT(webhook_id), P_INT(now), P_INT(attempt),
               http_status > 0 ? P_INT(http_status) : P_NULL, P_OPT(error));
}

db_rows *store_deliveries_list(db *d, arena *a, int64_t webhook_id, int64_t before_id, int limit)
{
    return DBQ(d, a,
               "SELECT dl.id, dl.outbox_id, dl.at, dl.attempt, dl.http_status, dl.error, "
               "ob.state FROM webhook_deliveries dl JOIN webhook_outbox ob ON ob.id = "
               "dl.outbox_id WHERE dl.webhook_id = ? AND (? = 0 OR dl.id < ?) "
               "ORDER BY dl.id DESC LIMIT ?",
               P_INT(webhook_id), P_INT(before_id), P_INT(before_id), P_INT(limit));
}
