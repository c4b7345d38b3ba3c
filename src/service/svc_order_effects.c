/* The effects of order events, one function per bit of enum order_fx, in
 * ONE table (fx_table below); core/order_fsm.c says which event has which.
 * See svc_order_effects.h. */
#include "service/svc_order_effects.h"

#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "service/svc_categories.h"
#include "service/svc_notify.h"
#include "service/svc_order_followups.h"
#include "service/svc_order_stats.h"
#include "service/svc_points.h"
#include "service/svc_rating_link_token.h"
#include "store/store_audit.h"
#include "store/store_order_followups.h"
#include "store/store_places.h"
#include "store/store_timers.h"

static const struct svc_result fx_ok;

/* ---- before the transaction: checks and the change ---- */

static struct svc_result fx_clocks_start(struct order_step *s)
{
    struct category_eff cat;
    if (svc_category_get(s->d, s->a, 0, s->o->category_code, s->o->place_code, &cat))
        return svc_fail(E_CONFLICT, "category_code", "工单的事项分类已不适用于此地点");
    s->c.response_limit_s = cat.response_minutes * 60;
    s->c.resolution_limit_s = cat.resolution_minutes * 60;
    s->c.working_hours = cat.working_hours ? 1 : 0;
    s->c.accepted_at = s->now;
    json_object_set_new(s->data, "response_limit_s", json_integer(s->c.response_limit_s));
    json_object_set_new(s->data, "resolution_limit_s", json_integer(s->c.resolution_limit_s));
    return fx_ok;
}

static struct svc_result fx_response_stop(struct order_step *s)
{
    if (!s->o->first_contact_at && s->o->accepted_at) s->c.first_contact_at = s->now;
    return fx_ok;
}

static struct svc_result fx_resolution_stop(struct order_step *s)
{
    s->c.outcome = order_outcome_id(s->fin.outcome);
    s->c.result = s->fin.result;
    s->c.resolved_at = s->now;
    json_object_set_new(s->data, "outcome", json_string(s->c.outcome));
    json_object_set_new(s->data, "result", json_string(s->fin.result));
    return fx_ok;
}

static struct svc_result fx_clocks_pause(struct order_step *s)
{
    s->c.resume_to = order_state_id(s->from);
    return fx_ok;
}

static struct svc_result fx_clocks_resume(struct order_step *s)
{
    s->c.clear_resume_to = true;
    return fx_ok;
}

static struct svc_result fx_resolution_restart(struct order_step *s)
{
    s->c.reopen_inc = 1;
    s->c.clear_resolution = true;
    return fx_ok;
}

static struct svc_result fx_reason(struct order_step *s)
{
    s->c.reason = s->fin.reason;
    s->note = s->fin.reason;
    return fx_ok;
}

/* The stored assignee kind of an organisation, or NULL if it cannot handle orders. */
static const char *org_assignee_kind(const char *org_kind)
{
    if (!org_kind) return NULL;
    if (strcmp(org_kind, "volunteer_team") == 0) return "team";
    if (strcmp(org_kind, "social_org") == 0) return "social_org";
    if (strcmp(org_kind, "department") == 0 || strcmp(org_kind, "cobuilding_unit") == 0 ||
        strcmp(org_kind, "property_company") == 0)
        return "department";
    return NULL;
}

static struct svc_result fx_assign(struct order_step *s)
{
    const char *k = s->assignee_kind && *s->assignee_kind ? s->assignee_kind : "person";
    if (strcmp(k, "person") == 0) {
        if (!store_person_place_in_scope(s->d, s->a, s->viewer, CAP_PEOPLE_READ,
                                         s->fin.assignee_id))
            return svc_fail(E_BAD_INPUT, "assignee_id", "承办人不存在或不在您的管辖范围内");
        s->c.assignee_kind = "person";
    } else if (strcmp(k, "org") == 0) {
        s->c.assignee_kind =
            org_assignee_kind(store_order_org_kind(s->d, s->a, s->fin.assignee_id));
        if (!s->c.assignee_kind)
            return svc_fail(E_BAD_INPUT, "assignee_id",
                            "承办组织不存在，或不是志愿服务队、社会组织、职能部门或共建单位");
    } else {
        return svc_fail(E_BAD_INPUT, "assignee_kind",
                        "承办人类型应为 person（个人）或 org（组织）");
    }
    s->c.assignee_id = s->fin.assignee_id;
    json_object_set_new(s->data, "assignee_kind", json_string(s->c.assignee_kind));
    json_object_set_new(s->data, "assignee_id", json_integer(s->c.assignee_id));
    return fx_ok;
}

