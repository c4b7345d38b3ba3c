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
/* A supervision with its order. Times in Unix seconds, 0 for none. */
struct supervision_row {
    int64_t id, order_id, deadline, created_at, closed_at;
    const char *by; /* username, NULL: the system */
    const char *note, *order_code, *order_title, *order_place, *order_state;
};
/* Lists: their count (*out in a), -1 on error. An order's supervisions: */
int store_supervisions_of_order(db *d, arena *a, int64_t order_id, struct supervision_row **out);
/* Open supervisions of orders in the viewer's orders.read scope under place
 * (NULL: all), overdue first (deadline before now), then by deadline. */
int store_supervisions_open(db *d, arena *a, int64_t viewer, const char *place, int64_t now,
                            int limit, struct supervision_row **out);

int store_revisit_insert(db *d, int64_t order_id, int64_t by, const char *note, const char *outcome,
                         int64_t now);
/* A revisit (回访) of an order. */
struct revisit_row {
    int64_t id, created_at;
    const char *by, *note, *outcome; /* by: username, NULL: the system */
};
int store_revisits_of_order(db *d, arena *a, int64_t order_id, struct revisit_row **out);

/* Sets the order's tier (bumps its version, keeps its state). */
int store_order_set_tier(db *d, int64_t order_id, const char *tier, int64_t now);
int64_t store_consultation_insert(db *d, arena *a, int64_t order_id, int64_t held_at,
                                  const char *participants, const char *outcome, int64_t by,
                                  int64_t now);
/* The outcome of a 协商处置 consultation. */
struct consultation_row {
    int64_t id, held_at, created_at;
    const char *participants, *outcome, *by; /* by: username */
};
int store_consultations_of_order(db *d, arena *a, int64_t order_id, struct consultation_row **out);

#endif
