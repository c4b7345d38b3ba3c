/* SQL for the public Open311 GeoReport v2 views of categories (services) and
 * work orders (requests). Only public columns are selected: no requester, no
 * phone, no person's name (a person assignee gives no agency). */
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
    OR_PLACE,
    OR_PLACE_NAME,
    OR_LAT,
    OR_LON,
    OR_AGENCY,
    OR_ADDRESS_STRING,
    OR_NOTE,
    OR_CHANNEL,
};
/* Requests, newest first. */
db_rows *store_open311_requests(db *d, arena *a, const struct open311_filter *f);
/* The order id with this code (an Open311 token), 0 when none. */
int64_t store_open311_by_code(db *d, const char *code);

#endif
