/* Activities; see svc_activities.h and docs/activities.md. Scope: creating
 * and changing needs activities.manage over the place (or being the
 * organiser, for check-in codes and hours); signing up needs the activity to
 * be visible to the actor (store_activities.h: near them). */
#include "service/svc_activities.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activity_kind.h"
#include "core/checkin_code.h"
#include "core/recurrence.h"
#include "core/roles.h"
#include "service/svc_notify.h"
#include "service/svc_points.h"
#include "store/store_accounts.h"
#include "store/store_activities.h"
#include "store/store_audit.h"
#include "store/store_orgs.h"
#include "store/store_places.h"
#include "store/store_stations.h"
#include "util/clock.h"
#include "util/text.h"

#define TITLE_MAX        100
#define DESCRIPTION_MAX  2000
#define CAPACITY_MAX     10000
#define DURATION_MAX_S   (24 * 3600)
#define SERIES_SPAN_DAYS 366

static const char *const not_found = "活动不存在或不在您的管辖范围内";
static const char *const place_not_found = "区划不存在或不在您的管辖范围内";

static const char *id_text(arena *a, int64_t id)
{
    return arena_printf(a, "%lld", (long long)id);
}

/* A whole number in [lo, hi] of at most 9 digits; -1 when s is not one. */
static int64_t number_in(const char *s, int64_t lo, int64_t hi)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 9) return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    int64_t v = strtoll(s, NULL, 10);
    return v < lo || v > hi ? -1 : v;
}

static bool moment_parse(const char *s, time_t *out)
{
    return clock_parse_rfc3339(s, out) || china_parse_datetime(s, out);
}

static const char *fmt_local(arena *a, int64_t t)
{
    char buf[20];
    clock_format_local((time_t)t, buf);
    return arena_strdup(a, buf);
}

/* The stored activity as an activity_row. */
static struct activity_row row_of(const db_rows *r)
{
    return (struct activity_row){
        .series_id = db_get(r, 0, AC_SERIES) ? db_get_int(r, 0, AC_SERIES) : 0,
        .kind = db_get(r, 0, AC_KIND),
        .title = db_get(r, 0, AC_TITLE),
        .description = db_get(r, 0, AC_DESCRIPTION),
        .place_code = db_get(r, 0, AC_PLACE),
        .station_id = db_get(r, 0, AC_STATION) ? db_get_int(r, 0, AC_STATION) : 0,
        .org_id = db_get(r, 0, AC_ORG) ? db_get_int(r, 0, AC_ORG) : 0,
        .organiser_id = db_get_int(r, 0, AC_ORGANISER),
        .capacity = db_get_int(r, 0, AC_CAPACITY),
        .starts_at = db_get_int(r, 0, AC_STARTS),
        .ends_at = db_get_int(r, 0, AC_ENDS),
    };
}

static void set_opt_id(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, v > 0 ? json_integer(v) : json_null());
}

static const char *dump(arena *a, json_t *o)
{
    char *txt = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = arena_strdup(a, txt);
    free(txt);
    return out;
}

/* The audit image of an event or occurrence. */
static const char *activity_json(arena *a, const struct activity_row *r, const char *status)
{
    json_t *o = json_object();
    set_opt_id(o, "series_id", r->series_id);
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "description",
                        r->description ? json_string(r->description) : json_null());
    json_object_set_new(o, "place_code", json_string(r->place_code));
    set_opt_id(o, "station_id", r->station_id);
    set_opt_id(o, "org_id", r->org_id);
    json_object_set_new(o, "organiser_id", json_integer(r->organiser_id));
    json_object_set_new(o, "capacity", json_integer(r->capacity));
    json_object_set_new(o, "starts_at", json_integer(r->starts_at));
    json_object_set_new(o, "ends_at", json_integer(r->ends_at));
    json_object_set_new(o, "status", json_string(status));
    return dump(a, o);
}

static const char *series_json(arena *a, const struct series_row *s, int occurrences)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(s->kind));
    json_object_set_new(o, "title", json_string(s->title));
    json_object_set_new(o, "description",
                        s->description ? json_string(s->description) : json_null());
    json_object_set_new(o, "place_code", json_string(s->place_code));
    set_opt_id(o, "station_id", s->station_id);
    set_opt_id(o, "org_id", s->org_id);
    json_object_set_new(o, "organiser_id", json_integer(s->organiser_id));
    json_object_set_new(o, "capacity", json_integer(s->capacity));
    json_object_set_new(o, "freq", json_string(s->freq));
    json_object_set_new(o, "weekdays", json_integer(s->weekdays));
    json_object_set_new(o, "month_day", json_integer(s->month_day));
    json_object_set_new(o, "from", json_string(s->from_date));
    json_object_set_new(o, "until", json_string(s->until_date));
    json_object_set_new(o, "start_minute", json_integer(s->start_minute));
    json_object_set_new(o, "duration_minutes", json_integer(s->duration_min));
    if (occurrences >= 0) json_object_set_new(o, "occurrences", json_integer(occurrences));
    return dump(a, o);
}

