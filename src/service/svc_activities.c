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
#include "service/svc_tx.h"
#include "store/store_orgs.h"
#include "store/store_places.h"
#include "store/store_stations.h"
#include "util/clock.h"
#include "util/text.h"

#define TITLE_MAX        ACTIVITY_TITLE_MAX
#define DESCRIPTION_MAX  ACTIVITY_DESCRIPTION_MAX
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
        struct station_view st;
        if (sid <= 0 || !store_station_read(d, a, viewer, CAP_PLACES_READ, sid, &st))
            return svc_fail(E_NOT_FOUND, "station_id", "阵地不存在或不在您的管辖范围内");
        out->station_id = sid;
        /* the activity is where its station is, unless a place is given too */
        if (!in->place_code || !*in->place_code) out->place_code = st.row.place_code;
    } else if (in->station_id)
        out->station_id = 0;
    if ((in->place_code && *in->place_code) || (fresh && !out->place_code)) {
        const char *code = text_trim(a, in->place_code);
        if (!code || !*code) return svc_fail(E_BAD_INPUT, "place_code", "请填写活动地点（区划）");
        out->place_code = code;
    }
    if (in->place_code || in->station_id || fresh) {
        const char *level =
            store_place_visible(d, a, viewer, CAP_ACTIVITIES_MANAGE, out->place_code);
        if (!level) return svc_fail(E_NOT_FOUND, "place_code", place_not_found);
        if (strcmp(level, "county") && strcmp(level, "street") && strcmp(level, "community") &&
            strcmp(level, "compound"))
            return svc_fail(E_BAD_INPUT, "place_code",
                            "活动地点应为县、街道（乡镇）、社区（村）或小区");
        if (out->station_id) {
            struct station_view st;
            const char *sp = store_station_read(d, a, 0, CAP_PLACES_READ, out->station_id, &st)
                                 ? st.row.place_code
                                 : "";
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
        if (acc <= 0 || !store_activity_organiser_active(d, acc) ||
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

/* ---- events and series ------------------------------------------------------ */

static struct svc_result create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    const struct activity_row *row = ctx;
    int64_t id = store_activity_insert(d, row, new_secret(a));
    if (id < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "create",
                             .entity = "activity",
                             .entity_id = id_text(a, id),
                             .place_code = row->place_code,
                             .after_json = activity_json(a, row, "scheduled")};
    return (struct svc_result){.id = id};
}

struct svc_result svc_activity_create(db *d, arena *a, const struct principal *who,
                                      const struct activity_input *in)
{
    struct activity_row row = {0};
    struct svc_result v = validate_common(d, a, who, in, true, &row);
    if (!v.err) v = validate_times(a, in, true, &row);
    if (v.err) return v;
    return svc_tx(d, a, who, "activity create", create_tx, &row);
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
        /* 1 Monday … 7 Sunday as a bit set */
        unsigned bits = 0;
        for (int i = 0; i < in->nweekdays; i++) {
            if (in->weekdays[i] < 1 || in->weekdays[i] > 7) {
                bits = 0;
                break;
            }
            bits |= 1u << (in->weekdays[i] - 1);
        }
        if (!bits)
            return svc_fail(E_BAD_INPUT, "weekdays", "请选择每周的哪几天（1为周一，7为周日）");
        s->weekdays = (int)bits;
        rule->weekdays = bits;
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

/* The shared fields of a series from those of its occurrences. */
static void series_common(struct series_row *s, const struct activity_row *row)
{
    s->kind = row->kind, s->title = row->title, s->description = row->description;
    s->place_code = row->place_code, s->station_id = row->station_id, s->org_id = row->org_id;
    s->organiser_id = row->organiser_id, s->capacity = row->capacity;
}

struct series_create {
    struct activity_row row;
    struct series_row s;
    const time_t *starts;
    int n;
};

static struct svc_result series_create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct series_create *w = ctx;
    int64_t sid = store_series_insert(d, &w->s);
    if (sid < 0) return svc_store_failed();
    w->row.series_id = sid;
    for (int i = 0; i < w->n; i++) {
        w->row.starts_at = w->starts[i];
        w->row.ends_at = w->starts[i] + (int64_t)w->s.duration_min * 60;
        if (store_activity_insert(d, &w->row, new_secret(a)) < 0) return svc_store_failed();
    }
    *au = (struct svc_audit){.action = "create",
                             .entity = "activity_series",
                             .entity_id = id_text(a, sid),
                             .place_code = w->s.place_code,
                             .after_json = series_json(a, &w->s, w->n)};
    return (struct svc_result){.id = sid};
}

struct svc_result svc_series_create(db *d, arena *a, const struct principal *who,
                                    const struct activity_input *in)
{
    struct series_create w = {0};
    struct svc_result v = validate_common(d, a, who, in, true, &w.row);
    struct recur_rule rule = {0};
    if (!v.err) v = validate_rule(a, in, &w.s, &rule);
    if (v.err) return v;
    time_t *starts = arena_alloc(a, sizeof *starts * RECUR_MAX_OCCURRENCES);
    int n = recur_expand(&rule, starts, RECUR_MAX_OCCURRENCES);
    if (n == -2) return svc_fail(E_BAD_INPUT, "until", "周期活动最多200场，请缩短日期范围");
    if (n <= 0) return svc_fail(E_BAD_INPUT, "until", "所给日期范围内没有一场活动");
    series_common(&w.s, &w.row);
    w.starts = starts;
    w.n = n;
    return svc_tx(d, a, who, "activity series create", series_create_tx, &w);
}

/* Moves waiting sign-ups up while there is room, notifying each. 0 or < 0. */
static int promote_waiting(db *d, arena *a, int64_t id, const struct activity_row *r)
{
    time_t now = clock_now();
    struct signup_row w;
    while (store_signups_count(d, id, "signed") < r->capacity) {
        if (!store_signup_first_waiting(d, a, id, &w)) return 0;
        if (store_signup_set_status(d, w.id, "signed") < 0 ||
            notify_account(d, w.account_id, "activity_promoted", 0, "候补转为正式报名",
                           arena_printf(a, "您已从候补转为正式报名：%s（%s）", r->title,
                                        fmt_local(a, r->starts_at)),
                           now) < 0 ||
            audit_write(d, NULL, "promote", "activity_signup", id_text(a, w.id), r->place_code,
                        signup_json(a, id, w.account_id, "waiting", NULL, 0),
                        signup_json(a, id, w.account_id, "signed", NULL, 0), "候补递补") < 0)
            return -1;
    }
    return 0;
}

/* The activity the actor may manage into *out, or false (as absent). */
static bool managed(db *d, arena *a, const struct principal *who, int64_t id,
                    struct activity_view *out)
{
    int64_t viewer = principal_viewer(who);
    return store_activity_get(d, a, viewer, id, out) && store_activity_manageable(d, viewer, id);
}

/* The scheduled activity the actor may manage, or a refusal (cancelled: msg). */
static struct svc_result managed_scheduled(db *d, arena *a, const struct principal *who, int64_t id,
                                           struct activity_view *out, const char *cancelled)
{
    if (!managed(d, a, who, id, out)) return svc_fail(E_NOT_FOUND, NULL, not_found);
    if (strcmp(out->status, "scheduled")) return svc_fail(E_CONFLICT, NULL, cancelled);
    return (struct svc_result){0};
}

struct activity_change {
    int64_t id;
    struct activity_row before, row;
};

static struct svc_result update_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct activity_change *w = ctx;
    store_activity_lock(d, w->id);
    if (w->row.capacity < store_signups_count(d, w->id, "signed"))
        return svc_fail(E_CONFLICT, "capacity", "名额不能少于已报名人数");
    if (store_activity_update(d, w->id, &w->row, 1) < 0 ||
        promote_waiting(d, a, w->id, &w->row) < 0)
        return svc_store_failed();
    *au = (struct svc_audit){.action = "update",
                             .entity = "activity",
                             .entity_id = id_text(a, w->id),
                             .place_code = w->row.place_code,
                             .before_json = activity_json(a, &w->before, "scheduled"),
                             .after_json = activity_json(a, &w->row, "scheduled"),
                             .note = w->row.series_id ? "单场调整" : NULL};
    return (struct svc_result){.id = w->id};
}

struct svc_result svc_activity_update(db *d, arena *a, const struct principal *who, int64_t id,
                                      const struct activity_input *in)
{
    struct activity_view cur;
    struct svc_result v = managed_scheduled(d, a, who, id, &cur, "活动已取消，不能再修改");
    if (v.err) return v;
    struct activity_change w = {.id = id, .before = activity_row_of(&cur)};
    w.row = w.before;
    v = validate_common(d, a, who, in, false, &w.row);
    if (!v.err) v = validate_times(a, in, false, &w.row);
    if (v.err) return v;
    return svc_tx(d, a, who, "activity update", update_tx, &w);
}

static struct svc_result cancel_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct activity_change *w = ctx;
    db_rows *people = store_signup_accounts(d, a, w->id);
    if (!people || store_activity_cancel(d, w->id) < 0 ||
        notify_accounts(d, people, 0, "activity_cancelled", 0, "活动取消",
                        arena_printf(a, "您报名的活动已取消：%s（%s）", w->row.title,
                                     fmt_local(a, w->row.starts_at)),
                        clock_now()) < 0)
        return svc_store_failed();
    *au = (struct svc_audit){.action = "cancel",
                             .entity = "activity",
                             .entity_id = id_text(a, w->id),
                             .place_code = w->row.place_code,
                             .before_json = activity_json(a, &w->row, "scheduled"),
                             .after_json = activity_json(a, &w->row, "cancelled")};
    return (struct svc_result){.id = w->id};
}

