/* SQL for work orders 工单: the order row, its immutable history
 * (order_events) and its suspensions. Visibility (one rule, used by get and
 * list, with the viewer bound once in a CTE): the command line (viewer 0); staff holding
 * orders.read over the order's place (SCOPE_COVERS); the requester's account;
 * the assignee (the account's person, or a grant on the assignee
 * organisation); and, for the open pool (accepted, no assignee), a volunteer
 * or party member whose grants cover the place; and a department called in by
 * a whistle (吹哨) or named to pay (部门买单). The service decides who may
 * change what (core/order_fsm.h). */
#ifndef LINLI_STORE_ORDERS_H
#define LINLI_STORE_ORDERS_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Columns of order rows (store_order_get, store_orders_list). */
enum order_col {
    OC_ID,
    OC_CODE,
    OC_CHANNEL,
    OC_CATEGORY,
    OC_PLACE,
    OC_REQ_PERSON,
    OC_REQ_ACCOUNT,
    OC_CREATED_BY,
    OC_PHONE,
    OC_TITLE,
    OC_DESCRIPTION,
    OC_URGENCY,
    OC_SCOPE_SIZE,
    OC_SKILL,
    OC_TIER,
    OC_STATE,
    OC_RESUME_TO,
    OC_VERSION,
    OC_ASSIGNEE_KIND,
    OC_ASSIGNEE_ID,
    OC_REOPEN_COUNT,
    OC_ESCALATION,
    OC_MERGED_INTO,
    OC_OUTCOME,
    OC_RESULT,
    OC_RATING,
    OC_RATING_COMMENT,
    OC_REASON,
    OC_RESPONSE_LIMIT,
    OC_RESOLUTION_LIMIT,
    OC_WORKING_HOURS,
    OC_ACCEPTED_AT,
    OC_FIRST_CONTACT_AT,
    OC_RESOLVED_AT,
    OC_RATED_AT,
    OC_CLOSED_AT,
    OC_CREATED_AT,
    OC_UPDATED_AT,
    OC_EXTERNAL_REF,
    OC_LAT,
    OC_LON,
    OC_CATEGORY_NAME,
    OC_PLACE_NAME,
    OC_ASSIGNEE_NAME,
    OC_SUSPENSIONS, /* how many times it was suspended (0: no clock query needed) */
    OC__COUNT
};

/* An order row as a struct (strings in the caller's arena, NULL when the
 * column is NULL; times are Unix seconds, 0 when not yet). */
struct order_row {
    int64_t id, requester_person_id, requester_account_id, created_by, version;
    const char *code, *channel, *category_code, *place_code, *contact_phone, *title, *description,
        *urgency, *scope_size, *skill, *tier, *state, *resume_to;
    const char *assignee_kind; /* NULL: none */
    int64_t assignee_id, merged_into;
    int reopen_count, escalation_level;
    const char *outcome, *result, *rating, *rating_comment, *reason;
    int64_t response_limit_s, resolution_limit_s;
    bool working_hours;
    int64_t accepted_at, first_contact_at, resolved_at, rated_at, closed_at, created_at, updated_at;
    const char *external_ref, *lat, *lon, *category_name, *place_name, *assignee_name;
    int suspensions; /* how many times it was suspended (0: no clock query needed) */
};
/* Row `row` of store_order_get / store_orders_list as a struct. */
void store_order_row(const db_rows *r, int row, struct order_row *out);
/* Whether the order exists and is visible to the viewer. */
bool store_order_visible(db *d, arena *a, int64_t viewer, int64_t id);
/* One order visible to the viewer into *out; false when not visible. */
bool store_order_read(db *d, arena *a, int64_t viewer, int64_t id, struct order_row *out);

struct order_new {
    const char *channel, *category_code, *place_code, *contact_phone, *title, *description;
    const char *urgency, *scope_size, *skill, *tier, *external_ref;
    int64_t requester_person_id, requester_account_id, created_by; /* 0: none */
    const char *lat, *lon;                                         /* decimal text or NULL */
};
/* Inserts a submitted order and gives it its code GD<yyyymmdd>-<id:06>
 * (date in China time). Returns the id, -1 on error. */
int64_t store_order_insert(db *d, arena *a, const struct order_new *o, int64_t now);

/* One order visible to the viewer, or NULL. */
db_rows *store_order_get(db *d, arena *a, int64_t viewer, int64_t id);

struct order_filter {
    const char *state, *place, *category, *channel; /* NULL: any; place: its subtree */
    bool assigned_to_me, mine;                      /* the viewer's person/orgs; requested by */
    int64_t before_id;                              /* keyset: id < before_id (0: newest) */
    int limit;
};
/* Orders visible to the viewer, newest first. */
db_rows *store_orders_list(db *d, arena *a, int64_t viewer, const struct order_filter *f);