static const char *signup_json(arena *a, int64_t activity, int64_t account, const char *status,
                               const char *extra_key, int64_t extra)
{
    json_t *o = json_object();
    json_object_set_new(o, "activity_id", json_integer(activity));
    json_object_set_new(o, "account_id", json_integer(account));
    json_object_set_new(o, "status", json_string(status));
    if (extra_key) json_object_set_new(o, extra_key, json_integer(extra));
    return dump(a, o);
}

/* ---- validation ------------------------------------------------------------- */

/* The fields an event, an occurrence and a series share, over *out. fresh:
 * creating (every required field must be given). */
static struct svc_result validate_common(db *d, arena *a, const struct principal *who,
                                         const struct activity_input *in, bool fresh,
                                         struct activity_row *out)
{
    int64_t viewer = principal_viewer(who);
    if (in->kind || fresh) {
        const char *k = activity_kind_parse(text_trim(a, in->kind));
        if (!k)
            return svc_fail(E_BAD_INPUT, "kind",
                            "活动类型无效，应为邻里节、百家宴、义诊、义剪、讲座、四点半课堂、"
                            "文体活动、志愿服务或其他活动");
        out->kind = k;
    }
    if (in->title || fresh) {
        const char *t = text_trim(a, in->title);
        if (!t || !*t) return svc_fail(E_BAD_INPUT, "title", "请填写活动名称");
        long n = text_chars_printable(t);
        if (n < 0) return svc_fail(E_BAD_INPUT, "title", "活动名称不能包含控制字符");
        if (n > TITLE_MAX) return svc_fail(E_BAD_INPUT, "title", "活动名称不能超过100个字");
        out->title = t;
    }
    if (in->description) {
        const char *t = text_trim(a, in->description);
        if (text_chars(t) > DESCRIPTION_MAX)
            return svc_fail(E_BAD_INPUT, "description", "活动介绍不能超过2000个字");
        out->description = *t ? t : NULL;
    }
    if (in->station_id && *in->station_id) {
        int64_t sid = number_in(text_trim(a, in->station_id), 1, INT32_MAX);
        db_rows *st = sid > 0 ? store_station_get(d, a, viewer, CAP_PLACES_READ, sid) : NULL;
        if (!st) return svc_fail(E_NOT_FOUND, "station_id", "阵地不存在或不在您的管辖范围内");
        out->station_id = sid;
        /* the activity is where its station is, unless a place is given too */
        if (!in->place_code || !*in->place_code) out->place_code = db_get(st, 0, STC_PLACE);
    } else if (in->station_id)
        out->station_id = 0;
    if ((in->place_code && *in->place_code) || (fresh && !out->place_code)) {
        const char *code = text_trim(a, in->place_code);
        if (!code || !*code) return svc_fail(E_BAD_INPUT, "place_code", "请填写活动地点（区划）");
        out->place_code = code;
    }
    if (in->place_code || in->station_id || fresh) {
        const char *level = store_place_level(d, a, out->place_code);
        if (!level || !store_place_in_scope(d, viewer, CAP_ACTIVITIES_MANAGE, out->place_code))
            return svc_fail(E_NOT_FOUND, "place_code", place_not_found);
        if (strcmp(level, "county") && strcmp(level, "street") && strcmp(level, "community") &&
            strcmp(level, "compound"))
            return svc_fail(E_BAD_INPUT, "place_code",
                            "活动地点应为县、街道（乡镇）、社区（村）或小区");
        if (out->station_id) {
            db_rows *st = store_station_get(d, a, 0, CAP_PLACES_READ, out->station_id);
            const char *sp = st ? db_get(st, 0, STC_PLACE) : "";
            if (strncmp(sp, out->place_code, strlen(out->place_code)) != 0)
                return svc_fail(E_BAD_INPUT, "station_id", "所选阵地不在活动地点内");
        }
    }
    if (in->org_id && *in->org_id) {
        int64_t oid = number_in(text_trim(a, in->org_id), 1, INT32_MAX);
        if (oid <= 0 || !store_org_get(d, a, viewer, CAP_ORGS_READ, oid))
            return svc_fail(E_NOT_FOUND, "org_id", "组织不存在或不在您的管辖范围内");
        out->org_id = oid;
    } else if (in->org_id)
        out->org_id = 0;
    if (in->organiser_id && *in->organiser_id) {
        int64_t acc = number_in(text_trim(a, in->organiser_id), 1, INT32_MAX);
        db_rows *ar = acc > 0 ? store_account_by_id(d, a, acc) : NULL;
        if (!ar || db_get_int(ar, 0, 5) ||
            (viewer && acc != viewer && !store_account_in_scope(d, viewer, acc)))
            return svc_fail(E_NOT_FOUND, "organiser_id", "组织者账号不存在或不在您的管辖范围内");
        out->organiser_id = acc;
    } else if (fresh) {
        if (!viewer) return svc_fail(E_BAD_INPUT, "organiser_id", "请指定组织者账号");
        out->organiser_id = viewer;
    }
    if (in->capacity || fresh) {
        int64_t c = number_in(text_trim(a, in->capacity), 1, CAPACITY_MAX);
        if (c < 0) return svc_fail(E_BAD_INPUT, "capacity", "名额应为1至10000之间的整数");
        out->capacity = c;
    }
    return (struct svc_result){0};
}

