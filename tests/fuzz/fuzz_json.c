/* fuzz_json: a JSON request body as the API binds it, without a database.
 *
 * The input is the body of a POST/PATCH with Content-Type: application/json.
 * It is loaded as dispatch() loads it (json_loadb, flags 0) into r->json and
 * then read the way handlers read it:
 *   - req_input() for every field name the handlers of src/api read, and the
 *     pure validators those values go through (core/ and util/text.h):
 *     idcard_*, phone_valid, the mask_* functions, dates and times, money,
 *     the vocabularies and kinds, svc_people_filter() for the resident search;
 *   - req_int() for the body integers, and the API error it renders;
 *   - the activity binders (src/http/bind_activities.c), which the API and
 *     page handlers share, and the recurrence a series would be expanded into;
 *   - the writers that send those values back: buf_json_str (API), buf_html
 *     (pages) and buf_csv_field (exports).
 * Beyond "no crash", it checks the round trips: what buf_json_str writes loads
 * back to the same string, buf_html leaves no markup, a CSV field reads back
 * through people_csv_parse, money and RFC 3339 times format and parse back,
 * ids and labels of the vocabularies map to each other, a valid 身份证号 has its
 * check digit, birth date and sex, req_int keeps its bounds. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activity_kind.h"
#include "core/dual_review_rule.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/order_fsm.h"
#include "core/points_rule.h"
#include "core/recurrence.h"
#include "core/station_rule.h"
#include "core/vocab.h"
#include "core/whistle_rule.h"
#include "core/wish_rule.h"
#include "http/bind_activities.h"
#include "http/http.h"
#include "io/people_csv.h"
#include "service/svc_people.h"
#include "store/store_people.h"
#include "util/clock.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed "now" (2026-12-07 12:00 UTC) so that a run can be replayed. */
#define NOW ((time_t)1796644800)

static void check(bool ok, const char *what, const char *value)
{
    if (ok) return;
    fprintf(stderr, "fuzz_json: %s (value \"%s\")\n", what, value ? value : "(null)");
    abort();
}

/* Every body field the handlers of src/api read by name (req_input, field(),
 * json_object_get), so that each one is bound and validated. */
static const char *const fields[] = {"amount",
                                     "answer",
                                     "answer_minutes",
                                     "assignee_kind",
                                     "birth_date",
                                     "branch_id",
                                     "cap",
                                     "capacity",
                                     "care_tags",
                                     "category_code",
                                     "certificate",
                                     "channel",
                                     "closes_on",
                                     "code",
                                     "comment",
                                     "community",
                                     "community_code",
                                     "company",
                                     "confirm",
                                     "contact_phone",
                                     "deadline",
                                     "decision",
                                     "department_ids",
                                     "description",
                                     "detail",
                                     "display_name",
                                     "donor",
                                     "duration_minutes",
                                     "duties",
                                     "duty_area",
                                     "ends_at",
                                     "event",
                                     "expires_on",
                                     "external_ref",
                                     "freq",
                                     "from",
                                     "grade",
                                     "grid_id",
                                     "held_at",
                                     "honour",
                                     "hours",
                                     "hukou_local",
                                     "id_number",
                                     "joined_on",
                                     "kind",
                                     "kinds",
                                     "month_day",
                                     "name",
                                     "nominee_name",
                                     "note",
                                     "old_password",
                                     "opens_on",
                                     "org_id",
                                     "organiser_id",
                                     "outcome",
                                     "participants",
                                     "password",
                                     "period",
                                     "phone",
                                     "pioneer_post",
                                     "place_code",
                                     "places",
                                     "points",
                                     "post",
                                     "price",
                                     "qty",
                                     "rating",
                                     "reason",
                                     "relation",
                                     "remove",
                                     "reported_at",
                                     "reported_community",
                                     "resource",
                                     "result",
                                     "role",
                                     "scope_size",
                                     "secret",
                                     "self",
                                     "sex",
                                     "side",
                                     "signed_on",
                                     "signup_id",
                                     "skills",
                                     "source",
                                     "source_type",
                                     "start_time",
                                     "starts_at",
                                     "state",
                                     "station_id",
                                     "stock",
                                     "team_id",
                                     "tier",
                                     "title",
                                     "trade",
                                     "until",
                                     "url",
                                     "urgency",
                                     "username",
                                     "wanted_by",
                                     "weekdays",
                                     "work_org_id",
                                     "work_unit",
                                     "workers",
                                     "year"};

