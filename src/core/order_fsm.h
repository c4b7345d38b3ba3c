/* The work-order (工单) state machine of the demand loop
 * 群众点单 → 社区派单 → 党员接单 → 部门买单 → 群众评单.
 *
 * ONE table (order_transitions[] in order_fsm.c) lists every allowed
 * (from state, event) pair with its next state, the actor kinds allowed to
 * cause it and the fields the event must carry. Nothing else decides whether a
 * transition is legal: services call order_fsm_check() before writing, pages
 * call it to decide which buttons to show, docs/demand-loop.md prints the
 * table. Any pair that is not in the table is an illegal transition.
 *
 * Happy path: submitted 待受理 → accepted 已受理 → dispatched 已派单 →
 * taken 已接单 → resolved 已办结 → rated 已评价 → closed 已关闭.
 * Side paths: 不予受理, 合并, 转派, 抢单 (take from the open pool of accepted
 * orders), 退单, 挂起/恢复 (the clocks stop while suspended), 重新办理.
 * Events that change no state (contact, escalate, supervise, revisit) are rows
 * whose next state is ORDER_TO_SAME: they are still guarded and recorded.
 *
 * Scope (is the actor's grant over the order's place?) is checked by the
 * service before it computes the actor kinds; this file only sees the kinds.
 * Pure: C standard library only. */
#ifndef LINLI_ORDER_FSM_H
#define LINLI_ORDER_FSM_H
#include <stdbool.h>
#include <stddef.h>

/* States. The numeric values are stable (they may be stored); the string ids
 * returned by order_state_id() are what the database and the API use. */
enum order_state {
    ORDER_SUBMITTED = 0,  /* submitted 待受理 */
    ORDER_ACCEPTED = 1,   /* accepted 已受理: in the open pool, may be 抢单 */
    ORDER_DISPATCHED = 2, /* dispatched 已派单: to a named assignee */
    ORDER_TAKEN = 3,      /* taken 已接单 */
    ORDER_RESOLVED = 4,   /* resolved 已办结: result and outcome recorded */
    ORDER_RATED = 5,      /* rated 已评价 */
    ORDER_CLOSED = 6,     /* closed 已关闭 */
    ORDER_REJECTED = 7,   /* rejected 不予受理 (final) */
    ORDER_MERGED = 8,     /* merged 已合并 into another order (final) */
    ORDER_SUSPENDED = 9,  /* suspended 挂起: clocks stopped */
    ORDER_STATE_COUNT
};

/* Events (what someone or a timer does to an order). Stable values. */
enum order_event {
    ORDER_EV_ACCEPT = 0,     /* accept 受理 */
    ORDER_EV_REJECT = 1,     /* reject 不予受理 (reason) */
    ORDER_EV_MERGE = 2,      /* merge 合并 as a duplicate (target order) */
    ORDER_EV_DISPATCH = 3,   /* dispatch 派单 (assignee) */
    ORDER_EV_TRANSFER = 4,   /* transfer 转派 to another assignee (assignee) */
    ORDER_EV_TAKE = 5,       /* take 接单; from the open pool it is 抢单 */
    ORDER_EV_RETURN = 6,     /* return 退单 back to the dispatcher (reason) */
    ORDER_EV_CONTACT = 7,    /* contact 联系群众: first contact stops the response clock */
    ORDER_EV_SUSPEND = 8,    /* suspend 挂起 (reason); the service stores the from state */
    ORDER_EV_RESUME = 9,     /* resume 恢复 to the state remembered at suspension */
    ORDER_EV_RESOLVE = 10,   /* resolve 办结 (result text and outcome) */
    ORDER_EV_RATE = 11,      /* rate 评价 (满意/基本满意/不满意) */
    ORDER_EV_REOPEN = 12,    /* reopen 重新办理 */
    ORDER_EV_CLOSE = 13,     /* close 关闭 (manual, or automatic after 7 days unrated) */
    ORDER_EV_ESCALATE = 14,  /* escalate 上报 one level up the tree; no state change */
    ORDER_EV_SUPERVISE = 15, /* supervise 督办 (note); no state change */
    ORDER_EV_REVISIT = 16,   /* revisit 回访 after closing (note); no state change */
    ORDER_EVENT_COUNT
};

