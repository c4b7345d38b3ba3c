/* The people ledger over the API: /api/v1/residents…, /api/v1/me/person,
 * /api/v1/households/{code}/members. Reads go to store/store_people.c, which
 * checks scope in SQL; writes to service/svc_people.c. 身份证号 and phone are
 * always masked here except in the answer of POST …/reveal, which the service
 * logs. Self-only roles (resident, volunteer, partner) reach only their own
 * record: the store matches it by the account's person id. */
#include <stdlib.h>
#include <string.h>

#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "http/bind_people.h"
#include "http/http.h"
#include "http/json_out.h"
#include "service/svc_people.h"
#include "store/store_people.h"
#include "util/clock.h"

static err_code svc_error(req *r, struct svc_result res)
{
    return http_fail(r, res.err, res.field, res.message);
}

static void put_masked(json_t *o, const char *key, const char *v, bool phone)
{
    char m[64];
    if (!v || !*v) {
        json_object_set_new(o, key, json_null());
        return;
    }
    if (phone)
        mask_phone(v, m, sizeof m);
    else
        mask_id_number(v, m, sizeof m);
    json_object_set_new(o, key, json_string(m));
}

static void put_age(json_t *o, const char *birth)
{
    int age = birth ? age_on(birth, clock_now()) : -1;
    json_object_set_new(o, "age", age >= 0 ? json_integer(age) : json_null());
}

/* Comma-separated text as a JSON array of its non-empty parts. */
static json_t *csv_array(const char *csv)
{
    json_t *arr = json_array();
    for (const char *p = csv; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            json_t *s = json_stringn(p, n);
            if (s) json_array_append_new(arr, s);
        }
        p = e ? e + 1 : p + n;
    }
    return arr;
}

/* Care tags (in vocabulary order) as their ids. */
static json_t *tags_array(const struct vocab_entry *const *tags, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, json_string(tags[i]->id));
    return arr;
}

/* A JSON string as buf_json_str writes it, in one copy when nothing in it
 * needs escaping (names, codes, masked numbers: nearly always). */
static void json_str(buf *o, const char *s)
{
    if (s) {
        const unsigned char *p = (const unsigned char *)s;
        while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != '<') p++;
        if (!*p) {
            size_t n = (size_t)((const char *)p - s);
            buf_raw(o, "\"", 1);
            buf_raw(o, s, n);
            buf_raw(o, "\"", 1);
            return;
        }
    }
    buf_json_str(o, s);
}

/* A decimal integer (no printf: lists write two per row). */
static void json_int(buf *o, long long v)
{
    char t[24], *e = t + sizeof t, *p = e;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    buf_raw(o, p, (size_t)(e - p));
}

/* One list item written straight into the response: lists are the hot path
 * (a page of 50 is benchmarked against nginx), and building a jansson object
 * per cell cost more than the query itself. */
static void list_item_write(buf *o, const struct person_brief *p, time_t now)
{
    char m[64];
    const char *v;
    buf_puts(o, "{\"id\":");
    json_int(o, (long long)p->id);
    buf_puts(o, ",\"name\":");
    json_str(o, p->name);
    buf_puts(o, ",\"sex\":");
    json_str(o, p->sex);
    /* age, not the birth date: the date is the masked middle of the 身份证号 */
    v = p->birth_date;
    int age = v ? age_on(v, now) : -1;
    buf_puts(o, ",\"age\":");
    if (age >= 0)
        json_int(o, age);
    else
        buf_puts(o, "null");
    buf_puts(o, ",\"id_number\":");
    v = p->id_number;
    if (v && *v) mask_id_number(v, m, sizeof m);
    json_str(o, v && *v ? m : NULL);
    buf_puts(o, ",\"phone\":");
    v = p->phone;
    if (v && *v) mask_phone(v, m, sizeof m);
    json_str(o, v && *v ? m : NULL);
    buf_puts(o, ",\"place_code\":");
    json_str(o, p->place_code);
    buf_puts(o, ",\"place_name\":");
    json_str(o, p->place_name);
    buf_puts(o, p->hukou_local < 0 ? ",\"hukou_local\":null"
                : p->hukou_local   ? ",\"hukou_local\":true"
                                   : ",\"hukou_local\":false");
    buf_puts(o, ",\"relation\":");
    json_str(o, p->relation);
    v = p->member_kind;
    buf_puts(o, v ? ",\"is_party_member\":true,\"member_kind\":"
                  : ",\"is_party_member\":false,\"member_kind\":");
    json_str(o, v);
    /* care tags in vocabulary order */
    buf_puts(o, ",\"care_tags\":[");
    for (int t = 0; t < p->ncare_tags; t++) {
        if (t) buf_puts(o, ",");
        json_str(o, p->care_tags[t]->id);
    }
    buf_puts(o, "]}");
}

