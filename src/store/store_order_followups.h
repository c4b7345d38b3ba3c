/* SQL for what follows an order besides its state: 督办 (supervisions with a
 * deadline), 回访 (revisits of closed orders), the handling tier 处置层级 and
 * the outcome of a 协商处置 consultation. */
#ifndef LINLI_STORE_ORDER_FOLLOWUPS_H
#define LINLI_STORE_ORDER_FOLLOWUPS_H
#include <stdint.h>

#include "store/db.h"

int store_supervision_insert(db *d, int64_t order_id, int64_t by, const char *note,
                             int64_t deadline, int64_t now);
/* Closes the order's open supervisions (it was resolved or ended). */
int store_supervisions_close(db *d, int64_t order_id, int64_t now);
/* Supervision rows: id, order_id, by (username), note, deadline, created_at,
 * closed_at, order code, title, place, state. */
enum supervision_col {
    SV_ID,
    SV_ORDER,
    SV_BY,
    SV_NOTE,
    SV_DEADLINE,
    SV_CREATED,
    SV_CLOSED,
    SV_CODE,
    SV_TITLE,
    SV_PLACE,
    SV_STATE
};
db_rows *store_supervisions_of_order(db *d, arena *a, int64_t order_id);
/* Open supervisions of orders in the viewer's orders.read scope under place
 * (NULL: all), overdue first (deadline before now), then by deadline. */
db_rows *store_supervisions_open(db *d, arena *a, int64_t viewer, const char *place, int64_t now,
                                 int limit);

int store_revisit_insert(db *d, int64_t order_id, int64_t by, const char *note, const char *outcome,
                         int64_t now);
/* id, by (username), note, outcome, created_at. */
db_rows *store_revisits_of_order(db *d, arena *a, int64_t order_id);

/* Sets the order's tier (bumps its version, keeps its state). */
int store_order_set_tier(db *d, int64_t order_id, const char *tier, int64_t now);
int64_t store_consultation_insert(db *d, arena *a, int64_t order_id, int64_t held_at,
                                  const char *participants, const char *outcome, int64_t by,
                                  int64_t now);
/* id, held_at, participants, outcome, by (username), created_at. */
db_rows *store_consultations_of_order(db *d, arena *a, int64_t order_id);

#endif
