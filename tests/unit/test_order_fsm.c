/* Unit tests for core/order_fsm: the work-order state machine. The expected
 * transitions are written out again here, independently of the table, and
 * EVERY (state, event) pair is checked against them: allowed pairs give their
 * next state, all others the illegal-transition error, for every combination
 * of actor kinds. Then every role guard and every required field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/order_fsm.h"

/* The specification, as the issue and docs/demand-loop.md state it. Actors:
 * R requester, D dispatcher, A assignee, P department, S secretary, Y system.
 * Needs: r reason, t target, a assignee, x result+outcome, g rating,
 * m resume_to, n note. */
struct spec_row {
    const char *from, *event, *to, *actors, *needs;
};
static const struct spec_row spec[] = {
    {"submitted", "accept", "accepted", "D", ""},
    {"submitted", "reject", "rejected", "D", "r"},
    {"submitted", "merge", "merged", "D", "t"},
    {"submitted", "escalate", "same", "DSY", ""},
    {"submitted", "supervise", "same", "S", "n"},
    {"accepted", "reject", "rejected", "D", "r"},
    {"accepted", "merge", "merged", "D", "t"},
    {"accepted", "dispatch", "dispatched", "D", "a"},
    {"accepted", "take", "taken", "A", ""},
    {"accepted", "contact", "same", "D", ""},
    {"accepted", "suspend", "suspended", "D", "r"},
    {"accepted", "resolve", "resolved", "D", "x"},
    {"accepted", "escalate", "same", "DSY", ""},
    {"accepted", "supervise", "same", "S", "n"},
    {"dispatched", "transfer", "dispatched", "D", "a"},
    {"dispatched", "take", "taken", "A", ""},
    {"dispatched", "return", "accepted", "A", "r"},
    {"dispatched", "suspend", "suspended", "D", "r"},
    {"dispatched", "escalate", "same", "DSY", ""},
    {"dispatched", "supervise", "same", "S", "n"},
    {"taken", "transfer", "dispatched", "D", "a"},
    {"taken", "return", "accepted", "A", "r"},
    {"taken", "contact", "same", "ADP", ""},
    {"taken", "suspend", "suspended", "AD", "r"},
    {"taken", "resolve", "resolved", "ADP", "x"},
    {"taken", "escalate", "same", "ADSY", ""},
    {"taken", "supervise", "same", "S", "n"},
    {"suspended", "resume", "resumed", "ADY", "m"},
    {"suspended", "escalate", "same", "DSY", ""},
    {"suspended", "supervise", "same", "S", "n"},
    {"resolved", "rate", "rated", "R", "g"},
    {"resolved", "reopen", "taken", "DS", ""},
    {"resolved", "close", "closed", "DSY", ""},
    {"resolved", "supervise", "same", "S", "n"},
    {"rated", "reopen", "taken", "SY", ""},
    {"rated", "close", "closed", "DSY", ""},
    {"rated", "escalate", "same", "DY", ""},
    {"rated", "supervise", "same", "S", "n"},
    {"closed", "revisit", "same", "DS", "n"},
};
#define NSPEC ((int)(sizeof spec / sizeof spec[0]))

static const unsigned actor_bits[ORDER_ACTOR_KIND_COUNT] = {
    ORDER_ACTOR_REQUESTER,  ORDER_ACTOR_DISPATCHER, ORDER_ACTOR_ASSIGNEE,
    ORDER_ACTOR_DEPARTMENT, ORDER_ACTOR_SECRETARY,  ORDER_ACTOR_SYSTEM,
};

static unsigned actors_of(const char *s)
{
    unsigned a = 0;
    for (; *s; s++) {
        const char *letters = "RDAPSY";
        const char *p = strchr(letters, *s);
        assert_non_null(p);
        a |= actor_bits[p - letters];
    }
    return a;
}

static unsigned needs_of(const char *s)
{
    unsigned n = 0;
    for (; *s; s++) {
        const char *letters = "rtaxgmn";
        const char *p = strchr(letters, *s);
        assert_non_null(p);
        n |= 1u << (p - letters);
    }
    return n;
}

static const struct spec_row *spec_find(enum order_state s, enum order_event e)
{
    for (int i = 0; i < NSPEC; i++)
        if (strcmp(spec[i].from, order_state_id(s)) == 0 &&
            strcmp(spec[i].event, order_event_id(e)) == 0)
            return &spec[i];
    return NULL;
}

/* An input that satisfies every need. */
static struct order_event_input full_input(void)
{
    return (struct order_event_input){
        .reason = "居民已自行解决",
        .target_order = 7,
        .assignee_id = 9,
        .result = "已更换灯泡",
        .outcome = ORDER_OUTCOME_FIXED,
        .rating = ORDER_RATING_SATISFIED,
        .resume_to = ORDER_TAKEN,
        .note = "请本周内办结",
    };
}