static struct svc_result validate_times(arena *a, const struct activity_input *in, bool fresh,
                                        struct activity_row *out)
{
    time_t t;
    if (in->starts_at || fresh) {
        if (!moment_parse(text_trim(a, in->starts_at), &t))
            return svc_fail(E_BAD_INPUT, "starts_at", "开始时间格式不正确，应如 2026-11-24 16:30");
        out->starts_at = t;
    }
    if (in->ends_at || fresh) {
        if (!moment_parse(text_trim(a, in->ends_at), &t))
            return svc_fail(E_BAD_INPUT, "ends_at", "结束时间格式不正确，应如 2026-11-24 18:00");
        out->ends_at = t;
    }
    if (out->ends_at <= out->starts_at)
        return svc_fail(E_BAD_INPUT, "ends_at", "结束时间应晚于开始时间");
    if (out->ends_at - out->starts_at > DURATION_MAX_S)
        return svc_fail(E_BAD_INPUT, "ends_at", "一场活动不能超过24小时，多日活动请设为周期活动");
    return (struct svc_result){0};
}

static char *new_secret(arena *a)
{
    unsigned char raw[CHECKIN_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *hex = arena_alloc(a, 2 * sizeof raw + 1);
    sodium_bin2hex(hex, 2 * sizeof raw + 1, raw, sizeof raw);
    return hex;
}

static struct svc_result internal(db *d, const char *what)
{
    fprintf(stderr, "linli: activity %s: %s\n", what, db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
}

static struct svc_result commit(db *d, int64_t id)
{
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* ---- events and series ------------------------------------------------------ */

struct svc_result svc_activity_create(db *d, arena *a, const struct principal *who,
                                      const struct activity_input *in)
{
    struct activity_row row = {0};
    struct svc_result v = validate_common(d, a, who, in, true, &row);
    if (!v.err) v = validate_times(a, in, true, &row);
    if (v.err) return v;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t id = store_activity_insert(d, &row, new_secret(a));
    if (id < 0 || audit_write(d, who, "create", "activity", id_text(a, id), row.place_code, NULL,
                              activity_json(a, &row, "scheduled"), NULL) < 0)
        return internal(d, "create");
    return commit(d, id);
}

/* "1,3,5" (1 Monday … 7 Sunday) as a bit set; 0 when malformed. */
static unsigned weekdays_parse(const char *s)
{
    unsigned bits = 0;
    for (const char *p = s; p && *p;) {
        while (*p == ',' || *p == ' ') p++;
        if (!*p) break;
        if (*p < '1' || *p > '7' || (p[1] && p[1] != ',' && p[1] != ' ')) return 0;
        bits |= 1u << (*p - '1');
        p++;
    }
    return bits;
}

static struct svc_result validate_rule(arena *a, const struct activity_input *in,
                                       struct series_row *s, struct recur_rule *rule)
{
    const char *f = text_trim(a, in->freq);
    if (!f || (strcmp(f, "weekly") && strcmp(f, "monthly")))
        return svc_fail(E_BAD_INPUT, "freq", "重复方式应为每周（weekly）或每月（monthly）");
    s->freq = !strcmp(f, "weekly") ? "weekly" : "monthly";
    rule->freq = !strcmp(f, "weekly") ? RECUR_WEEKLY : RECUR_MONTHLY;
    if (rule->freq == RECUR_WEEKLY) {
        s->weekdays = (int)weekdays_parse(text_trim(a, in->weekdays));
        if (!s->weekdays)
            return svc_fail(E_BAD_INPUT, "weekdays", "请选择每周的哪几天（1为周一，7为周日）");
        rule->weekdays = (unsigned)s->weekdays;
    } else {
        s->month_day = (int)number_in(text_trim(a, in->month_day), 1, 31);
        if (s->month_day < 0) return svc_fail(E_BAD_INPUT, "month_day", "每月日期应为1至31");
        rule->month_day = s->month_day;
    }
    s->from_date = text_trim(a, in->from_date);
    if (!civil_parse(s->from_date, &rule->from))
        return svc_fail(E_BAD_INPUT, "from", "开始日期应为 YYYY-MM-DD 格式的有效日期");
    s->until_date = text_trim(a, in->until_date);
    if (!civil_parse(s->until_date, &rule->until))
        return svc_fail(E_BAD_INPUT, "until", "截止日期应为 YYYY-MM-DD 格式的有效日期");
    if (civil_days(rule->until) < civil_days(rule->from))
        return svc_fail(E_BAD_INPUT, "until", "截止日期不能早于开始日期");
    if (civil_days(rule->until) - civil_days(rule->from) > SERIES_SPAN_DAYS)
        return svc_fail(E_BAD_INPUT, "until", "周期活动最长一年，到期后请新建");
    s->start_minute = clock_minute_parse(text_trim(a, in->start_time));
    if (s->start_minute < 0) return svc_fail(E_BAD_INPUT, "start_time", "开始时刻应为 HH:MM");
    rule->start_minute = s->start_minute;
    s->duration_min = (int)number_in(text_trim(a, in->duration_minutes), 1, 24 * 60);
    if (s->duration_min < 0)
        return svc_fail(E_BAD_INPUT, "duration_minutes", "活动时长应为1至1440分钟");
    return (struct svc_result){0};
}

struct svc_result svc_series_create(db *d, arena *a, const struct principal *who,
                                    const struct activity_input *in)
{
    struct activity_row row = {0};
    struct svc_result v = validate_common(d, a, who, in, true, &row);
    struct series_row s = {0};
    struct recur_rule rule = {0};
    if (!v.err) v = validate_rule(a, in, &s, &rule);
    if (v.err) return v;
    time_t *starts = arena_alloc(a, sizeof *starts * RECUR_MAX_OCCURRENCES);
    int n = recur_expand(&rule, starts, RECUR_MAX_OCCURRENCES);
    if (n == -2) return svc_fail(E_BAD_INPUT, "until", "周期活动最多200场，请缩短日期范围");
    if (n <= 0) return svc_fail(E_BAD_INPUT, "until", "所给日期范围内没有一场活动");
    s.kind = row.kind, s.title = row.title, s.description = row.description;
    s.place_code = row.place_code, s.station_id = row.station_id, s.org_id = row.org_id;
    s.organiser_id = row.organiser_id, s.capacity = row.capacity;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t sid = store_series_insert(d, &s);
    if (sid < 0) return internal(d, "series");
    row.series_id = sid;
    for (int i = 0; i < n; i++) {
        row.starts_at = starts[i];
        row.ends_at = starts[i] + (int64_t)s.duration_min * 60;
        if (store_activity_insert(d, &row, new_secret(a)) < 0) return internal(d, "occurrence");
    }
    if (audit_write(d, who, "create", "activity_series", id_text(a, sid), s.place_code, NULL,
                    series_json(a, &s, n), NULL) < 0)
        return internal(d, "series audit");
    return commit(d, sid);
}

/* Moves waiting sign-ups up while there is room, notifying each. 0 or < 0. */
static int promote_waiting(db *d, arena *a, int64_t id, int64_t capacity, const char *title,
                           int64_t starts, const char *place)
{
    time_t now = clock_now();
    while (store_signups_count(d, id, "signed") < capacity) {
        db_rows *w = store_signup_first_waiting(d, a, id);
        if (!w) return 0;
        int64_t sid = db_get_int(w, 0, 0), acc = db_get_int(w, 0, 1);
        if (store_signup_set_status(d, sid, "signed") < 0 ||
            notify_account(
                d, acc, "activity_promoted", 0, "候补转为正式报名",
                arena_printf(a, "您已从候补转为正式报名：%s（%s）", title, fmt_local(a, starts)),
                now) < 0 ||
            audit_write(d, NULL, "promote", "activity_signup", id_text(a, sid), place,
                        signup_json(a, id, acc, "waiting", NULL, 0),
                        signup_json(a, id, acc, "signed", NULL, 0), "候补递补") < 0)
            return -1;
    }
    return 0;
}

/* The activity the actor may manage, or NULL (as absent). */
static db_rows *managed(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t viewer = principal_viewer(who);
    db_rows *r = store_activity_get(d, a, viewer, id);
    return r && store_activity_manageable(d, viewer, id) ? r : NULL;
}

struct svc_result svc_activity_update(db *d, arena *a, const struct principal *who, int64_t id,
                                      const struct activity_input *in)
{
    db_rows *cur = managed(d, a, who, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消，不能再修改");
    struct activity_row before = row_of(cur), row = before;
    struct svc_result v = validate_common(d, a, who, in, false, &row);
    if (!v.err) v = validate_times(a, in, false, &row);
    if (v.err) return v;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    store_activity_lock(d, id);
    if (row.capacity < store_signups_count(d, id, "signed")) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, "capacity", "名额不能少于已报名人数");
    }
    if (store_activity_update(d, id, &row, 1) < 0 ||
        promote_waiting(d, a, id, row.capacity, row.title, row.starts_at, row.place_code) < 0 ||
        audit_write(d, who, "update", "activity", id_text(a, id), row.place_code,
                    activity_json(a, &before, "scheduled"), activity_json(a, &row, "scheduled"),
                    row.series_id ? "单场调整" : NULL) < 0)
        return internal(d, "update");
    return commit(d, id);
}

struct svc_result svc_activity_cancel(db *d, arena *a, const struct principal *who, int64_t id)
{
    db_rows *cur = managed(d, a, who, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消");
    struct activity_row row = row_of(cur);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    db_rows *people = store_signup_accounts(d, a, id);
    if (!people || store_activity_cancel(d, id) < 0 ||
        notify_accounts(
            d, people, 0, "activity_cancelled", 0, "活动取消",
            arena_printf(a, "您报名的活动已取消：%s（%s）", row.title, fmt_local(a, row.starts_at)),
            clock_now()) < 0 ||
        audit_write(d, who, "cancel", "activity", id_text(a, id), row.place_code,
                    activity_json(a, &row, "scheduled"), activity_json(a, &row, "cancelled"),
                    NULL) < 0)
        return internal(d, "cancel");
    return commit(d, id);
}

struct svc_result svc_series_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct activity_input *in)
{
    db_rows *cur = store_series_get(d, a, principal_viewer(who), id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, "周期活动不存在或不在您的管辖范围内");
    struct series_row before = {
        .kind = db_get(cur, 0, SC_KIND),
        .title = db_get(cur, 0, SC_TITLE),
        .description = db_get(cur, 0, SC_DESCRIPTION),
        .place_code = db_get(cur, 0, SC_PLACE),
        .freq = db_get(cur, 0, SC_FREQ),
        .from_date = db_get(cur, 0, SC_FROM),
        .until_date = db_get(cur, 0, SC_UNTIL),
        .station_id = db_get(cur, 0, SC_STATION) ? db_get_int(cur, 0, SC_STATION) : 0,
        .org_id = db_get(cur, 0, SC_ORG) ? db_get_int(cur, 0, SC_ORG) : 0,
        .organiser_id = db_get_int(cur, 0, SC_ORGANISER),
        .capacity = db_get_int(cur, 0, SC_CAPACITY),
        .weekdays = (int)db_get_int(cur, 0, SC_WEEKDAYS),
        .month_day = (int)db_get_int(cur, 0, SC_MONTH_DAY),
        .start_minute = (int)db_get_int(cur, 0, SC_START_MINUTE),
        .duration_min = (int)db_get_int(cur, 0, SC_DURATION),
    };
    if (in->freq || in->weekdays || in->month_day || in->from_date || in->until_date ||
        in->starts_at || in->ends_at || (in->organiser_id && *in->organiser_id))
        return svc_fail(
            E_BAD_INPUT, "freq",
            "周期规则、日期范围和组织者不能修改；请取消后新建周期活动，或单独调整某一场");
    struct activity_row common = {
        .kind = before.kind,
        .title = before.title,
        .description = before.description,
        .place_code = before.place_code,
        .station_id = before.station_id,
        .org_id = before.org_id,
        .organiser_id = before.organiser_id,
        .capacity = before.capacity,
    };
    struct svc_result v = validate_common(d, a, who, in, false, &common);
    if (v.err) return v;
    struct series_row s = before;
    s.kind = common.kind, s.title = common.title, s.description = common.description;
    s.place_code = common.place_code, s.station_id = common.station_id, s.org_id = common.org_id;
    s.capacity = common.capacity;
    if (in->start_time && (s.start_minute = clock_minute_parse(text_trim(a, in->start_time))) < 0)
        return svc_fail(E_BAD_INPUT, "start_time", "开始时刻应为 HH:MM");
    if (in->duration_minutes &&
        (s.duration_min = (int)number_in(text_trim(a, in->duration_minutes), 1, 24 * 60)) < 0)
        return svc_fail(E_BAD_INPUT, "duration_minutes", "活动时长应为1至1440分钟");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    db_rows *future = store_series_future(d, a, id, clock_now());
    if (!future || store_series_update(d, id, &s) < 0) return internal(d, "series update");
    for (int i = 0; i < future->nrows; i++) {
        int64_t oid = db_get_int(future, i, 0);
        store_activity_lock(d, oid);
        if (s.capacity < store_signups_count(d, oid, "signed")) {
            db_rollback(d);
            return svc_fail(E_CONFLICT, "capacity",
                            arena_printf(a, "%s 那一场已报名人数多于新的名额",
                                         fmt_local(a, db_get_int(future, i, 1))));
        }
        struct activity_row r = common;
        r.series_id = id;
        r.starts_at = china_time(china_date((time_t)db_get_int(future, i, 1)), s.start_minute);
        r.ends_at = r.starts_at + (int64_t)s.duration_min * 60;
        if (store_activity_update(d, oid, &r, 0) < 0 ||
            promote_waiting(d, a, oid, r.capacity, r.title, r.starts_at, r.place_code) < 0)
            return internal(d, "series occurrence");
    }
    if (audit_write(d, who, "update", "activity_series", id_text(a, id), s.place_code,
                    series_json(a, &before, -1), series_json(a, &s, future->nrows),
                    "只改未单独调整的未来场次") < 0)
        return internal(d, "series audit");
    return commit(d, id);
}

/* ---- sign-up, check-in, service ---------------------------------------------- */

struct svc_result svc_signup(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t me = principal_viewer(who);
    if (!me) return svc_fail(E_FORBIDDEN, NULL, "报名需要登录账号");
    db_rows *cur = store_activity_get(d, a, me, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消，不能报名");
    if (clock_now() >= db_get_int(cur, 0, AC_STARTS))
        return svc_fail(E_CONFLICT, NULL, "活动已开始，报名已截止");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    /* under the activity's lock: counting and taking a place are one step */
    if (store_activity_lock(d, id) < 0) return internal(d, "lock");
    db_rows *mine = store_signup_of(d, a, id, me);
    if (mine && strcmp(db_get(mine, 0, SU_STATUS), "cancelled")) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL,
                        strcmp(db_get(mine, 0, SU_STATUS), "signed") ? "您已在候补名单中"
                                                                     : "您已报名");
    }
    int64_t capacity = db_get_int(cur, 0, AC_CAPACITY);
    const char *status = store_signups_count(d, id, "signed") < capacity ? "signed" : "waiting";
    int64_t sid = store_signup_put(d, id, me, status);
    if (sid < 0 ||
        audit_write(d, who, "signup", "activity_signup", id_text(a, sid), db_get(cur, 0, AC_PLACE),
                    NULL, signup_json(a, id, me, status, NULL, 0), NULL) < 0)
        return internal(d, "signup");
    return commit(d, sid);
}

struct svc_result svc_signup_cancel(db *d, arena *a, const struct principal *who, int64_t id)
{
    int64_t me = principal_viewer(who);
    if (!me) return svc_fail(E_FORBIDDEN, NULL, "需要登录账号");
    db_rows *cur = store_activity_get(d, a, me, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (clock_now() >= db_get_int(cur, 0, AC_STARTS))
        return svc_fail(E_CONFLICT, NULL, "活动已开始，不能取消报名");
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    if (store_activity_lock(d, id) < 0) return internal(d, "lock");
    db_rows *mine = store_signup_of(d, a, id, me);
    if (!mine || !strcmp(db_get(mine, 0, SU_STATUS), "cancelled")) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "您没有报名这个活动");
    }
    int64_t sid = db_get_int(mine, 0, SU_ID);
    const char *was = db_get(mine, 0, SU_STATUS);
    if (store_signup_set_status(d, sid, "cancelled") < 0 ||
        audit_write(d, who, "withdraw", "activity_signup", id_text(a, sid),
                    db_get(cur, 0, AC_PLACE), signup_json(a, id, me, was, NULL, 0),
                    signup_json(a, id, me, "cancelled", NULL, 0), NULL) < 0 ||
        (!strcmp(was, "signed") &&
         promote_waiting(d, a, id, db_get_int(cur, 0, AC_CAPACITY), db_get(cur, 0, AC_TITLE),
                         db_get_int(cur, 0, AC_STARTS), db_get(cur, 0, AC_PLACE)) < 0))
        return internal(d, "withdraw");
    return commit(d, sid);
}

