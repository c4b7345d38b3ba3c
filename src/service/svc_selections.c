/* Selections 评选: see svc_selections.h. validate → begin → write → audit →
 * commit; every state change is a conditional UPDATE. */
#include "service/svc_selections.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dual_review_rule.h"
#include "core/roles.h"
#include "service/svc_notify.h"
#include "service/svc_points.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_selections.h"
#include "util/clock.h"
#include "util/text.h"

#define NOT_FOUND svc_fail(E_NOT_FOUND, NULL, "评选不存在或不在您的范围内")

const char *selection_kind_zh(const char *kind)
{
    if (!kind) return NULL;
    if (!strcmp(kind, "household")) return "家庭";
    if (!strcmp(kind, "person")) return "个人";
    if (!strcmp(kind, "partner")) return "新就业群体";
    return NULL;
}

const char *nomination_state_zh(const char *state)
{
    if (!state) return NULL;
    if (!strcmp(state, "pending")) return "待审核";
    if (!strcmp(state, "approved")) return "已通过";
    if (!strcmp(state, "rejected")) return "未通过";
    return NULL;
}

static const char *id_text(arena *a, int64_t id)
{
    return arena_printf(a, "%lld", (long long)id);
}

/* Unix seconds of 00:00 China time of a YYYY-MM-DD day; false if malformed. */
static bool day_start(const char *day, int64_t *out)
{
    int y, m, dd;
    char tail;
    if (!day || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || strlen(day) != 10)
        return false;
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || dd < 1 || dd > 31) return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd};
    int64_t t = (int64_t)timegm(&tm);
    struct tm back;
    time_t tt = (time_t)t;
    gmtime_r(&tt, &back);
    if (back.tm_mday != dd) return false; /* 2026-02-30 */
    *out = t - 8 * 3600;
    return true;
}

static bool text_ok(const char *s, long lo, long hi)
{
    long n = s ? text_chars_printable(s) : -1;
    return n >= lo && n <= hi;
}

/* The audit entry of a change to entity id, with after (stolen) sorted. */
static struct svc_audit entry(arena *a, const char *action, const char *entity, int64_t id,
                              const char *place, json_t *after)
{
    char *s = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(after);
    struct svc_audit au = {.action = action,
                           .entity = entity,
                           .entity_id = id_text(a, id),
                           .place_code = place,
                           .after_json = arena_strdup(a, s)};
    free(s);
    return au;
}

struct create_ctx {
    struct selection_new s;
};

static struct svc_result create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct selection_new *s = &((struct create_ctx *)ctx)->s;
    int64_t id = store_selection_insert(d, s, (int64_t)clock_now());
    if (id < 0) return svc_store_failed();
    *au = entry(a, "create", "selection", id, s->place_code,
                json_pack("{s:s, s:i, s:s, s:s, s:I}", "name", s->name, "year", s->year, "kind",
                          s->kind, "honour", s->honour, "points", (json_int_t)s->points));
    return (struct svc_result){.id = id};
}