static struct svc_result fx_pool_take(struct order_step *s)
{
    if (s->from != ORDER_ACCEPTED || s->o->assignee_kind) return fx_ok;
    struct order_account me;
    store_order_account(s->d, s->viewer, &me);
    s->c.assignee_kind = "person";
    s->c.assignee_id = me.person_id;
    json_object_set_new(s->data, "assignee_id", json_integer(me.person_id));
    return fx_ok;
}

static struct svc_result fx_unassign(struct order_step *s)
{
    s->c.clear_assignee = true;
    return fx_ok;
}

static struct svc_result fx_merge(struct order_step *s)
{
    struct order_row t;
    enum order_state ts;
    if (!store_order_read(s->d, s->a, s->viewer, s->fin.target_order, &t) ||
        s->fin.target_order == s->o->id || !order_state_parse(t.state, &ts) ||
        order_state_is_final(ts))
        return svc_fail(E_BAD_INPUT, "target", "目标工单不存在、已办结或就是本工单");
    s->c.merged_into = s->fin.target_order;
    json_object_set_new(s->data, "target", json_integer(s->fin.target_order));
    return fx_ok;
}

static struct svc_result fx_rating(struct order_step *s)
{
    s->c.rating = order_rating_id(s->fin.rating);
    s->c.rating_comment = s->comment && *s->comment ? s->comment : NULL;
    s->c.rated_at = s->now;
    json_object_set_new(s->data, "rating", json_string(s->c.rating));
    if (s->c.rating_comment)
        json_object_set_new(s->data, "comment", json_string(s->c.rating_comment));
    return fx_ok;
}

static struct svc_result fx_closed_at(struct order_step *s)
{
    s->c.closed_at = s->now;
    return fx_ok;
}

static struct svc_result fx_escalate(struct order_step *s)
{
    if (!s->capped) {
        s->c.escalation_inc = 1;
        return fx_ok;
    }
    /* 社区 → 街道 → 区/县: the county is the top of the tree */
    if (s->o->escalation_level < 2) s->c.escalation_inc = 1;
    json_object_set_new(s->data, "level",
                        json_integer(s->o->escalation_level + s->c.escalation_inc));
    return fx_ok;
}

/* 督办's deadline and 回访's outcome (svc_order_followups.h). */
static struct svc_result fx_followup_check(struct order_step *s)
{
    return svc_followup_check(s->a, s->ev, s->deadline_text, s->revisit_outcome, s->now,
                              &s->deadline);
}

/* ---- inside the transaction, after the transition was written: 1 done,
 * 0 someone changed the order first, -1 error ---- */

static int done(int rc)
{
    return rc < 0 ? -1 : 1;
}

/* 服务换积分: a person who finished an order that closes fixed earns the
 * community's finish_order points, once per order (a replay pays nothing). */
static int fx_points(struct order_step *s)
{
    const struct order_row *o = s->o;
    if (!o->assignee_kind || strcmp(o->assignee_kind, "person") != 0 || !o->outcome ||
        strcmp(o->outcome, "fixed") != 0)
        return 1;
    return svc_points_award_person(s->d, s->a, NULL, o->assignee_id, o->place_code, "finish_order",
                                   o->id) == 0
               ? 1
               : -1;
}

/* The notices' words, by event: title (the order's title) and body (its
 * code, then the reason or the rating link). */
static void notice_text(struct order_step *s, const char *extra, const char **title,
                        const char **body)
{
    static const struct {
        enum order_event ev;
        const char *title, *body;
    } words[] = {
        {ORDER_EV_DISPATCH, "新派工单：%s", "工单 %s 已派给您，请尽快接单并联系群众。"},
        {ORDER_EV_TRANSFER, "新派工单：%s", "工单 %s 已派给您，请尽快接单并联系群众。"},
        {ORDER_EV_TAKE, "您的诉求已有人接单：%s", "工单 %s 已由承办人接单，将尽快与您联系。"},
        {ORDER_EV_RESOLVE, "您的诉求已办结：%s", "工单 %s 已办结，请对办理结果进行评价：%s"},
        {ORDER_EV_RETURN, "工单被退回：%s", "工单 %s 被承办人退回，理由：%s，请重新派单。"},
        {ORDER_EV_REOPEN, "工单重新办理：%s", "工单 %s 需重新办理。"},
    };
    *title = *body = "";
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].ev == s->ev) {
            *title = arena_printf(s->a, words[i].title, s->o->title);
            *body = arena_printf(s->a, words[i].body, s->o->code, extra ? extra : "");
        }
}

