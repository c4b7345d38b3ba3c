/* The effects of an order event (core/order_fsm.h, order_effects[]): one
 * function per bit of enum order_fx, in one table (svc_order_effects.c).
 * Private to the order events (svc_orders.c); includes no service header
 * that calls back into orders. */
#ifndef LINLI_SVC_ORDER_EFFECTS_H
#define LINLI_SVC_ORDER_EFFECTS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/order_fsm.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_orders.h"

/* One event being applied to one order. */
struct order_step {
    db *d;
    arena *a;
    const struct principal *who; /* named in the audit log */
    int64_t viewer;              /* the account acting (lookups, follow-ups); 0: the system */
    bool system;                 /* the history names 系统 as the actor */
    bool capped;                 /* the system's escalation: stops at the county, level noted */
    const struct order_row *o;   /* the order as read before the event */
    int64_t version;             /* the version the change expects */
    enum order_state from;
    enum order_event ev;
    struct order_event_input fin; /* checked by order_fsm_check */
    const char *assignee_kind;    /* dispatch, transfer: person (default) or org */
    const char *comment;          /* rate: trimmed, or NULL */
    const char *deadline_text;    /* supervise: as given */
    const char *revisit_outcome;  /* revisit: as given */
    int64_t deadline;             /* supervise: set by the effect's check */
    int64_t now;
    const char *note; /* the history note */
    struct order_change c;
    json_t *data; /* the history's data; owned by the step */
};

/* Starts a step to state `to`: the change's state, the note, empty data. */
void order_step_start(struct order_step *s, int to);

/* Before the transaction: checks what the event's effects need and fills
 * s->c and s->data. E_OK, or the failure to answer. */
struct svc_result order_fx_prepare(struct order_step *s);

/* Inside the open transaction: writes the transition (the conditional
 * update, history, audit, figures) and then runs the event's effects.
 * 1 done, 0 someone changed the order first, -1 error. */
int order_step_write(struct order_step *s);

#endif
