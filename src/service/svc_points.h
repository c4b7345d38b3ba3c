/* The points ledger 积分 (docs/points.md): awards by rule 服务换积分, reversals,
 * the points supermarket 积分超市 (goods, stock, redemption) and the read side
 * (statements, leaderboards, totals).
 *
 * Every movement is a double entry that sums to zero: an award moves points
 * from a community's issuing account 发放账户 to a person, a redemption from a
 * person to the community's supermarket account, a reversal mirrors the movement
 * it corrects. Entries and movements are immutable (the store refuses UPDATE and
 * DELETE); cached balances change in the same transaction. */
#ifndef LINLI_SVC_POINTS_H
#define LINLI_SVC_POINTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "util/arena.h"

#define POINTS_REASON_MAX 200 /* characters of a reason or a note */
#define POINTS_NAME_MAX   50  /* characters of a rule's or a good's name */
#define POINTS_DONOR_MAX  100 /* characters of a donor */
#define POINTS_QTY_MAX    100 /* items of one redemption */

/* One award, from any capability (wishes, activities, orders, meetings, visits).
 * source_type is an open list of ids: serve_activity finish_order fulfil_wish
 * meeting visit …; (source_type, source_id, person_id) pays at most once. */
struct points_award {
    int64_t person_id;
    const char *place_code;  /* the community whose issuing account pays */
    const char *source_type; /* [a-z0-9_], at most 32 characters */
    int64_t source_id;       /* the wish, activity, order … that earned it (> 0) */
    int64_t points;          /* 0: the community's rule for source_type decides */
    const char *reason;      /* shown on the statement; NULL: the rule's name */
};

/* Awards points. It does NOT check the principal's capabilities: the caller has
 * already authorised the event that earns them (the principal is recorded as the
 * author, NULL or account 0 for the system). Usable inside the caller's open
 * transaction:
 *   - success: .err E_OK, .id the movement;
 *   - a replay of the same (source_type, source_id, person_id): E_OK, .id the
 *     ORIGINAL movement and .message non-NULL ("已发放过…") — nothing is written;
 *   - a refusal (bad input, no rule, over the rule's cap for the period, unknown
 *     person or community): an error, nothing written, and the caller's
 *     transaction stays open and usable (a savepoint is rolled back);
 *   - a store error: E_INTERNAL and the whole transaction is rolled back. */
struct svc_result svc_points_award(db *d, arena *a, const struct principal *who,
                                   const struct points_award *aw);

/* 服务换积分 for an account's person, as other capabilities pay it (a wish
 * fulfilled, an activity served): the rule of the community the place lies in
 * decides the points. Inside the caller's transaction. Returns 0 when paid, or
 * when nothing is due (no person, no rule, over the cap, already paid: the
 * service itself stands); -1 when the store failed and the transaction is
 * rolled back. */
int svc_points_award_service(db *d, arena *a, const struct principal *who, int64_t account,
                             const char *place, const char *source_type, int64_t source_id);
/* The same for a person (an order's assignee is one, not an account). */
int svc_points_award_person(db *d, arena *a, const struct principal *who, int64_t person,
                            const char *place, const char *source_type, int64_t source_id);

/* The same award made by staff by hand (the API and the staff page): needs
 * points.manage over the community and over the person's place; a person
 * out of that scope answers 404, as an unknown one does. */
struct svc_result svc_points_award_manual(db *d, arena *a, const struct principal *who,
                                          const struct points_award *aw);

/* Reverses a movement (award or redemption) with a reason: a new movement with
 * the entries mirrored, both balances restored (a redemption also returns its
 * stock). Needs points.manage over the movement's community. Once only. */
struct svc_result svc_points_reverse(db *d, arena *a, const struct principal *who,
                                     int64_t movement_id, const char *reason);

/* ---- rules, goods, redemption (numbers are text: forms and the API share
 * one validation; NULL or "" takes the default named) ---- */