struct svc_result svc_activity_cancel(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct activity_view cur;
    struct svc_result v = managed_scheduled(d, a, who, id, &cur, "活动已取消");
    if (v.err) return v;
    struct activity_change w = {.id = id, .row = activity_row_of(&cur)};
    return svc_tx(d, a, who, "activity cancel", cancel_tx, &w);
}

struct series_change {
    int64_t id;
    struct series_row before, s;
    struct activity_row common;
};

static struct svc_result series_update_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct series_change *w = ctx;
    int n = 0;
    struct series_occurrence *future = store_series_future(d, a, w->id, clock_now(), &n);
    if (!future || store_series_update(d, w->id, &w->s) < 0) return svc_store_failed();
    for (int i = 0; i < n; i++) {
        store_activity_lock(d, future[i].id);
        if (w->s.capacity < store_signups_count(d, future[i].id, "signed"))
            return svc_fail(E_CONFLICT, "capacity",
                            arena_printf(a, "%s 那一场已报名人数多于新的名额",
                                         fmt_local(a, future[i].starts_at)));
        struct activity_row r = w->common;
        r.series_id = w->id;
        r.starts_at = china_time(china_date((time_t)future[i].starts_at), w->s.start_minute);
        r.ends_at = r.starts_at + (int64_t)w->s.duration_min * 60;
        if (store_activity_update(d, future[i].id, &r, 0) < 0 ||
            promote_waiting(d, a, future[i].id, &r) < 0)
            return svc_store_failed();
    }
    *au = (struct svc_audit){.action = "update",
                             .entity = "activity_series",
                             .entity_id = id_text(a, w->id),
                             .place_code = w->s.place_code,
                             .before_json = series_json(a, &w->before, -1),
                             .after_json = series_json(a, &w->s, n),
                             .note = "只改未单独调整的未来场次"};
    return (struct svc_result){.id = w->id};
}