static void test_table_matches_spec(void **state)
{
    (void)state;
    assert_int_equal(order_transitions_count, NSPEC);
    for (int i = 0; i < NSPEC; i++) {
        enum order_state from;
        enum order_event ev;
        assert_true(order_state_parse(spec[i].from, &from));
        assert_true(order_event_parse(spec[i].event, &ev));
        const struct order_transition *t = order_fsm_find(from, ev);
        assert_non_null(t);
        assert_int_equal(t->from, from);
        assert_int_equal(t->event, ev);
        if (strcmp(spec[i].to, "same") == 0) {
            assert_int_equal(t->to, ORDER_TO_SAME);
        } else if (strcmp(spec[i].to, "resumed") == 0) {
            assert_int_equal(t->to, ORDER_TO_RESUMED);
        } else {
            enum order_state to;
            assert_true(order_state_parse(spec[i].to, &to));
            assert_int_equal(t->to, to);
        }
        assert_int_equal(t->actors, actors_of(spec[i].actors));
        assert_int_equal(t->needs, needs_of(spec[i].needs));
    }
    /* No duplicate (from, event) rows: find returns the row itself. */
    for (int i = 0; i < order_transitions_count; i++)
        assert_ptr_equal(order_fsm_find(order_transitions[i].from, order_transitions[i].event),
                         &order_transitions[i]);
}

static void test_every_pair(void **state)
{
    (void)state;
    struct order_event_input in = full_input();
    int allowed = 0, refused = 0;
    for (int s = 0; s < ORDER_STATE_COUNT; s++) {
        for (int e = 0; e < ORDER_EVENT_COUNT; e++) {
            const struct spec_row *row = spec_find((enum order_state)s, (enum order_event)e);
            const char *why = "unset";
            if (row) {
                int expect;
                if (strcmp(row->to, "same") == 0)
                    expect = s;
                else if (strcmp(row->to, "resumed") == 0)
                    expect = (int)in.resume_to;
                else {
                    enum order_state to = ORDER_SUBMITTED;
                    assert_true(order_state_parse(row->to, &to));
                    expect = (int)to;
                }
                int got = order_fsm_check((enum order_state)s, (enum order_event)e,
                                          actors_of(row->actors), &in, &why);
                assert_int_equal(got, expect);
                assert_null(why);
                assert_int_equal(order_fsm_check((enum order_state)s, (enum order_event)e,
                                                 ORDER_ACTOR_ALL, &in, NULL),
                                 expect);
                allowed++;
            } else {
                assert_null(order_fsm_find((enum order_state)s, (enum order_event)e));
                /* Refused as illegal whoever asks and whatever is filled in. */
                for (unsigned a = 0; a <= ORDER_ACTOR_ALL; a++) {
                    why = NULL;
                    assert_int_equal(
                        order_fsm_check((enum order_state)s, (enum order_event)e, a, &in, &why),
                        ORDER_FSM_ILLEGAL);
                    assert_string_equal(why, "工单当前状态下不能执行此操作");
                    assert_int_equal(
                        order_fsm_check((enum order_state)s, (enum order_event)e, a, NULL, NULL),
                        ORDER_FSM_ILLEGAL);
                }
                refused++;
            }
        }
    }
    assert_int_equal(allowed, NSPEC);
    assert_int_equal(allowed + refused, ORDER_STATE_COUNT * ORDER_EVENT_COUNT);
    /* Out-of-range values are illegal, never a crash. */
    assert_null(order_fsm_find((enum order_state)ORDER_STATE_COUNT, ORDER_EV_ACCEPT));
    assert_null(order_fsm_find((enum order_state) - 1, ORDER_EV_ACCEPT));
    assert_null(order_fsm_find(ORDER_SUBMITTED, (enum order_event)ORDER_EVENT_COUNT));
    assert_int_equal(
        order_fsm_check((enum order_state)99, ORDER_EV_ACCEPT, ORDER_ACTOR_ALL, &in, NULL),
        ORDER_FSM_ILLEGAL);
    /* Final states: nothing but 回访 after closing. */
    assert_int_equal(order_fsm_events_for(ORDER_REJECTED, ORDER_ACTOR_ALL), 0);
    assert_int_equal(order_fsm_events_for(ORDER_MERGED, ORDER_ACTOR_ALL), 0);
    assert_int_equal(order_fsm_events_for(ORDER_CLOSED, ORDER_ACTOR_ALL), 1u << ORDER_EV_REVISIT);
}