/* Creates or replaces the rule of (place, source_type): points 1–100000, cap
 * 0–100000 per person per period (0: none), period day/week/month/year
 * (default month). Needs points.manage over place (a community or above). */
struct points_rule_input {
    const char *place_code, *source_type, *name, *points, *cap, *period;
    const char *active; /* "0" turns it off; default on */
};
struct svc_result svc_points_rule_put(db *d, arena *a, const struct principal *who,
                                      const struct points_rule_input *in);

/* A good of a community's supermarket, with its first stock (a donation
 * 爱心捐赠 names its donor, or a purchase 社区自筹). Needs points.manage. */
struct points_goods_input {
    const char *place_code, *name, *price, *stock;
    const char *source; /* donation | purchase */
    const char *donor, *note;
};
struct svc_result svc_points_goods_create(db *d, arena *a, const struct principal *who,
                                          const struct points_goods_input *in);
/* More stock for a good (in->price/place/name ignored), a stock movement
 * donation_in / purchase_in. */
struct svc_result svc_points_stock_in(db *d, arena *a, const struct principal *who, int64_t goods,
                                      const struct points_goods_input *in);
/* Price and whether it is on the shelf; what is not given stays. */
struct points_goods_update {
    const char *price; /* NULL or "": unchanged */
    bool active, active_set;
};
struct svc_result svc_points_goods_update(db *d, arena *a, const struct principal *who,
                                          int64_t goods, const struct points_goods_update *in);

/* A redemption: qty of a good for points, points and stock in one transaction,
 * neither ever below zero. person_id 0 (or the principal's own person): the
 * resident redeems for themselves, goods of their own community only. Another
 * person: only staff with points.manage over the good's community AND over
 * the person's place (else 404, as for an unknown person), for a resident of
 * the good's community, at the counter, where the resident confirms with
 * something only she has (core/redeem_confirm.h): the one-time code on her
 * phone (svc_points_code_issue) or her whole registered phone number —
 * not for a staff account that revealed or registered her record (the audit
 * log shows it has seen the number; 422 whatever was typed);
 * recorded as "code" or "phone" and audited. A wrong confirmation and a
 * balance that does not cover the price give one answer (422, field
 * confirm); a wrong one is recorded and audited. A right one starts the
 * person's count afresh; at REDEEM_TRIES_MAX wrong ones for the person (or
 * REDEEM_TRIES_MAX_STAFF by the staff account) within the window, the counter
 * is refused (429, audited), the right answer too, until they leave the window.
 *
 * request_key: the key of the form posted (core/redeem_confirm.h; NULL:
 * none). The same account posting the same key again redeems nothing and
 * answers E_OK with the ORIGINAL movement's id and a non-NULL message.
 * Otherwise .id is the redeem movement. */
struct points_redeem {
    int64_t goods_id, person_id;
    const char *qty;         /* default 1 */
    const char *confirm;     /* counter only: the resident's code or whole phone number */
    const char *request_key; /* pages: the form's key */
};
struct svc_result svc_points_redeem(db *d, arena *a, const struct principal *who,
                                    const struct points_redeem *in);

/* A new one-time code for the principal's own person, replacing any before,
 * valid REDEEM_CODE_TTL_S seconds and for one counter redemption: *code
 * (arena) and *expires. Audited without the code. */
struct svc_result svc_points_code_issue(db *d, arena *a, const struct principal *who,
                                        const char **code, int64_t *expires);

/* ---- read side ---- */

/* Whether who may read person's points: their own, or points.read over the
 * person's place. */
bool svc_points_may_read(db *d, const struct principal *who, int64_t person);

/* The community of the principal's own person (their home supermarket), or NULL. */
const char *svc_points_home(db *d, arena *a, const struct principal *who);

/* The period [from, to) named by period (day week month year, or all; default
 * month) containing date (YYYY-MM-DD, default today, China time). */
struct svc_result svc_points_period(const char *period, const char *date, int64_t *from,
                                    int64_t *to);

#endif