struct svc_result svc_series_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct activity_input *in)
{
    struct series_view cur;
    if (!store_series_get(d, a, principal_viewer(who), id, &cur))
        return svc_fail(E_NOT_FOUND, NULL, "周期活动不存在或不在您的管辖范围内");
    if (in->freq || in->weekdays_set || in->month_day || in->from_date || in->until_date ||
        in->starts_at || in->ends_at || (in->organiser_id && *in->organiser_id))
        return svc_fail(
            E_BAD_INPUT, "freq",
            "周期规则、日期范围和组织者不能修改；请取消后新建周期活动，或单独调整某一场");
    struct series_change w = {.id = id, .before = cur.s, .common = activity_row_of_series(&cur.s)};
    struct svc_result v = validate_common(d, a, who, in, false, &w.common);
    if (v.err) return v;
    w.s = cur.s;
    series_common(&w.s, &w.common);
    if (in->start_time && (w.s.start_minute = clock_minute_parse(text_trim(a, in->start_time))) < 0)
        return svc_fail(E_BAD_INPUT, "start_time", "开始时刻应为 HH:MM");
    if (in->duration_minutes &&
        (w.s.duration_min = (int)number_in(text_trim(a, in->duration_minutes), 1, 24 * 60)) < 0)
        return svc_fail(E_BAD_INPUT, "duration_minutes", "活动时长应为1至1440分钟");
    return svc_tx(d, a, who, "activity series update", series_update_tx, &w);
}

