/* What the order services read about one order: the actor kinds of an
 * account for it, and its clocks. A file of its own so that the services the
 * order events call (figures, follow-ups, notices) read orders without
 * including svc_orders.h: it includes no other service header. */
#ifndef LINLI_SVC_ORDER_VIEW_H
#define LINLI_SVC_ORDER_VIEW_H
#include <stdbool.h>
#include <time.h>

#include "core/order_clock.h"
#include "core/principal.h"
#include "store/db.h"
#include "store/store_orders.h"

/* The actor kinds (bits of enum order_actor) of an account for a visible
 * order: svc_order_actors for a store_order_get row, svc_order_actors_of for
 * the row as a struct. */
unsigned svc_order_actors(db *d, const struct principal *who, const db_rows *order);
unsigned svc_order_actors_of(db *d, const struct principal *who, const struct order_row *o);

/* The clocks of an order at `now`: deadlines (CLOCK_NONE: not accepted, or
 * stopped for good by an open suspension), counted seconds so far (or until
 * the clock stopped), and the status. */
struct order_clocks {
    bool started;
    time_t response_deadline, resolution_deadline;
    long long response_counted, resolution_counted, suspended_seconds;
    enum clock_status response_status, resolution_status;
    bool response_stopped, resolution_stopped;
};
void svc_order_clocks_of(db *d, arena *a, const struct order_row *o, time_t now,
                         struct order_clocks *out);

#endif