/* The integers handlers read with req_int(r, "body", …). */
static const struct {
    const char *name;
    int64_t lo, hi;
} ints[] = {{"assignee_id", 1, INT64_MAX}, {"goods_id", 1, INT64_MAX},
            {"org_id", 1, INT64_MAX},      {"person_id", 1, INT64_MAX},
            {"points", 0, 100000},         {"requester_person_id", 1, INT64_MAX},
            {"source_id", 1, INT64_MAX},   {"target", 1, INT64_MAX},
            {"capacity", 0, 100000},       {"duration_minutes", 1, 1440}};

/* people_csv.c's notion of surrounding space (ASCII and U+3000). */
static const char *csv_trimmed(arena *a, const char *s)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && strchr(" \t\r\n", s[0])) {
            s++, n--;
        } else if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) {
            s += 3, n -= 3;
        } else if (n && strchr(" \t\r\n", s[n - 1])) {
            n--;
        } else if (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3)) {
            n -= 3;
        } else {
            break;
        }
    }
    return arena_strndup(a, s, n);
}

/* What the API, the pages and the exports write back. */
static void check_writers(arena *a, const char *s)
{
    buf b = {0};
    buf_json_str(&b, s);
    check(!strchr(buf_cstr(&b), '<'), "buf_json_str left a '<'", s);
    json_error_t je;
    json_t *back = json_loadb(b.data, b.len, JSON_DECODE_ANY, &je);
    check(json_is_string(back) && json_string_length(back) == strlen(s) &&
              !memcmp(json_string_value(back), s, strlen(s)),
          "buf_json_str does not load back", s);
    json_decref(back);

    buf_reset(&b);
    buf_html(&b, s);
    check(!strpbrk(buf_cstr(&b), "<>\"'"), "buf_html left markup", s);

    /* One record: the field, then a marker; it must read back as written
     * (a leading = + - @, tab or CR gets a ' so that no spreadsheet runs it). */
    buf_reset(&b);
    buf_csv_field(&b, s);
    buf_puts(&b, ",end\n");
    struct csv_table t;
    int line;
    const char *err;
    bool formula = s[0] && strchr("=+-@\t\r", s[0]) && s[1];
    const char *want = csv_trimmed(a, formula ? arena_printf(a, "'%s", s) : s);
    check(people_csv_parse(a, buf_cstr(&b), b.len, 10, &t, &line, &err), "CSV field refused", s);
    check(t.n == 1 && t.recs[0].nfields == 2 && !strcmp(t.recs[0].fields[0], want) &&
              !strcmp(t.recs[0].fields[1], "end"),
          "CSV field does not read back", s);
    buf_free(&b);
}

static void check_text(arena *a, const char *s)
{
    const char *t = text_trim(a, s);
    check(t && strlen(t) <= strlen(s), "text_trim grew", s);
    size_t n = text_chars(s);
    long p = text_chars_printable(s);
    check(n <= strlen(s) && (p == -1 || (size_t)p == n), "text_chars disagree", s);
    char out[64], tiny[4];
    mask_name(s, out, sizeof out);
    mask_name(s, tiny, sizeof tiny);
    check(strlen(out) < sizeof out && strlen(tiny) < sizeof tiny, "mask_name overran", s);
    check_writers(a, s);
}

static void check_idcard(arena *a, const char *s)
{
    char *id = arena_strdup(a, s);
    idcard_normalize(id);
    check(strlen(id) <= strlen(s), "idcard_normalize grew", s);
    struct idcard_info info;
    const char *why = NULL;
    if (idcard_check(id, NOW, &info, &why)) {
        check(strlen(id) == IDCARD_LEN && idcard_check_digit(id) == (id[17] == 'x' ? 'X' : id[17]),
              "accepted with a wrong check digit", s);
        int y, m, d;
        check(sscanf(info.birth, "%4d-%2d-%2d", &y, &m, &d) == 3 && idcard_date_valid(y, m, d) &&
                  !memcmp(info.birth, id + 6, 4) && !memcmp(info.birth + 5, id + 10, 2) &&
                  !memcmp(info.birth + 8, id + 12, 2),
              "bad birth date", s);
        check(info.sex == ((id[16] - '0') % 2 ? 'M' : 'F'), "bad sex", s);
        check(!memcmp(info.province, id, 2) && idcard_province_valid(atoi(info.province)),
              "bad province", s);
    } else {
        check(why && *why, "refused without a reason", s);
    }
    char out[32], tiny[5];
    mask_id_number(s, out, sizeof out);
    mask_id_number(s, tiny, sizeof tiny);
    check(strlen(out) < sizeof out && strlen(tiny) < sizeof tiny, "mask_id_number overran", s);
}