/* ---- sign-up, check-in, service ---------------------------------------------- */

/* The visible activity of a participant's own step, or a refusal. */
static struct svc_result participant(db *d, arena *a, const struct principal *who, int64_t id,
                                     const char *anonymous, struct activity_view *out)
{
    int64_t me = principal_viewer(who);
    if (!me) return svc_fail(E_FORBIDDEN, NULL, anonymous);
    if (!store_activity_get(d, a, me, id, out)) return svc_fail(E_NOT_FOUND, NULL, not_found);
    return (struct svc_result){0};
}

struct signup_step {
    int64_t id, me;
    struct activity_view cur;
};

static struct svc_result signup_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct signup_step *w = ctx;
    /* under the activity's lock: counting and taking a place are one step */
    if (store_activity_lock(d, w->id) < 0) return svc_store_failed();
    struct signup_row mine;
    if (store_signup_of(d, a, w->id, w->me, &mine) && strcmp(mine.status, "cancelled"))
        return svc_fail(E_CONFLICT, NULL,
                        strcmp(mine.status, "signed") ? "您已在候补名单中" : "您已报名");
    const char *status =
        store_signups_count(d, w->id, "signed") < w->cur.capacity ? "signed" : "waiting";
    int64_t sid = store_signup_put(d, w->id, w->me, status);
    if (sid < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "signup",
                             .entity = "activity_signup",
                             .entity_id = id_text(a, sid),
                             .place_code = w->cur.place_code,
                             .after_json = signup_json(a, w->id, w->me, status, NULL, 0)};
    return (struct svc_result){.id = sid};
}

struct svc_result svc_signup(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct signup_step w = {.id = id, .me = principal_viewer(who)};
    struct svc_result v = participant(d, a, who, id, "报名需要登录账号", &w.cur);
    if (v.err) return v;
    if (strcmp(w.cur.status, "scheduled"))
        return svc_fail(E_CONFLICT, NULL, "活动已取消，不能报名");
    if (clock_now() >= w.cur.starts_at) return svc_fail(E_CONFLICT, NULL, "活动已开始，报名已截止");
    return svc_tx(d, a, who, "activity signup", signup_tx, &w);
}

static struct svc_result withdraw_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct signup_step *w = ctx;
    if (store_activity_lock(d, w->id) < 0) return svc_store_failed();
    struct signup_row mine;
    if (!store_signup_of(d, a, w->id, w->me, &mine) || !strcmp(mine.status, "cancelled"))
        return svc_fail(E_CONFLICT, NULL, "您没有报名这个活动");
    struct activity_row row = activity_row_of(&w->cur);
    if (store_signup_set_status(d, mine.id, "cancelled") < 0 ||
        (!strcmp(mine.status, "signed") && promote_waiting(d, a, w->id, &row) < 0))
        return svc_store_failed();
    *au = (struct svc_audit){.action = "withdraw",
                             .entity = "activity_signup",
                             .entity_id = id_text(a, mine.id),
                             .place_code = w->cur.place_code,
                             .before_json = signup_json(a, w->id, w->me, mine.status, NULL, 0),
                             .after_json = signup_json(a, w->id, w->me, "cancelled", NULL, 0)};
    return (struct svc_result){.id = mine.id};
}