/* Actor kinds, as bits: an account may be several kinds for one order (a
 * community worker who is also the assignee). The service computes them from
 * the account's grants (in scope of the order's place) and the order. */
enum order_actor {
    ORDER_ACTOR_REQUESTER = 1u << 0,  /* 群众: the person who filed the order */
    ORDER_ACTOR_DISPATCHER = 1u << 1, /* 派单员: community worker and above, in scope */
    ORDER_ACTOR_ASSIGNEE = 1u << 2,   /* 承办人: the order's current assignee (person or org);
                                       * for 抢单 of an accepted order: an account that may take
                                       * orders in the order's area */
    ORDER_ACTOR_DEPARTMENT = 1u << 3, /* 部门: a department called in (吹哨 报到, 部门买单) */
    ORDER_ACTOR_SECRETARY = 1u << 4, /* 书记/领导: community secretary or a leader above (督办) */
    ORDER_ACTOR_SYSTEM = 1u << 5, /* 系统: timers (auto close, auto reopen, escalation) */
};
#define ORDER_ACTOR_KIND_COUNT 6
#define ORDER_ACTOR_ALL        0x3fu

/* Outcome of a resolution (办结结果): "closed-not-fixed" is an outcome, not a
 * state, so the rates can tell fixed from not fixed. */
enum order_outcome {
    ORDER_OUTCOME_NONE = 0,
    ORDER_OUTCOME_FIXED = 1,          /* fixed 已解决 */
    ORDER_OUTCOME_NOT_FIXED = 2,      /* not_fixed 未解决 (with the reason in the result) */
    ORDER_OUTCOME_TO_DEMAND_LIST = 3, /* to_demand_list 纳入需求清单: a common need */
};

/* The requester's rating (评单). */
enum order_rating {
    ORDER_RATING_NONE = 0,
    ORDER_RATING_SATISFIED = 1,   /* satisfied 满意 */
    ORDER_RATING_BASIC = 2,       /* basic 基本满意 */
    ORDER_RATING_UNSATISFIED = 3, /* unsatisfied 不满意 */
};

/* Fields an event must carry (bits of order_transition.needs). */
enum order_need {
    ORDER_NEED_REASON = 1u << 0,    /* in->reason non-empty (reject, return, suspend) */
    ORDER_NEED_TARGET = 1u << 1,    /* in->target_order > 0 (merge) */
    ORDER_NEED_ASSIGNEE = 1u << 2,  /* in->assignee_id > 0 (dispatch, transfer) */
    ORDER_NEED_RESULT = 1u << 3,    /* in->result non-empty and in->outcome set (resolve) */
    ORDER_NEED_RATING = 1u << 4,    /* in->rating set (rate) */
    ORDER_NEED_RESUME_TO = 1u << 5, /* in->resume_to a suspendable state (resume) */
    ORDER_NEED_NOTE = 1u << 6,      /* in->note non-empty (supervise, revisit) */
};

/* Special values of order_transition.to. */
#define ORDER_TO_SAME    (-1) /* the state does not change */
#define ORDER_TO_RESUMED (-2) /* the state remembered at suspension (in->resume_to) */

struct order_transition {
    enum order_state from;
    enum order_event event;
    int to;          /* an enum order_state, ORDER_TO_SAME or ORDER_TO_RESUMED */
    unsigned actors; /* bits of enum order_actor allowed to cause it */
    unsigned needs;  /* bits of enum order_need */
};

/* The table, in from-state order; exported for docs and tests. */
extern const struct order_transition order_transitions[];
extern const int order_transitions_count;

/* What an event does besides changing the state (bits of
 * order_event_effects.fx). The service (svc_order_effects.c) runs one function
 * per bit, in one table; nothing else decides what an event does. */