static void test_role_guards(void **state)
{
    (void)state;
    struct order_event_input in = full_input();
    for (int i = 0; i < NSPEC; i++) {
        enum order_state from;
        enum order_event ev;
        assert_true(order_state_parse(spec[i].from, &from));
        assert_true(order_event_parse(spec[i].event, &ev));
        unsigned allowed = actors_of(spec[i].actors);
        /* Every single actor kind. */
        for (int k = 0; k < ORDER_ACTOR_KIND_COUNT; k++) {
            const char *why = NULL;
            int got = order_fsm_check(from, ev, actor_bits[k], &in, &why);
            if (allowed & actor_bits[k]) {
                assert_true(got >= 0);
                assert_null(why);
            } else {
                assert_int_equal(got, ORDER_FSM_FORBIDDEN);
                assert_string_equal(why, "您无权对此工单执行此操作");
            }
        }
        /* Every combination: allowed iff one of its kinds is allowed. */
        for (unsigned a = 0; a <= ORDER_ACTOR_ALL; a++) {
            int got = order_fsm_check(from, ev, a, &in, NULL);
            if (a & allowed)
                assert_true(got >= 0);
            else
                assert_int_equal(got, ORDER_FSM_FORBIDDEN);
        }
    }
    /* A few the issue names, spelled out. */
    assert_int_equal(
        order_fsm_check(ORDER_RESOLVED, ORDER_EV_RATE, ORDER_ACTOR_DISPATCHER, &in, NULL),
        ORDER_FSM_FORBIDDEN); /* only the requester rates */
    assert_int_equal(
        order_fsm_check(ORDER_ACCEPTED, ORDER_EV_TAKE, ORDER_ACTOR_ASSIGNEE, &in, NULL),
        ORDER_TAKEN); /* 抢单 from the open pool */
    assert_int_equal(
        order_fsm_check(ORDER_SUBMITTED, ORDER_EV_ACCEPT, ORDER_ACTOR_REQUESTER, &in, NULL),
        ORDER_FSM_FORBIDDEN);
    assert_int_equal(order_fsm_check(ORDER_RATED, ORDER_EV_REOPEN, ORDER_ACTOR_SYSTEM, &in, NULL),
                     ORDER_TAKEN);
    assert_int_equal(order_fsm_check(ORDER_RESOLVED, ORDER_EV_CLOSE, ORDER_ACTOR_SYSTEM, &in, NULL),
                     ORDER_CLOSED); /* 7 days unrated */
    assert_int_equal(
        order_fsm_check(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_ACTOR_DEPARTMENT, &in, NULL),
        ORDER_RESOLVED);
    assert_int_equal(
        order_fsm_check(ORDER_TAKEN, ORDER_EV_SUPERVISE, ORDER_ACTOR_DISPATCHER, &in, NULL),
        ORDER_FSM_FORBIDDEN); /* 督办 is for the secretary and leaders */
}