/* Checks the input into *s. */
static struct svc_result check_selection(db *d, arena *a, const struct principal *who,
                                         const struct selection_input *in, struct selection_new *s)
{
    const char *name = text_trim(a, in->name);
    if (!text_ok(name, 2, 50)) return svc_fail(E_BAD_INPUT, "name", "评选名称应为2到50个字");
    const char *honour = text_trim(a, in->honour);
    if (!honour || !*honour) honour = name;
    if (!text_ok(honour, 2, 50)) return svc_fail(E_BAD_INPUT, "honour", "荣誉称号应为2到50个字");
    if (!selection_kind_zh(in->kind))
        return svc_fail(E_BAD_INPUT, "kind",
                        "候选类型应为 household（家庭）、person（个人）或 partner（新就业群体）");
    int this_year = dual_year_of((int64_t)clock_now()), year;
    if (!dual_year_parse(in->year, this_year + 1, &year))
        return svc_fail(E_BAD_INPUT, "year", "年度无效");
    if (!in->place_code || !*in->place_code)
        return svc_fail(E_BAD_INPUT, "place_code", "请选择社区");
    const char *level =
        store_place_visible(d, a, who->account_id, CAP_PEOPLE_WRITE, in->place_code);
    if (!level) return svc_fail(E_NOT_FOUND, "place_code", "该社区不存在或不在您的范围内");
    if (strcmp(level, "community") != 0)
        return svc_fail(E_BAD_INPUT, "place_code", "评选应设在社区（村）一级");
    int64_t opens, closes;
    if (!day_start(in->opens_on, &opens))
        return svc_fail(E_BAD_INPUT, "opens_on", "提名开始日期应为 YYYY-MM-DD");
    if (!day_start(in->closes_on, &closes) || closes < opens)
        return svc_fail(E_BAD_INPUT, "closes_on", "提名截止日期应为 YYYY-MM-DD，且不早于开始日期");
    closes += 86400; /* the closing day is included */
    int64_t points = 0;
    if (in->points && *in->points) {
        char *end;
        long long v = strtoll(in->points, &end, 10);
        if (*end || v < 0 || v > 10000)
            return svc_fail(E_BAD_INPUT, "points", "奖励积分应为0到10000的整数");
        points = v;
    }
    *s = (struct selection_new){name,  in->kind, in->place_code, honour,         year,
                                opens, closes,   points,         who->account_id};
    return (struct svc_result){0};
}

struct svc_result svc_selection_create(db *d, arena *a, const struct principal *who,
                                       const struct selection_input *in)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    struct create_ctx c;
    struct svc_result chk = check_selection(d, a, who, in, &c.s);
    if (chk.err) return chk;
    return svc_tx(d, a, who, "selection create", create_tx, &c);
}

struct nominate_ctx {
    int64_t selection, person, by, now;
    const char *household, *why, *kind, *community;
    bool self;
};

static struct svc_result nominate_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct nominate_ctx *c = ctx;
    int64_t id = store_nomination_insert(d, c->selection, c->person, c->household, c->why,
                                         c->self ? 1 : 0, c->by, c->now);
    if (id == DB_CONSTRAINT)
        return svc_fail(E_CONFLICT, NULL,
                        !strcmp(c->kind, "household") ? "这个家庭已被提名" : "这位居民已被提名");
    if (id < 0) return svc_store_failed();
    *au = entry(a, c->self ? "nominate_self" : "nominate", "selection_nomination", id, c->community,
                json_pack("{s:I, s:I, s:s?, s:s}", "selection_id", (json_int_t)c->selection,
                          "person_id", (json_int_t)c->person, "household", c->household, "reason",
                          c->why));
    return (struct svc_result){.id = id};
}

/* Who is nominated: oneself (me), a person staff name by id, or the one
 * neighbour of that name. */
static struct svc_result find_nominee(db *d, arena *a, const struct selection_row *s,
                                      const struct nominee_row *me, bool self,
                                      const char *nominee_name, int64_t person_id,
                                      struct nominee_row *p)
{
    if (self) {
        if (!me) return svc_fail(E_FORBIDDEN, NULL, "您的账号没有关联本社区的居民信息，不能自荐");
        *p = *me;
        return (struct svc_result){0};
    }
    if (person_id > 0 && s->can_manage) {
        if (!store_selection_nominee(d, a, s->place_code, person_id, p))
            return svc_fail(E_NOT_FOUND, "person_id", "本社区没有这位居民");
        return (struct svc_result){0};
    }
    const char *name = text_trim(a, nominee_name);
    if (!text_ok(name, 2, 20))
        return svc_fail(E_BAD_INPUT, "nominee_name", "请填写被推荐人的姓名（2到20个字）");
    int found = store_selection_nominee_named(d, a, s->place_code, name, p);
    if (found < 0) return svc_store_failed();
    if (found == 0) return svc_fail(E_UNPROCESSABLE, "nominee_name", "本社区没有这个姓名的居民");
    if (found > 1)
        return svc_fail(E_UNPROCESSABLE, "nominee_name",
                        "本社区有同名居民，请到社区居委会当面推荐");
    return (struct svc_result){0};
}