enum order_fx {
    ORDER_FX_CLOCKS_START = 1u << 0,       /* the category's limits; accepted_at: both clocks run */
    ORDER_FX_RESPONSE_STOP = 1u << 1,      /* the first contact stops the response clock */
    ORDER_FX_RESOLUTION_STOP = 1u << 2,    /* outcome, result, resolved_at: the resolution clock
                                            * stops */
    ORDER_FX_CLOCKS_PAUSE = 1u << 3,       /* a suspension starts (the clocks stop); the state
                                            * is remembered for 恢复 */
    ORDER_FX_CLOCKS_RESUME = 1u << 4,      /* the open suspension ends (the clocks run) */
    ORDER_FX_RESOLUTION_RESTART = 1u << 5, /* the resolution is cleared, its clock runs again;
                                            * the reopen count grows */
    ORDER_FX_REASON = 1u << 6,             /* the reason is kept on the order and in the history */
    ORDER_FX_ASSIGN = 1u << 7,             /* the assignee from the input (person or org) */
    ORDER_FX_POOL_TAKE = 1u << 8,          /* taken from the open pool: the taker is the assignee */
    ORDER_FX_UNASSIGN = 1u << 9,           /* the assignee is cleared */
    ORDER_FX_MERGE = 1u << 10,             /* merged into the target order */
    ORDER_FX_RATING = 1u << 11,            /* rating, comment, rated_at; then the system's move
                                            * (order_after_rating) in the same transaction */
    ORDER_FX_CLOSED_AT = 1u << 12,         /* closed_at */
    ORDER_FX_POINTS = 1u << 13,            /* 服务换积分: finish_order points to the person who
                                            * fixed it */
    ORDER_FX_ESCALATE = 1u << 14,          /* the escalation level grows (the system's stops at
                                            * the county) */
    ORDER_FX_SUPERVISION = 1u << 15,       /* a 督办 with its deadline */
    ORDER_FX_REVISIT = 1u << 16,           /* a 回访 with its outcome */
    ORDER_FX_SUPERVISIONS_END = 1u << 17,  /* open 督办 end (resolved or final) */
    ORDER_FX_TELL_DISPATCHERS = 1u << 18,  /* notice: the staff of the order's level */
    ORDER_FX_TELL_ASSIGNEE = 1u << 19,     /* notice: the assignee's accounts (the new one) */
    ORDER_FX_TELL_REQUESTER = 1u << 20,    /* notice: the requester's accounts */
    ORDER_FX_RATING_LINK = 1u << 21,       /* with the requester's notice a rating link 评价链接
                                            * (by SMS webhook when the requester has no account) */
};
#define ORDER_FX_COUNT 22

struct order_event_effects {
    enum order_event event;
    unsigned fx;        /* bits of enum order_fx */
    const char *notice; /* the kind of the notices it sends ("dispatched"), or NULL */
};
/* The effects, one row per event in event order; exported for docs and tests. */
extern const struct order_event_effects order_effects[ORDER_EVENT_COUNT];
/* The effects of an event (0 for an out-of-range value), and the kind of its
 * notices (NULL: it sends none). */
unsigned order_fsm_effects(enum order_event ev);
const char *order_fsm_notice(enum order_event ev);

/* What an event carries. Zero-initialise and set what the event needs; fields
 * an event does not need are ignored (an optional note is always allowed). */
struct order_event_input {
    const char *reason;         /* 理由: reject, return, suspend (optional elsewhere) */
    long long target_order;     /* merge: the order this one duplicates */
    long long assignee_id;      /* dispatch, transfer: the new assignee */
    const char *result;         /* resolve: 办理结果 */
    enum order_outcome outcome; /* resolve */
    enum order_rating rating;   /* rate */
    enum order_state resume_to; /* resume: the state stored when the order was suspended */
    const char *note;           /* supervise, revisit: required; otherwise optional */
};

/* Errors returned (negative) by order_fsm_check(). */
enum order_fsm_error {
    ORDER_FSM_ILLEGAL = -1,   /* no such transition from this state */
    ORDER_FSM_FORBIDDEN = -2, /* the transition exists but not for these actor kinds */
    ORDER_FSM_MISSING = -3,   /* a required field is missing or invalid */
};

/* The row for (from, ev), or NULL when the transition is illegal (also for
 * out-of-range values). */
const struct order_transition *order_fsm_find(enum order_state from, enum order_event ev);

/* Decide one transition. Returns the next state (≥ 0; equal to from for
 * no-state-change events, in->resume_to for resume) or a negative
 * enum order_fsm_error, checked in this order: illegal transition, actor not
 * allowed (actor_kinds has no bit in common with the row), missing field.
 * On error *reason_zh (if reason_zh is not NULL) is set to a static Chinese
 * message naming what is wrong; on success to NULL. in may be NULL when the
 * event needs no field. Changes nothing: the caller writes the result. */
