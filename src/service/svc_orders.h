/* Work orders 工单: intake, the state machine's transitions with full history,
 * the clocks read at request time, and suggested assignees. Used by the API
 * (and later the pages and the command line).
 *
 * Every transition runs order_fsm_check() with the actor kinds of this
 * account for this order (svc_order_view.h), then, in ONE transaction: a
 * conditional UPDATE (state and version as read, so of many concurrent 抢单
 * exactly one wins), an order_events row, an audit entry and the event's
 * effects as core/order_fsm.c declares them (svc_order_effects.c).
 *
 * Capabilities (core/roles.h) over the order's place: orders.read to see it,
 * orders.file to file on any channel, orders.dispatch for the dispatcher kind,
 * orders.supervise for the secretary kind. */
#ifndef LINLI_SVC_ORDERS_H
#define LINLI_SVC_ORDERS_H
#include <stdint.h>

#include "core/order_fsm.h"
#include "core/principal.h"
#include "service/svc_order_view.h" /* the actor kinds and clocks of an order */
#include "service/svc_result.h"
#include "store/db.h"

/* Intake. Strings may be NULL (optional ones) or untrimmed. */
struct order_intake {
    const char *channel, *category_code, *place_code, *contact_phone, *title, *description;
    const char *urgency, *scope_size, *external_ref, *lat, *lon;
    int64_t requester_person_id; /* staff only: the person it is for; 0 none */
};
/* Files an order (state submitted) and records the submit event. A resident
 * files for their own household (channel web); staff with orders.file over
 * the place file on any channel. */
struct svc_result svc_order_create(db *d, arena *a, const struct principal *who,
                                   const struct order_intake *in);

/* What an event request carries (strings as given; NULL: absent). */
struct order_event_args {
    const char *event, *reason, *note, *result, *outcome, *rating, *comment, *assignee_kind;
    const char *deadline; /* supervise: 督办期限 (svc_order_followups.h); revisit uses outcome */
    int64_t assignee_id, target;
    /* set only by svc_rating_links.c after it checked a rating link: the
     * requester rates without an account (a 12345 caller, an SMS) */
    bool via_rating_link;
};
/* Applies one event to order `id`. Errors: E_NOT_FOUND (not visible),
 * E_BAD_INPUT (field), E_FORBIDDEN (visible, but not for this account),
 * E_CONFLICT (illegal in this state, or someone else changed it first). */
struct svc_result svc_order_event(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct order_event_args *in);

/* The system's move (actor 系统, history actor "系统"): escalate, close or
 * reopen order `id` as the timers decide, through the same transition, history,
 * audit and notification path as svc_order_event. Runs its own transaction,
 * nested in the caller's when one is open. E_CONFLICT when the state machine
 * refuses it or someone changed the order first. escalate stops at the county
 * (escalation level 2): it is still recorded, the level stays. */
struct svc_result svc_order_system_event(db *d, arena *a, int64_t id, enum order_event ev,
                                         const char *note, int64_t now);

/* Suggested assignees for a visible order: volunteers and party members of
 * its community ranked by core/assignee_rank.h. E_NOT_FOUND when not
 * visible, E_FORBIDDEN when the account may not dispatch it. */
struct candidate;
err_code svc_order_suggest(db *d, arena *a, const struct principal *who, int64_t id, int limit,
                           struct candidate **out, int *n);

#endif