struct svc_result svc_selection_nominate(db *d, arena *a, const struct principal *who,
                                         int64_t selection, int self, const char *nominee_name,
                                         int64_t person_id, const char *reason)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    struct selection_row s;
    if (!store_selection_read(d, a, who->account_id, selection, &s)) return NOT_FOUND;
    int64_t now = (int64_t)clock_now();
    if (strcmp(s.state, "open") != 0)
        return svc_fail(E_CONFLICT, NULL, "评选结果已公示，不再接受提名");
    if (now < s.opens_at) return svc_fail(E_CONFLICT, NULL, "提名尚未开始");
    if (now >= s.closes_at) return svc_fail(E_CONFLICT, NULL, "提名已截止");
    struct nominee_row me_row, p;
    bool me =
        who->person_id > 0 && store_selection_nominee(d, a, s.place_code, who->person_id, &me_row);
    if (!me && !s.can_manage) return svc_fail(E_FORBIDDEN, NULL, "只有本社区居民可以提名");
    const char *why = text_trim(a, reason);
    if (!text_ok(why, 5, 300)) return svc_fail(E_BAD_INPUT, "reason", "推荐理由应为5到300个字");
    struct svc_result found =
        find_nominee(d, a, &s, me ? &me_row : NULL, self, nominee_name, person_id, &p);
    if (found.err) return found;
    struct nominate_ctx c = {.selection = selection,
                             .person = p.id,
                             .by = who->account_id,
                             .now = now,
                             .why = why,
                             .kind = s.kind,
                             .community = s.place_code,
                             .self = self};
    if (!strcmp(s.kind, "partner") && !p.is_partner)
        return svc_fail(E_UNPROCESSABLE, "nominee_name",
                        "被推荐人不是登记的新就业群体（社区治理合伙人）");
    if (!strcmp(s.kind, "household")) {
        /* a household is honoured in the name of its head (户主), if recorded */
        c.household = p.place_code;
        int64_t head = store_selection_household_head(d, c.household);
        if (head > 0) c.person = head;
    }
    return svc_tx(d, a, who, "selection nominate", nominate_tx, &c);
}

struct review_ctx {
    const struct principal *who;
    const struct selection_row *s;
    const struct nomination_row *n;
    const char *why;
    bool approve;
};

static struct svc_result review_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct review_ctx *c = ctx;
    int rc = store_nomination_review(d, c->n->id, c->approve, c->why, c->who->account_id,
                                     (int64_t)clock_now());
    if (rc < 0) return svc_store_failed();
    if (rc == 0) return svc_fail(E_CONFLICT, NULL, "该提名已审核过");
    /* the nominator hears of the decision */
    if (notify_account(d, c->n->by, "selection_reviewed", 0,
                       arena_printf(a, "提名%s：%s（%s）", c->approve ? "已通过" : "未通过",
                                    c->n->name, c->s->name),
                       arena_printf(a, "%s%s/selections/%lld/nominate", c->why ? "说明：" : "",
                                    c->why ? arena_printf(a, "%s。", c->why) : "",
                                    (long long)c->s->id),
                       (time_t)clock_now()) < 0)
        return svc_store_failed();
    *au = entry(
        a, c->approve ? "approve" : "reject", "selection_nomination", c->n->id, c->s->place_code,
        json_pack("{s:s, s:s?}", "state", c->approve ? "approved" : "rejected", "reason", c->why));
    return (struct svc_result){.id = c->n->id};
}

struct svc_result svc_nomination_review(db *d, arena *a, const struct principal *who,
                                        int64_t nomination, const char *decision,
                                        const char *reason)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    struct nomination_row n;
    struct selection_row s;
    if (!store_nomination_read(d, a, nomination, &n) ||
        !store_selection_read(d, a, who->account_id, n.selection_id, &s) || !s.can_manage)
        return svc_fail(E_NOT_FOUND, NULL, "提名不存在或不在您的范围内");
    bool approve = decision && !strcmp(decision, "approve");
    if (!approve && !(decision && !strcmp(decision, "reject")))
        return svc_fail(E_BAD_INPUT, "decision", "审核结果应为 approve（通过）或 reject（不通过）");
    const char *why = text_trim(a, reason);
    if (why && !*why) why = NULL;
    if (!approve && !text_ok(why, 2, 200))
        return svc_fail(E_BAD_INPUT, "reason", "不通过时请用2到200个字说明原因");
    if (why && !text_ok(why, 1, 200)) return svc_fail(E_BAD_INPUT, "reason", "说明最多200个字");
    if (strcmp(s.state, "open") != 0)
        return svc_fail(E_CONFLICT, NULL, "评选结果已公示，不能再审核");
    struct review_ctx c = {.who = who, .s = &s, .n = &n, .why = why, .approve = approve};
    return svc_tx(d, a, who, "selection review", review_tx, &c);
}

