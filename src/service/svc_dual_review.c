/* 双评价: see svc_dual_review.h. Reads go through one scoped store query;
 * the evaluation is validate → begin → write → audit → commit. */
#include "service/svc_dual_review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dual_review_rule.h"
#include "store/store_audit.h"
#include "store/store_dual_review.h"
#include "util/clock.h"
#include "util/text.h"

#define NOT_FOUND svc_fail(E_NOT_FOUND, NULL, "该在职党员不存在或不在您的范围内")
#define BAD_YEAR  svc_fail(E_BAD_INPUT, "year", "年度无效：应为2000年至今年之间的四位年份")

static struct svc_result internal(db *d, const char *what)
{
    fprintf(stderr, "linli: dual review %s: %s\n", what, db_errmsg(d));
    db_rollback(d);
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
                                  const char *year_s, db_rows **out, int *year)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    if (!year_of(year_s, year)) return BAD_YEAR;
    int64_t from, to;
    dual_year_bounds(*year, &from, &to);
    db_rows *r = store_dual_member(d, a, who->account_id, person, *year, from, to);
    if (!r && db_last_code(d) != DB_OK) return internal(d, "record");
    /* the member themselves reads their own record too (evaluates nothing) */
    if (!r || (!db_get_int(r, 0, DM_COMMUNITY_SIDE) && !db_get_int(r, 0, DM_UNIT_SIDE) &&
               who->person_id != person))
        return NOT_FOUND;
    *out = r;
    return (struct svc_result){.id = person};
}

bool svc_dual_is_member(db *d, const struct principal *who)
{
    return who && who->person_id > 0 && store_dual_is_member(d, who->person_id);
}

struct svc_result svc_dual_list(db *d, arena *a, const struct principal *who, const char *place,
                                const char *org_s, const char *year_s, int64_t after_id, int limit,
                                db_rows **out, int *year)
{
    if (!who || who->account_id <= 0) return svc_fail(E_UNAUTHORIZED, NULL, "请先登录");
    if (!year_of(year_s, year)) return BAD_YEAR;
    int64_t org;
    if (!parse_org(org_s, &org)) return svc_fail(E_BAD_INPUT, "org", "工作单位编号无效");
    int64_t from, to;
    dual_year_bounds(*year, &from, &to);
    *out = store_dual_members(d, a, who->account_id, place && *place ? place : NULL, org, *year,
                              from, to, after_id, limit);
    if (!*out) return internal(d, "list");
    return (struct svc_result){0};
}