/* {"items":[…],"next_cursor":…} plus an optional extra member, written directly. */
static err_code list_write(req *r, const struct person_brief *rows, int n, const char *next,
                           const char *extra_json)
{
    buf *o = &r->out;
    buf_reset(o);
    buf_puts(o, "{\"items\":[");
    time_t now = clock_now();
    for (int i = 0; i < n; i++) {
        if (i) buf_puts(o, ",");
        list_item_write(o, &rows[i], now);
    }
    buf_puts(o, "],\"next_cursor\":");
    buf_json_str(o, next);
    if (extra_json) buf_puts(o, extra_json);
    buf_puts(o, "}");
    return http_json_written(r, 200);
}

/* An id, or null for none. */
static json_t *party_json(const struct person_party *m)
{
    if (!m->kind) return json_null();
    json_t *pm = json_object();
    json_set_str(pm, "kind", m->kind);
    json_set_str(pm, "kind_name", vocab_label(&vocab_member_kinds, m->kind));
    json_set_id_nz(pm, "branch_id", m->branch_id);
    json_set_str(pm, "branch_name", m->branch_name);
    json_set_str(pm, "joined_on", m->joined_on);
    json_set_str(pm, "work_unit", m->work_unit);
    json_set_id_nz(pm, "work_org_id", m->work_org_id);
    json_set_str(pm, "work_org_name", m->work_org_name);
    json_set_str(pm, "reported_at", m->reported_at);
    json_set_str(pm, "reported_community", m->reported_community);
    json_set_str(pm, "reported_community_name", m->reported_community_name);
    json_set_str(pm, "pioneer_post", m->pioneer_post);
    json_set_str(pm, "duty_area", m->duty_area);
    return pm;
}

/* The volunteer, partner and community-worker records (null: none). */
static void records_json(json_t *o, const struct person *p)
{
    json_t *v = json_null();
    if (p->volunteer.is) {
        v = json_object();
        json_set_id_nz(v, "team_id", p->volunteer.team_id);
        json_set_str(v, "team_name", p->volunteer.team_name);
        json_object_set_new(v, "skills", csv_array(p->volunteer.skills));
    }
    json_object_set_new(o, "volunteer", v);
    json_t *pa = json_null();
    if (p->partner.trade) {
        pa = json_object();
        json_set_str(pa, "trade", p->partner.trade);
        json_set_str(pa, "trade_name", vocab_label(&vocab_partner_trades, p->partner.trade));
        json_set_str(pa, "company", p->partner.company);
        json_object_set_new(pa, "duties", csv_array(p->partner.duties));
    }
    json_object_set_new(o, "partner", pa);
    json_t *w = json_null();
    if (p->worker.is) {
        w = json_object();
        json_set_str(w, "community_code", p->worker.community_code);
        json_set_str(w, "community_name", p->worker.community_name);
        json_set_str(w, "post", p->worker.post);
        json_set_id_nz(w, "grade", p->worker.grade);
        json_set_str(w, "certificate", p->worker.certificate);
    }
    json_object_set_new(o, "community_worker", w);
}

static json_t *person_json(const struct person *p)
{
    json_t *o = json_object();
    json_set_int(o, "id", p->id);
    json_set_str(o, "name", p->name);
    json_set_str(o, "sex", p->sex);
    /* the birth date is the masked middle of the 身份证号: with one, only the
     * age shows (the reveal gives the date) */
    json_set_str(o, "birth_date", p->id_number && *p->id_number ? NULL : p->birth_date);
    put_age(o, p->birth_date);
    put_masked(o, "id_number", p->id_number, false);
    put_masked(o, "phone", p->phone, true);
    json_set_str(o, "place_code", p->place_code);
    json_set_str(o, "place_name", p->place_name);
    json_set_str(o, "place_level", p->place_level);
    json_object_set_new(o, "hukou_local",
                        p->hukou_local < 0 ? json_null() : json_boolean(p->hukou_local));
    json_set_str(o, "relation", p->relation);
    json_set_str(o, "note", p->note);
    json_object_set_new(o, "care_tags", tags_array(p->care_tags, p->ncare_tags));
    json_set_bool(o, "is_party_member", p->party.kind != NULL);
    json_object_set_new(o, "party_member", party_json(&p->party));
    records_json(o, p);
    json_set_time_at(o, "created_at", p->created_at);
    json_set_time_at(o, "updated_at", p->updated_at);
    return o;
}

