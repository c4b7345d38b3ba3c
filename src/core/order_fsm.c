/* The work-order state machine: one table, and the functions that read it.
 * See order_fsm.h for the vocabulary; docs/demand-loop.md prints the table. */
#include "core/order_fsm.h"

#include <stdio.h>
#include <string.h>

/* Short names for the table only. */
#define R ORDER_ACTOR_REQUESTER
#define D ORDER_ACTOR_DISPATCHER
#define A ORDER_ACTOR_ASSIGNEE
#define P ORDER_ACTOR_DEPARTMENT
#define S ORDER_ACTOR_SECRETARY
#define Y ORDER_ACTOR_SYSTEM

#define N_REASON   ORDER_NEED_REASON
#define N_TARGET   ORDER_NEED_TARGET
#define N_ASSIGNEE ORDER_NEED_ASSIGNEE
#define N_RESULT   ORDER_NEED_RESULT
#define N_RATING   ORDER_NEED_RATING
#define N_RESUME   ORDER_NEED_RESUME_TO
#define N_NOTE     ORDER_NEED_NOTE

#define SAME ORDER_TO_SAME

/* THE table. Why some rows are as they are:
 * - accepted orders with no assignee form the open pool: an eligible volunteer
 *   may take one (抢单); the community may also handle it itself on the spot
 *   (现场处置: contact and resolve as dispatcher).
 * - 退单 returns the order to accepted (the pool / the dispatcher's queue).
 * - reopen goes back to taken: the same assignee redoes the work, and the
 *   dispatcher may transfer it from there.
 * - a department called in by a whistle (报到) may contact and resolve. */
const struct order_transition order_transitions[] = {
    {ORDER_SUBMITTED, ORDER_EV_ACCEPT, ORDER_ACCEPTED, D, 0},
    {ORDER_SUBMITTED, ORDER_EV_REJECT, ORDER_REJECTED, D, N_REASON},
    {ORDER_SUBMITTED, ORDER_EV_MERGE, ORDER_MERGED, D, N_TARGET},
    {ORDER_SUBMITTED, ORDER_EV_ESCALATE, SAME, D | S | Y, 0},
    {ORDER_SUBMITTED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_ACCEPTED, ORDER_EV_REJECT, ORDER_REJECTED, D, N_REASON},
    {ORDER_ACCEPTED, ORDER_EV_MERGE, ORDER_MERGED, D, N_TARGET},
    {ORDER_ACCEPTED, ORDER_EV_DISPATCH, ORDER_DISPATCHED, D, N_ASSIGNEE},
    {ORDER_ACCEPTED, ORDER_EV_TAKE, ORDER_TAKEN, A, 0},
    {ORDER_ACCEPTED, ORDER_EV_CONTACT, SAME, D, 0},
    {ORDER_ACCEPTED, ORDER_EV_SUSPEND, ORDER_SUSPENDED, D, N_REASON},
    {ORDER_ACCEPTED, ORDER_EV_RESOLVE, ORDER_RESOLVED, D, N_RESULT},
    {ORDER_ACCEPTED, ORDER_EV_ESCALATE, SAME, D | S | Y, 0},
    {ORDER_ACCEPTED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_DISPATCHED, ORDER_EV_TRANSFER, ORDER_DISPATCHED, D, N_ASSIGNEE},
    {ORDER_DISPATCHED, ORDER_EV_TAKE, ORDER_TAKEN, A, 0},
    {ORDER_DISPATCHED, ORDER_EV_RETURN, ORDER_ACCEPTED, A, N_REASON},
    {ORDER_DISPATCHED, ORDER_EV_SUSPEND, ORDER_SUSPENDED, D, N_REASON},
    {ORDER_DISPATCHED, ORDER_EV_ESCALATE, SAME, D | S | Y, 0},
    {ORDER_DISPATCHED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_TAKEN, ORDER_EV_TRANSFER, ORDER_DISPATCHED, D, N_ASSIGNEE},
    {ORDER_TAKEN, ORDER_EV_RETURN, ORDER_ACCEPTED, A, N_REASON},
    {ORDER_TAKEN, ORDER_EV_CONTACT, SAME, A | D | P, 0},
    {ORDER_TAKEN, ORDER_EV_SUSPEND, ORDER_SUSPENDED, A | D, N_REASON},
    {ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_RESOLVED, A | D | P, N_RESULT},
    {ORDER_TAKEN, ORDER_EV_ESCALATE, SAME, A | D | S | Y, 0},
    {ORDER_TAKEN, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_SUSPENDED, ORDER_EV_RESUME, ORDER_TO_RESUMED, A | D | Y, N_RESUME},
    {ORDER_SUSPENDED, ORDER_EV_ESCALATE, SAME, D | S | Y, 0},
    {ORDER_SUSPENDED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_RESOLVED, ORDER_EV_RATE, ORDER_RATED, R, N_RATING},
    {ORDER_RESOLVED, ORDER_EV_REOPEN, ORDER_TAKEN, D | S, 0},
    {ORDER_RESOLVED, ORDER_EV_CLOSE, ORDER_CLOSED, D | S | Y, 0},
    {ORDER_RESOLVED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_RATED, ORDER_EV_REOPEN, ORDER_TAKEN, S | Y, 0},
    {ORDER_RATED, ORDER_EV_CLOSE, ORDER_CLOSED, D | S | Y, 0},
    {ORDER_RATED, ORDER_EV_ESCALATE, SAME, D | Y, 0},
    {ORDER_RATED, ORDER_EV_SUPERVISE, SAME, S, N_NOTE},

    {ORDER_CLOSED, ORDER_EV_REVISIT, SAME, D | S, N_NOTE},
};
const int order_transitions_count = (int)(sizeof order_transitions / sizeof order_transitions[0]);

