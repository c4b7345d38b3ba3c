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

/* A service: an active leaf category, with its group (the parent's name). */
struct open311_service_row {
    const char *code, *name, *description, *group;
};
/* The services, or the one with this code (NULL: all): their count (*out in
 * a), -1 on error. */
int store_open311_services(db *d, arena *a, const char *code, struct open311_service_row **out);

/* Request filter; list fields are ",a,b," (NULL: any). */
struct open311_filter {
    const char *ids, *codes, *states;
    int64_t from, to; /* created_at bounds, 0: open */
    int limit;
};
/* A request as the public may see it. Times in Unix seconds. */
struct open311_request_row {
    int64_t id, created_at, updated_at;
    const char *code, *service_code, *service_name, *state, *description;
    const char *place;      /* the compound, or the coarser place the order names */
    const char *place_name; /* its name */
    const char *lat, *lon;  /* as stored, NULL: none */
    const char *agency;     /* an organisation assignee's name, NULL: none */
    const char *note;       /* the latest note of its history, NULL: none */
    const char *channel;
};
/* Requests not hidden, newest first: their count (*out in a), -1 on error. */
int store_open311_requests(db *d, arena *a, const struct open311_filter *f,
                           struct open311_request_row **out);
/* The order id with this code (an Open311 token), 0 when none. */
int64_t store_open311_by_code(db *d, const char *code);

/* Hiding an order from the public feed: 1 hidden, 0 not, -1 on error. */
int store_open311_hidden(db *d, int64_t order_id);
/* Hides (no-op when hidden already) / shows again; rows changed, -1 on error. */
int store_open311_hide(db *d, int64_t order_id, int64_t account, int64_t now);
int store_open311_show(db *d, int64_t order_id);

#endif