struct publish_ctx {
    const struct principal *who;
    const struct selection_row *s;
};

/* Points to every winner, in the publishing transaction. */
static struct svc_result pay_winners(db *d, arena *a, const struct publish_ctx *c,
                                     const struct nomination_row *w, int n)
{
    for (int i = 0; c->s->points > 0 && i < n; i++) {
        struct points_award aw = {.person_id = w[i].person_id,
                                  .place_code = c->s->place_code,
                                  .source_type = "selection",
                                  .source_id = w[i].id,
                                  .points = c->s->points,
                                  .reason = c->s->honour};
        struct svc_result r = svc_points_award(d, a, c->who, &aw);
        if (r.err) return r;
    }
    return (struct svc_result){0};
}

/* The winners' own accounts and those who nominated them hear of the result. */
static int tell_winners(db *d, arena *a, const struct selection_row *s,
                        const struct nomination_row *w, int n)
{
    const char *title = arena_printf(a, "评选结果公示：%s", s->name);
    for (int i = 0; i < n; i++) {
        const char *body = arena_printf(a, "%s获评“%s”。公示：/selections/%lld", w[i].name,
                                        s->honour, (long long)s->id);
        db_rows *own = store_selection_person_accounts(d, a, w[i].person_id);
        if (!own ||
            notify_accounts(d, own, w[i].by, "selection_published", 0, title, body,
                            (time_t)clock_now()) < 0 ||
            notify_account(d, w[i].by, "selection_published", 0, title, body, (time_t)clock_now()) <
                0)
            return -1;
    }
    return 0;
}

static struct svc_result publish_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct publish_ctx *c = ctx;
    int rc = store_selection_publish(d, c->s->id, (int64_t)clock_now());
    if (rc < 0) return svc_store_failed();
    if (rc == 0) return svc_fail(E_CONFLICT, NULL, "评选结果已经公示");
    struct nomination_row *w;
    int n = store_nominations_find(d, a, c->s->id, 0, "approved", &w);
    if (n < 0) return svc_store_failed();
    struct svc_result paid = pay_winners(d, a, c, w, n);
    if (paid.err) return paid;
    if (tell_winners(d, a, c->s, w, n) < 0) return svc_store_failed();
    *au = entry(a, "publish", "selection", c->s->id, c->s->place_code,
                json_pack("{s:s, s:i, s:I}", "state", "published", "winners", n, "points",
                          (json_int_t)c->s->points));
    return (struct svc_result){.id = c->s->id};
}

struct svc_result svc_selection_publish(db *d, arena *a, const struct principal *who,
                                        int64_t selection)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    struct selection_row s;
    if (!store_selection_read(d, a, who->account_id, selection, &s)) return NOT_FOUND;
    if (!s.can_manage) return svc_fail(E_FORBIDDEN, NULL, "只有社区工作人员可以公示评选结果");
    if (strcmp(s.state, "open") != 0) return svc_fail(E_CONFLICT, NULL, "评选结果已经公示");
    /* every nomination is decided before the result is announced */
    struct nomination_row *pending;
    int np = store_nominations_find(d, a, selection, 0, "pending", &pending);
    if (np < 0) return svc_fail(E_INTERNAL, NULL, NULL);
    if (np)
        return svc_fail(E_CONFLICT, NULL,
                        arena_printf(a, "还有%d条提名待审核，请审核后再公示", np));
    struct publish_ctx c = {.who = who, .s = &s};
    return svc_tx(d, a, who, "selection publish", publish_tx, &c);
}