static void check_phone(const char *s)
{
    (void)phone_valid(s);
    char out[32], tiny[5];
    mask_phone(s, out, sizeof out);
    mask_phone(s, tiny, sizeof tiny);
    check(strlen(out) < sizeof out && strlen(tiny) < sizeof tiny, "mask_phone overran", s);
}

static void check_dates(const char *s)
{
    struct civil_date c;
    if (civil_parse(s, &c)) {
        struct civil_date back = civil_from_days(civil_days(c));
        check(back.y == c.y && back.m == c.m && back.d == c.d, "civil days do not round-trip", s);
        int w = civil_weekday(c);
        check(w >= 0 && w <= 6, "weekday out of range", s);
    }
    (void)age_on(s, NOW);
    time_t t;
    if (clock_parse_rfc3339(s, &t)) {
        char out[64];
        clock_format_rfc3339(t, out);
        time_t t2;
        check(clock_parse_rfc3339(out, &t2) && t2 == t, "RFC 3339 does not round-trip", s);
        clock_format_local(t, out);
    }
    if (china_parse_datetime(s, &t)) (void)china_date(t);
    int m = clock_minute_parse(s);
    check(m >= -1 && m < 1440, "minute out of range", s);
    int64_t day;
    (void)points_day_parse(s, &day);
    int year;
    if (dual_year_parse(s, 2026, &year)) check(year >= 2000 && year <= 2026, "year range", s);
    (void)wish_date_valid(s);
}

static void check_money(const char *s)
{
    int64_t fen = -1;
    if (!money_parse_yuan(s, &fen)) return;
    check(fen >= 0 && fen <= MONEY_MAX_FEN, "money out of range", s);
    char out[32];
    int64_t back = -1;
    check(money_parse_yuan(money_format_yuan(fen, out, sizeof out), &back) && back == fen,
          "money does not round-trip", s);
}

static void check_kinds(const char *s)
{
    for (int i = 0; i < vocab_all_count; i++) {
        const struct vocab *v = vocab_all[i];
        const char *id = vocab_id_for_label(v, s);
        if (id) check(vocab_has(v, id) && vocab_label(v, id), "vocabulary id unknown", s);
    }
    const char *k = activity_kind_parse(s);
    if (k) check(*activity_kind_zh(k), "activity kind without a label", s);
    if ((k = station_kind_parse(s))) check(station_kind_zh(k) != NULL, "station kind", s);
    if ((k = station_mode_parse(s))) check(station_mode_zh(k) != NULL, "station mode", s);
    (void)whistle_kind_find(s);
    (void)dual_grade_id(s);
    (void)points_source_type_valid(s);
    enum order_state st, st2;
    if (order_state_parse(s, &st))
        check(order_state_parse(order_state_id(st), &st2) && st2 == st, "order state", s);
    enum order_event ev, ev2;
    if (order_event_parse(s, &ev))
        check(order_event_parse(order_event_id(ev), &ev2) && ev2 == ev, "order event", s);
    enum order_outcome oc, oc2;
    if (order_outcome_parse(s, &oc))
        check(order_outcome_parse(order_outcome_id(oc), &oc2) && oc2 == oc, "order outcome", s);
    enum order_rating ra, ra2;
    if (order_rating_parse(s, &ra))
        check(order_rating_parse(order_rating_id(ra), &ra2) && ra2 == ra, "order rating", s);
    enum points_period pp, pp2;
    if (points_period_parse(s, &pp))
        check(points_period_parse(points_period_id(pp), &pp2) && pp2 == pp, "points period", s);
}

