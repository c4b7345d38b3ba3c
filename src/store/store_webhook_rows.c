/* Webhook, delivery, outbox and inbox rows as structs; see store_webhook_rows.h. */
#include "store/store_webhook_rows.h"

#include "store/store_rows.h"
#include "store/store_timers.h"

static void webhook_fill(const db_rows *r, int i, void *out)
{
    *(struct webhook_row *)out = (struct webhook_row){.id = db_get_int(r, i, WC_ID),
                                                      .url = db_get(r, i, WC_URL),
                                                      .place_code = db_get(r, i, WC_PLACE),
                                                      .kinds = db_get(r, i, WC_KINDS),
                                                      .active = db_get_int(r, i, WC_ACTIVE) != 0,
                                                      .created_at = db_get_int(r, i, WC_CREATED),
                                                      .place_name = db_get(r, i, WC_PLACE_NAME),
                                                      .secret = db_get(r, i, WC_SECRET)};
}

int store_webhooks_find(db *d, arena *a, int64_t viewer, int64_t before_id, int limit,
                        struct webhook_row **out)
{
    int n;
    *out = store_rows(a, store_webhooks_list(d, a, viewer, before_id, limit), sizeof **out,
                      webhook_fill, &n);
    return n;
}

bool store_webhook_read(db *d, arena *a, int64_t viewer, int64_t id, struct webhook_row *out)
{
    db_rows *r = store_webhook_get(d, a, viewer, id);
    if (r) webhook_fill(r, 0, out);
    return r != NULL;
}

static void delivery_fill(const db_rows *r, int i, void *out)
{
    *(struct delivery_row *)out = (struct delivery_row){.id = db_get_int(r, i, DC_ID),
                                                        .outbox_id = db_get_int(r, i, DC_OUTBOX),
                                                        .at = db_get_int(r, i, DC_AT),
                                                        .attempt = db_get_int(r, i, DC_ATTEMPT),
                                                        .http_status = db_get_int(r, i, DC_STATUS),
                                                        .error = db_get(r, i, DC_ERROR),
                                                        .state = db_get(r, i, DC_STATE)};
}

int store_deliveries_find(db *d, arena *a, int64_t webhook_id, int64_t before_id, int limit,
                          struct delivery_row **out)
{
    int n;
    *out = store_rows(a, store_deliveries_list(d, a, webhook_id, before_id, limit), sizeof **out,
                      delivery_fill, &n);
    return n;
}

static void id_fill(const db_rows *r, int i, void *out)
{
    *(int64_t *)out = db_get_int(r, i, 0);
}

int store_outbox_due_ids(db *d, arena *a, int64_t now, int64_t stale_before, int limit,
                         int64_t **out)
{
    int n;
    *out =
        store_rows(a, store_outbox_due(d, a, now, stale_before, limit), sizeof **out, id_fill, &n);
    return n;
}

bool store_outbox_read(db *d, arena *a, int64_t id, struct outbox_row *out)
{
    db_rows *r = store_outbox_get(d, a, id);
    if (!r) return false;
    *out = (struct outbox_row){.id = db_get_int(r, 0, OBC_ID),
                               .webhook_id = db_get_int(r, 0, OBC_WEBHOOK),
                               .payload = db_get(r, 0, OBC_PAYLOAD),
                               .attempts = db_get_int(r, 0, OBC_ATTEMPTS),
                               .url = db_get(r, 0, OBC_URL),
                               .secret = db_get(r, 0, OBC_SECRET)};
    return true;
}

static void notification_fill(const db_rows *r, int i, void *out)
{
    *(struct notification_row *)out =
        (struct notification_row){.id = db_get_int(r, i, NC_ID),
                                  .kind = db_get(r, i, NC_KIND),
                                  .order_id = db_get_int(r, i, NC_ORDER),
                                  .title = db_get(r, i, NC_TITLE),
                                  .body = db_get(r, i, NC_BODY),
                                  .created_at = db_get_int(r, i, NC_CREATED),
                                  .read_at = db_get_int(r, i, NC_READ),
                                  .order_code = db_get(r, i, NC_ORDER_CODE)};
}

int store_notifications_find(db *d, arena *a, int64_t account, bool unread_only, int64_t before_id,
                             int limit, struct notification_row **out)
{
    int n;
    *out = store_rows(a, store_notifications_list(d, a, account, unread_only, before_id, limit),
                      sizeof **out, notification_fill, &n);
    return n;
}

bool store_notification_read_row(db *d, arena *a, int64_t account, int64_t id,
                                 struct notification_row *out)
{
    db_rows *r = store_notification_get(d, a, account, id);
    if (r) notification_fill(r, 0, out);
    return r != NULL;
}