static bool secret_of(db *d, arena *a, int64_t id, unsigned char key[CHECKIN_SECRET_BYTES])
{
    const char *hex = store_activity_secret(d, a, id);
    size_t n = 0;
    return hex &&
           sodium_hex2bin(key, CHECKIN_SECRET_BYTES, hex, strlen(hex), NULL, &n, NULL) == 0 &&
           n == CHECKIN_SECRET_BYTES;
}

static struct svc_result checkin_locked(void)
{
    return svc_fail(E_RATE_LIMITED, "code",
                    "签到码输错次数过多，已不能再输入签到码，请找活动组织者为您签到");
}

struct svc_result svc_checkin(db *d, arena *a, const struct principal *who, int64_t id,
                              const char *code)
{
    int64_t me = principal_viewer(who);
    if (!me) return svc_fail(E_FORBIDDEN, NULL, "签到需要登录账号");
    db_rows *cur = store_activity_get(d, a, me, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消");
    db_rows *mine = store_signup_of(d, a, id, me);
    if (!mine || strcmp(db_get(mine, 0, SU_STATUS), "signed"))
        return svc_fail(E_CONFLICT, NULL, "您不在这个活动的报名名单中（候补未转正不能签到）");
    if (db_get(mine, 0, SU_CHECKED)) return svc_fail(E_CONFLICT, NULL, "您已签到");
    time_t now = clock_now();
    if (!checkin_window_open(now, db_get_int(cur, 0, AC_STARTS), db_get_int(cur, 0, AC_ENDS)))
        return svc_fail(E_CONFLICT, "code", "现在不在签到时段（活动开始前30分钟至结束）");
    const char *c = text_trim(a, code);
    if (!c || !*c) return svc_fail(E_BAD_INPUT, "code", "请输入签到码");
    if (db_get_int(mine, 0, SU_FAILURES) >= CHECKIN_TRIES_MAX) return checkin_locked();
    unsigned char key[CHECKIN_SECRET_BYTES];
    if (!secret_of(d, a, id, key)) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t sid = db_get_int(mine, 0, SU_ID);
    if (db_begin(d) < 0) {
        sodium_memzero(key, sizeof key);
        return svc_fail(E_UNAVAILABLE, NULL, NULL);
    }
    /* under the sign-up's lock, read again: of concurrent guesses each sees
     * the count the one before it left, so at most CHECKIN_TRIES_MAX codes
     * are ever checked for one participation, by any number of processes */
    db_rows *now_row = store_signup_lock(d, sid) == 1 ? store_signup_by_id(d, a, id, sid) : NULL;
    if (!now_row) {
        sodium_memzero(key, sizeof key);
        return internal(d, "checkin lock");
    }
    struct svc_result refused = {0};
    if (strcmp(db_get(now_row, 0, SU_STATUS), "signed"))
        refused = svc_fail(E_CONFLICT, NULL, "您不在这个活动的报名名单中（候补未转正不能签到）");
    else if (db_get(now_row, 0, SU_CHECKED))
        refused = svc_fail(E_CONFLICT, NULL, "您已签到");
    else if (db_get_int(now_row, 0, SU_FAILURES) >= CHECKIN_TRIES_MAX)
        refused = checkin_locked();
    bool ok = !refused.err && checkin_code_valid(key, sizeof key, now, c);
    sodium_memzero(key, sizeof key);
    if (refused.err) {
        db_rollback(d);
        return refused;
    }
    const char *place = db_get(cur, 0, AC_PLACE);
    if (!ok) {
        int64_t failures = db_get_int(now_row, 0, SU_FAILURES) + 1;
        if (store_signup_checkin_failed(d, sid) != 1) return internal(d, "checkin count");
        /* the try that uses up the last chance is audited: the organiser and
         * the audit log see who was locked out (the tries before are only
         * counted, and refusals after it write nothing) */
        if (failures >= CHECKIN_TRIES_MAX &&
            audit_write(d, who, "checkin_locked", "activity_signup", id_text(a, sid), place,
                        signup_json(a, id, me, "signed", "checkin_failures", failures - 1),
                        signup_json(a, id, me, "signed", "checkin_failures", failures),
                        "签到码连续输错，已停止校验签到码，需组织者手工签到") < 0)
            return internal(d, "checkin lock audit");
        struct svc_result done = commit(d, sid);
        if (done.err) return done;
        if (failures >= CHECKIN_TRIES_MAX) return checkin_locked();
        return svc_fail(E_BAD_INPUT, "code",
                        arena_printf(a,
                                     "签到码错误或已过期，请看组织者手机上的最新签到码"
                                     "（还可输入%lld次）",
                                     (long long)(CHECKIN_TRIES_MAX - failures)));
    }
    int n = store_signup_checkin(d, sid, now);
    if (n < 0) return internal(d, "checkin");
    if (n == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, NULL, "您已签到");
    }
    if (audit_write(d, who, "checkin", "activity_signup", id_text(a, sid), place, NULL,
                    signup_json(a, id, me, "signed", "checked_in_at", now), NULL) < 0)
        return internal(d, "checkin audit");
    return commit(d, sid);
}