static void test_required_fields(void **state)
{
    (void)state;
    for (int i = 0; i < NSPEC; i++) {
        enum order_state from;
        enum order_event ev;
        assert_true(order_state_parse(spec[i].from, &from));
        assert_true(order_event_parse(spec[i].event, &ev));
        unsigned actors = actors_of(spec[i].actors);
        unsigned needs = needs_of(spec[i].needs);
        struct order_event_input none = {0};
        /* Nothing filled in: fine iff nothing is needed; NULL input likewise. */
        if (needs == 0) {
            assert_true(order_fsm_check(from, ev, actors, &none, NULL) >= 0);
            assert_true(order_fsm_check(from, ev, actors, NULL, NULL) >= 0);
            continue;
        }
        assert_int_equal(order_fsm_check(from, ev, actors, &none, NULL), ORDER_FSM_MISSING);
        assert_int_equal(order_fsm_check(from, ev, actors, NULL, NULL), ORDER_FSM_MISSING);
        /* Each need, removed alone from a full input, is reported. */
        for (int b = 0; b < 7; b++) {
            if (!(needs & (1u << b))) continue;
            struct order_event_input in = full_input();
            switch (1u << b) {
            case ORDER_NEED_REASON:
                in.reason = " \t　";
                break; /* blanks only */
            case ORDER_NEED_TARGET:
                in.target_order = 0;
                break;
            case ORDER_NEED_ASSIGNEE:
                in.assignee_id = -3;
                break;
            case ORDER_NEED_RESULT:
                in.result = "";
                break;
            case ORDER_NEED_RATING:
                in.rating = ORDER_RATING_NONE;
                break;
            case ORDER_NEED_RESUME_TO:
                in.resume_to = ORDER_SUBMITTED;
                break;
            case ORDER_NEED_NOTE:
                in.note = NULL;
                break;
            }
            const char *why = NULL;
            assert_int_equal(order_fsm_check(from, ev, actors, &in, &why), ORDER_FSM_MISSING);
            assert_non_null(why);
            assert_true(strlen(why) > 0);
        }
    }
    /* The messages name what is missing. */
    const char *why = NULL;
    struct order_event_input in = {0};
    order_fsm_check(ORDER_SUBMITTED, ORDER_EV_REJECT, ORDER_ACTOR_DISPATCHER, &in, &why);
    assert_string_equal(why, "请填写不予受理的理由");
    order_fsm_check(ORDER_TAKEN, ORDER_EV_RETURN, ORDER_ACTOR_ASSIGNEE, &in, &why);
    assert_string_equal(why, "请填写退单理由");
    order_fsm_check(ORDER_TAKEN, ORDER_EV_SUSPEND, ORDER_ACTOR_ASSIGNEE, &in, &why);
    assert_string_equal(why, "请填写挂起理由");
    order_fsm_check(ORDER_SUBMITTED, ORDER_EV_MERGE, ORDER_ACTOR_DISPATCHER, &in, &why);
    assert_string_equal(why, "请指定要合并到的工单");
    order_fsm_check(ORDER_ACCEPTED, ORDER_EV_DISPATCH, ORDER_ACTOR_DISPATCHER, &in, &why);
    assert_string_equal(why, "请选择承办人");
    order_fsm_check(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, &why);
    assert_string_equal(why, "请填写办理结果");
    in.result = "已疏通";
    order_fsm_check(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, &why);
    assert_non_null(strstr(why, "办理结果类型"));
    in.outcome = (enum order_outcome)9;
    assert_int_equal(
        order_fsm_check(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, NULL),
        ORDER_FSM_MISSING);
    for (int o = ORDER_OUTCOME_FIXED; o <= ORDER_OUTCOME_TO_DEMAND_LIST; o++) {
        in.outcome = (enum order_outcome)o;
        assert_int_equal(
            order_fsm_check(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, NULL),
            ORDER_RESOLVED);
    }
    in.rating = (enum order_rating)4;
    order_fsm_check(ORDER_RESOLVED, ORDER_EV_RATE, ORDER_ACTOR_REQUESTER, &in, &why);
    assert_non_null(strstr(why, "基本满意"));
    for (int r = ORDER_RATING_SATISFIED; r <= ORDER_RATING_UNSATISFIED; r++) {
        in.rating = (enum order_rating)r;
        assert_int_equal(
            order_fsm_check(ORDER_RESOLVED, ORDER_EV_RATE, ORDER_ACTOR_REQUESTER, &in, NULL),
            ORDER_RATED);
    }
    order_fsm_check(ORDER_CLOSED, ORDER_EV_REVISIT, ORDER_ACTOR_SECRETARY, &in, &why);
    assert_string_equal(why, "请填写说明");
    /* Resume returns to whichever suspendable state was remembered, and only those. */
    for (int s = 0; s < ORDER_STATE_COUNT; s++) {
        in.resume_to = (enum order_state)s;
        int got =
            order_fsm_check(ORDER_SUSPENDED, ORDER_EV_RESUME, ORDER_ACTOR_DISPATCHER, &in, &why);
        if (s == ORDER_ACCEPTED || s == ORDER_DISPATCHED || s == ORDER_TAKEN) {
            assert_int_equal(got, s);
        } else {
            assert_int_equal(got, ORDER_FSM_MISSING);
            assert_string_equal(why, "挂起前的状态无效，无法恢复");
        }
    }
    /* The check order: illegal before forbidden before missing. */
    struct order_event_input empty = {0};
    assert_int_equal(order_fsm_check(ORDER_CLOSED, ORDER_EV_REJECT, 0, &empty, NULL),
                     ORDER_FSM_ILLEGAL);
    assert_int_equal(
        order_fsm_check(ORDER_SUBMITTED, ORDER_EV_REJECT, ORDER_ACTOR_REQUESTER, &empty, NULL),
        ORDER_FSM_FORBIDDEN);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const zh[] = {"待受理", "已受理", "已派单",   "已接单", "已办结",
                                     "已评价", "已关闭", "不予受理", "已合并", "挂起"};
    for (int s = 0; s < ORDER_STATE_COUNT; s++) {
        enum order_state out = ORDER_CLOSED;
        assert_string_equal(order_state_zh((enum order_state)s), zh[s]);
        assert_true(order_state_parse(order_state_id((enum order_state)s), &out));
        assert_int_equal(out, s);
        out = ORDER_CLOSED;
        assert_true(order_state_parse(zh[s], &out));
        assert_int_equal(out, s);
    }
    assert_string_equal(order_state_id(ORDER_SUBMITTED), "submitted");
    assert_string_equal(order_state_id(ORDER_SUSPENDED), "suspended");
    assert_null(order_state_id((enum order_state)ORDER_STATE_COUNT));
    assert_null(order_state_zh((enum order_state) - 1));
    enum order_state st = ORDER_TAKEN;
    assert_false(order_state_parse("open", &st));
    assert_false(order_state_parse(NULL, &st));
    assert_false(order_state_parse("", &st));
    assert_int_equal(st, ORDER_TAKEN);

    for (int e = 0; e < ORDER_EVENT_COUNT; e++) {
        enum order_event out = ORDER_EV_ACCEPT;
        assert_non_null(order_event_id((enum order_event)e));
        assert_non_null(order_event_zh((enum order_event)e));
        assert_true(order_event_parse(order_event_zh((enum order_event)e), &out));
        assert_int_equal(out, e);
        assert_true(order_event_parse(order_event_id((enum order_event)e), &out));
        assert_int_equal(out, e);
    }
    assert_string_equal(order_event_zh(ORDER_EV_TRANSFER), "转派");
    assert_string_equal(order_event_zh(ORDER_EV_TAKE), "接单");
    assert_string_equal(order_event_zh(ORDER_EV_RETURN), "退单");
    assert_string_equal(order_event_zh(ORDER_EV_SUPERVISE), "督办");
    assert_string_equal(order_event_zh(ORDER_EV_REVISIT), "回访");
    assert_string_equal(order_event_id(ORDER_EV_RETURN), "return");
    assert_null(order_event_id((enum order_event)ORDER_EVENT_COUNT));
    assert_false(order_event_parse("抢", NULL));

    for (int k = 0; k < ORDER_ACTOR_KIND_COUNT; k++) {
        enum order_actor out = ORDER_ACTOR_SYSTEM;
        assert_true(order_actor_parse(order_actor_id((enum order_actor)actor_bits[k]), &out));
        assert_int_equal(out, actor_bits[k]);
        assert_true(order_actor_parse(order_actor_zh((enum order_actor)actor_bits[k]), &out));
        assert_int_equal(out, actor_bits[k]);
    }
    assert_string_equal(order_actor_id(ORDER_ACTOR_DEPARTMENT), "department");
    assert_null(order_actor_id((enum order_actor)(ORDER_ACTOR_REQUESTER | ORDER_ACTOR_SYSTEM)));
    assert_null(order_actor_zh((enum order_actor)0));

    assert_string_equal(order_outcome_zh(ORDER_OUTCOME_FIXED), "已解决");
    assert_string_equal(order_outcome_zh(ORDER_OUTCOME_NOT_FIXED), "未解决");
    assert_string_equal(order_outcome_zh(ORDER_OUTCOME_TO_DEMAND_LIST), "纳入需求清单");
    assert_string_equal(order_outcome_id(ORDER_OUTCOME_TO_DEMAND_LIST), "to_demand_list");
    assert_null(order_outcome_id(ORDER_OUTCOME_NONE));
    enum order_outcome oc = ORDER_OUTCOME_NONE;
    assert_true(order_outcome_parse("未解决", &oc));
    assert_int_equal(oc, ORDER_OUTCOME_NOT_FIXED);
    assert_true(order_outcome_parse("fixed", &oc));
    assert_int_equal(oc, ORDER_OUTCOME_FIXED);
    assert_false(order_outcome_parse("none", &oc));

    assert_string_equal(order_rating_zh(ORDER_RATING_SATISFIED), "满意");
    assert_string_equal(order_rating_zh(ORDER_RATING_BASIC), "基本满意");
    assert_string_equal(order_rating_zh(ORDER_RATING_UNSATISFIED), "不满意");
    assert_null(order_rating_zh(ORDER_RATING_NONE));
    enum order_rating rt = ORDER_RATING_NONE;
    assert_true(order_rating_parse("基本满意", &rt));
    assert_int_equal(rt, ORDER_RATING_BASIC);
    assert_true(order_rating_parse("unsatisfied", &rt));
    assert_int_equal(rt, ORDER_RATING_UNSATISFIED);
    assert_false(order_rating_parse("很满意", &rt));
}

