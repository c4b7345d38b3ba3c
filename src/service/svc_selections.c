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
#include "store/store_audit.h"
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

static struct svc_result internal(db *d, const char *what)
{
    fprintf(stderr, "linli: selection %s: %s\n", what, db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
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

static int audit(db *d, arena *a, const struct principal *who, const char *action,
                 const char *entity, int64_t id, const char *place, json_t *after, const char *note)
{
    char *s = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(after);
    int rc = audit_write(d, who, action, entity, id_text(a, id), place, NULL, s, note);
    free(s);
    return rc;
}

struct svc_result svc_selection_create(db *d, arena *a, const struct principal *who,
                                       const struct selection_input *in)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
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
    db_rows *p = store_selection_place(d, a, who->account_id, CAP_PEOPLE_WRITE, in->place_code);
    if (!p) return svc_fail(E_NOT_FOUND, "place_code", "该社区不存在或不在您的范围内");
    if (strcmp(db_get(p, 0, 1), "community") != 0)
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
    struct selection_new s = {name,  in->kind, in->place_code, honour,         year,
                              opens, closes,   points,         who->account_id};
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_selection_insert(d, &s, (int64_t)clock_now());
    if (id < 0) return internal(d, "create");
    if (audit(d, a, who, "create", "selection", id, in->place_code,
              json_pack("{s:s, s:i, s:s, s:s, s:I}", "name", name, "year", year, "kind", in->kind,
                        "honour", honour, "points", (json_int_t)points),
              NULL) < 0)
        return internal(d, "create audit");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_selection_nominate(db *d, arena *a, const struct principal *who,
                                         int64_t selection, int self, const char *nominee_name,
                                         int64_t person_id, const char *reason)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    db_rows *s = store_selection_get(d, a, who->account_id, selection);
    if (!s) return NOT_FOUND;
    const char *community = db_get(s, 0, SC_PLACE), *kind = db_get(s, 0, SC_KIND);
    bool staff = db_get_int(s, 0, SC_CAN_MANAGE);
    int64_t now = (int64_t)clock_now();
    if (strcmp(db_get(s, 0, SC_STATE), "open") != 0)
        return svc_fail(E_CONFLICT, NULL, "评选结果已公示，不再接受提名");
    if (now < db_get_int(s, 0, SC_OPENS)) return svc_fail(E_CONFLICT, NULL, "提名尚未开始");
    if (now >= db_get_int(s, 0, SC_CLOSES)) return svc_fail(E_CONFLICT, NULL, "提名已截止");
    db_rows *me =
        who->person_id > 0 ? store_selection_person(d, a, community, who->person_id) : NULL;
    if (!me && !staff) return svc_fail(E_FORBIDDEN, NULL, "只有本社区居民可以提名");
    const char *why = text_trim(a, reason);
    if (!text_ok(why, 5, 300)) return svc_fail(E_BAD_INPUT, "reason", "推荐理由应为5到300个字");
    db_rows *p = NULL;
    if (self) {
        if (!me) return svc_fail(E_FORBIDDEN, NULL, "您的账号没有关联本社区的居民信息，不能自荐");
        p = me;
    } else if (person_id > 0 && staff) {
        p = store_selection_person(d, a, community, person_id);
        if (!p) return svc_fail(E_NOT_FOUND, "person_id", "本社区没有这位居民");
    } else {
        const char *name = text_trim(a, nominee_name);
        if (!text_ok(name, 2, 20))
            return svc_fail(E_BAD_INPUT, "nominee_name", "请填写被推荐人的姓名（2到20个字）");
        db_rows *found = store_selection_people_named(d, a, community, name);
        if (!found) return internal(d, "lookup");
        if (found->nrows == 0)
            return svc_fail(E_UNPROCESSABLE, "nominee_name", "本社区没有这个姓名的居民");
        if (found->nrows > 1)
            return svc_fail(E_UNPROCESSABLE, "nominee_name",
                            "本社区有同名居民，请到社区居委会当面推荐");
        p = found;
    }
    int64_t person = db_get_int(p, 0, 0);
    const char *household = NULL;
    if (!strcmp(kind, "partner") && !db_get_int(p, 0, 2))
        return svc_fail(E_UNPROCESSABLE, "nominee_name",
                        "被推荐人不是登记的新就业群体（社区治理合伙人）");
    if (!strcmp(kind, "household")) {
        /* a household is honoured in the name of its head (户主), if recorded */
        household = db_get(p, 0, 1);
        int64_t head = store_selection_household_head(d, household);
        if (head > 0) person = head;
    }
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_nomination_insert(d, selection, person, household, why, self ? 1 : 0,
                                         who->account_id, now);
    if (id == DB_CONSTRAINT) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL,
                        !strcmp(kind, "household") ? "这个家庭已被提名" : "这位居民已被提名");
    }
    if (id < 0) return internal(d, "nominate");
    if (audit(d, a, who, self ? "nominate_self" : "nominate", "selection_nomination", id, community,
              json_pack("{s:I, s:I, s:s?, s:s}", "selection_id", (json_int_t)selection, "person_id",
                        (json_int_t)person, "household", household, "reason", why),
              NULL) < 0)
        return internal(d, "nominate audit");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