struct svc_result svc_checkin_by_hand(db *d, arena *a, const struct principal *who, int64_t id,
                                      int64_t signup_id)
{
    db_rows *cur = managed(d, a, who, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消");
    time_t now = clock_now();
    /* from the opening of the window on, and after the end too: the
     * organiser may record someone they saw there once the event is over */
    if (now < db_get_int(cur, 0, AC_STARTS) - CHECKIN_EARLY_S)
        return svc_fail(E_CONFLICT, NULL, "签到时段尚未开始（活动开始前30分钟起）");
    db_rows *su = store_signup_by_id(d, a, id, signup_id);
    if (!su) return svc_fail(E_NOT_FOUND, "signup_id", "该报名记录不存在");
    if (strcmp(db_get(su, 0, SU_STATUS), "signed"))
        return svc_fail(E_CONFLICT, "signup_id", "只能为已报名（候补已转正）的参与者签到");
    if (db_get(su, 0, SU_CHECKED)) return svc_fail(E_CONFLICT, "signup_id", "该参与者已签到");
    int64_t account = db_get_int(su, 0, SU_ACCOUNT);
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int n = store_signup_checkin(d, signup_id, now);
    if (n < 0) return internal(d, "checkin by hand");
    if (n == 0) {
        db_rollback(d);
        return svc_fail(E_CONFLICT, "signup_id", "该参与者已签到");
    }
    if (audit_write(d, who, "checkin", "activity_signup", id_text(a, signup_id),
                    db_get(cur, 0, AC_PLACE), NULL,
                    signup_json(a, id, account, "signed", "checked_in_at", now),
                    "组织者手工签到") < 0)
        return internal(d, "checkin by hand audit");
    return commit(d, signup_id);
}

/* Serving at an activity earns points 服务换积分, by the community's rule,
 * inside this transaction: once per participation (source serve_activity and
 * the sign-up id; a later correction of the hours does not pay again). */
static int award_service(db *d, arena *a, const struct principal *who, int64_t signup_id,
                         int64_t account, int minutes, const char *place)
{
    (void)minutes; /* the community's rule pays per service, not per hour */
    return svc_points_award_service(d, a, who, account, place, "serve_activity", signup_id);
}

/* Hours "0.5"…"24" in half hours as minutes; -1 when malformed. */
static int hours_minutes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 4) return -1;
    int whole = 0, half = 0;
    size_t i = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) whole = whole * 10 + (s[i] - '0');
    if (i == 0 && (n < 2 || s[0] != '.')) return -1;
    if (i < n) {
        if (s[i] != '.' || i + 2 != n || (s[i + 1] != '5' && s[i + 1] != '0')) return -1;
        half = s[i + 1] == '5';
    }
    int m = whole * 60 + half * 30;
    return m >= 30 && m <= 24 * 60 ? m : -1;
}

