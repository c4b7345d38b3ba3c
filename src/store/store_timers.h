/* SQL for the timers of the demand loop and the notifications: alert claims
 * (order_alerts), the orders the scheduler looks at, the accounts to notify
 * (staff of a place at an escalation level, an order's assignee and
 * requester), the inbox, webhooks, their outbox and delivery log. */
#ifndef LINLI_STORE_TIMERS_H
#define LINLI_STORE_TIMERS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Claims an alert (order, kind): 1 when this call recorded it, 0 when it was
 * already recorded (by this or another process), negative on error. */
int store_alert_claim(db *d, int64_t order_id, const char *kind, int level, int64_t now);

/* Ids of accepted, not yet resolved orders in an active state that still lack
 * the resolution breach alert, ascending from after_id; at most limit, into
 * *ids (arena): how many, or -1 when the store failed. */
int store_timer_open_orders(db *d, arena *a, int64_t after_id, int limit, int64_t **ids);
/* Ids of resolved (unrated) orders resolved at or before `before`. */
int store_timer_unrated_orders(db *d, arena *a, int64_t before, int64_t after_id, int limit,
                               int64_t **ids);

/* Staff of a place at an escalation level: level 0 the community
 * (community_worker, secretary; lead_only: secretary), 1 the street
 * (street_admin), 2 and above the county (county_admin). Accounts (enabled)
 * whose grants cover the place with one of those roles; column 0 the id. */
db_rows *store_staff_for_place(db *d, arena *a, const char *place, int level, bool lead_only);
/* Accounts of an assignee: kind "person" → accounts of that person; any other
 * kind → accounts holding a grant on that organisation. */
db_rows *store_assignee_accounts(db *d, arena *a, const char *kind, int64_t id);
/* Accounts of the requester: the requester account, and accounts of the
 * requester person. */
db_rows *store_requester_accounts(db *d, arena *a, int64_t account_id, int64_t person_id);

/* An order's place code and code (any order), or NULL. */
db_rows *store_timer_order_place(db *d, arena *a, int64_t order_id);

/* Inbox. */
int64_t store_notification_add(db *d, int64_t account, const char *kind, int64_t order_id,
                               const char *title, const char *body, int64_t now);
enum notification_col {
    NC_ID,
    NC_KIND,
    NC_ORDER,
    NC_TITLE,
    NC_BODY,
    NC_CREATED,
    NC_READ,
    NC_ORDER_CODE
};
/* The account's own notifications, newest first, id < before_id (0: newest). */
db_rows *store_notifications_list(db *d, arena *a, int64_t account, bool unread_only,
                                  int64_t before_id, int limit);
int64_t store_notifications_unread(db *d, int64_t account);
/* One own notification, or NULL. */
db_rows *store_notification_get(db *d, arena *a, int64_t account, int64_t id);
/* Marks one own notification read: 1 changed, 0 already read or not own. */
int store_notification_read(db *d, int64_t account, int64_t id, int64_t now);

/* Webhooks. */
enum webhook_col {
    WC_ID,
    WC_URL,
    WC_PLACE,
    WC_KINDS,
    WC_ACTIVE,
    WC_CREATED,
    WC_PLACE_NAME,
    WC_SECRET
};
int64_t store_webhook_add(db *d, const char *url, const char *secret, const char *place,
                          const char *kinds, int64_t created_by, int64_t now);
/* Webhooks whose place lies in the viewer's accounts.admin scope (viewer 0:
 * all), newest first. */
db_rows *store_webhooks_list(db *d, arena *a, int64_t viewer, int64_t before_id, int limit);
db_rows *store_webhook_get(db *d, arena *a, int64_t viewer, int64_t id);
int store_webhook_disable(db *d, int64_t id);
/* Active webhooks whose subtree contains the place: id, kinds. */
db_rows *store_webhooks_for_place(db *d, arena *a, const char *place);

/* Outbox. */
int64_t store_outbox_add(db *d, int64_t webhook_id, const char *payload, int64_t now);
/* Candidates due at now (pending and due, or claimed before stale_before)
 * of active webhooks (a disabled webhook's queue waits): id. */
db_rows *store_outbox_due(db *d, arena *a, int64_t now, int64_t stale_before, int limit);
/* Claims one row with a token: 1 claimed, 0 someone else has it. Increments
 * attempts. */
int store_outbox_claim(db *d, int64_t id, const char *token, int64_t now, int64_t stale_before);
enum outbox_col { OBC_ID, OBC_WEBHOOK, OBC_PAYLOAD, OBC_ATTEMPTS, OBC_URL, OBC_SECRET };
db_rows *store_outbox_get(db *d, arena *a, int64_t id);
/* Records the outcome of a claimed attempt (only while the claim holds). */
int store_outbox_finish(db *d, int64_t id, const char *token, const char *state,
                        int64_t next_attempt_at);
int store_delivery_log(db *d, int64_t outbox_id, int64_t webhook_id, int64_t now, int attempt,
                       int http_status, const char *error);
enum delivery_col { DC_ID, DC_OUTBOX, DC_AT, DC_ATTEMPT, DC_STATUS, DC_ERROR, DC_STATE };
db_rows *store_deliveries_list(db *d, arena *a, int64_t webhook_id, int64_t before_id, int limit);

#endif
