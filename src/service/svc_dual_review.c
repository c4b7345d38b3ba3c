/* 双评价: see svc_dual_review.h. Reads go through one scoped store query;
 * the evaluation is validate → begin → write → audit → commit. */
#include "service/svc_dual_review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dual_review_rule.h"
#include "service/svc_tx.h"
#include "store/store_dual_review.h"
#include "util/clock.h"
#include "util/text.h"

#define NOT_FOUND svc_fail(E_NOT_FOUND, NULL, "该在职党员不存在或不在您的范围内")
#define BAD_YEAR  svc_fail(E_BAD_INPUT, "year", "年度无效：应为2000年至今年之间的四位年份")

/* A read that failed: logged, answered 500. */
static struct svc_result store_failed(db *d, const char *what)
{
    fprintf(stderr, "linli: dual review %s: %s\n", what, db_errmsg(d));
    return svc_fail(E_INTERNAL, NULL, NULL);
}

static bool year_of(const char *s, int *year)
{
    return dual_year_parse(s, dual_year_of((int64_t)clock_now()), year);
}

static bool parse_org(const char *s, int64_t *org)
{
    *org = 0;
    if (!s || !*s) return true;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0) return false;
    *org = v;
    return true;
}

struct svc_result svc_dual_record(db *d, arena *a, const struct principal *who, int64_t person,
                                  const char *year_s, struct dual_member_row *out, int *year)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    if (!year_of(year_s, year)) return BAD_YEAR;
    int64_t from, to;
    dual_year_bounds(*year, &from, &to);
    int found = store_dual_member_read(d, a, who->account_id, person, *year, from, to, out);
    if (found < 0) return store_failed(d, "record");
    /* the member themselves reads their own record too (evaluates nothing) */
    if (!found || (!out->community_side && !out->unit_side && who->person_id != person))
        return NOT_FOUND;
    return (struct svc_result){.id = person};
}

bool svc_dual_is_member(db *d, const struct principal *who)
{
    return who && who->person_id > 0 && store_dual_is_member(d, who->person_id);
}

struct svc_result svc_dual_list(db *d, arena *a, const struct principal *who, const char *place,
                                const char *org_s, const char *year_s, int64_t after_id, int limit,
                                struct dual_member_row **out, int *n, int *year)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    if (!year_of(year_s, year)) return BAD_YEAR;
    int64_t org;
    if (!parse_org(org_s, &org)) return svc_fail(E_BAD_INPUT, "org", "工作单位编号无效");
    int64_t from, to;
    dual_year_bounds(*year, &from, &to);
    *n = store_dual_members_find(d, a, who->account_id, place && *place ? place : NULL, org, *year,
                                 from, to, after_id, limit, out);
    if (*n < 0) return store_failed(d, "list");
    return (struct svc_result){0};
}

static const char *review_json(arena *a, const char *grade, const char *comment, int year,
                               const char *side)
{
    json_t *j = json_pack("{s:s?, s:s?, s:i, s:s}", "grade", grade, "comment", comment, "year",
                          year, "side", side);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

struct evaluate_ctx {
    const struct principal *who;
    const struct dual_member_row *m;
    int year;
    const char *side, *grade, *comment;
};

static struct svc_result evaluate_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct evaluate_ctx *c = ctx;
    struct dual_evaluation_row old;
    int had = store_dual_review_read(d, a, c->m->id, c->year, c->side, &old);
    if (had < 0) return svc_store_failed();
    int64_t id = store_dual_review_put(d, c->m->id, c->year, c->side, c->grade, c->comment,
                                       c->who->account_id, (int64_t)clock_now());
    if (id < 0) return svc_store_failed();
    *au = (struct svc_audit){
        .action = had ? "update" : "create",
        .entity = "dual_review",
        .entity_id = arena_printf(a, "%lld", (long long)id),
        .place_code = c->m->place_code,
        .before_json = had ? review_json(a, old.grade, old.comment, c->year, c->side) : NULL,
        .after_json = review_json(a, c->grade, c->comment, c->year, c->side),
        .note = arena_printf(a, "%s %s", dual_side_zh(c->side), c->m->name)};
    return (struct svc_result){.id = id};
}

