/* Selections 评选 (文明邻里示范家庭, 先锋骑手 …): a community's yearly selection
 * with a nomination window, nomination by self or by neighbours, the
 * community's review, and publication of the winners with the honour recorded
 * and points paid through svc_points_award (docs/evaluation.md). */
#ifndef LINLI_SVC_SELECTIONS_H
#define LINLI_SVC_SELECTIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

struct selection_input {
    const char *name, *year, *kind, *place_code, *opens_on, *closes_on, *honour, *points;
};
/* people.write over the community; audited (selection, create). */
struct svc_result svc_selection_create(db *d, arena *a, const struct principal *who,
                                       const struct selection_input *in);

/* A nomination: self (the account's own person), or nominee_name (staff:
 * person_id), and the reason. */
struct nomination_input {
    bool self;
    const char *nominee_name, *reason;
    int64_t person_id;
};
/* A review: decision approve / reject, and reason. */
struct nomination_review_input {
    const char *decision, *reason;
};

/* self non-zero: the account's own person; else the neighbour named
 * nominee_name living in the community (staff may give person_id instead). */
struct svc_result svc_selection_nominate(db *d, arena *a, const struct principal *who,
                                         int64_t selection, int self, const char *nominee_name,
                                         int64_t person_id, const char *reason);

/* decision approve / reject (reason 2–200 字), while the selection is open. */
struct svc_result svc_nomination_review(db *d, arena *a, const struct principal *who,
                                        int64_t nomination, const char *decision,
                                        const char *reason);

/* Publishes the approved nominations as winners, once: a second call answers
 * E_CONFLICT and pays nothing. Points are paid in the same transaction. */
struct svc_result svc_selection_publish(db *d, arena *a, const struct principal *who,
                                        int64_t selection);

const char *selection_kind_zh(const char *kind);
const char *nomination_state_zh(const char *state);

#endif