/* The person as the caller may read it (own record or people.read scope). */
static err_code respond_person(req *r, int status, int64_t id)
{
    struct person p;
    if (!store_person_get(r->db, r->a, r->me->account_id, CAP_PEOPLE_READ, r->me->person_id, id,
                          &p))
        return E_NOT_FOUND;
    return http_json(r, status, person_json(&p));
}

static err_code api_residents_list(req *r)
{
    int64_t limit;
    err_code e = req_int(r, "query", "limit", 1, 500, 50, &limit);
    if (e) return e;
    struct people_query q = bind_people_query(r);
    struct people_filter f = {.limit = (int)limit + 1};
    struct svc_result res = svc_people_filter(r->a, &q, &f);
    if (res.err) return svc_error(r, res);
    struct person_brief *rows;
    int got = store_people_list(r->db, r->a, r->me->account_id, &f, &rows);
    if (got < 0) return E_INTERNAL;
    int n = got > limit ? (int)limit : got;
    const char *next = got > limit ? store_people_cursor(r->a, &rows[n - 1]) : NULL;
    return list_write(r, rows, n, next, NULL);
}
ROUTE("GET", "/api/v1/residents", api_residents_list, CAP_PEOPLE_READ, R_API | R_CACHED, NULL,
      "居民列表（按区划、姓名、电话、关爱标签、党员、年龄、户籍筛选；证件号与电话脱敏）");

static err_code api_resident_get(req *r)
{
    int64_t id = req_id(r, "id");
    return respond_person(r, 200, id);
}
ROUTE("GET", "/api/v1/residents/{id}", api_resident_get, CAP_SELF, R_API | R_CACHED, "person",
      "居民详情（含党员、志愿者、合伙人、社区工作者信息与关爱标签；脱敏）");

static err_code api_me_person(req *r)
{
    if (r->me->person_id <= 0) return http_fail(r, E_NOT_FOUND, NULL, "该账号未关联居民信息");
    return respond_person(r, 200, r->me->person_id);
}
ROUTE("GET", "/api/v1/me/person", api_me_person, CAP_SELF, R_API, NULL,
      "当前账号本人的居民信息（脱敏）");

static err_code api_resident_create(req *r)
{
    struct person_input in = {0};
    err_code e = bind_input(r, &person_create_bind, &in);
    if (e) return e;
    struct svc_result res = svc_person_create(r->db, r->a, r->me, &in);
    if (res.err) return svc_error(r, res);
    return respond_person(r, 201, res.id);
}
ROUTE("POST", "/api/v1/residents", api_resident_create, CAP_PEOPLE_WRITE, R_API, NULL, "登记居民");

/* The {id} of a write route, and its body through binder b into *in: out of
 * the caller's people.write scope the person is not found, whatever the body
 * says. */
static err_code writable_id(req *r, int64_t *id, const struct binder *b, void *in)
{
    *id = req_id(r, "id");
    if (!store_person_get(r->db, r->a, r->me->account_id, CAP_PEOPLE_WRITE, 0, *id, NULL))
        return E_NOT_FOUND;
    return bind_input(r, b, in);
}

/* The person after a write, or the refusal. */
static err_code after_put(req *r, int64_t id, struct svc_result res)
{
    if (res.err) return svc_error(r, res);
    return respond_person(r, 200, id);
}

static err_code api_resident_update(req *r)
{
    int64_t id;
    struct person_input in = {0};
    err_code e = writable_id(r, &id, &person_update_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_person_update(r->db, r->a, r->me, id, &in));
}
ROUTE("PATCH", "/api/v1/residents/{id}", api_resident_update, CAP_PEOPLE_WRITE, R_API, "person",
      "修改居民信息（迁居须对新旧区划都有权限）");