/* The series a weekly or monthly activity would be expanded into. */
static void check_series(req *r, const struct activity_input *in)
{
    struct recur_rule rule = {0};
    if (!in->freq) return;
    rule.freq = !strcmp(in->freq, "monthly") ? RECUR_MONTHLY : RECUR_WEEKLY;
    for (int i = 0; i < in->nweekdays; i++)
        if (in->weekdays[i] >= 1 && in->weekdays[i] <= 7)
            rule.weekdays |= 1u << (in->weekdays[i] - 1);
    rule.month_day = in->month_day ? atoi(in->month_day) : 0;
    rule.start_minute = clock_minute_parse(in->start_time);
    if (!civil_parse(in->from_date, &rule.from) || !civil_parse(in->until_date, &rule.until))
        return;
    time_t *out = arena_alloc(r->a, sizeof *out * RECUR_MAX_OCCURRENCES);
    int n = recur_expand(&rule, out, RECUR_MAX_OCCURRENCES);
    check(n >= -2 && n <= RECUR_MAX_OCCURRENCES, "recur_expand count", in->freq);
    time_t lo = china_time(rule.from, 0), hi = china_time(rule.until, 24 * 60);
    for (int i = 0; i < n; i++) {
        check(out[i] >= lo && out[i] < hi, "an occurrence outside from..until", in->from_date);
        check(i == 0 || out[i] > out[i - 1], "occurrences out of order", in->from_date);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    req r = {.a = a, .method = "POST", .path = "/api/v1/fuzz", .is_api = true};
    r.body = arena_strndup(a, (const char *)data, size);
    r.body_len = size;
    json_error_t je;
    r.json = json_loadb((const char *)data, size, 0, &je);
    if (!r.json) {
        arena_free(a);
        return 0;
    }

    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *v = req_input(&r, fields[i]);
        if (!v) continue;
        check_text(a, v);
        check_idcard(a, v);
        check_phone(v);
        check_dates(v);
        check_money(v);
        check_kinds(v);
    }
    /* The arrays handlers walk (places, workers, care_tags, weekdays …). */
    const char *key;
    json_t *val;
    json_object_foreach(r.json, key, val)
    {
        size_t i;
        json_t *it;
        if (json_is_array(val)) json_array_foreach(val, i, it)
            {
                if (json_is_string(it)) check_text(a, json_string_value(it));
            }
    }

    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        int64_t v = 0;
        r.err_field = r.err_message = NULL;
        err_code e = req_int(&r, "body", ints[i].name, ints[i].lo, ints[i].hi, -7, &v);
        if (e == E_OK) {
            check(v == -7 || (v >= ints[i].lo && v <= ints[i].hi), "req_int out of bounds",
                  ints[i].name);
            continue;
        }
        check(e == E_BAD_INPUT && r.err_field == ints[i].name, "req_int error", ints[i].name);
        /* the answer the client gets */
        http_respond_error(&r, e);
        json_t *ans = json_loadb(r.out.data, r.out.len, 0, &je);
        check(ans && json_is_string(json_object_get(json_object_get(ans, "error"), "code")),
              "error answer is not JSON", ints[i].name);
        json_decref(ans);
        buf_reset(&r.out);
        r.nheaders = 0;
    }

    struct people_query q = {
        .place = req_input(&r, "place"),
        .name = req_input(&r, "name"),
        .name_match = req_input(&r, "name_match"),
        .q = req_input(&r, "q"),
        .phone = req_input(&r, "phone"),
        .care_tag = req_input(&r, "care_tag"),
        .party = req_input(&r, "party"),
        .member_kind = req_input(&r, "member_kind"),
        .min_age = req_input(&r, "min_age"),
        .elderly = req_input(&r, "elderly"),
        .hukou = req_input(&r, "hukou"),
        .cursor = req_input(&r, "cursor"),
    };
    struct people_filter f = {.limit = 50};
    struct svc_result res = svc_people_filter(a, &q, &f);
    check(res.err == E_OK || (res.field && res.message), "a refused search without a field", NULL);

    struct activity_input in;
    if (bind_series_create(&r, &in) == E_OK)
        check_series(&r, &in);
    else
        check(r.err_message != NULL, "a binder refusal without a message", NULL);
    struct participation_input pi;
    if (bind_service(&r, &pi) == E_OK) check(pi.signup_id >= 1, "signup_id out of range", NULL);

    json_decref(r.json);
    buf_free(&r.out);
    arena_free(a);
    return 0;
}
