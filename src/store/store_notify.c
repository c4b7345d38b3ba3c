/* Notification rows as structs; see store_notify.h. */
#include "store/store_notify.h"

#include "store/store_timers.h"

bool store_notify_order(db *d, arena *a, int64_t order_id, struct notify_order *out)
{
    db_rows *r = store_timer_order_place(d, a, order_id);
    if (!r || !r->nrows) return false;
    *out = (struct notify_order){db_get(r, 0, 0), db_get(r, 0, 1)};
    return true;
}

int store_notify_hooks(db *d, arena *a, const char *place, struct notify_hook **out)
{
    db_rows *r = store_webhooks_for_place(d, a, place);
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct notify_hook){db_get_int(r, i, 0), db_get(r, i, 1)};
    return r->nrows;
}

int store_notify_account_ids(arena *a, const db_rows *accounts, int64_t **out)
{
    int n = accounts ? accounts->nrows : 0;
    *out = arena_alloc(a, sizeof **out * (size_t)(n + 1));
    for (int i = 0; i < n; i++) (*out)[i] = db_get_int(accounts, i, 0);
    return n;
}

bool store_notify_get(db *d, arena *a, int64_t account, int64_t id, struct notify_row *out)
{
    db_rows *r = store_notification_get(d, a, account, id);
    if (!r || !r->nrows) return false;
    *out = (struct notify_row){.id = db_get_int(r, 0, NC_ID),
                               .account = account,
                               .order_id = db_get_int(r, 0, NC_ORDER),
                               .read = db_get(r, 0, NC_READ) != NULL};
    return true;
}