#define C_START   ORDER_FX_CLOCKS_START
#define C_RESP    ORDER_FX_RESPONSE_STOP
#define C_RESOLVE ORDER_FX_RESOLUTION_STOP
#define C_PAUSE   ORDER_FX_CLOCKS_PAUSE
#define C_RUN     ORDER_FX_CLOCKS_RESUME
#define C_RESTART ORDER_FX_RESOLUTION_RESTART
#define T_DISP    ORDER_FX_TELL_DISPATCHERS
#define T_ASSIGN  ORDER_FX_TELL_ASSIGNEE
#define T_REQ     ORDER_FX_TELL_REQUESTER

/* THE effects, beside the transitions: what each event does besides changing
 * the state. Every event also writes its history row, its audit entry and the
 * difference it makes to the figures 三率 (svc_order_stats.h). Why:
 * - the response clock stops at the first contact 联系群众, the resolution
 *   clock at 办结; a reopen lets it run again; 挂起 stops both until 恢复.
 * - reaching 已办结 or a final state ends any open 督办. */
const struct order_event_effects order_effects[ORDER_EVENT_COUNT] = {
    {ORDER_EV_ACCEPT, C_START, NULL},
    {ORDER_EV_REJECT, ORDER_FX_REASON | ORDER_FX_SUPERVISIONS_END, NULL},
    {ORDER_EV_MERGE, ORDER_FX_MERGE | ORDER_FX_SUPERVISIONS_END, NULL},
    {ORDER_EV_DISPATCH, ORDER_FX_ASSIGN | T_ASSIGN, "dispatched"},
    {ORDER_EV_TRANSFER, ORDER_FX_ASSIGN | T_ASSIGN, "transferred"},
    {ORDER_EV_TAKE, ORDER_FX_POOL_TAKE | T_REQ, "taken"},
    {ORDER_EV_RETURN, ORDER_FX_REASON | ORDER_FX_UNASSIGN | T_DISP, "returned"},
    {ORDER_EV_CONTACT, C_RESP, NULL},
    {ORDER_EV_SUSPEND, ORDER_FX_REASON | C_PAUSE, NULL},
    {ORDER_EV_RESUME, C_RUN, NULL},
    {ORDER_EV_RESOLVE, C_RESOLVE | ORDER_FX_SUPERVISIONS_END | T_REQ | ORDER_FX_RATING_LINK,
     "resolved"},
    {ORDER_EV_RATE, ORDER_FX_RATING, NULL},
    {ORDER_EV_REOPEN, C_RESTART | T_DISP | T_ASSIGN, "reopened"},
    {ORDER_EV_CLOSE, ORDER_FX_CLOSED_AT | ORDER_FX_POINTS | ORDER_FX_SUPERVISIONS_END, NULL},
    {ORDER_EV_ESCALATE, ORDER_FX_ESCALATE, NULL},
    {ORDER_EV_SUPERVISE, ORDER_FX_SUPERVISION, NULL},
    {ORDER_EV_REVISIT, ORDER_FX_REVISIT, NULL},
};

#undef C_START
#undef C_RESP
#undef C_RESOLVE
#undef C_PAUSE
#undef C_RUN
#undef C_RESTART
#undef T_DISP
#undef T_ASSIGN
#undef T_REQ