static void test_reopen_rule(void **state)
{
    (void)state;
    assert_int_equal(order_after_rating(ORDER_RATING_SATISFIED, 0), ORDER_AFTER_CLOSE);
    assert_int_equal(order_after_rating(ORDER_RATING_BASIC, 0), ORDER_AFTER_CLOSE);
    assert_int_equal(order_after_rating(ORDER_RATING_SATISFIED, 1), ORDER_AFTER_CLOSE);
    assert_int_equal(order_after_rating(ORDER_RATING_UNSATISFIED, 0), ORDER_AFTER_REOPEN);
    assert_int_equal(order_after_rating(ORDER_RATING_UNSATISFIED, 1), ORDER_AFTER_SECRETARY);
    assert_int_equal(order_after_rating(ORDER_RATING_UNSATISFIED, 5), ORDER_AFTER_SECRETARY);
    assert_int_equal(order_after_rating(ORDER_RATING_NONE, 0), ORDER_AFTER_SECRETARY);

    assert_false(order_auto_close_due(1000, 1000 + 7 * 86400 - 1, 0));
    assert_true(order_auto_close_due(1000, 1000 + 7 * 86400, 0));
    assert_true(order_auto_close_due(1000, 1000 + 3 * 86400, 3));
    assert_false(order_auto_close_due(1000, 1000 + 3 * 86400 - 1, 3));
}