static char *review_json(const char *grade, const char *comment, int year, const char *side)
{
    json_t *j = json_pack("{s:s?, s:s?, s:i, s:s}", "grade", grade, "comment", comment, "year",
                          year, "side", side);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

struct svc_result svc_dual_evaluate(db *d, arena *a, const struct principal *who, int64_t person,
                                    const char *year_s, const char *side, const char *grade,
                                    const char *comment)
{
    db_rows *m;
    int year;
    struct svc_result res = svc_dual_record(d, a, who, person, year_s, &m, &year);
    if (res.err) return res;
    if (!dual_side_zh(side))
        return svc_fail(E_BAD_INPUT, "side", "评价方应为 community（社区）或 unit（单位）");
    bool community = !strcmp(side, "community");
    if (community && !db_get_int(m, 0, DM_COMMUNITY_WRITE))
        return svc_fail(E_FORBIDDEN, "side", "只有党员居住地社区的工作人员可以作出社区评价");
    if (!community && !db_get_int(m, 0, DM_UNIT_SIDE))
        return svc_fail(E_FORBIDDEN, "side", "只有党员所在单位党组织可以作出单位评价");
    const char *g = dual_grade_id(grade);
    if (!g) return svc_fail(E_BAD_INPUT, "grade", "评价等次应为优秀、称职、基本称职或不称职");
    const char *c = text_trim(a, comment);
    if (c && !*c) c = NULL;
    if (c && (text_chars_printable(c) < 0 || text_chars(c) > 500))
        return svc_fail(E_BAD_INPUT, "comment", "评语最多500字，不能含控制字符");
    if (!strcmp(g, "incompetent") && !c)
        return svc_fail(E_BAD_INPUT, "comment", "评为不称职时请写明评语");
    const char *place = db_get(m, 0, DM_PLACE);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    db_rows *old = store_dual_review_get(d, a, person, year, side);
    if (!old) return internal(d, "read");
    int64_t id =
        store_dual_review_put(d, person, year, side, g, c, who->account_id, (int64_t)clock_now());
    if (id < 0) return internal(d, "write");
    char *before =
        old->nrows ? review_json(db_get(old, 0, 1), db_get(old, 0, 2), year, side) : NULL;
    char *after = review_json(g, c, year, side);
    int rc = audit_write(d, who, old->nrows ? "update" : "create", "dual_review",
                         arena_printf(a, "%lld", (long long)id), place, before, after,
                         arena_printf(a, "%s %s", dual_side_zh(side), db_get(m, 0, DM_NAME)));
    free(before);
    free(after);
    if (rc < 0) return internal(d, "audit");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

static const char *const header[] = {
    "姓名",     "居住地",   "工作单位", "报到日期", "报到社区", "年度",     "办理工单",
    "满意",     "基本满意", "不满意",   "完成心愿", "参加活动", "服务活动", "志愿时长（小时）",
    "获得积分", "社区评价", "社区评语", "单位评价", "单位评语"};
enum { NHEADER = (int)(sizeof header / sizeof header[0]) };

static void row_csv(buf *o, arena *a, const db_rows *m, int i, int year)
{
    const char *unit = db_get(m, i, DM_WORK_ORG_NAME) ? db_get(m, i, DM_WORK_ORG_NAME)
                                                      : db_get(m, i, DM_WORK_UNIT);
    const char *cells[NHEADER] = {
        db_get(m, i, DM_NAME),
        db_get(m, i, DM_PLACE_NAME),
        unit,
        db_get(m, i, DM_REPORTED_AT),
        db_get(m, i, DM_REPORTED_COMMUNITY_NAME),
        arena_printf(a, "%d", year),
        db_get(m, i, DM_ORDERS),
        db_get(m, i, DM_RATED_SATISFIED),
        db_get(m, i, DM_RATED_BASIC),
        db_get(m, i, DM_RATED_UNSATISFIED),
        db_get(m, i, DM_WISHES),
        db_get(m, i, DM_ACTIVITIES),
        db_get(m, i, DM_SERVED),
        arena_printf(a, "%.1f", (double)db_get_int(m, i, DM_SERVICE_MINUTES) / 60.0),
        db_get(m, i, DM_POINTS),
        dual_grade_zh(db_get(m, i, DM_C_GRADE)),
        db_get(m, i, DM_C_COMMENT),
        dual_grade_zh(db_get(m, i, DM_U_GRADE)),
        db_get(m, i, DM_U_COMMENT)};
    for (int c = 0; c < NHEADER; c++) {
        if (c) buf_puts(o, ",");
        buf_csv_field(o, cells[c] ? cells[c] : "");
    }
    buf_puts(o, "\r\n");
}

struct svc_result svc_dual_export(db *d, arena *a, const struct principal *who, const char *place,
                                  const char *org_s, const char *year_s, buf *out, int *rows)
{
    db_rows *m;
    int year;
    struct svc_result res = svc_dual_list(d, a, who, place, org_s, year_s, 0, 1, &m, &year);
    if (res.err) return res;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (audit_write(d, who, "export", "dual_review", NULL, place && *place ? place : NULL, NULL,
                    NULL,
                    arena_printf(a, "双评价导出 %d年%s%s", year, org_s && *org_s ? " 单位" : "",
                                 org_s && *org_s ? org_s : "")) < 0)
        return internal(d, "export audit");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    buf_raw(out, "\xEF\xBB\xBF", 3); /* the BOM tells Excel it is UTF-8 */
    for (int c = 0; c < NHEADER; c++) {
        if (c) buf_puts(out, ",");
        buf_csv_field(out, header[c]);
    }
    buf_puts(out, "\r\n");
    *rows = 0;
    int64_t after = 0;
    for (;;) {
        res = svc_dual_list(d, a, who, place, org_s, year_s, after, 500, &m, &year);
        if (res.err) return res;
        for (int i = 0; i < m->nrows; i++) row_csv(out, a, m, i, year);
        *rows += m->nrows;
        if (m->nrows < 500) break;
        after = db_get_int(m, m->nrows - 1, DM_ID);
    }
    return (struct svc_result){0};
}