#undef R
#undef D
#undef A
#undef P
#undef S
#undef Y

static const char *const state_ids[ORDER_STATE_COUNT] = {
    "submitted", "accepted", "dispatched", "taken",  "resolved",
    "rated",     "closed",   "rejected",   "merged", "suspended",
};
static const char *const state_zh[ORDER_STATE_COUNT] = {
    "待受理", "已受理", "已派单",   "已接单", "已办结",
    "已评价", "已关闭", "不予受理", "已合并", "挂起",
};
static const char *const event_ids[ORDER_EVENT_COUNT] = {
    "accept", "reject",  "merge",    "dispatch",  "transfer", "take",
    "return", "contact", "suspend",  "resume",    "resolve",  "rate",
    "reopen", "close",   "escalate", "supervise", "revisit",
};
static const char *const event_zh[ORDER_EVENT_COUNT] = {
    "受理", "不予受理", "合并", "派单",     "转派", "接单", "退单", "联系群众", "挂起",
    "恢复", "办结",     "评价", "重新办理", "关闭", "上报", "督办", "回访",
};
static const char *const actor_ids[ORDER_ACTOR_KIND_COUNT] = {
    "requester", "dispatcher", "assignee", "department", "secretary", "system",
};
static const char *const actor_zh[ORDER_ACTOR_KIND_COUNT] = {
    "群众", "派单员", "承办人", "部门", "书记", "系统",
};
static const char *const outcome_ids[] = {NULL, "fixed", "not_fixed", "to_demand_list"};
static const char *const outcome_zh[] = {NULL, "已解决", "未解决", "纳入需求清单"};
static const char *const rating_ids[] = {NULL, "satisfied", "basic", "unsatisfied"};
static const char *const rating_zh[] = {NULL, "满意", "基本满意", "不满意"};

static bool state_ok(int s)
{
    return s >= 0 && s < ORDER_STATE_COUNT;
}

static bool event_ok(int e)
{
    return e >= 0 && e < ORDER_EVENT_COUNT;
}

/* Index of a single actor bit, or -1. */
static int actor_index(unsigned a)
{
    for (int i = 0; i < ORDER_ACTOR_KIND_COUNT; i++)
        if (a == 1u << i) return i;
    return -1;
}

/* Non-empty after ASCII blanks and the full-width space U+3000. */
static bool has_text(const char *s)
{
    if (!s) return false;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
        } else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                   (unsigned char)s[2] == 0x80) {
            s += 3;
        } else {
            return true;
        }
    }
    return false;
}

const struct order_transition *order_fsm_find(enum order_state from, enum order_event ev)
{
    if (!state_ok((int)from) || !event_ok((int)ev)) return NULL;
    for (int i = 0; i < order_transitions_count; i++)
        if (order_transitions[i].from == from && order_transitions[i].event == ev)
            return &order_transitions[i];
    return NULL;
}

static const char *reason_missing(enum order_event ev)
{
    switch (ev) {
    case ORDER_EV_REJECT:
        return "请填写不予受理的理由";
    case ORDER_EV_RETURN:
        return "请填写退单理由";
    case ORDER_EV_SUSPEND:
        return "请填写挂起理由";
    default:
        return "请填写理由";
    }
}

/* The first missing field of a row's needs, as a Chinese message; NULL if
 * none is missing. */
static const char *missing_field(const struct order_transition *t,
                                 const struct order_event_input *in)
{
    static const struct order_event_input empty;
    if (!in) in = &empty;
    if ((t->needs & ORDER_NEED_REASON) && !has_text(in->reason)) return reason_missing(t->event);
    if ((t->needs & ORDER_NEED_TARGET) && in->target_order <= 0) return "请指定要合并到的工单";
    if ((t->needs & ORDER_NEED_ASSIGNEE) && in->assignee_id <= 0) return "请选择承办人";
    if (t->needs & ORDER_NEED_RESULT) {
        if (!has_text(in->result)) return "请填写办理结果";
        if (in->outcome < ORDER_OUTCOME_FIXED || in->outcome > ORDER_OUTCOME_TO_DEMAND_LIST)
            return "请选择办理结果类型：已解决、未解决或纳入需求清单";
    }
    if ((t->needs & ORDER_NEED_RATING) &&
        (in->rating < ORDER_RATING_SATISFIED || in->rating > ORDER_RATING_UNSATISFIED))
        return "请选择评价：满意、基本满意或不满意";
    if ((t->needs & ORDER_NEED_RESUME_TO) && !order_state_is_suspendable(in->resume_to))
        return "挂起前的状态无效，无法恢复";
    if ((t->needs & ORDER_NEED_NOTE) && !has_text(in->note)) return "请填写说明";
    return NULL;
}