struct svc_result svc_signup_cancel(db *d, arena *a, const struct principal *who, int64_t id)
{
    struct signup_step w = {.id = id, .me = principal_viewer(who)};
    struct svc_result v = participant(d, a, who, id, "需要登录账号", &w.cur);
    if (v.err) return v;
    if (clock_now() >= w.cur.starts_at)
        return svc_fail(E_CONFLICT, NULL, "活动已开始，不能取消报名");
    return svc_tx(d, a, who, "activity withdraw", withdraw_tx, &w);
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

/* Why the participant cannot check in now (status, done, locked out), or {0}. */
static struct svc_result checkin_refusal(const struct signup_row *su)
{
    if (strcmp(su->status, "signed"))
        return svc_fail(E_CONFLICT, NULL, "您不在这个活动的报名名单中（候补未转正不能签到）");
    if (su->checked_in) return svc_fail(E_CONFLICT, NULL, "您已签到");
    if (su->checkin_failures >= CHECKIN_TRIES_MAX) return checkin_locked();
    return (struct svc_result){0};
}

struct checkin {
    int64_t id, me, sid;
    const char *place, *code;
    time_t now;
    unsigned char key[CHECKIN_SECRET_BYTES];
    int64_t failures; /* after a wrong code: the count it reached; else 0 */
};

/* A wrong code is counted and committed (the try that uses up the last
 * chance is audited: the organiser and the audit log see who was locked out;
 * the tries before are only counted, and refusals after it write nothing). */
static struct svc_result checkin_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct checkin *w = ctx;
    /* under the sign-up's lock, read again: of concurrent guesses each sees
     * the count the one before it left, so at most CHECKIN_TRIES_MAX codes
     * are ever checked for one participation, by any number of processes */
    struct signup_row su;
    if (store_signup_lock(d, w->sid) != 1 || !store_signup_by_id(d, a, w->id, w->sid, &su))
        return svc_store_failed();
    struct svc_result refused = checkin_refusal(&su);
    if (refused.err) return refused;
    if (!checkin_code_valid(w->key, sizeof w->key, w->now, w->code)) {
        w->failures = su.checkin_failures + 1;
        if (store_signup_checkin_failed(d, w->sid) != 1) return svc_store_failed();
        if (w->failures >= CHECKIN_TRIES_MAX)
            *au = (struct svc_audit){
                .action = "checkin_locked",
                .entity = "activity_signup",
                .entity_id = id_text(a, w->sid),
                .place_code = w->place,
                .before_json =
                    signup_json(a, w->id, w->me, "signed", "checkin_failures", w->failures - 1),
                .after_json =
                    signup_json(a, w->id, w->me, "signed", "checkin_failures", w->failures),
                .note = "签到码连续输错，已停止校验签到码，需组织者手工签到"};
        return (struct svc_result){.id = w->sid};
    }
    int n = store_signup_checkin(d, w->sid, w->now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return svc_fail(E_CONFLICT, NULL, "您已签到");
    *au = (struct svc_audit){.action = "checkin",
                             .entity = "activity_signup",
                             .entity_id = id_text(a, w->sid),
                             .place_code = w->place,
                             .after_json =
                                 signup_json(a, w->id, w->me, "signed", "checked_in_at", w->now)};
    return (struct svc_result){.id = w->sid};
}

struct svc_result svc_checkin(db *d, arena *a, const struct principal *who, int64_t id,
                              const char *code)
{
    struct activity_view cur;
    struct svc_result v = participant(d, a, who, id, "签到需要登录账号", &cur);
    if (v.err) return v;
    if (strcmp(cur.status, "scheduled")) return svc_fail(E_CONFLICT, NULL, "活动已取消");
    struct checkin w = {.id = id, .me = principal_viewer(who), .place = cur.place_code};
    struct signup_row mine;
    if (!store_signup_of(d, a, id, w.me, &mine) || strcmp(mine.status, "signed"))
        return svc_fail(E_CONFLICT, NULL, "您不在这个活动的报名名单中（候补未转正不能签到）");
    if (mine.checked_in) return svc_fail(E_CONFLICT, NULL, "您已签到");
    w.now = clock_now();
    if (!checkin_window_open(w.now, cur.starts_at, cur.ends_at))
        return svc_fail(E_CONFLICT, "code", "现在不在签到时段（活动开始前30分钟至结束）");
    w.code = text_trim(a, code);
    if (!w.code || !*w.code) return svc_fail(E_BAD_INPUT, "code", "请输入签到码");
    if (mine.checkin_failures >= CHECKIN_TRIES_MAX) return checkin_locked();
    if (!secret_of(d, a, id, w.key)) return svc_fail(E_INTERNAL, NULL, NULL);
    w.sid = mine.id;
    struct svc_result res = svc_tx(d, a, who, "activity checkin", checkin_tx, &w);
    sodium_memzero(w.key, sizeof w.key);
    if (res.err || !w.failures) return res;
    if (w.failures >= CHECKIN_TRIES_MAX) return checkin_locked();
    return svc_fail(E_BAD_INPUT, "code",
                    arena_printf(a,
                                 "签到码错误或已过期，请看组织者手机上的最新签到码"
                                 "（还可输入%lld次）",
                                 (long long)(CHECKIN_TRIES_MAX - w.failures)));
}

/* The organiser's step on one participation: the activity and the sign-up. */
struct organiser_step {
    const struct principal *who;
    int64_t id;
    struct activity_view cur;
    struct signup_row su;
    int minutes; /* service */
};

/* The scheduled activity the actor manages, into *w, or a refusal. */
static struct svc_result organiser_step(db *d, arena *a, const struct principal *who, int64_t id,
                                        struct organiser_step *w)
{
    *w = (struct organiser_step){.who = who, .id = id};
    return managed_scheduled(d, a, who, id, &w->cur, "活动已取消");
}

/* The participation the organiser acts on, into w->su, or a refusal. */
static struct svc_result organiser_signup(db *d, arena *a, int64_t signup_id,
                                          struct organiser_step *w)
{
    if (!store_signup_by_id(d, a, w->id, signup_id, &w->su))
        return svc_fail(E_NOT_FOUND, "signup_id", "该报名记录不存在");
    return (struct svc_result){0};
}

static struct svc_result checkin_by_hand_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct organiser_step *w = ctx;
    time_t now = clock_now();
    int n = store_signup_checkin(d, w->su.id, now);
    if (n < 0) return svc_store_failed();
    if (n == 0) return svc_fail(E_CONFLICT, "signup_id", "该参与者已签到");
    *au = (struct svc_audit){
        .action = "checkin",
        .entity = "activity_signup",
        .entity_id = id_text(a, w->su.id),
        .place_code = w->cur.place_code,
        .after_json = signup_json(a, w->id, w->su.account_id, "signed", "checked_in_at", now),
        .note = "组织者手工签到"};
    return (struct svc_result){.id = w->su.id};
}