static int tell(struct order_step *s, const db_rows *accounts, const char *extra)
{
    const char *title, *body;
    notice_text(s, extra, &title, &body);
    return done(
        notify_accounts(s->d, accounts, 0, order_fsm_notice(s->ev), s->o->id, title, body, s->now));
}

static int fx_tell_dispatchers(struct order_step *s)
{
    const char *reason = s->c.reason ? s->c.reason : "未说明";
    return tell(s,
                store_staff_for_place(s->d, s->a, s->o->place_code, s->o->escalation_level, false),
                reason);
}

static int fx_tell_assignee(struct order_step *s)
{
    /* the new assignee when the event names one */
    bool set = s->c.assignee_kind != NULL;
    const char *kind = set ? s->c.assignee_kind : s->o->assignee_kind;
    int64_t id = set ? s->c.assignee_id : s->o->assignee_id;
    return tell(s, store_assignee_accounts(s->d, s->a, kind, id), NULL);
}

/* The requester's accounts; with a rating link 评价链接 (resolve) also, for a
 * requester known only by phone, to the county's SMS gateway. */
static int fx_tell_requester(struct order_step *s)
{
    const struct order_row *o = s->o;
    db_rows *req =
        store_requester_accounts(s->d, s->a, o->requester_account_id, o->requester_person_id);
    if (!(order_fsm_effects(s->ev) & ORDER_FX_RATING_LINK)) return tell(s, req, NULL);
    const char *link = svc_rating_link_create(s->d, s->a, o->id, s->now);
    if (!link) return -1;
    if (req && req->nrows > 0) return tell(s, req, link);
    if (!o->contact_phone || !*o->contact_phone) return 1;
    const char *title, *body;
    notice_text(s, link, &title, &body);
    json_t *p = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "event", "rating_link", "kind",
                          "rating_link", "order_id", (json_int_t)o->id, "order_code", o->code,
                          "place_code", o->place_code, "phone", o->contact_phone, "text", body);
    int rc = notify_place_webhooks(s->d, s->a, o->place_code, "rating_link", p, s->now);
    json_decref(p);
    return done(rc);
}

static int fx_suspension_start(struct order_step *s)
{
    return store_order_suspend_start(s->d, s->o->id, s->now, s->fin.reason) == 1 ? 1 : -1;
}

static int fx_suspension_end(struct order_step *s)
{
    return done(store_order_suspend_end(s->d, s->o->id, s->now));
}

static int fx_supervision(struct order_step *s)
{
    return store_supervision_insert(s->d, s->o->id, s->viewer, s->note, s->deadline, s->now) == 1
               ? 1
               : -1;
}

static int fx_revisit(struct order_step *s)
{
    return store_revisit_insert(s->d, s->o->id, s->viewer, s->note, s->revisit_outcome, s->now) == 1
               ? 1
               : -1;
}

static int fx_supervisions_end(struct order_step *s)
{
    return done(store_supervisions_close(s->d, s->o->id, s->now));
}

/* What follows a rating is the system's move, in the same transaction. */
static int fx_after_rating(struct order_step *s)
{
    static const char *const notes[] = {
        [ORDER_AFTER_CLOSE] = "群众评价满意，工单自动关闭",
        [ORDER_AFTER_REOPEN] = "群众评价不满意，工单重新办理",
        [ORDER_AFTER_SECRETARY] = "再次评价不满意，转社区书记处理",
    };
    enum order_after_rating next = order_after_rating(s->fin.rating, s->o->reopen_count);
    enum order_event ev = next == ORDER_AFTER_CLOSE    ? ORDER_EV_CLOSE
                          : next == ORDER_AFTER_REOPEN ? ORDER_EV_REOPEN
                                                       : ORDER_EV_ESCALATE;
    int to = order_fsm_check(ORDER_RATED, ev, ORDER_ACTOR_SYSTEM, NULL, NULL);
    if (to < 0) return -1;
    struct order_step n = {.d = s->d,
                           .a = s->a,
                           .who = s->who,
                           .system = true,
                           .o = s->o,
                           .version = s->version + 1,
                           .from = ORDER_RATED,
                           .ev = ev,
                           .now = s->now};
    order_step_start(&n, to);
    n.note = notes[next];
    int rc = order_fx_prepare(&n).err ? -1 : order_step_write(&n);
    json_decref(n.data);
    return rc;
}

/* THE dispatch table: each effect's check and change before the
 * transaction, and its writes inside it, in the order they run. */
