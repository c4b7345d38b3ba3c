/* SQL for the hotline / 12345 exchange: finding an imported order by its
 * external work-order number, and the results the hotline fetches back. */
#ifndef LINLI_STORE_HOTLINE_H
#define LINLI_STORE_HOTLINE_H
#include <stdint.h>

#include "store/db.h"

/* The order of this channel with this external number, 0 when none. */
int64_t store_hotline_find(db *d, const char *channel, const char *external_ref);
/* A category code by code or by exact name (active leaves), NULL when none. */
const char *store_hotline_category(db *d, arena *a, const char *code_or_name);

/* An imported order as the hotline fetches it back (strings in the caller's
 * arena; resolved_at 0 while unresolved). */
struct hotline_result {
    int64_t id, resolved_at, updated_at;
    const char *code, *external_ref, *channel, *place_code, *state, *outcome, *result, *rating;
};
/* Imported orders of the channel changed at or after since, oldest change
 * first, after the keyset (after_at, after_id) when after_at > 0; viewer 0:
 * all, else those whose place the viewer reads (orders.read): count (*out in
 * the arena), < 0 on error. */
int store_hotline_results(db *d, arena *a, int64_t viewer, const char *channel, int64_t since,
                          int64_t after_at, int64_t after_id, int limit,
                          struct hotline_result **out);

#endif