/* The whole loop through the table, with the reopen rule deciding the system's moves. */
static void test_walk_the_loop(void **state)
{
    (void)state;
    struct order_event_input in = full_input();
    enum order_state s = ORDER_SUBMITTED;
    s = (enum order_state)order_fsm_check(s, ORDER_EV_ACCEPT, ORDER_ACTOR_DISPATCHER, &in, NULL);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_DISPATCH, ORDER_ACTOR_DISPATCHER, &in, NULL);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_TAKE, ORDER_ACTOR_ASSIGNEE, &in, NULL);
    assert_int_equal(s, ORDER_TAKEN);
    assert_int_equal(order_fsm_check(s, ORDER_EV_CONTACT, ORDER_ACTOR_ASSIGNEE, &in, NULL), s);
    /* Suspend from taken, resume to the remembered state. */
    enum order_state remembered = s;
    s = (enum order_state)order_fsm_check(s, ORDER_EV_SUSPEND, ORDER_ACTOR_ASSIGNEE, &in, NULL);
    assert_int_equal(s, ORDER_SUSPENDED);
    in.resume_to = remembered;
    s = (enum order_state)order_fsm_check(s, ORDER_EV_RESUME, ORDER_ACTOR_SYSTEM, &in, NULL);
    assert_int_equal(s, ORDER_TAKEN);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, NULL);
    in.rating = ORDER_RATING_UNSATISFIED;
    s = (enum order_state)order_fsm_check(s, ORDER_EV_RATE, ORDER_ACTOR_REQUESTER, &in, NULL);
    assert_int_equal(s, ORDER_RATED);
    int reopens = 0;
    assert_int_equal(order_after_rating(in.rating, reopens), ORDER_AFTER_REOPEN);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_REOPEN, ORDER_ACTOR_SYSTEM, &in, NULL);
    reopens++;
    assert_int_equal(s, ORDER_TAKEN);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_RESOLVE, ORDER_ACTOR_ASSIGNEE, &in, NULL);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_RATE, ORDER_ACTOR_REQUESTER, &in, NULL);
    assert_int_equal(order_after_rating(in.rating, reopens), ORDER_AFTER_SECRETARY);
    assert_int_equal(order_fsm_check(s, ORDER_EV_ESCALATE, ORDER_ACTOR_SYSTEM, &in, NULL), s);
    s = (enum order_state)order_fsm_check(s, ORDER_EV_CLOSE, ORDER_ACTOR_SECRETARY, &in, NULL);
    assert_int_equal(s, ORDER_CLOSED);
    assert_int_equal(order_fsm_check(s, ORDER_EV_REVISIT, ORDER_ACTOR_SECRETARY, &in, NULL), s);
    /* Closed stays closed. */
    assert_int_equal(order_fsm_check(s, ORDER_EV_REOPEN, ORDER_ACTOR_ALL, &in, NULL),
                     ORDER_FSM_ILLEGAL);
}

