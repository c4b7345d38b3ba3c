/* What follows an order besides its state: 督办 with a deadline, 回访 with an
 * outcome (both recorded by the supervise/revisit events' effects,
 * svc_order_effects.c, in the same transaction), and the handling tier 处置层级 with a 协商处置
 * consultation outcome. */
#ifndef LINLI_SVC_ORDER_FOLLOWUPS_H
#define LINLI_SVC_ORDER_FOLLOWUPS_H
#include <stdint.h>

#include "core/order_fsm.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* Before a supervise/revisit event: checks its extra input (deadline: a date
 * YYYY-MM-DD, ends at 24:00 China time, or RFC 3339; empty: the default of
 * SUPERVISION_DAYS_DEFAULT days; revisit outcome satisfied/unsatisfied/
 * problem_recurred, required) and sets *deadline. E_OK for other events. */
struct svc_result svc_followup_check(arena *a, enum order_event ev, const char *deadline,
                                     const char *revisit_outcome, int64_t now,
                                     int64_t *deadline_out);
/* Sets the tier (dispatcher of the order's place); for consult, participants
 * and outcome (both required) record the consultation, held_at (YYYY-MM-DD
 * or RFC 3339, empty: now). */
struct svc_tier_input {
    const char *tier, *note, *participants, *outcome, *held_at;
};
struct svc_result svc_order_set_tier(db *d, arena *a, const struct principal *who, int64_t order_id,
                                     const struct svc_tier_input *in);
#endif
