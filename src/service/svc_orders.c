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
#include "service/svc_order_effects.h"
#include "service/svc_order_stats.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_orders.h"
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
        const char *home = me.person_id ? store_order_person_home(d, a, me.person_id) : NULL;
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

/* The writes of svc_order_create. The checks read inside the transaction: on
 * SQLite that is the writer connection, whose pages stay cached, where a
 * thread's own connection reads every page afresh after any commit. */
struct order_create {
    const struct principal *who;
    const struct order_intake *in;
};

static struct svc_result order_create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct order_create *w = ctx;
    struct order_new o;
    struct svc_result v = order_checked(d, a, w->who, w->in, &o);
    if (v.err) return v;
    int64_t now = clock_now();
    int64_t id = store_order_insert(d, a, &o, now);
    const char *actor = w->who && w->who->username ? w->who->username : "cli";
    if (id <= 0 ||
        store_order_event_add(d, id, now, principal_viewer(w->who), actor, "submit", NULL,
                              "submitted", NULL, NULL) != 1 ||
        svc_order_stats_after(d, a, id, NULL, now) != 0)
        return svc_store_failed();
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s}", "channel", o.channel, "category_code",
                              o.category_code, "place_code", o.place_code, "title", o.title,
                              "state", "submitted");
    char *aj = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    *au = (struct svc_audit){.action = "create",
                             .entity = "order",
                             .entity_id = arena_printf(a, "%lld", (long long)id),
                             .place_code = o.place_code,
                             .after_json = arena_strdup(a, aj)};
    free(aj);
    return (struct svc_result){.id = id};
}

struct svc_result svc_order_create(db *d, arena *a, const struct principal *who,
                                   const struct order_intake *in)
{
    struct order_create w = {.who = who, .in = in};
    return svc_tx(d, a, who, "order create", order_create_tx, &w);
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

/* What a loser of a 抢单 race hears (409 already_taken), API and page alike. */
#define TAKEN_ZH "已被他人接单"

/* The order the event is for (s->o = o), the event and the state it is in. */
static struct svc_result event_order(struct order_step *s, struct order_row *o, int64_t id,
                                     const char *event)
{
    bool known = event && order_event_parse(event, &s->ev);
    if (!store_order_read(s->d, s->a, s->viewer, id, o)) {
        /* a taker who lost the race no longer sees the order (it left the
         * pool): tell them it was taken, as if they had been a moment earlier */
        if (known && s->ev == ORDER_EV_TAKE && s->viewer &&
            store_order_taken_from_pool(s->d, s->viewer, id))
            return svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH);
        return svc_fail(E_NOT_FOUND, NULL, "工单不存在或不在您的范围内");
    }
    if (!known)
        return svc_fail(E_BAD_INPUT, "event",
                        "操作不正确（如 accept、dispatch、take、resolve、rate）");
    if (!order_state_parse(o->state, &s->from)) return svc_fail(E_INTERNAL, NULL, NULL);
    s->o = o;
    s->version = o->version;
    return (struct svc_result){0};
}

/* What the event carries, as the state machine reads it (s->fin). */
static struct svc_result event_input(struct order_step *s, const struct order_event_args *in)
{
    struct order_event_input *fin = &s->fin;
    fin->reason = text_trim(s->a, in->reason);
    fin->note = text_trim(s->a, in->note);
    fin->result = text_trim(s->a, in->result);
    fin->target_order = in->target;
    fin->assignee_id = in->assignee_id;
    /* a revisit's outcome is its own vocabulary (svc_order_followups.h) */
    if (s->ev != ORDER_EV_REVISIT && in->outcome && *in->outcome &&
        !order_outcome_parse(in->outcome, &fin->outcome))
        return svc_fail(
            E_BAD_INPUT, "outcome",
            "办结结果应为 fixed（已解决）、not_fixed（未解决）或 to_demand_list（纳入需求清单）");
    if (in->rating && *in->rating && !order_rating_parse(in->rating, &fin->rating))
        return svc_fail(E_BAD_INPUT, "rating",
                        "评价应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）");
    fin->resume_to = ORDER_STATE_COUNT;
    if (s->o->resume_to) order_state_parse(s->o->resume_to, &fin->resume_to);
    s->assignee_kind = in->assignee_kind;
    s->deadline_text = in->deadline;
    s->revisit_outcome = in->outcome;
    return (struct svc_result){0};
}

/* The state machine's refusal (to < 0) as the service's answer. */
static struct svc_result fsm_refusal(struct order_step *s, unsigned kinds, int to, const char *why)
{
    char buf[256];
    order_fsm_explain(s->from, s->ev, to, buf, sizeof buf);
    if (to == ORDER_FSM_ILLEGAL) {
        if (s->ev == ORDER_EV_TAKE && s->from != ORDER_SUBMITTED)
            return (kinds & ORDER_ACTOR_ASSIGNEE) && s->from == ORDER_TAKEN
                       ? svc_fail(E_CONFLICT, "event", "您已接下此工单")
                       : svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH);
        return svc_fail(E_CONFLICT, "event", arena_strdup(s->a, buf));
    }
    if (to == ORDER_FSM_FORBIDDEN) return svc_fail(E_FORBIDDEN, "event", arena_strdup(s->a, buf));
    return svc_fail(E_BAD_INPUT, missing_field(order_fsm_find(s->from, s->ev), &s->fin),
                    why ? why : arena_strdup(s->a, buf));
}