static void test_explain_and_menus(void **state)
{
    (void)state;
    char buf[200];
    assert_string_equal(
        order_fsm_explain(ORDER_CLOSED, ORDER_EV_ACCEPT, ORDER_FSM_ILLEGAL, buf, sizeof buf),
        "工单当前状态为「已关闭」，不能「受理」");
    assert_string_equal(
        order_fsm_explain(ORDER_RESOLVED, ORDER_EV_RATE, ORDER_FSM_FORBIDDEN, buf, sizeof buf),
        "您无权对「已办结」状态的工单执行「评价」");
    assert_string_equal(
        order_fsm_explain(ORDER_TAKEN, ORDER_EV_RESOLVE, ORDER_FSM_MISSING, buf, sizeof buf),
        "「办结」需要填写：办理结果及结果类型");
    /* Truncation keeps a terminated string. */
    char small[8];
    order_fsm_explain(ORDER_CLOSED, ORDER_EV_ACCEPT, ORDER_FSM_ILLEGAL, small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_null(order_fsm_explain(ORDER_CLOSED, ORDER_EV_ACCEPT, ORDER_FSM_ILLEGAL, NULL, 0));

    /* The buttons a requester sees on a resolved order: 评价 only. */
    assert_int_equal(order_fsm_events_for(ORDER_RESOLVED, ORDER_ACTOR_REQUESTER),
                     1u << ORDER_EV_RATE);
    assert_int_equal(order_fsm_events_for(ORDER_DISPATCHED, ORDER_ACTOR_ASSIGNEE),
                     (1u << ORDER_EV_TAKE) | (1u << ORDER_EV_RETURN));
    assert_int_equal(order_fsm_events_for(ORDER_SUBMITTED, ORDER_ACTOR_REQUESTER), 0);
}

static void test_state_kinds(void **state)
{
    (void)state;
    int finals = 0, active = 0, susp = 0;
    for (int s = 0; s < ORDER_STATE_COUNT; s++) {
        finals += order_state_is_final((enum order_state)s);
        active += order_state_is_active((enum order_state)s);
        susp += order_state_is_suspendable((enum order_state)s);
        /* Only suspendable states may be suspended, and all of them may be. */
        const struct order_transition *t = order_fsm_find((enum order_state)s, ORDER_EV_SUSPEND);
        assert_int_equal(t != NULL, order_state_is_suspendable((enum order_state)s));
    }
    assert_int_equal(finals, 3);
    assert_int_equal(active, 5);
    assert_int_equal(susp, 3);
    assert_true(order_state_is_final(ORDER_MERGED));
    assert_false(order_state_is_final(ORDER_RATED));
    assert_true(order_state_is_active(ORDER_SUSPENDED));
    assert_string_equal(order_state_open311(ORDER_SUBMITTED), "open");
    assert_string_equal(order_state_open311(ORDER_SUSPENDED), "open");
    assert_string_equal(order_state_open311(ORDER_RESOLVED), "closed");
    assert_string_equal(order_state_open311(ORDER_REJECTED), "closed");
    assert_null(order_state_open311((enum order_state)42));
}

/* docs/demand-loop.md prints the table: every row's "| from | event | to |" is
 * there, and no more rows. Skipped when not run from the repository root. */
static void test_docs_in_sync(void **state)
{
    (void)state;
    FILE *f = fopen("docs/demand-loop.md", "rb");
    if (!f) skip();
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = 0;
    for (int i = 0; i < order_transitions_count; i++) {
        const struct order_transition *t = &order_transitions[i];
        char to[96], line[256];
        if (t->to == ORDER_TO_SAME)
            snprintf(to, sizeof to, "(same 不变)");
        else if (t->to == ORDER_TO_RESUMED)
            snprintf(to, sizeof to, "(state before suspension 挂起前状态)");
        else
            snprintf(to, sizeof to, "%s %s", order_state_id((enum order_state)t->to),
                     order_state_zh((enum order_state)t->to));
        snprintf(line, sizeof line, "\n| %s %s | %s %s | %s |", order_state_id(t->from),
                 order_state_zh(t->from), order_event_id(t->event), order_event_zh(t->event), to);
        if (!strstr(doc, line)) fail_msg("docs/demand-loop.md lacks the row: %s", line + 1);
    }
    int rows = 0;
    for (const char *p = doc; (p = strstr(p, "\n| ")) != NULL; p++) {
        enum order_state st;
        char word[32] = "";
        sscanf(p + 3, "%31s", word);
        rows += order_state_parse(word, &st);
    }
    assert_int_equal(rows, order_transitions_count);
}

/* The effect table: one row per event, in order; and what it declares agrees
 * with the transitions, so an event that starts or stops a clock, ends 督办,
 * moves the assignee or sends a notice says so beside the table. */
static void test_effects_table(void **state)
{
    (void)state;
    for (int e = 0; e < ORDER_EVENT_COUNT; e++) {
        assert_int_equal(order_effects[e].event, e);
        assert_int_equal(order_fsm_effects((enum order_event)e), order_effects[e].fx);
        assert_true(order_effects[e].fx < (1u << ORDER_FX_COUNT));
    }
    assert_int_equal(order_fsm_effects((enum order_event)ORDER_EVENT_COUNT), 0);
    assert_null(order_fsm_notice((enum order_event) - 1));
    for (int i = 0; i < order_transitions_count; i++) {
        const struct order_transition *t = &order_transitions[i];
        unsigned fx = order_fsm_effects(t->event);
        bool same = t->to == ORDER_TO_SAME;
        /* the clocks: accepting starts them, 挂起 stops and 恢复 restarts
         * them, 办结 stops the resolution clock and a reopen undoes that */
        assert_int_equal(!!(fx & ORDER_FX_CLOCKS_START), t->event == ORDER_EV_ACCEPT);
        assert_int_equal(!!(fx & ORDER_FX_CLOCKS_PAUSE), t->to == ORDER_SUSPENDED);
        assert_int_equal(!!(fx & ORDER_FX_CLOCKS_RESUME), t->from == ORDER_SUSPENDED && !same);
        assert_int_equal(!!(fx & ORDER_FX_RESOLUTION_STOP), t->to == ORDER_RESOLVED);
        assert_int_equal(!!(fx & ORDER_FX_RESOLUTION_RESTART),
                         (t->from == ORDER_RESOLVED || t->from == ORDER_RATED) &&
                             t->to == ORDER_TAKEN);
        /* the response clock stops only at a contact, which changes no state */
        if (fx & ORDER_FX_RESPONSE_STOP) assert_true(same && t->event == ORDER_EV_CONTACT);
        /* reaching 已办结 or a final state ends 督办; closing stamps and pays */
        bool ends = !same && t->to >= 0 &&
                    (t->to == ORDER_RESOLVED || order_state_is_final((enum order_state)t->to));
        assert_int_equal(!!(fx & ORDER_FX_SUPERVISIONS_END), ends);
        assert_int_equal(!!(fx & ORDER_FX_CLOSED_AT), t->to == ORDER_CLOSED);
        assert_int_equal(!!(fx & ORDER_FX_POINTS), t->to == ORDER_CLOSED);
        /* what the event carries is what it stores */
        assert_int_equal(!!(fx & ORDER_FX_ASSIGN), !!(t->needs & ORDER_NEED_ASSIGNEE));
        assert_int_equal(!!(fx & ORDER_FX_MERGE), !!(t->needs & ORDER_NEED_TARGET));
        assert_int_equal(!!(fx & ORDER_FX_RATING), !!(t->needs & ORDER_NEED_RATING));
        assert_int_equal(!!(fx & ORDER_FX_REASON), !!(t->needs & ORDER_NEED_REASON));
        assert_int_equal(!!(fx & (ORDER_FX_SUPERVISION | ORDER_FX_REVISIT)),
                         !!(t->needs & ORDER_NEED_NOTE));
        /* the assignee leaves when the order goes back to the pool */
        assert_int_equal(!!(fx & ORDER_FX_UNASSIGN),
                         t->to == ORDER_ACCEPTED && t->from != ORDER_SUBMITTED);
        assert_int_equal(!!(fx & ORDER_FX_POOL_TAKE), t->event == ORDER_EV_TAKE);
        assert_int_equal(!!(fx & ORDER_FX_ESCALATE), t->event == ORDER_EV_ESCALATE);
    }
    /* notices: a kind exactly when someone is told; a rating link only with
     * the requester's notice */
    for (int e = 0; e < ORDER_EVENT_COUNT; e++) {
        unsigned fx = order_effects[e].fx;
        unsigned tell =
            ORDER_FX_TELL_DISPATCHERS | ORDER_FX_TELL_ASSIGNEE | ORDER_FX_TELL_REQUESTER;
        assert_int_equal(order_effects[e].notice != NULL, (fx & tell) != 0);
        if (fx & ORDER_FX_RATING_LINK) assert_true(fx & ORDER_FX_TELL_REQUESTER);
    }
    assert_true(order_fsm_effects(ORDER_EV_DISPATCH) & ORDER_FX_TELL_ASSIGNEE);
    assert_true(order_fsm_effects(ORDER_EV_TRANSFER) & ORDER_FX_TELL_ASSIGNEE);
    assert_true(order_fsm_effects(ORDER_EV_TAKE) & ORDER_FX_TELL_REQUESTER);
    assert_true(order_fsm_effects(ORDER_EV_RESOLVE) & ORDER_FX_RATING_LINK);
    assert_true(order_fsm_effects(ORDER_EV_RETURN) & ORDER_FX_TELL_DISPATCHERS);
    assert_int_equal(order_fsm_effects(ORDER_EV_REOPEN) &
                         (ORDER_FX_TELL_DISPATCHERS | ORDER_FX_TELL_ASSIGNEE),
                     ORDER_FX_TELL_DISPATCHERS | ORDER_FX_TELL_ASSIGNEE);
    assert_string_equal(order_fsm_notice(ORDER_EV_DISPATCH), "dispatched");
    assert_string_equal(order_fsm_notice(ORDER_EV_REOPEN), "reopened");
    assert_null(order_fsm_notice(ORDER_EV_ACCEPT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_spec),
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_role_guards),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_reopen_rule),
        cmocka_unit_test(test_walk_the_loop),
        cmocka_unit_test(test_explain_and_menus),
        cmocka_unit_test(test_state_kinds),
        cmocka_unit_test(test_docs_in_sync),
        cmocka_unit_test(test_effects_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
