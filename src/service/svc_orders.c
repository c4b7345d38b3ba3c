/* Work orders: intake, transitions, clocks, suggestions; see svc_orders.h. */
#include "service/svc_orders.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assignee_rank.h"
#include "core/geo.h"
#include "core/mask.h"
#include "core/roles.h"
#include "service/svc_categories.h"
#include "service/svc_notify.h"
#include "service/svc_order_followups.h"
#include "service/svc_order_stats.h"
#include "service/svc_points.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "store/store_orders.h"
#include "store/store_whistles.h"
#include "store/store_places.h"
#include "util/clock.h"
#include "util/text.h"

static const char *const channels[] = {
    "web",     "grid",          "partner", "wish_wall", "suggestion_box",
    "hotline", "hotline_12345", "visit",   "open311"}; /* open311: filed with an API key */
static const char *const urgencies[] = {"normal", "urgent", "critical"};
static const char *const scope_sizes[] = {"household", "building", "compound", "community",
                                          "wider"};

static bool one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}
#define ONE_OF(s, list) one_of((s), (list), sizeof(list) / sizeof((list)[0]))

/* A trimmed text of 1..max characters, or an error naming the field. */
static struct svc_result check_text(arena *a, const char *in, const char *field, const char *zh,
                                    long max, bool required, const char **out)
{
    const char *t = text_trim(a, in);
    *out = t && *t ? t : NULL;
    if (!*out) {
        if (required) return svc_fail(E_BAD_INPUT, field, arena_printf(a, "请填写%s", zh));
        return (struct svc_result){0};
    }
    long n = text_chars_printable(t);
    if (n < 0 || n > max)
        return svc_fail(E_BAD_INPUT, field,
                        arena_printf(a, "%s不能超过%ld个字，且不能含控制字符", zh, max));
    return (struct svc_result){0};
}

