/* Webhooks, their deliveries, the outbox and the inbox read as structs: the
 * queries are those of store_timers.c; this file alone knows their columns. */
#ifndef LINLI_STORE_WEBHOOK_ROWS_H
#define LINLI_STORE_WEBHOOK_ROWS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct webhook_row {
    int64_t id, created_at;
    const char *url, *place_code, *place_name, *kinds, *secret;
    bool active;
};
/* Webhooks the viewer sees, newest first (store_webhooks_list): their number,
 * or −1 when the store failed. */
int store_webhooks_find(db *d, arena *a, int64_t viewer, int64_t before_id, int limit,
                        struct webhook_row **out);
/* One webhook the viewer sees; false when none. */
bool store_webhook_read(db *d, arena *a, int64_t viewer, int64_t id, struct webhook_row *out);

struct delivery_row {
    int64_t id, outbox_id, at, attempt, http_status; /* http_status 0: no answer */
    const char *error, *state;
};
int store_deliveries_find(db *d, arena *a, int64_t webhook_id, int64_t before_id, int limit,
                          struct delivery_row **out);

/* A claimed outbox row with its webhook's address and secret. */
struct outbox_row {
    int64_t id, webhook_id, attempts;
    const char *payload, *url, *secret;
};
/* The ids of the outbox rows due (store_outbox_due): their number, or −1. */
int store_outbox_due_ids(db *d, arena *a, int64_t now, int64_t stale_before, int limit,
                         int64_t **out);
bool store_outbox_read(db *d, arena *a, int64_t id, struct outbox_row *out);

struct notification_row {
    int64_t id, order_id, created_at, read_at; /* order_id, read_at 0: none, not yet */
    const char *kind, *order_code, *title, *body;
};
/* One's notifications, newest first (store_notifications_list): their number, or −1. */
int store_notifications_find(db *d, arena *a, int64_t account, bool unread_only, int64_t before_id,
                             int limit, struct notification_row **out);
bool store_notification_read_row(db *d, arena *a, int64_t account, int64_t id,
                                 struct notification_row *out);

#endif