/* The same list as an array of structs: how many, or -1 on error. */
int store_orders_rows(db *d, arena *a, int64_t viewer, const struct order_filter *f,
                      struct order_row **out);

/* The new values of a transition. Strings NULL keep the column (use "" for
 * nothing where a column must be cleared: see the clear_* flags). Times 0 keep. */
struct order_change {
    const char *state, *resume_to, *assignee_kind, *outcome, *result, *rating, *rating_comment,
        *reason;
    int64_t assignee_id, merged_into;
    int64_t response_limit_s, resolution_limit_s; /* 0: keep */
    int working_hours;                            /* -1: keep */
    int64_t accepted_at, first_contact_at, resolved_at, rated_at, closed_at;
    int reopen_inc, escalation_inc;
    bool clear_resume_to, clear_resolution,
        clear_assignee; /* resolution: outcome, result, rating, resolved/rated */
};
/* Applies a change only if the order is still in from_state at version:
 * 1 when it did, 0 when someone else changed it first (抢单: exactly one of
 * many concurrent takers gets 1), negative on error. Bumps the version. */
int store_order_update(db *d, int64_t id, const char *from_state, int64_t version,
                       const struct order_change *c, int64_t now);

/* Appends a history row. */
int store_order_event_add(db *d, int64_t order_id, int64_t now, int64_t account_id,
                          const char *actor, const char *event, const char *from_state,
                          const char *to_state, const char *note, const char *data_json);
enum order_event_col {
    OE_ID,
    OE_AT,
    OE_ACCOUNT,
    OE_ACTOR,
    OE_EVENT,
    OE_FROM,
    OE_TO,
    OE_NOTE,
    OE_DATA,
    OE__COUNT
};
/* The history of an order, oldest first (the caller checked visibility). */
db_rows *store_order_events(db *d, arena *a, int64_t order_id);

/* The history as structs, oldest first (at: Unix seconds; account_id 0:
 * none; strings NULL when the column is NULL): how many, or -1 on error. */
struct order_event_row {
    int64_t id, at, account_id;
    const char *actor, *event, *from_state, *to_state, *note, *data_json;
};
int store_order_history(db *d, arena *a, int64_t order_id, struct order_event_row **out);

/* Suspensions: start one, end the open one, list them (start, end or NULL). */
int store_order_suspend_start(db *d, int64_t order_id, int64_t now, const char *reason);
int store_order_suspend_end(db *d, int64_t order_id, int64_t now);
db_rows *store_order_suspensions(db *d, arena *a, int64_t order_id);
/* The suspensions as spans, oldest first (end 0: still open); the count, or
 * -1 on error. */
struct order_span {
    int64_t start, end;
};
int store_order_suspension_spans(db *d, arena *a, int64_t order_id, struct order_span **out);

/* Facts about an account for computing actor kinds. */
struct order_account {
    int64_t person_id; /* 0: none */
    bool pool_taker;   /* a volunteer or party member */
    bool partner;      /* a new-employment partner (快递、外卖、网约车): 隐患上报 */
};
void store_order_account(db *d, int64_t account, struct order_account *out);
/* The account holds a grant on this organisation. */
bool store_order_account_has_org(db *d, int64_t account, int64_t org_id);
/* Whether order id left the open pool through a 抢单 (a take from accepted
 * is in its history, and it is no longer accepted without an assignee) and
 * the viewer is a volunteer or party member whose grants cover its place:
 * someone who could have seen it in the pool. What lets a loser of the race
 * hear 409 already_taken instead of 404 without telling anyone else that
 * the order exists. */
bool store_order_taken_from_pool(db *d, int64_t viewer, int64_t id);
/* Some grant of the account (any role) covers the place. */
bool store_order_account_covers(db *d, int64_t account, const char *place);

/* Candidates for 派单建议: volunteers and party members living in the
 * subtree `area`, at most limit: how many, or -1. */
struct order_candidate {
    int64_t id;
    const char *name, *place_code, *skills; /* skills: comma-separated, or NULL */
    int open_orders, n_satisfied, n_basic, n_unsatisfied;
};
int store_order_candidates(db *d, arena *a, const char *area, int limit,
                           struct order_candidate **out);

/* An organisation's kind and name, or NULL. */
db_rows *store_order_org(db *d, arena *a, int64_t org_id);
/* A person's name and place, or NULL. */
db_rows *store_order_person(db *d, arena *a, int64_t person_id);
/* An organisation's kind, or NULL when there is none. */
const char *store_order_org_kind(db *d, arena *a, int64_t org_id);
/* A person's place (home), or NULL. */
const char *store_order_person_home(db *d, arena *a, int64_t person_id);

#endif