/* The checks of an order to be filed, filling *o (nothing is written). */
static struct svc_result order_checked(db *d, arena *a, const struct principal *who,
                                       const struct order_intake *in, struct order_new *out)
{
    int64_t viewer = principal_viewer(who);
    struct order_new o = {0};
    struct svc_result v;
    o.place_code = text_trim(a, in->place_code);
    if (!o.place_code || !*o.place_code) return svc_fail(E_BAD_INPUT, "place_code", "请选择地点");
    if (!store_place_level(d, a, o.place_code))
        return svc_fail(E_BAD_INPUT, "place_code", "地点不存在或不在您的范围内");
    bool staff = viewer == 0 || store_place_in_scope(d, viewer, CAP_ORDERS_FILE, o.place_code);
    struct order_account me = {0};
    if (viewer) store_order_account(d, viewer, &me);
    o.channel = in->channel && *in->channel ? in->channel : (staff ? "visit" : "web");
    if (!ONE_OF(o.channel, channels))
        return svc_fail(E_BAD_INPUT, "channel",
                        "来源渠道应为 web、grid、partner、wish_wall、suggestion_box、hotline、"
                        "hotline_12345、visit 或 open311");
    if (!staff && me.partner && strcmp(o.channel, "partner") == 0) {
        /* 隐患上报: a courier or rider (民情信息员) reports what they see on
         * their rounds, anywhere their grants cover */
        if (!store_order_account_covers(d, viewer, o.place_code))
            return svc_fail(E_BAD_INPUT, "place_code", "地点不存在或不在您的服务范围内");
        o.requester_person_id = me.person_id;
        o.requester_account_id = viewer;
    } else if (!staff) {
        /* a resident files for their own household, from the phone page */
        const char *home = NULL;
        if (me.person_id) {
            db_rows *p = store_order_person(d, a, me.person_id);
            home = p ? db_get(p, 0, 1) : NULL;
        }
        if (!home || strcmp(home, o.place_code) != 0)
            return svc_fail(E_BAD_INPUT, "place_code",
                            "您只能为自己的住户提交诉求，地点不存在或不在您的范围内");
        if (strcmp(o.channel, "web") != 0)
            return svc_fail(E_FORBIDDEN, "channel",
                            me.partner ? "新就业群体可通过网上渠道或隐患上报（partner）提交"
                                       : "居民只能通过网上渠道提交诉求");
        o.requester_person_id = me.person_id;
        o.requester_account_id = viewer;
    } else if (in->requester_person_id > 0) {
        if (!store_person_place_in_scope(d, a, viewer, CAP_PEOPLE_READ, in->requester_person_id))
            return svc_fail(E_BAD_INPUT, "requester_person_id", "诉求人不存在或不在您的管辖范围内");
        o.requester_person_id = in->requester_person_id;
    }
    o.created_by = viewer;
    o.category_code = text_trim(a, in->category_code);
    if (!o.category_code || !*o.category_code)
        return svc_fail(E_BAD_INPUT, "category_code", "请选择事项分类");
    struct category_eff cat;
    if (svc_category_get(d, a, 0, o.category_code, o.place_code, &cat) || !cat.active ||
        !cat.parent_code)
        return svc_fail(E_BAD_INPUT, "category_code", "事项分类不存在或已停用（请选择具体事项）");
    o.tier = cat.tier;
    o.skill = cat.skill;
    if ((v = check_text(a, in->title, "title", "标题", 60, true, &o.title)).err) return v;
    if ((v = check_text(a, in->description, "description", "诉求内容", 2000, true, &o.description))
            .err)
        return v;
    o.urgency = in->urgency && *in->urgency ? in->urgency : "normal";
    if (!ONE_OF(o.urgency, urgencies))
        return svc_fail(E_BAD_INPUT, "urgency",
                        "紧急程度应为 normal（一般）、urgent（紧急）或 critical（特急）");
    o.scope_size = in->scope_size && *in->scope_size ? in->scope_size : "household";
    if (!ONE_OF(o.scope_size, scope_sizes))
        return svc_fail(E_BAD_INPUT, "scope_size",
                        "涉及范围应为 household、building、compound、community 或 wider");
    o.contact_phone = text_trim(a, in->contact_phone);
    if (o.contact_phone && *o.contact_phone && !phone_valid(o.contact_phone))
        return svc_fail(E_BAD_INPUT, "contact_phone", "联系电话格式不正确");
    if ((v = check_text(a, in->external_ref, "external_ref", "外部工单号", 40, false,
                        &o.external_ref))
            .err)
        return v;
    /* coordinates: both or neither, plain decimals inside China (core/geo.h) */
    o.lat = in->lat && *in->lat ? in->lat : NULL;
    o.lon = in->lon && *in->lon ? in->lon : NULL;
    if (!o.lat != !o.lon)
        return svc_fail(E_BAD_INPUT, o.lat ? "lon" : "lat", "纬度和经度应同时填写");
    if (o.lat && !geo_parse(o.lat, GEO_LAT, NULL))
        return svc_fail(E_BAD_INPUT, "lat", geo_reason_zh(GEO_LAT));
    if (o.lon && !geo_parse(o.lon, GEO_LON, NULL))
        return svc_fail(E_BAD_INPUT, "lon", geo_reason_zh(GEO_LON));
    *out = o;
    return (struct svc_result){0};
}