struct svc_result svc_checkin_by_hand(db *d, arena *a, const struct principal *who, int64_t id,
                                      int64_t signup_id)
{
    struct organiser_step w;
    struct svc_result v = organiser_step(d, a, who, id, &w);
    if (v.err) return v;
    /* from the opening of the window on, and after the end too: the
     * organiser may record someone they saw there once the event is over */
    if (clock_now() < w.cur.starts_at - CHECKIN_EARLY_S)
        return svc_fail(E_CONFLICT, NULL, "签到时段尚未开始（活动开始前30分钟起）");
    v = organiser_signup(d, a, signup_id, &w);
    if (v.err) return v;
    if (strcmp(w.su.status, "signed"))
        return svc_fail(E_CONFLICT, "signup_id", "只能为已报名（候补已转正）的参与者签到");
    if (w.su.checked_in) return svc_fail(E_CONFLICT, "signup_id", "该参与者已签到");
    return svc_tx(d, a, who, "activity checkin by hand", checkin_by_hand_tx, &w);
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

/* Serving at an activity earns points 服务换积分, by the community's rule
 * (per service, not per hour), inside this transaction: once per
 * participation (source serve_activity and the sign-up id; a later
 * correction of the hours does not pay again). */
static struct svc_result serve_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct organiser_step *w = ctx;
    json_t *b = json_object();
    json_object_set_new(b, "served", json_boolean(w->su.served));
    json_object_set_new(b, "service_minutes", json_integer(w->su.service_minutes));
    json_t *af = json_object();
    json_object_set_new(af, "activity_id", json_integer(w->id));
    json_object_set_new(af, "account_id", json_integer(w->su.account_id));
    json_object_set_new(af, "served", json_true());
    json_object_set_new(af, "service_minutes", json_integer(w->minutes));
    *au = (struct svc_audit){.action = "serve",
                             .entity = "activity_signup",
                             .entity_id = id_text(a, w->su.id),
                             .place_code = w->cur.place_code,
                             .before_json = dump(a, b),
                             .after_json = dump(a, af)};
    if (store_signup_serve(d, w->su.id, w->minutes, clock_now()) < 0 ||
        (!w->su.served &&
         svc_points_award_service(d, a, w->who, w->su.account_id, w->cur.place_code,
                                  "serve_activity", w->su.id) < 0))
        return svc_store_failed();
    return (struct svc_result){.id = w->su.id};
}