int order_fsm_check(enum order_state from, enum order_event ev, unsigned actor_kinds,
                    const struct order_event_input *in, const char **reason_zh)
{
    const char *dummy;
    if (!reason_zh) reason_zh = &dummy;
    *reason_zh = NULL;
    const struct order_transition *t = order_fsm_find(from, ev);
    if (!t) {
        *reason_zh = "工单当前状态下不能执行此操作";
        return ORDER_FSM_ILLEGAL;
    }
    if (!(t->actors & actor_kinds)) {
        *reason_zh = "您无权对此工单执行此操作";
        return ORDER_FSM_FORBIDDEN;
    }
    const char *miss = missing_field(t, in);
    if (miss) {
        *reason_zh = miss;
        return ORDER_FSM_MISSING;
    }
    if (t->to == ORDER_TO_SAME) return (int)from;
    if (t->to == ORDER_TO_RESUMED) return (int)in->resume_to; /* checked by missing_field */
    return t->to;
}

static const char *need_labels[] = {
    "理由", "目标工单", "承办人", "办理结果及结果类型", "评价", "挂起前状态", "说明",
};

char *order_fsm_explain(enum order_state from, enum order_event ev, int err, char *buf, size_t size)
{
    if (!buf || size == 0) return buf;
    const char *sz = state_ok((int)from) ? state_zh[from] : "未知";
    const char *ez = event_ok((int)ev) ? event_zh[ev] : "未知操作";
    const struct order_transition *t = order_fsm_find(from, ev);
    if (err == ORDER_FSM_ILLEGAL || !t) {
        snprintf(buf, size, "工单当前状态为「%s」，不能「%s」", sz, ez);
    } else if (err == ORDER_FSM_FORBIDDEN) {
        snprintf(buf, size, "您无权对「%s」状态的工单执行「%s」", sz, ez);
    } else if (err == ORDER_FSM_MISSING) {
        char list[160] = "";
        size_t used = 0;
        for (int i = 0; i < (int)(sizeof need_labels / sizeof need_labels[0]); i++) {
            if (!(t->needs & (1u << i))) continue;
            int w =
                snprintf(list + used, sizeof list - used, "%s%s", used ? "、" : "", need_labels[i]);
            if (w < 0 || (size_t)w >= sizeof list - used) break;
            used += (size_t)w;
        }
        snprintf(buf, size, "「%s」需要填写：%s", ez, used ? list : "必填内容");
    } else {
        snprintf(buf, size, "「%s」可以执行", ez);
    }
    return buf;
}

unsigned order_fsm_effects(enum order_event ev)
{
    return event_ok((int)ev) ? order_effects[ev].fx : 0;
}

const char *order_fsm_notice(enum order_event ev)
{
    return event_ok((int)ev) ? order_effects[ev].notice : NULL;
}

unsigned order_fsm_events_for(enum order_state from, unsigned actor_kinds)
{
    unsigned bits = 0;
    for (int i = 0; i < order_transitions_count; i++)
        if (order_transitions[i].from == from && (order_transitions[i].actors & actor_kinds))
            bits |= 1u << order_transitions[i].event;
    return bits;
}

/* Parse s against ids and labels of n entries; entries may be NULL. */
static int parse_in(const char *s, const char *const *ids, const char *const *zh, int n)
{
    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if ((ids[i] && strcmp(s, ids[i]) == 0) || (zh[i] && strcmp(s, zh[i]) == 0)) return i;
    return -1;
}

const char *order_state_id(enum order_state s)
{
    return state_ok((int)s) ? state_ids[s] : NULL;
}

const char *order_state_zh(enum order_state s)
{
    return state_ok((int)s) ? state_zh[s] : NULL;
}

bool order_state_parse(const char *s, enum order_state *out)
{
    int i = parse_in(s, state_ids, state_zh, ORDER_STATE_COUNT);
    if (i < 0 || !out) return i >= 0;
    *out = (enum order_state)i;
    return true;
}

const char *order_event_id(enum order_event e)
{
    return event_ok((int)e) ? event_ids[e] : NULL;
}