struct svc_result svc_nomination_review(db *d, arena *a, const struct principal *who,
                                        int64_t nomination, const char *decision,
                                        const char *reason)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    db_rows *n = store_nomination_get(d, a, nomination);
    db_rows *s =
        n ? store_selection_get(d, a, who->account_id, db_get_int(n, 0, NC_SELECTION)) : NULL;
    if (!s || !db_get_int(s, 0, SC_CAN_MANAGE))
        return svc_fail(E_NOT_FOUND, NULL, "提名不存在或不在您的范围内");
    bool approve = decision && !strcmp(decision, "approve");
    if (!approve && !(decision && !strcmp(decision, "reject")))
        return svc_fail(E_BAD_INPUT, "decision", "审核结果应为 approve（通过）或 reject（不通过）");
    const char *why = text_trim(a, reason);
    if (why && !*why) why = NULL;
    if (!approve && !text_ok(why, 2, 200))
        return svc_fail(E_BAD_INPUT, "reason", "不通过时请用2到200个字说明原因");
    if (why && !text_ok(why, 1, 200)) return svc_fail(E_BAD_INPUT, "reason", "说明最多200个字");
    if (strcmp(db_get(s, 0, SC_STATE), "open") != 0)
        return svc_fail(E_CONFLICT, NULL, "评选结果已公示，不能再审核");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int c =
        store_nomination_review(d, nomination, approve, why, who->account_id, (int64_t)clock_now());
    if (c < 0) return internal(d, "review");
    if (c == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "该提名已审核过");
    }
    if (audit(d, a, who, approve ? "approve" : "reject", "selection_nomination", nomination,
              db_get(s, 0, SC_PLACE),
              json_pack("{s:s, s:s?}", "state", approve ? "approved" : "rejected", "reason", why),
              NULL) < 0)
        return internal(d, "review audit");
    /* the nominator hears of the decision */
    const char *sel_name = db_get(s, 0, SC_NAME), *nominee = db_get(n, 0, NC_NAME);
    if (notify_account(
            d, db_get_int(n, 0, NC_BY), "selection_reviewed", 0,
            arena_printf(a, "提名%s：%s（%s）", approve ? "已通过" : "未通过", nominee, sel_name),
            arena_printf(a, "%s%s/selections/%s/nominate", why ? "说明：" : "",
                         why ? arena_printf(a, "%s。", why) : "", db_get(s, 0, SC_ID)),
            (time_t)clock_now()) < 0)
        return internal(d, "review notify");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = nomination};
}

struct svc_result svc_selection_publish(db *d, arena *a, const struct principal *who,
                                        int64_t selection)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    db_rows *s = store_selection_get(d, a, who->account_id, selection);
    if (!s) return NOT_FOUND;
    if (!db_get_int(s, 0, SC_CAN_MANAGE))
        return svc_fail(E_FORBIDDEN, NULL, "只有社区工作人员可以公示评选结果");
    if (strcmp(db_get(s, 0, SC_STATE), "open") != 0)
        return svc_fail(E_CONFLICT, NULL, "评选结果已经公示");
    /* every nomination is decided before the result is announced */
    db_rows *pending = store_nominations(d, a, selection, 0, "pending");
    if (!pending) return svc_fail(E_INTERNAL, NULL, NULL);
    if (pending->nrows)
        return svc_fail(E_CONFLICT, NULL,
                        arena_printf(a, "还有%d条提名待审核，请审核后再公示", pending->nrows));
    const char *community = db_get(s, 0, SC_PLACE);
    int64_t points = db_get_int(s, 0, SC_POINTS);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int c = store_selection_publish(d, selection, (int64_t)clock_now());
    if (c < 0) return internal(d, "publish");
    if (c == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "评选结果已经公示");
    }
    db_rows *w = store_nominations(d, a, selection, 0, "approved");
    if (!w) return internal(d, "winners");
    for (int i = 0; points > 0 && i < w->nrows; i++) {
        struct points_award aw = {.person_id = db_get_int(w, i, NC_PERSON),
                                  .place_code = community,
                                  .source_type = "selection",
                                  .source_id = db_get_int(w, i, NC_ID),
                                  .points = points,
                                  .reason = db_get(s, 0, SC_HONOUR)};
        struct svc_result r = svc_points_award(d, a, who, &aw);
        if (r.err == E_INTERNAL) return svc_fail(E_INTERNAL, NULL, NULL);
        if (r.err) {
            db_rollback(d);
            return r;
        }
    }
    /* the winners' own accounts and those who nominated them hear of the result */
    const char *title = arena_printf(a, "评选结果公示：%s", db_get(s, 0, SC_NAME));
    for (int i = 0; i < w->nrows; i++) {
        const char *body =
            arena_printf(a, "%s获评“%s”。公示：/selections/%lld", db_get(w, i, NC_NAME),
                         db_get(s, 0, SC_HONOUR), (long long)selection);
        int64_t by = db_get_int(w, i, NC_BY);
        db_rows *own = store_selection_person_accounts(d, a, db_get_int(w, i, NC_PERSON));
        if (!own ||
            notify_accounts(d, own, by, "selection_published", 0, title, body,
                            (time_t)clock_now()) < 0 ||
            notify_account(d, by, "selection_published", 0, title, body, (time_t)clock_now()) < 0)
            return internal(d, "publish notify");
    }
    if (audit(d, a, who, "publish", "selection", selection, community,
              json_pack("{s:s, s:i, s:I}", "state", "published", "winners", w->nrows, "points",
                        (json_int_t)points),
              NULL) < 0)
        return internal(d, "publish audit");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = selection};
}