struct svc_result svc_serve(db *d, arena *a, const struct principal *who, int64_t id,
                            int64_t signup_id, const char *hours)
{
    struct organiser_step w;
    struct svc_result v = organiser_step(d, a, who, id, &w);
    if (v.err) return v;
    if (clock_now() < w.cur.starts_at)
        return svc_fail(E_CONFLICT, NULL, "活动开始后才能登记服务时长");
    v = organiser_signup(d, a, signup_id, &w);
    if (v.err) return v;
    if (strcmp(w.su.status, "signed") || !w.su.checked_in)
        return svc_fail(E_CONFLICT, "signup_id", "只能为已签到的参与者登记服务时长");
    const char *h = hours ? text_trim(a, hours) : "";
    w.minutes = *h ? hours_minutes(h) : (int)((w.cur.ends_at - w.cur.starts_at) / 60);
    if (w.minutes < 0)
        return svc_fail(E_BAD_INPUT, "hours", "服务时长应为0.5至24小时，以半小时计，如 1.5");
    return svc_tx(d, a, who, "activity serve", serve_tx, &w);
}

struct svc_result svc_activity_code(db *d, arena *a, const struct principal *who, int64_t id,
                                    char *out, time_t *changes_at)
{
    struct activity_view cur;
    struct svc_result v = managed_scheduled(d, a, who, id, &cur, "活动已取消");
    if (v.err) return v;
    time_t now = clock_now();
    if (!checkin_window_open(now, cur.starts_at, cur.ends_at))
        return svc_fail(E_CONFLICT, NULL, "现在不在签到时段（活动开始前30分钟至结束）");
    unsigned char key[CHECKIN_SECRET_BYTES];
    if (!secret_of(d, a, id, key)) return svc_fail(E_INTERNAL, NULL, NULL);
    int64_t step = checkin_step(now);
    checkin_code_at(key, sizeof key, step, out);
    sodium_memzero(key, sizeof key);
    *changes_at = (time_t)((step + 1) * CHECKIN_STEP_S);
    return (struct svc_result){.id = id};
}