const char *order_event_zh(enum order_event e)
{
    return event_ok((int)e) ? event_zh[e] : NULL;
}

const char *order_history_zh(const char *event_id)
{
    static const char *const notes[][2] = {
        {"submit", "提交诉求"},           {"whistle", "吹哨"},
        {"whistle_report", "部门报到"},   {"whistle_overdue", "超时未报到"},
        {"cost_propose", "提出部门买单"}, {"cost_confirm", "确认部门买单"},
        {"cost_decline", "拒绝部门买单"}, {"tier", "调整处置层级"},
    };
    enum order_event e;
    if (order_event_parse(event_id, &e)) return order_event_zh(e);
    for (size_t i = 0; event_id && i < sizeof notes / sizeof notes[0]; i++)
        if (strcmp(notes[i][0], event_id) == 0) return notes[i][1];
    return event_id;
}

bool order_event_parse(const char *s, enum order_event *out)
{
    int i = parse_in(s, event_ids, event_zh, ORDER_EVENT_COUNT);
    if (i < 0 || !out) return i >= 0;
    *out = (enum order_event)i;
    return true;
}

const char *order_actor_id(enum order_actor a)
{
    int i = actor_index((unsigned)a);
    return i < 0 ? NULL : actor_ids[i];
}

const char *order_actor_zh(enum order_actor a)
{
    int i = actor_index((unsigned)a);
    return i < 0 ? NULL : actor_zh[i];
}

bool order_actor_parse(const char *s, enum order_actor *out)
{
    int i = parse_in(s, actor_ids, actor_zh, ORDER_ACTOR_KIND_COUNT);
    if (i < 0 || !out) return i >= 0;
    *out = (enum order_actor)(1u << i);
    return true;
}

const char *order_outcome_id(enum order_outcome o)
{
    return (o >= ORDER_OUTCOME_FIXED && o <= ORDER_OUTCOME_TO_DEMAND_LIST) ? outcome_ids[o] : NULL;
}

const char *order_outcome_zh(enum order_outcome o)
{
    return (o >= ORDER_OUTCOME_FIXED && o <= ORDER_OUTCOME_TO_DEMAND_LIST) ? outcome_zh[o] : NULL;
}

bool order_outcome_parse(const char *s, enum order_outcome *out)
{
    int i = parse_in(s, outcome_ids, outcome_zh, 4);
    if (i < 1 || !out) return i >= 1;
    *out = (enum order_outcome)i;
    return true;
}

const char *order_rating_id(enum order_rating r)
{
    return (r >= ORDER_RATING_SATISFIED && r <= ORDER_RATING_UNSATISFIED) ? rating_ids[r] : NULL;
}

const char *order_rating_zh(enum order_rating r)
{
    return (r >= ORDER_RATING_SATISFIED && r <= ORDER_RATING_UNSATISFIED) ? rating_zh[r] : NULL;
}

bool order_rating_parse(const char *s, enum order_rating *out)
{
    int i = parse_in(s, rating_ids, rating_zh, 4);
    if (i < 1 || !out) return i >= 1;
    *out = (enum order_rating)i;
    return true;
}

bool order_state_is_final(enum order_state s)
{
    return s == ORDER_CLOSED || s == ORDER_REJECTED || s == ORDER_MERGED;
}

bool order_state_is_active(enum order_state s)
{
    return s == ORDER_SUBMITTED || s == ORDER_ACCEPTED || s == ORDER_DISPATCHED ||
           s == ORDER_TAKEN || s == ORDER_SUSPENDED;
}

bool order_state_is_suspendable(enum order_state s)
{
    return s == ORDER_ACCEPTED || s == ORDER_DISPATCHED || s == ORDER_TAKEN;
}

const char *order_state_open311(enum order_state s)
{
    if (!state_ok((int)s)) return NULL;
    return order_state_is_active(s) ? "open" : "closed";
}

enum order_after_rating order_after_rating(enum order_rating rating, int reopen_count)
{
    if (rating == ORDER_RATING_SATISFIED || rating == ORDER_RATING_BASIC) return ORDER_AFTER_CLOSE;
    if (rating == ORDER_RATING_UNSATISFIED && reopen_count < ORDER_MAX_REOPENS)
        return ORDER_AFTER_REOPEN;
    return ORDER_AFTER_SECRETARY;
}

bool order_auto_close_due(long long resolved_at, long long now, int days)
{
    if (days <= 0) days = ORDER_UNRATED_CLOSE_DAYS;
    return now - resolved_at >= (long long)days * 86400;
}