struct svc_result svc_order_create(db *d, arena *a, const struct principal *who,
                                   const struct order_intake *in)
{
    int64_t viewer = principal_viewer(who);
    /* The checks read inside the transaction: on SQLite that is the writer
     * connection, whose pages stay cached, where a thread's own connection
     * reads every page afresh after any commit. */
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    struct order_new o;
    struct svc_result v = order_checked(d, a, who, in, &o);
    if (v.err) {
        db_commit(d); /* nothing was written: this only ends our level */
        return v;
    }
    int64_t now = clock_now();
    int64_t id = store_order_insert(d, a, &o, now);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s}", "channel", o.channel, "category_code",
                              o.category_code, "place_code", o.place_code, "title", o.title,
                              "state", "submitted");
    char *aj = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    const char *actor = who && who->username ? who->username : "cli";
    bool ok = id > 0 &&
              store_order_event_add(d, id, now, viewer, actor, "submit", NULL, "submitted", NULL,
                                    NULL) == 1 &&
              audit_write(d, who, "create", "order", ids, o.place_code, NULL, aj, NULL) >= 0 &&
              svc_order_stats_after(d, a, id, NULL, now) == 0;
    free(aj);
    if (!ok) {
        fprintf(stderr, "linli: order create: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

unsigned svc_order_actors(db *d, const struct principal *who, const db_rows *o)
{
    int64_t viewer = principal_viewer(who);
    if (viewer == 0) return ORDER_ACTOR_SYSTEM | ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY;
    unsigned k = 0;
    const char *place = db_get(o, 0, OC_PLACE);
    struct order_account me;
    store_order_account(d, viewer, &me);
    if (db_get_int(o, 0, OC_REQ_ACCOUNT) == viewer ||
        (me.person_id && db_get_int(o, 0, OC_REQ_PERSON) == me.person_id))
        k |= ORDER_ACTOR_REQUESTER;
    if (store_place_in_scope(d, viewer, CAP_ORDERS_DISPATCH, place)) k |= ORDER_ACTOR_DISPATCHER;
    if (store_place_in_scope(d, viewer, CAP_ORDERS_SUPERVISE, place)) k |= ORDER_ACTOR_SECRETARY;
    const char *akind = db_get(o, 0, OC_ASSIGNEE_KIND);
    int64_t aid = db_get_int(o, 0, OC_ASSIGNEE_ID);
    if (akind && strcmp(akind, "person") == 0) {
        if (me.person_id && aid == me.person_id) k |= ORDER_ACTOR_ASSIGNEE;
    } else if (akind && store_order_account_has_org(d, viewer, aid)) {
        k |= ORDER_ACTOR_ASSIGNEE;
        if (strcmp(akind, "department") == 0) k |= ORDER_ACTOR_DEPARTMENT;
    }
    /* a department called in by a whistle or paying for the order */
    if (store_whistle_account_called(d, viewer, db_get_int(o, 0, OC_ID)))
        k |= ORDER_ACTOR_DEPARTMENT;
    /* 抢单: a volunteer or party member whose grants cover the place may take
     * an accepted order from the open pool */
    if (!akind && strcmp(db_get(o, 0, OC_STATE), "accepted") == 0 && me.pool_taker &&
        store_order_account_covers(d, viewer, place))
        k |= ORDER_ACTOR_ASSIGNEE;
    return k;
}

/* The field a missing-field error is about. */
static const char *missing_field(const struct order_transition *t,
                                 const struct order_event_input *in)
{
    if ((t->needs & ORDER_NEED_REASON) && !(in->reason && *in->reason)) return "reason";
    if ((t->needs & ORDER_NEED_TARGET) && in->target_order <= 0) return "target";
    if ((t->needs & ORDER_NEED_ASSIGNEE) && in->assignee_id <= 0) return "assignee_id";
    if ((t->needs & ORDER_NEED_RESULT) && !(in->result && *in->result)) return "result";
    if ((t->needs & ORDER_NEED_RESULT) && in->outcome == ORDER_OUTCOME_NONE) return "outcome";
    if ((t->needs & ORDER_NEED_RATING) && in->rating == ORDER_RATING_NONE) return "rating";
    if ((t->needs & ORDER_NEED_NOTE) && !(in->note && *in->note)) return "note";
    return "resume_to";
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

/* 服务换积分: a person who finished an order that closes fixed earns the
 * community's finish_order points, once per order (a replay pays nothing). */
static int award_finish(db *d, arena *a, const db_rows *o, const struct order_change *c)
{
    const char *kind = db_get(o, 0, OC_ASSIGNEE_KIND), *outcome = db_get(o, 0, OC_OUTCOME);
    if (!c->state || strcmp(c->state, "closed") != 0 || !kind || strcmp(kind, "person") != 0 ||
        !outcome || strcmp(outcome, "fixed") != 0)
        return 0;
    return svc_points_award_person(d, a, NULL, db_get_int(o, 0, OC_ASSIGNEE_ID),
                                   db_get(o, 0, OC_PLACE), "finish_order", db_get_int(o, 0, OC_ID));
}

/* Writes one transition (update + history + audit) inside the open
 * transaction. 1 done, 0 lost the race, -1 error. */
static int write_transition(db *d, arena *a, const struct principal *who, const db_rows *o,
                            int64_t version, const char *from, enum order_event ev,
                            const struct order_change *c, const char *note, json_t *data,
                            bool system, int64_t now)
{
    int64_t id = db_get_int(o, 0, OC_ID);
    db_rows *before = svc_order_stats_before(d, a, id);
    int n = before ? store_order_update(d, id, from, version, c, now) : -1;
    if (n <= 0) return n < 0 ? -1 : 0;
    json_object_set_new(data, "from", json_string(from));
    json_object_set_new(data, "to", json_string(c->state));
    char *dj = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    const char *actor = system ? "系统" : who && who->username ? who->username : "cli";
    int64_t account = system ? 0 : principal_viewer(who);
    const char *evid = order_event_id(ev);
    int rc =
        store_order_event_add(d, id, now, account, actor, evid, from, c->state, note, dj) == 1 &&
                audit_write(d, who, evid, "order", db_get(o, 0, OC_ID), db_get(o, 0, OC_PLACE),
                            NULL, dj,
                            system ? arena_printf(a, "系统：%s", note ? note : "") : note) >= 0 &&
                svc_order_stats_after(d, a, id, before, now) == 0 && award_finish(d, a, o, c) == 0
            ? 1
            : -1;
    free(dj);
    return rc;
}

/* What a loser of a 抢单 race hears (409 already_taken), API and page alike. */
#define TAKEN_ZH "已被他人接单"

struct svc_result svc_order_event(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct order_event_args *in)
{
    int64_t viewer = in->via_rating_link ? 0 : principal_viewer(who);
    db_rows *o = store_order_get(d, a, viewer, id);
    enum order_event ev;
    bool known = in->event && order_event_parse(in->event, &ev);
    if (!o) {
        /* a taker who lost the race no longer sees the order (it left the
         * pool): tell them it was taken, as if they had been a moment earlier */
        if (known && ev == ORDER_EV_TAKE && viewer && store_order_taken_from_pool(d, viewer, id))
            return svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH);
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    }
    if (!known)
        return svc_fail(E_BAD_INPUT, "event",
                        "操作不正确（如 accept、dispatch、take、resolve、rate）");
    enum order_state from;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &from)) return svc_fail(E_INTERNAL, NULL, NULL);
    /* a rating link speaks for the requester, and for nothing else */
    unsigned kinds = in->via_rating_link ? ORDER_ACTOR_REQUESTER : svc_order_actors(d, who, o);

    struct order_event_input fin = {0};
    fin.reason = text_trim(a, in->reason);
    fin.note = text_trim(a, in->note);
    fin.result = text_trim(a, in->result);
    fin.target_order = in->target;
    fin.assignee_id = in->assignee_id;
    /* a revisit's outcome is its own vocabulary (svc_order_followups.h) */
    if (ev != ORDER_EV_REVISIT && in->outcome && *in->outcome &&
        !order_outcome_parse(in->outcome, &fin.outcome))
        return svc_fail(
            E_BAD_INPUT, "outcome",
            "办结结果应为 fixed（已解决）、not_fixed（未解决）或 to_demand_list（纳入需求清单）");
    if (in->rating && *in->rating && !order_rating_parse(in->rating, &fin.rating))
        return svc_fail(E_BAD_INPUT, "rating",
                        "评价应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）");
    const char *resume = db_get(o, 0, OC_RESUME_TO);
    fin.resume_to = ORDER_STATE_COUNT;
    if (resume) order_state_parse(resume, &fin.resume_to);

    const char *why = NULL;
    int to = order_fsm_check(from, ev, kinds, &fin, &why);
    if (to < 0) {
        char buf[256];
        order_fsm_explain(from, ev, to, buf, sizeof buf);
        if (to == ORDER_FSM_ILLEGAL) {
            if (ev == ORDER_EV_TAKE && from != ORDER_SUBMITTED)
                return (kinds & ORDER_ACTOR_ASSIGNEE) && from == ORDER_TAKEN
                           ? svc_fail(E_CONFLICT, "event", "您已接下此工单")
                           : svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH);
            return svc_fail(E_CONFLICT, "event", arena_strdup(a, buf));
        }
        if (to == ORDER_FSM_FORBIDDEN) return svc_fail(E_FORBIDDEN, "event", arena_strdup(a, buf));
        return svc_fail(E_BAD_INPUT, missing_field(order_fsm_find(from, ev), &fin),
                        why ? why : arena_strdup(a, buf));
    }
    for (const char **t = &fin.reason; t; t = t == &fin.reason ? &fin.note
                                              : t == &fin.note ? &fin.result
                                                               : NULL)
        if (*t && (text_chars_printable(*t) < 0 || text_chars_printable(*t) > 2000))
            return svc_fail(E_BAD_INPUT,
                            t == &fin.reason ? "reason"
                            : t == &fin.note ? "note"
                                             : "result",
                            "内容不能超过2000个字，且不能含控制字符");
    const char *comment = text_trim(a, in->comment);
    if (comment && (text_chars_printable(comment) < 0 || text_chars_printable(comment) > 500))
        return svc_fail(E_BAD_INPUT, "comment", "评价意见不能超过500个字");

    int64_t now = clock_now();
    int64_t fdeadline = 0;
    struct svc_result fv = svc_followup_check(a, ev, in->deadline, in->outcome, now, &fdeadline);
    if (fv.err) return fv;
    struct order_change c = {.working_hours = -1};
    c.state = order_state_id((enum order_state)to);
    json_t *data = json_object();
    const char *note = fin.note && *fin.note ? fin.note : NULL;
    switch (ev) {
    case ORDER_EV_ACCEPT: {
        struct category_eff cat;
        if (svc_category_get(d, a, 0, db_get(o, 0, OC_CATEGORY), db_get(o, 0, OC_PLACE), &cat)) {
            json_decref(data);
            return svc_fail(E_CONFLICT, "category_code", "工单的事项分类已不适用于此地点");
        }
        c.response_limit_s = cat.response_minutes * 60;
        c.resolution_limit_s = cat.resolution_minutes * 60;
        c.working_hours = cat.working_hours ? 1 : 0;
        c.accepted_at = now;
        json_object_set_new(data, "response_limit_s", json_integer(c.response_limit_s));
        json_object_set_new(data, "resolution_limit_s", json_integer(c.resolution_limit_s));
        break;
    }
    case ORDER_EV_REJECT:
    case ORDER_EV_RETURN:
        c.reason = fin.reason;
        note = fin.reason;
        if (ev == ORDER_EV_RETURN) c.clear_assignee = true;
        break;
    case ORDER_EV_MERGE: {
        db_rows *t = store_order_get(d, a, viewer, fin.target_order);
        enum order_state ts;
        if (!t || fin.target_order == id || !order_state_parse(db_get(t, 0, OC_STATE), &ts) ||
            order_state_is_final(ts)) {
            json_decref(data);
            return svc_fail(E_BAD_INPUT, "target", "目标工单不存在、已办结或就是本工单");
        }
        c.merged_into = fin.target_order;
        json_object_set_new(data, "target", json_integer(fin.target_order));
        break;
    }
    case ORDER_EV_DISPATCH:
    case ORDER_EV_TRANSFER: {
        const char *k = in->assignee_kind && *in->assignee_kind ? in->assignee_kind : "person";
        if (strcmp(k, "person") == 0) {
            if (!store_person_place_in_scope(d, a, viewer, CAP_PEOPLE_READ, fin.assignee_id)) {
                json_decref(data);
                return svc_fail(E_BAD_INPUT, "assignee_id", "承办人不存在或不在您的管辖范围内");
            }
            c.assignee_kind = "person";
        } else if (strcmp(k, "org") == 0) {
            db_rows *org = store_order_org(d, a, fin.assignee_id);
            c.assignee_kind = org ? org_assignee_kind(db_get(org, 0, 0)) : NULL;
            if (!c.assignee_kind) {
                json_decref(data);
                return svc_fail(E_BAD_INPUT, "assignee_id",
                                "承办组织不存在，或不是志愿服务队、社会组织、职能部门或共建单位");
            }
        } else {
            json_decref(data);
            return svc_fail(E_BAD_INPUT, "assignee_kind",
                            "承办人类型应为 person（个人）或 org（组织）");
        }
        c.assignee_id = fin.assignee_id;
        json_object_set_new(data, "assignee_kind", json_string(c.assignee_kind));
        json_object_set_new(data, "assignee_id", json_integer(c.assignee_id));
        break;
    }
    case ORDER_EV_TAKE:
        if (from == ORDER_ACCEPTED && !db_get(o, 0, OC_ASSIGNEE_KIND)) {
            struct order_account me;
            store_order_account(d, viewer, &me);
            c.assignee_kind = "person";
            c.assignee_id = me.person_id;
            json_object_set_new(data, "assignee_id", json_integer(me.person_id));
        }
        break;
    case ORDER_EV_CONTACT:
        if (!db_get(o, 0, OC_FIRST_CONTACT_AT) && db_get(o, 0, OC_ACCEPTED_AT))
            c.first_contact_at = now;
        break;
    case ORDER_EV_SUSPEND:
        c.resume_to = order_state_id(from);
        c.reason = fin.reason;
        note = fin.reason;
        break;
    case ORDER_EV_RESUME:
        c.clear_resume_to = true;
        break;
    case ORDER_EV_RESOLVE:
        c.outcome = order_outcome_id(fin.outcome);
        c.result = fin.result;
        c.resolved_at = now;
        json_object_set_new(data, "outcome", json_string(c.outcome));
        json_object_set_new(data, "result", json_string(fin.result));
        break;
    case ORDER_EV_RATE:
        c.rating = order_rating_id(fin.rating);
        c.rating_comment = comment && *comment ? comment : NULL;
        c.rated_at = now;
        json_object_set_new(data, "rating", json_string(c.rating));
        if (c.rating_comment) json_object_set_new(data, "comment", json_string(c.rating_comment));
        break;
    case ORDER_EV_REOPEN:
        c.reopen_inc = 1;
        c.clear_resolution = true;
        break;
    case ORDER_EV_CLOSE:
        c.closed_at = now;
        break;
    case ORDER_EV_ESCALATE:
        c.escalation_inc = 1;
        break;
    default:
        break;
    }

    if (db_begin(d) < 0) {
        json_decref(data);
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    }
    int64_t version = db_get_int(o, 0, OC_VERSION);
    int rc = write_transition(d, a, who, o, version, order_state_id(from), ev, &c, note, data,
                              false, now);
    json_decref(data);
    if (rc > 0 && notify_order_event(d, a, o, ev, &c, now) < 0) rc = -1;
    if (rc > 0 && ev == ORDER_EV_SUSPEND)
        rc = store_order_suspend_start(d, id, now, fin.reason) == 1 ? 1 : -1;
    if (rc > 0 && ev == ORDER_EV_RESUME) rc = store_order_suspend_end(d, id, now) >= 0 ? 1 : -1;
    if (rc > 0 &&
        svc_followup_record(d, id, viewer, ev, c.state, note, fdeadline, in->outcome, now) < 0)
        rc = -1;
    if (rc > 0 && ev == ORDER_EV_RATE) {
        /* what follows a rating is the system's move, in the same transaction */
        int reopens = (int)db_get_int(o, 0, OC_REOPEN_COUNT);
        enum order_after_rating next = order_after_rating(fin.rating, reopens);
        enum order_event sev = next == ORDER_AFTER_CLOSE    ? ORDER_EV_CLOSE
                               : next == ORDER_AFTER_REOPEN ? ORDER_EV_REOPEN
                                                            : ORDER_EV_ESCALATE;
        int sto = order_fsm_check(ORDER_RATED, sev, ORDER_ACTOR_SYSTEM, NULL, NULL);
        if (sto < 0)
            rc = -1;
        else {
            struct order_change sc = {.working_hours = -1,
                                      .state = order_state_id((enum order_state)sto)};
            const char *snote;
            if (sev == ORDER_EV_CLOSE) {
                sc.closed_at = now;
                snote = "群众评价满意，工单自动关闭";
            } else if (sev == ORDER_EV_REOPEN) {
                sc.reopen_inc = 1;
                sc.clear_resolution = true;
                snote = "群众评价不满意，工单重新办理";
            } else {
                sc.escalation_inc = 1;
                snote = "再次评价不满意，转社区书记处理";
            }
            json_t *sdata = json_object();
            rc = write_transition(d, a, who, o, version + 1, "rated", sev, &sc, snote, sdata, true,
                                  now);
            json_decref(sdata);
            if (rc > 0 && notify_order_event(d, a, o, sev, &sc, now) < 0) rc = -1;
            if (rc > 0 && svc_followup_record(d, id, 0, sev, sc.state, NULL, 0, NULL, now) < 0)
                rc = -1; /* the automatic close ends an open 督办 too */
        }
    }
    if (rc <= 0) {
        if (rc < 0) fprintf(stderr, "linli: order event: %s\n", db_errmsg(d));
        db_rollback(d);
        if (rc == 0)
            return ev == ORDER_EV_TAKE
                       ? svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH)
                       : svc_fail(E_CONFLICT, "event", "工单已被他人修改，请刷新后重试");
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_order_system_event(db *d, arena *a, int64_t id, enum order_event ev,
                                         const char *note, int64_t now)
{
    db_rows *o = store_order_get(d, a, 0, id);
    if (!o) return svc_fail(E_NOT_FOUND, NULL, "工单不存在");
    enum order_state from;
    if (!order_state_parse(db_get(o, 0, OC_STATE), &from)) return svc_fail(E_INTERNAL, NULL, NULL);
    int to = order_fsm_check(from, ev, ORDER_ACTOR_SYSTEM, NULL, NULL);
    if (to < 0) return svc_fail(E_CONFLICT, "event", "工单当前状态下不能执行此操作");
    struct order_change c = {.working_hours = -1, .state = order_state_id((enum order_state)to)};
    json_t *data = json_object();
    if (ev == ORDER_EV_CLOSE) c.closed_at = now;
    if (ev == ORDER_EV_REOPEN) {
        c.reopen_inc = 1;
        c.clear_resolution = true;
    }
    /* 社区 → 街道 → 区/县: the county is the top of the tree */
    if (ev == ORDER_EV_ESCALATE && db_get_int(o, 0, OC_ESCALATION) < 2) c.escalation_inc = 1;
    if (ev == ORDER_EV_ESCALATE)
        json_object_set_new(data, "level",
                            json_integer(db_get_int(o, 0, OC_ESCALATION) + c.escalation_inc));
    if (db_begin(d) < 0) {
        json_decref(data);
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    }
    /* the audit log names the system as the actor, not the command line */
    static const struct principal sys = {.username = "系统"};
    int rc = write_transition(d, a, &sys, o, db_get_int(o, 0, OC_VERSION), order_state_id(from), ev,
                              &c, note, data, true, now);
    json_decref(data);
    if (rc > 0 && notify_order_event(d, a, o, ev, &c, now) < 0) rc = -1;
    if (rc > 0 && svc_followup_record(d, id, 0, ev, c.state, NULL, 0, NULL, now) < 0) rc = -1;
    if (rc <= 0) {
        if (rc < 0) fprintf(stderr, "linli: system order event: %s\n", db_errmsg(d));
        db_rollback(d);
        return svc_fail(rc == 0 ? E_CONFLICT : E_INTERNAL, "event",
                        rc == 0 ? "工单已被他人修改" : NULL);
    }
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

void svc_order_clocks(db *d, arena *a, const db_rows *o, time_t now, struct order_clocks *out)
{
    memset(out, 0, sizeof *out);
    out->response_deadline = out->resolution_deadline = CLOCK_NONE;
    const char *acc = db_get(o, 0, OC_ACCEPTED_AT);
    if (!acc) return;
    out->started = true;
    time_t from = (time_t)atoll(acc);
    /* most orders were never suspended: no query for them */
    db_rows *s = db_get_int(o, 0, OC_SUSPENSIONS) > 0
                     ? store_order_suspensions(d, a, db_get_int(o, 0, OC_ID))
                     : NULL;
    int ns = s ? s->nrows : 0;
    struct clock_interval *iv = arena_alloc(a, sizeof *iv * (size_t)(ns + 1));
    for (int i = 0; i < ns; i++) {
        iv[i].start = (time_t)db_get_int(s, i, 0);
        iv[i].end = db_get(s, i, 1) ? (time_t)db_get_int(s, i, 1) : CLOCK_OPEN_END;
        time_t e = db_get(s, i, 1) ? iv[i].end : now;
        if (e > iv[i].start) out->suspended_seconds += e - iv[i].start;
    }
    struct work_calendar cal;
    const struct work_calendar *calp = NULL;
    if (db_get_int(o, 0, OC_WORKING_HOURS)) {
        work_calendar_default(&cal);
        work_calendar_use_cn2026(&cal);
        calp = &cal;
    }
    long long rl = db_get_int(o, 0, OC_RESPONSE_LIMIT), sl = db_get_int(o, 0, OC_RESOLUTION_LIMIT);
    const char *fc = db_get(o, 0, OC_FIRST_CONTACT_AT), *rs = db_get(o, 0, OC_RESOLVED_AT);
    time_t rstop = fc ? (time_t)atoll(fc) : now, sstop = rs ? (time_t)atoll(rs) : now;
    out->response_stopped = fc != NULL;
    out->resolution_stopped = rs != NULL;
    out->response_deadline = clock_deadline(from, rl, iv, ns, calp);
    out->resolution_deadline = clock_deadline(from, sl, iv, ns, calp);
    out->response_counted = clock_counted(from, rstop, iv, ns, calp);
    out->resolution_counted = clock_counted(from, sstop, iv, ns, calp);
    out->response_status = clock_status(from, rstop, rl, ORDER_WARN_PERCENT_DEFAULT, iv, ns, calp);
    out->resolution_status =
        clock_status(from, sstop, sl, ORDER_WARN_PERCENT_DEFAULT, iv, ns, calp);
}

err_code svc_order_suggest(db *d, arena *a, const struct principal *who, int64_t id, int limit,
                           struct candidate **out, int *n)
{
    *out = NULL;
    *n = 0;
    db_rows *o = store_order_get(d, a, principal_viewer(who), id);
    if (!o) return E_NOT_FOUND;
    if (!(svc_order_actors(d, who, o) & ORDER_ACTOR_DISPATCHER)) return E_FORBIDDEN;
    const char *place = db_get(o, 0, OC_PLACE);
    size_t len = strlen(place);
    char *area = arena_strdup(a, place);
    /* near the place: its community (or the place itself when wider) */
    if (len > RANK_CODE_COMMUNITY) area[RANK_CODE_COMMUNITY] = '\0';
    db_rows *r = store_order_candidates(d, a, area, 500);
    if (!r) return E_INTERNAL;
    struct candidate *c = arena_alloc(a, sizeof *c * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        c[i].id = db_get_int(r, i, OK_ID);
        c[i].name = db_get(r, i, OK_NAME);
        c[i].place_code = db_get(r, i, OK_PLACE);
        const char *sk = db_get(r, i, OK_SKILLS);
        int ns = 0;
        const char **skills = arena_alloc(a, sizeof *skills * 16);
        if (sk) {
            char *copy = arena_strdup(a, sk), *save = NULL;
            for (char *t = strtok_r(copy, ",，", &save); t && ns < 16;
                 t = strtok_r(NULL, ",，", &save))
                skills[ns++] = t;
        }
        c[i].skills = skills;
        c[i].nskills = ns;
        c[i].open_orders = (int)db_get_int(r, i, OK_OPEN);
        c[i].n_satisfied = (int)db_get_int(r, i, OK_SAT);
        c[i].n_basic = (int)db_get_int(r, i, OK_BASIC);
        c[i].n_unsatisfied = (int)db_get_int(r, i, OK_UNSAT);
    }
    struct rank_query q = {.skill = db_get(o, 0, OC_SKILL), .place_code = place};
    assignee_rank(c, r->nrows, &q);
    *out = c;
    *n = r->nrows < limit ? r->nrows : limit;
    return E_OK;
}