struct svc_result svc_dual_evaluate(db *d, arena *a, const struct principal *who, int64_t person,
                                    const char *year_s, const char *side, const char *grade,
                                    const char *comment)
{
    struct dual_member_row m;
    int year;
    struct svc_result res = svc_dual_record(d, a, who, person, year_s, &m, &year);
    if (res.err) return res;
    if (!dual_side_zh(side))
        return svc_fail(E_BAD_INPUT, "side", "评价方应为 community（社区）或 unit（单位）");
    bool community = !strcmp(side, "community");
    if (community && !m.community_write)
        return svc_fail(E_FORBIDDEN, "side", "只有党员居住地社区的工作人员可以作出社区评价");
    if (!community && !m.unit_side)
        return svc_fail(E_FORBIDDEN, "side", "只有党员所在单位党组织可以作出单位评价");
    const char *g = dual_grade_id(grade);
    if (!g) return svc_fail(E_BAD_INPUT, "grade", "评价等次应为优秀、称职、基本称职或不称职");
    const char *c = text_trim(a, comment);
    if (c && !*c) c = NULL;
    if (c && (text_chars_printable(c) < 0 || text_chars(c) > 500))
        return svc_fail(E_BAD_INPUT, "comment", "评语最多500字，不能含控制字符");
    if (!strcmp(g, "incompetent") && !c)
        return svc_fail(E_BAD_INPUT, "comment", "评为不称职时请写明评语");
    struct evaluate_ctx ctx = {
        .who = who, .m = &m, .year = year, .side = side, .grade = g, .comment = c};
    return svc_tx(d, a, who, "dual review evaluate", evaluate_tx, &ctx);
}

static const char *const header[] = {
    "姓名",     "居住地",   "工作单位", "报到日期", "报到社区", "年度",     "办理工单",
    "满意",     "基本满意", "不满意",   "完成心愿", "参加活动", "服务活动", "志愿时长（小时）",
    "获得积分", "社区评价", "社区评语", "单位评价", "单位评语"};
enum { NHEADER = (int)(sizeof header / sizeof header[0]) };

static const char *num(arena *a, int64_t v)
{
    return arena_printf(a, "%lld", (long long)v);
}

static void row_csv(buf *o, arena *a, const struct dual_member_row *m, int year)
{
    const char *cells[NHEADER] = {m->name,
                                  m->place_name,
                                  m->work_org_name ? m->work_org_name : m->work_unit,
                                  m->reported_at,
                                  m->reported_community_name,
                                  arena_printf(a, "%d", year),
                                  num(a, m->orders),
                                  num(a, m->rated_satisfied),
                                  num(a, m->rated_basic),
                                  num(a, m->rated_unsatisfied),
                                  num(a, m->wishes),
                                  num(a, m->activities),
                                  num(a, m->served),
                                  arena_printf(a, "%.1f", (double)m->service_minutes / 60.0),
                                  num(a, m->points),
                                  dual_grade_zh(m->community.grade),
                                  m->community.comment,
                                  dual_grade_zh(m->unit.grade),
                                  m->unit.comment};
    for (int c = 0; c < NHEADER; c++) {
        if (c) buf_puts(o, ",");
        buf_csv_field(o, cells[c] ? cells[c] : "");
    }
    buf_puts(o, "\r\n");
}

static struct svc_result export_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)d, (void)a;
    *au = *(const struct svc_audit *)ctx;
    return (struct svc_result){0};
}

struct svc_result svc_dual_export(db *d, arena *a, const struct principal *who, const char *place,
                                  const char *org_s, const char *year_s, buf *out, int *rows)
{
    struct dual_member_row *m;
    int year, n;
    struct svc_result res = svc_dual_list(d, a, who, place, org_s, year_s, 0, 1, &m, &n, &year);
    if (res.err) return res;
    struct svc_audit au = {.action = "export",
                           .entity = "dual_review",
                           .place_code = place && *place ? place : NULL,
                           .note = arena_printf(a, "双评价导出 %d年%s%s", year,
                                                org_s && *org_s ? " 单位" : "",
                                                org_s && *org_s ? org_s : "")};
    res = svc_tx(d, a, who, "dual review export audit", export_tx, &au);
    if (res.err) return res;
    buf_raw(out, "\xEF\xBB\xBF", 3); /* the BOM tells Excel it is UTF-8 */
    for (int c = 0; c < NHEADER; c++) {
        if (c) buf_puts(out, ",");
        buf_csv_field(out, header[c]);
    }
    buf_puts(out, "\r\n");
    *rows = 0;
    int64_t after = 0;
    for (;;) {
        res = svc_dual_list(d, a, who, place, org_s, year_s, after, 500, &m, &n, &year);
        if (res.err) return res;
        for (int i = 0; i < n; i++) row_csv(out, a, &m[i], year);
        *rows += n;
        if (n < 500) break;
        after = m[n - 1].id;
    }
    return (struct svc_result){0};
}