static err_code api_resident_reveal(req *r)
{
    int64_t id = req_id(r, "id");
    struct person p;
    /* a body the binder refuses gives no reason: the service answers, 404
     * out of scope before the reason is looked at */
    struct reveal_input in = {0};
    if (bind_input(r, &reveal_bind, &in)) in.reason = NULL;
    struct svc_result res = svc_person_reveal(r->db, r->a, r->me, id, &in, &p);
    if (res.err == E_RATE_LIMITED) {
        /* the daily limit ends at Beijing midnight, not in the error path's
         * default minute */
        int64_t beijing = (int64_t)clock_now() + 8 * 3600;
        http_header(r, "Retry-After",
                    arena_printf(r->a, "%lld", (long long)(86400 - beijing % 86400)));
        json_t *err = json_pack("{s:s, s:s, s:n}", "code", err_api_code(E_RATE_LIMITED), "message",
                                res.message, "field");
        return http_json(r, 429, json_pack("{s:o}", "error", err));
    }
    if (res.err) return svc_error(r, res);
    json_t *o = json_object();
    json_set_int(o, "id", p.id);
    json_set_str(o, "name", p.name);
    json_set_str(o, "id_number", p.id_number);
    json_set_str(o, "phone", p.phone);
    json_set_str(o, "birth_date", p.birth_date);
    return http_json(r, 200, o);
}
ROUTE("POST", "/api/v1/residents/{id}/reveal", api_resident_reveal, CAP_PEOPLE_REVEAL, R_API,
      "person", "显示一位居民的完整身份证号、电话与出生日期（须填写原因，每日限次，记入操作日志）");

static err_code api_party_member_put(req *r)
{
    int64_t id;
    struct party_member_input in = {0};
    err_code e = writable_id(r, &id, &party_member_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_party_member_set(r->db, r->a, r->me, id, &in));
}
ROUTE("PUT", "/api/v1/residents/{id}/party-member", api_party_member_put, CAP_PEOPLE_WRITE, R_API,
      "person", "设置党员信息（类别、所属支部、在职党员双报到、先锋岗/责任区）");

static err_code api_volunteer_put(req *r)
{
    int64_t id;
    struct volunteer_input in = {0};
    err_code e = writable_id(r, &id, &volunteer_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_volunteer_set(r->db, r->a, r->me, id, &in));
}
ROUTE("PUT", "/api/v1/residents/{id}/volunteer", api_volunteer_put, CAP_PEOPLE_WRITE, R_API,
      "person", "设置志愿者信息（技能、所属志愿服务队）");

static err_code api_partner_put(req *r)
{
    int64_t id;
    struct partner_input in = {0};
    err_code e = writable_id(r, &id, &partner_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_partner_set(r->db, r->a, r->me, id, &in));
}
ROUTE("PUT", "/api/v1/residents/{id}/partner", api_partner_put, CAP_PEOPLE_WRITE, R_API, "person",
      "设置新就业群体合伙人信息（行业、企业、职责）");

static err_code api_worker_put(req *r)
{
    int64_t id;
    struct worker_input in = {0};
    err_code e = writable_id(r, &id, &worker_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_worker_set(r->db, r->a, r->me, id, &in));
}
ROUTE("PUT", "/api/v1/residents/{id}/community-worker", api_worker_put, CAP_PEOPLE_WRITE, R_API,
      "person", "设置社区工作者信息（岗位、三岗十八级等级、证书）");

static err_code api_care_tags_put(req *r)
{
    int64_t id;
    struct care_tags_input in = {0};
    err_code e = writable_id(r, &id, &care_tags_bind, &in);
    if (e) return e;
    return after_put(r, id, svc_care_tags_set(r->db, r->a, r->me, id, &in));
}
ROUTE("PUT", "/api/v1/residents/{id}/care-tags", api_care_tags_put, CAP_PEOPLE_WRITE, R_API,
      "person", "设置关爱标签（六必访、困境儿童、残疾、低保等）");

static err_code api_household_members(req *r)
{
    int64_t limit, cursor;
    err_code e = req_page(r, &limit, &cursor);
    if (e) return e;
    const char *code = req_param(r, "code");
    struct people_place pl;
    if (!store_people_place(r->db, r->a, r->me->account_id, CAP_PEOPLE_READ, code, &pl) ||
        strcmp(pl.level, "household") != 0)
        return E_NOT_FOUND;
    struct person_brief *rows;
    int got = store_household_members(r->db, r->a, r->me->account_id, code, cursor, (int)limit + 1,
                                      &rows);
    if (got < 0) return E_INTERNAL;
    int n = got > limit ? (int)limit : got;
    buf extra = {0};
    buf_puts(&extra, ",\"household\":{\"code\":");
    buf_json_str(&extra, pl.code);
    buf_puts(&extra, ",\"name\":");
    buf_json_str(&extra, pl.name);
    buf_puts(&extra, "}");
    const char *ex = arena_strdup(r->a, buf_cstr(&extra));
    buf_free(&extra);
    const char *next = got > limit ? arena_printf(r->a, "%lld", (long long)rows[n - 1].id) : NULL;
    return list_write(r, rows, n, next, ex);
}
ROUTE("GET", "/api/v1/households/{code}/members", api_household_members, CAP_PEOPLE_READ, R_API,
      "place", "一户的成员（脱敏）");
