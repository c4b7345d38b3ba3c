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

enum hotline_col {
    HL_ID,
    HL_CODE,
    HL_EXTERNAL_REF,
    HL_CHANNEL,
    HL_PLACE,
    HL_STATE,
    HL_OUTCOME,
    HL_RESULT,
    HL_RESOLVED_AT,
    HL_RATING,
    HL_UPDATED_AT,
};
/* Imported orders of the channel changed at or after since, oldest change
 * first, after the keyset (after_at, after_id) when after_at > 0; viewer 0:
 * all, else those whose place the viewer reads (orders.read). */
db_rows *store_hotline_results(db *d, arena *a, int64_t viewer, const char *channel, int64_t since,
                               int64_t after_at, int64_t after_id, int limit);

#endif