/* The texts' limits: reason, note and result 2000 characters, comment 500. */
static struct svc_result texts_checked(struct order_step *s, const char *comment)
{
    const struct {
        const char *field, *text;
    } texts[] = {{"reason", s->fin.reason}, {"note", s->fin.note}, {"result", s->fin.result}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        long n = texts[i].text ? text_chars_printable(texts[i].text) : 0;
        if (n < 0 || n > 2000)
            return svc_fail(E_BAD_INPUT, texts[i].field, "内容不能超过2000个字，且不能含控制字符");
    }
    s->comment = text_trim(s->a, comment);
    long n = s->comment ? text_chars_printable(s->comment) : 0;
    if (n < 0 || n > 500) return svc_fail(E_BAD_INPUT, "comment", "评价意见不能超过500个字");
    return (struct svc_result){0};
}

/* The transaction of an event: the transition and its effects. The audit
 * entries are the transitions' own (a rating writes two). */
static struct svc_result event_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)d, (void)a, (void)au;
    struct order_step *s = ctx;
    int rc = order_step_write(s);
    if (rc < 0) return svc_store_failed();
    if (rc > 0) return (struct svc_result){.id = s->o->id};
    if (s->system) return svc_fail(E_CONFLICT, "event", "工单已被他人修改");
    return s->ev == ORDER_EV_TAKE ? svc_fail(E_ALREADY_TAKEN, "event", TAKEN_ZH)
                                  : svc_fail(E_CONFLICT, "event", "工单已被他人修改，请刷新后重试");
}

/* Prepares the step's effects and runs its transaction. */
static struct svc_result event_run(struct order_step *s, int to, const char *what)
{
    order_step_start(s, to);
    struct svc_result v = order_fx_prepare(s);
    if (!v.err) v = svc_tx(s->d, s->a, s->who, what, event_tx, s);
    json_decref(s->data);
    return v;
}

struct svc_result svc_order_event(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct order_event_args *in)
{
    struct order_step s = {.d = d, .a = a, .who = who};
    s.viewer = in->via_rating_link ? 0 : principal_viewer(who);
    struct order_row o;
    struct svc_result v = event_order(&s, &o, id, in->event);
    if (v.err) return v;
    /* a rating link speaks for the requester, and for nothing else */
    unsigned kinds = in->via_rating_link ? ORDER_ACTOR_REQUESTER : svc_order_actors_of(d, who, &o);
    if ((v = event_input(&s, in)).err) return v;
    const char *why = NULL;
    int to = order_fsm_check(s.from, s.ev, kinds, &s.fin, &why);
    if (to < 0) return fsm_refusal(&s, kinds, to, why);
    if ((v = texts_checked(&s, in->comment)).err) return v;
    s.now = clock_now();
    return event_run(&s, to, "order event");
}

struct svc_result svc_order_system_event(db *d, arena *a, int64_t id, enum order_event ev,
                                         const char *note, int64_t now)
{
    /* the audit log names the system as the actor, not the command line */
    static const struct principal sys = {.username = "系统"};
    struct order_row o;
    if (!store_order_read(d, a, 0, id, &o)) return svc_fail(E_NOT_FOUND, NULL, "工单不存在");
    struct order_step s = {.d = d,
                           .a = a,
                           .who = &sys,
                           .system = true,
                           .capped = true,
                           .o = &o,
                           .version = o.version,
                           .ev = ev,
                           .now = now};
    if (!order_state_parse(o.state, &s.from)) return svc_fail(E_INTERNAL, NULL, NULL);
    int to = order_fsm_check(s.from, ev, ORDER_ACTOR_SYSTEM, NULL, NULL);
    if (to < 0) return svc_fail(E_CONFLICT, "event", "工单当前状态下不能执行此操作");
    s.fin.note = note;
    return event_run(&s, to, "system order event");
}

err_code svc_order_suggest(db *d, arena *a, const struct principal *who, int64_t id, int limit,
                           struct candidate **out, int *n)
{
    *out = NULL;
    *n = 0;
    struct order_row o;
    if (!store_order_read(d, a, principal_viewer(who), id, &o)) return E_NOT_FOUND;
    if (!(svc_order_actors_of(d, who, &o) & ORDER_ACTOR_DISPATCHER)) return E_FORBIDDEN;
    size_t len = strlen(o.place_code);
    char *area = arena_strdup(a, o.place_code);
    /* near the place: its community (or the place itself when wider) */
    if (len > RANK_CODE_COMMUNITY) area[RANK_CODE_COMMUNITY] = '\0';
    struct order_candidate *r;
    int nr = store_order_candidates(d, a, area, 500, &r);
    if (nr < 0) return E_INTERNAL;
    struct candidate *c = arena_alloc(a, sizeof *c * (size_t)(nr + 1));
    for (int i = 0; i < nr; i++) {
        c[i].id = r[i].id;
        c[i].name = r[i].name;
        c[i].place_code = r[i].place_code;
        int ns = 0;
        const char **skills = arena_alloc(a, sizeof *skills * 16);
        if (r[i].skills) {
            char *copy = arena_strdup(a, r[i].skills), *save = NULL;
            for (char *t = strtok_r(copy, ",，", &save); t && ns < 16;
                 t = strtok_r(NULL, ",，", &save))
                skills[ns++] = t;
        }
        c[i].skills = skills;
        c[i].nskills = ns;
        c[i].open_orders = r[i].open_orders;
        c[i].n_satisfied = r[i].n_satisfied;
        c[i].n_basic = r[i].n_basic;
        c[i].n_unsatisfied = r[i].n_unsatisfied;
    }
    struct rank_query q = {.skill = o.skill, .place_code = o.place_code};
    assignee_rank(c, nr, &q);
    *out = c;
    *n = nr < limit ? nr : limit;
    return E_OK;
}
