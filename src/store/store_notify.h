/* The rows notifications read, as structs (the queries are store_timers.c's;
 * this file knows their columns so that svc_notify.c does not). */
#ifndef LINLI_STORE_NOTIFY_H
#define LINLI_STORE_NOTIFY_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* An order's place code and code (any order); false when there is none. */
struct notify_order {
    const char *place_code, *code;
};
bool store_notify_order(db *d, arena *a, int64_t order_id, struct notify_order *out);

/* Active webhooks whose subtree contains the place: how many, or -1. */
struct notify_hook {
    int64_t id;
    const char *kinds; /* comma-separated; NULL or empty: every kind */
};
int store_notify_hooks(db *d, arena *a, const char *place, struct notify_hook **out);

/* The account ids of a list of accounts (column 0 of store_staff_for_place,
 * store_assignee_accounts, store_requester_accounts …); how many (0 for
 * NULL). */
int store_notify_account_ids(arena *a, const db_rows *accounts, int64_t **out);

/* One of the account's own notifications; false when there is none. */
struct notify_row {
    int64_t id, account, order_id; /* order_id 0: none */
    bool read;
};
bool store_notify_get(db *d, arena *a, int64_t account, int64_t id, struct notify_row *out);

#endif