struct svc_result svc_serve(db *d, arena *a, const struct principal *who, int64_t id,
                            int64_t signup_id, const char *hours)
{
    db_rows *cur = managed(d, a, who, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消");
    int64_t starts = db_get_int(cur, 0, AC_STARTS), ends = db_get_int(cur, 0, AC_ENDS);
    if (clock_now() < starts) return svc_fail(E_CONFLICT, NULL, "活动开始后才能登记服务时长");
    db_rows *su = store_signup_by_id(d, a, id, signup_id);
    if (!su) return svc_fail(E_NOT_FOUND, "signup_id", "该报名记录不存在");
    if (strcmp(db_get(su, 0, SU_STATUS), "signed") || !db_get(su, 0, SU_CHECKED))
        return svc_fail(E_CONFLICT, "signup_id", "只能为已签到的参与者登记服务时长");
    const char *h = hours ? text_trim(a, hours) : "";
    int minutes = *h ? hours_minutes(h) : (int)((ends - starts) / 60);
    if (minutes < 0)
        return svc_fail(E_BAD_INPUT, "hours", "服务时长应为0.5至24小时，以半小时计，如 1.5");
    int64_t account = db_get_int(su, 0, SU_ACCOUNT);
    bool first = db_get_int(su, 0, SU_SERVED) == 0;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    json_t *b = json_object();
    json_object_set_new(b, "served", json_boolean(!first));
    json_object_set_new(b, "service_minutes", json_integer(db_get_int(su, 0, SU_MINUTES)));
    json_t *af = json_object();
    json_object_set_new(af, "activity_id", json_integer(id));
    json_object_set_new(af, "account_id", json_integer(account));
    json_object_set_new(af, "served", json_true());
    json_object_set_new(af, "service_minutes", json_integer(minutes));
    const char *before = dump(a, b), *after = dump(a, af);
    if (store_signup_serve(d, signup_id, minutes, clock_now()) < 0 ||
        (first &&
         award_service(d, a, who, signup_id, account, minutes, db_get(cur, 0, AC_PLACE)) < 0) ||
        audit_write(d, who, "serve", "activity_signup", id_text(a, signup_id),
                    db_get(cur, 0, AC_PLACE), before, after, NULL) < 0)
        return internal(d, "serve");
    return commit(d, signup_id);
}

struct svc_result svc_activity_code(db *d, arena *a, const struct principal *who, int64_t id,
                                    char *out, time_t *changes_at)
{
    db_rows *cur = managed(d, a, who, id);
    if (!cur) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(db_get(cur, 0, AC_STATUS), "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消");
    time_t now = clock_now();
    if (!checkin_window_open(now, db_get_int(cur, 0, AC_STARTS), db_get_int(cur, 0, AC_ENDS)))
        return svc_fail(E_CONFLICT, NULL, "现在不在签到时段（活动开始前30分钟至结束）");
    unsigned char key[CHECKIN_SECRET_BYTES];
    if (!secret_of(d, a, id, key)) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t step = checkin_step(now);
    checkin_code_at(key, sizeof key, step, out);
    sodium_memzero(key, sizeof key);
    *changes_at = (time_t)((step + 1) * CHECKIN_STEP_S);
    return (struct svc_result){.id = id};
}