int order_fsm_check(enum order_state from, enum order_event ev, unsigned actor_kinds,
                    const struct order_event_input *in, const char **reason_zh);

/* A full Chinese sentence for an error of order_fsm_check(), naming the state
 * and the action, e.g. "工单当前状态为「已关闭」，不能「受理」". Writes at most
 * size bytes (always NUL-terminated when size > 0); returns buf. */
char *order_fsm_explain(enum order_state from, enum order_event ev, int err, char *buf,
                        size_t size);

/* The events allowed from a state for these actor kinds, as bits
 * (1u << event); for showing the buttons an account may press. */
unsigned order_fsm_events_for(enum order_state from, unsigned actor_kinds);

/* Names. *_id: the stable English identifier ("submitted"); *_zh: the Chinese
 * label ("待受理"). Both return NULL for out-of-range values (and for the
 * NONE outcome/rating). *_parse accepts either the id or the label and returns
 * false (leaving *out alone) for anything else, including NULL. */
const char *order_state_id(enum order_state s);
const char *order_state_zh(enum order_state s);
bool order_state_parse(const char *s, enum order_state *out);
const char *order_event_id(enum order_event e);
const char *order_event_zh(enum order_event e);
/* The Chinese name of any row of an order's history: the state machine's
 * events, and the notes other capabilities add (submit 提交诉求, whistle 吹哨,
 * whistle_report 报到, whistle_overdue 超时未报到, cost_* 部门买单, tier
 * 处置层级). An unknown id is returned as it is. */
const char *order_history_zh(const char *event_id);
bool order_event_parse(const char *s, enum order_event *out);
/* One actor kind (a single bit). */
const char *order_actor_id(enum order_actor a);
const char *order_actor_zh(enum order_actor a);
bool order_actor_parse(const char *s, enum order_actor *out);
const char *order_outcome_id(enum order_outcome o);
const char *order_outcome_zh(enum order_outcome o);
bool order_outcome_parse(const char *s, enum order_outcome *out);
const char *order_rating_id(enum order_rating r);
const char *order_rating_zh(enum order_rating r);
bool order_rating_parse(const char *s, enum order_rating *out);

/* Kinds of states. Final: closed, rejected, merged (only 回访 remains, after
 * closing). Active: work still to do (submitted, accepted, dispatched, taken,
 * suspended) — what an assignee's load and the dispatcher's queue count.
 * Suspendable: the states 挂起 may start from and 恢复 returns to (accepted,
 * dispatched, taken). */
bool order_state_is_final(enum order_state s);
bool order_state_is_active(enum order_state s);
bool order_state_is_suspendable(enum order_state s);
/* Open311 GeoReport v2 status: "open" until resolved, then "closed"
 * (resolved, rated, closed, rejected, merged). NULL when out of range. */
const char *order_state_open311(enum order_state s);

/* The reopen rule (不满意 reopens once, then the secretary takes over). */
#define ORDER_MAX_REOPENS        1
#define ORDER_UNRATED_CLOSE_DAYS 7 /* default; a county may configure another */

enum order_after_rating {
    ORDER_AFTER_CLOSE,     /* 满意/基本满意: the system closes the order */
    ORDER_AFTER_REOPEN,    /* first 不满意: the system reopens it (rated → taken) */
    ORDER_AFTER_SECRETARY, /* 不满意 again: escalate to the community secretary, who
                            * may reopen or close it by hand */
};
/* What follows a rating, given how many times the order was already
 * reopened: 满意/基本满意 → close; 不满意 with reopen_count < ORDER_MAX_REOPENS →
 * reopen; 不满意 after that → secretary. An invalid rating (NONE or out of
 * range) also gives ORDER_AFTER_SECRETARY, so a human looks at it. */
enum order_after_rating order_after_rating(enum order_rating rating, int reopen_count);

/* True when a resolved, unrated order is due for automatic closing: at least
 * days × 24 h have passed since resolved_at (days ≤ 0 uses the default 7). */
bool order_auto_close_due(long long resolved_at, long long now, int days);

#endif