static const struct {
    unsigned fx;
    struct svc_result (*prepare)(struct order_step *s);
    int (*apply)(struct order_step *s);
} fx_table[] = {
    {ORDER_FX_CLOCKS_START, fx_clocks_start, NULL},
    {ORDER_FX_RESPONSE_STOP, fx_response_stop, NULL},
    {ORDER_FX_RESOLUTION_STOP, fx_resolution_stop, NULL},
    {ORDER_FX_RESOLUTION_RESTART, fx_resolution_restart, NULL},
    {ORDER_FX_REASON, fx_reason, NULL},
    {ORDER_FX_ASSIGN, fx_assign, NULL},
    {ORDER_FX_POOL_TAKE, fx_pool_take, NULL},
    {ORDER_FX_UNASSIGN, fx_unassign, NULL},
    {ORDER_FX_MERGE, fx_merge, NULL},
    {ORDER_FX_CLOSED_AT, fx_closed_at, NULL},
    {ORDER_FX_ESCALATE, fx_escalate, NULL},
    {ORDER_FX_POINTS, NULL, fx_points},
    {ORDER_FX_TELL_DISPATCHERS, NULL, fx_tell_dispatchers},
    {ORDER_FX_TELL_ASSIGNEE, NULL, fx_tell_assignee},
    {ORDER_FX_TELL_REQUESTER, NULL, fx_tell_requester},
    {ORDER_FX_RATING_LINK, NULL, NULL}, /* with TELL_REQUESTER */
    {ORDER_FX_CLOCKS_PAUSE, fx_clocks_pause, fx_suspension_start},
    {ORDER_FX_CLOCKS_RESUME, fx_clocks_resume, fx_suspension_end},
    {ORDER_FX_SUPERVISION, fx_followup_check, fx_supervision},
    {ORDER_FX_REVISIT, fx_followup_check, fx_revisit},
    {ORDER_FX_SUPERVISIONS_END, NULL, fx_supervisions_end},
    {ORDER_FX_RATING, fx_rating, fx_after_rating},
};
#define FX_TABLE_N (sizeof fx_table / sizeof fx_table[0])
_Static_assert(FX_TABLE_N == ORDER_FX_COUNT, "one row per effect");

void order_step_start(struct order_step *s, int to)
{
    s->c =
        (struct order_change){.working_hours = -1, .state = order_state_id((enum order_state)to)};
    s->note = s->fin.note && *s->fin.note ? s->fin.note : NULL;
    s->data = json_object();
}

struct svc_result order_fx_prepare(struct order_step *s)
{
    unsigned fx = order_fsm_effects(s->ev);
    for (size_t i = 0; i < FX_TABLE_N; i++) {
        if (!(fx & fx_table[i].fx) || !fx_table[i].prepare) continue;
        struct svc_result v = fx_table[i].prepare(s);
        if (v.err) return v;
    }
    return fx_ok;
}

/* The transition itself: the conditional update, the history row, the audit
 * entry and the figures' difference. 1, 0 (lost the race) or -1. */
static int write_transition(struct order_step *s)
{
    db *d = s->d;
    int64_t id = s->o->id;
    const char *from = order_state_id(s->from);
    struct order_fact_row *before = svc_order_stats_before(d, s->a, id);
    int n = before ? store_order_update(d, id, from, s->version, &s->c, s->now) : -1;
    if (n <= 0) return n < 0 ? -1 : 0;
    json_object_set_new(s->data, "from", json_string(from));
    json_object_set_new(s->data, "to", json_string(s->c.state));
    char *dj = json_dumps(s->data, JSON_COMPACT | JSON_SORT_KEYS);
    const struct principal *who = s->who;
    const char *actor = s->system ? "系统" : who && who->username ? who->username : "cli";
    int64_t account = s->system ? 0 : principal_viewer(who);
    const char *evid = order_event_id(s->ev);
    const char *note = s->system ? arena_printf(s->a, "系统：%s", s->note ? s->note : "") : s->note;
    bool ok = store_order_event_add(d, id, s->now, account, actor, evid, from, s->c.state, s->note,
                                    dj) == 1 &&
              audit_write(d, who, evid, "order", arena_printf(s->a, "%lld", (long long)id),
                          s->o->place_code, NULL, dj, note) >= 0 &&
              svc_order_stats_after(d, s->a, id, before, s->now) == 0;
    free(dj);
    return ok ? 1 : -1;
}

int order_step_write(struct order_step *s)
{
    int rc = write_transition(s);
    unsigned fx = order_fsm_effects(s->ev);
    for (size_t i = 0; rc > 0 && i < FX_TABLE_N; i++)
        if ((fx & fx_table[i].fx) && fx_table[i].apply) rc = fx_table[i].apply(s);
    return rc;
}
