/* SQL for the public Open311 GeoReport v2 views of categories (services) and
 * work orders (requests). Only public columns are selected: no requester, no
 * phone, no person's name (a person assignee gives no agency), the place no
 * finer than a compound, and no order staff have hidden (open311_hidden,
 * migration 026). Free text (description, notes) is selected as stored: the
 * caller removes contact numbers (core/redact.h) and rounds coordinates. */
#ifndef LINLI_STORE_OPEN311_H
#define LINLI_STORE_OPEN311_H
#include <stdint.h>

#include "store/db.h"

/* Services: active leaf categories; code NULL: all. Columns: */
enum open311_service_col { OS_CODE, OS_NAME, OS_DESCRIPTION, OS_GROUP };
db_rows *store_open311_services(db *d, arena *a, const char *code);

/* Request filter; list fields are ",a,b," (NULL: any). */
struct open311_filter {
    const char *ids, *codes, *states;
    int64_t from, to; /* created_at bounds, 0: open */
    int limit;
};
enum open311_request_col {
    OR_ID,
    OR_CODE,
    OR_SERVICE_CODE,
    OR_SERVICE_NAME,
    OR_STATE,
    OR_DESCRIPTION,
    OR_CREATED_AT,
    OR_UPDATED_AT,
    OR_PLACE,      /* the compound, or the coarser place the order names */
    OR_PLACE_NAME, /* its name */
    OR_LAT,
    OR_LON,
    OR_AGENCY,
    OR_NOTE,
    OR_CHANNEL,
};
/* Requests not hidden, newest first. */
db_rows *store_open311_requests(db *d, arena *a, const struct open311_filter *f);
/* The order id with this code (an Open311 token), 0 when none. */
int64_t store_open311_by_code(db *d, const char *code);

/* Hiding an order from the public feed: 1 hidden, 0 not, -1 on error. */
int store_open311_hidden(db *d, int64_t order_id);
/* Hides (no-op when hidden already) / shows again; rows changed, -1 on error. */
int store_open311_hide(db *d, int64_t order_id, int64_t account, int64_t now);
int store_open311_show(db *d, int64_t order_id);

#endif
