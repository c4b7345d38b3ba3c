/* People-ledger operations: validate → begin → load in scope → write → audit →
 * commit. See svc_people.h. The audit's before/after JSON masks 身份证号 and
 * phone: the log is browsed by many, and reading it is not a logged reveal. */
#include "service/svc_people.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "service/svc_notify.h"
#include "service/svc_tx.h"
#include "util/text.h"
#include "store/store_people.h"
#include "store/store_places.h"
#include "util/buf.h"
#include "util/clock.h"

/* ---- small validators ---------------------------------------------------- */

/* Copy without surrounding ASCII or full-width spaces; NULL stays NULL. */
static bool text_ok(const char *s, long max)
{
    long n = s ? text_chars_printable(s) : 0;
    return n >= 0 && n <= max;
}

/* "YYYY-MM-DD", a real date, not after today. */
static bool birth_date_ok(const char *s)
{
    return s && strlen(s) == 10 && age_on(s, clock_now()) >= 0;
}

static bool parse_id(const char *s, int64_t *out)
{
    if (!s || !*s) {
        *out = 0;
        return true;
    }
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v <= 0) return false;
    *out = v;
    return true;
}

/* "1"/"true"/本地/是 → 1, "0"/"false"/外地/否 → 0, "" → -1; -2 when unknown. */
static int parse_hukou(const char *s)
{
    if (!s || !*s) return -1;
    if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "本地") || !strcmp(s, "是")) return 1;
    if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "外地") || !strcmp(s, "否")) return 0;
    return -2;
}

static const char *parse_sex(const char *s, bool *ok)
{
    *ok = true;
    if (!s || !*s) return NULL;
    if (!strcmp(s, "M") || !strcmp(s, "m") || !strcmp(s, "男")) return "M";
    if (!strcmp(s, "F") || !strcmp(s, "f") || !strcmp(s, "女")) return "F";
    *ok = false;
    return NULL;
}

/* ---- audit JSON ---------------------------------------------------------- */

static const char *json_text(arena *a, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = arena_strdup(a, s);
    free(s);
    return out;
}

static void put_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v && *v ? json_string(v) : json_null());
}

static void put_masked(json_t *o, const char *k, const char *v, bool phone)
{
    char m[64];
    if (!v || !*v) {
        json_object_set_new(o, k, json_null());
        return;
    }
    if (phone)
        mask_phone(v, m, sizeof m);
    else
        mask_id_number(v, m, sizeof m);
    json_object_set_new(o, k, json_string(m));
}

/* The audit's picture of a person. The birth date is left out when there is a
 * 身份证号: it is the number's masked middle. */
static const char *person_json(arena *a, const struct person_row *p)
{
    json_t *o = json_object();
    put_str(o, "name", p->name);
    put_str(o, "sex", p->sex);
    if (!p->id_number || !*p->id_number) put_str(o, "birth_date", p->birth_date);
    put_masked(o, "id_number", p->id_number, false);
    put_masked(o, "phone", p->phone, true);
    put_str(o, "place_code", p->place_code);
    json_object_set_new(o, "hukou_local",
                        p->hukou_local < 0 ? json_null() : json_boolean(p->hukou_local));
    put_str(o, "relation", p->relation);
    put_str(o, "note", p->note);
    return json_text(a, o);
}

static bool same_text(const char *x, const char *y)
{
    return !strcmp(x ? x : "", y ? y : "");
}

/* Whether an update changes anything, on the unmasked values: a corrected
 * digit in the middle of a 身份证号 leaves the masked picture as it was. */
static bool person_differs(const struct person_row *x, const struct person_row *y)
{
    return !same_text(x->name, y->name) || !same_text(x->sex, y->sex) ||
           !same_text(x->birth_date, y->birth_date) || !same_text(x->id_number, y->id_number) ||
           !same_text(x->phone, y->phone) || !same_text(x->place_code, y->place_code) ||
           !same_text(x->relation, y->relation) || !same_text(x->note, y->note) ||
           x->hukou_local != y->hukou_local;
}

static struct person_row person_row_of(const struct person *p)
{
    return (struct person_row){
        .name = p->name,
        .sex = p->sex,
        .birth_date = p->birth_date,
        .id_number = p->id_number,
        .phone = p->phone,
        .place_code = p->place_code,
        .relation = p->relation,
        .note = p->note,
        .hukou_local = p->hukou_local,
    };
}

/* An id as the audit's text ("12"), or NULL for none. */
static const char *id_or_null(arena *a, int64_t id)
{
    return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

/* The audit's pictures of the four records: an object of the record's stored
 * values, or null when the person has none. */
static const char *party_json(arena *a, const struct person *p)
{
    const struct person_party *m = &p->party;
    if (!m->kind) return "null";
    json_t *o = json_object();
    put_str(o, "member_kind", m->kind);
    put_str(o, "branch_id", id_or_null(a, m->branch_id));
    put_str(o, "branch_name", m->branch_name);
    put_str(o, "joined_on", m->joined_on);
    put_str(o, "work_unit", m->work_unit);
    put_str(o, "work_org_id", id_or_null(a, m->work_org_id));
    put_str(o, "work_org_name", m->work_org_name);
    put_str(o, "reported_at", m->reported_at);
    put_str(o, "reported_community", m->reported_community);
    put_str(o, "reported_community_name", m->reported_community_name);
    put_str(o, "pioneer_post", m->pioneer_post);
    put_str(o, "duty_area", m->duty_area);
    return json_text(a, o);
}

static const char *volunteer_json(arena *a, const struct person *p)
{
    if (!p->volunteer.is) return "null";
    json_t *o = json_object();
    put_str(o, "volunteer_of", id_or_null(a, p->id));
    put_str(o, "team_id", id_or_null(a, p->volunteer.team_id));
    put_str(o, "team_name", p->volunteer.team_name);
    put_str(o, "skills", p->volunteer.skills);
    return json_text(a, o);
}

static const char *partner_json(arena *a, const struct person *p)
{
    if (!p->partner.trade) return "null";
    json_t *o = json_object();
    put_str(o, "trade", p->partner.trade);
    put_str(o, "company", p->partner.company);
    put_str(o, "duties", p->partner.duties);
    return json_text(a, o);
}

static const char *worker_json(arena *a, const struct person *p)
{
    const struct person_worker *w = &p->worker;
    if (!w->is) return "null";
    json_t *o = json_object();
    put_str(o, "worker_of", id_or_null(a, p->id));
    put_str(o, "worker_community", w->community_code);
    put_str(o, "worker_community_name", w->community_name);
    put_str(o, "post", w->post);
    put_str(o, "grade", id_or_null(a, w->grade));
    put_str(o, "certificate", w->certificate);
    return json_text(a, o);
}

static const char *id_text(arena *a, int64_t id)
{
    return arena_printf(a, "%lld", (long long)id);
}

/* ---- search --------------------------------------------------------------- */

static bool digits_only(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static const char *opt(arena *a, const char *s)
{
    char *t = text_trim(a, s);
    return t && *t ? t : NULL;
}

/* "1"/"true" → 1, "0"/"false" → 0, absent → -1, else -2. */
static int parse_flag(const char *s)
{
    if (!s || !*s) return -1;
    if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes")) return 1;
    if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no")) return 0;
    return -2;
}

struct svc_result svc_people_filter(arena *a, const struct people_query *q, struct people_filter *f)
{
    int limit = f->limit;
    memset(f, 0, sizeof *f);
    f->limit = limit;
    f->place = opt(a, q->place);
    if (f->place && !digits_only(f->place, 40))
        return svc_fail(E_BAD_INPUT, "place", "区划代码应为数字");
    f->name = opt(a, q->name);
    if (q->name_match && *q->name_match) {
        if (strcmp(q->name_match, "prefix") && strcmp(q->name_match, "contains"))
            return svc_fail(E_BAD_INPUT, "name_match", "name_match 应为 prefix 或 contains");
        f->name_contains = !strcmp(q->name_match, "contains");
    }
    f->q = opt(a, q->q);
    f->phone = opt(a, q->phone);
    /* a whole phone number typed as a search is an exact (indexed) lookup; a
     * part of one matches nothing, or a masked phone (138****1234) would be
     * completed digit by digit, one search per guess */
    if (f->q && !f->phone && phone_valid(f->q)) {
        f->phone = f->q;
        f->q = NULL;
    } else if (f->q && strspn(f->q, "0123456789-") == strlen(f->q)) {
        return svc_fail(E_BAD_INPUT, "q", "按电话查找请输入完整的手机号或固定电话号码");
    }
    if (f->name && !text_ok(f->name, PERSON_NAME_MAX))
        return svc_fail(E_BAD_INPUT, "name", "姓名过长");
    if (f->q && !text_ok(f->q, PERSON_NAME_MAX)) return svc_fail(E_BAD_INPUT, "q", "搜索内容过长");
    const char *tag = opt(a, q->care_tag);
    if (tag && !(f->care_tag = vocab_id_for_label(&vocab_care_tags, tag)))
        return svc_fail(E_BAD_INPUT, "care_tag", "未知的关爱标签");
    f->party = parse_flag(q->party);
    if (f->party == -2) return svc_fail(E_BAD_INPUT, "party", "party 应为 1（党员）或 0（非党员）");
    const char *kind = opt(a, q->member_kind);
    if (kind && !(f->member_kind = vocab_id_for_label(&vocab_member_kinds, kind)))
        return svc_fail(E_BAD_INPUT, "member_kind", "党员类别无效");
    const char *age = opt(a, q->min_age);
    if (age) {
        if (!digits_only(age, 3) || atoi(age) > 150)
            return svc_fail(E_BAD_INPUT, "min_age", "年龄应为0到150之间的整数");
        f->min_age = atoi(age);
    }
    int elderly = parse_flag(q->elderly);
    if (elderly == -2) return svc_fail(E_BAD_INPUT, "elderly", "elderly 应为 1 或 0");
    if (elderly == 1 && f->min_age < VOCAB_ELDERLY_AGE) f->min_age = VOCAB_ELDERLY_AGE;
    f->hukou = parse_flag(q->hukou);
    if (f->hukou == -2) {
        int h = parse_hukou(q->hukou);
        if (h < 0) return svc_fail(E_BAD_INPUT, "hukou", "户籍应为 1（本地）或 0（外地）");
        f->hukou = h;
    }
    f->cursor = opt(a, q->cursor);
    if (!store_people_cursor_valid(f->cursor))
        return svc_fail(E_BAD_INPUT, "cursor", "分页游标无效");
    return (struct svc_result){0};
}

/* ---- person -------------------------------------------------------------- */

/* Validates the merged person p (strings already trimmed). `given_birth` and
 * `given_sex` say whether the caller typed them; absent ones are taken from the
 * 身份证号. A 身份证号 held by someone outside the caller's people.read scope
 * is refused without saying where, and *elsewhere gets that person's id for
 * the audit entry (written after the rollback: see audit_duplicate). */
static struct svc_result check_person(db *d, arena *a, const struct principal *who,
                                      struct person_row *p, bool given_birth, bool given_sex,
                                      const char *hukou_text, int64_t self_id, int64_t *elsewhere)
{
    if (!p->name || !*p->name) return svc_fail(E_BAD_INPUT, "name", "请填写姓名");
    if (!text_ok(p->name, PERSON_NAME_MAX))
        return svc_fail(E_BAD_INPUT, "name", "姓名不能超过50个字");
    bool ok;
    const char *sex = parse_sex(p->sex, &ok);
    if (!ok) return svc_fail(E_BAD_INPUT, "sex", "性别应为男（M）或女（F）");
    p->sex = sex;
    if (p->birth_date && *p->birth_date && !birth_date_ok(p->birth_date))
        return svc_fail(E_BAD_INPUT, "birth_date",
                        "出生日期应为 YYYY-MM-DD 格式的有效日期，且不晚于今天");
    if (p->id_number && *p->id_number) {
        char *idn = arena_strdup(a, p->id_number);
        idcard_normalize(idn);
        struct idcard_info info;
        const char *why = NULL;
        if (!idcard_check(idn, clock_now(), &info, &why))
            return svc_fail(E_BAD_INPUT, "id_number", why ? why : "身份证号无效");
        p->id_number = idn;
        if (given_birth && p->birth_date && *p->birth_date) {
            if (strcmp(p->birth_date, info.birth) != 0)
                return svc_fail(E_BAD_INPUT, "birth_date", "出生日期与身份证号不一致");
        } else {
            p->birth_date = arena_strdup(a, info.birth);
        }
        const char *idsex = info.sex == 'M' ? "M" : "F";
        if (given_sex && p->sex) {
            if (strcmp(p->sex, idsex) != 0)
                return svc_fail(E_BAD_INPUT, "sex", "性别与身份证号不一致");
        } else {
            p->sex = idsex;
        }
    }
    if (p->phone && *p->phone && !phone_valid(p->phone))
        return svc_fail(E_BAD_INPUT, "phone", "电话号码格式不正确（手机11位，或区号-号码）");
    if (hukou_text) {
        int h = parse_hukou(hukou_text);
        if (h == -2) return svc_fail(E_BAD_INPUT, "hukou_local", "户籍应为本地或外地");
        p->hukou_local = h;
    }
    if (!text_ok(p->relation, PERSON_RELATION_MAX))
        return svc_fail(E_BAD_INPUT, "relation", "与户主关系不能超过20个字");
    if (!text_ok(p->note, PERSON_NOTE_MAX))
        return svc_fail(E_BAD_INPUT, "note", "备注不能超过500个字");
    if (!p->place_code || !*p->place_code)
        return svc_fail(E_BAD_INPUT, "place_code", "请选择住址（区划）");
    if (!store_people_place(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, p->place_code, NULL))
        return svc_fail(E_BAD_INPUT, "place_code", "该区划不存在或不在您的管辖范围内");
    int64_t other =
        p->id_number && *p->id_number ? store_person_by_id_number(d, p->id_number, self_id) : 0;
    if (other > 0) {
        if (principal_viewer(who) &&
            !store_person_get(d, a, principal_viewer(who), CAP_PEOPLE_READ, 0, other, NULL)) {
            *elsewhere = other;
            return svc_fail(E_CONFLICT, "id_number", "该身份证号已在其他社区登记");
        }
        struct svc_result dup =
            svc_fail(E_CONFLICT, "id_number",
                     arena_printf(a, "该身份证号已登记（居民编号 %lld）", (long long)other));
        dup.id = other; /* the page links to the record */
        return dup;
    }
    return (struct svc_result){0};
}

/* After the refused write was rolled back: one audit entry of the attempt to
 * register a 身份证号 that lives outside the caller's scope, filed under the
 * existing person's place (so that place's staff and the levels above see it,
 * and the caller's own audit view does not show where it is). */
struct duplicate_tx {
    int64_t other;
    const char *after;
};

static struct svc_result duplicate_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct duplicate_tx *t = ctx;
    *au = (struct svc_audit){.action = "duplicate",
                             .entity = "person",
                             .entity_id = id_text(a, t->other),
                             .place_code = store_person_place_code(d, a, t->other),
                             .after_json = t->after,
                             .note = "登记的身份证号已在其他社区登记（已拒绝）"};
    return (struct svc_result){0};
}

static void audit_duplicate(db *d, arena *a, const struct principal *who, int64_t other,
                            const char *attempted_place, const char *id_number)
{
    char m[64];
    mask_id_number(id_number, m, sizeof m);
    json_t *after = json_pack("{s:s, s:s?}", "id_number", m, "place_code", attempted_place);
    struct duplicate_tx t = {other, after ? json_text(a, after) : NULL};
    svc_tx(d, a, who, "audit of a duplicate 身份证号", duplicate_tx, &t);
}

/* A person write: create (id 0) or update. */
struct person_tx {
    const struct principal *who;
    int64_t id;
    const struct person_input *in;
    int64_t elsewhere; /* a 身份证号 held outside the caller's scope: audited after */
    const char *place_code, *id_number;
};

static struct svc_result person_create_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct person_tx *t = ctx;
    const struct person_input *in = t->in;
    struct person_row p = {
        .name = text_trim(a, in->name),
        .sex = text_trim(a, in->sex),
        .birth_date = text_trim(a, in->birth_date),
        .id_number = text_trim(a, in->id_number),
        .phone = text_trim(a, in->phone),
        .place_code = text_trim(a, in->place_code),
        .relation = text_trim(a, in->relation),
        .note = text_trim(a, in->note),
        .hukou_local = -1,
    };
    struct svc_result chk = check_person(d, a, t->who, &p, p.birth_date && *p.birth_date,
                                         p.sex && *p.sex, in->hukou_local, 0, &t->elsewhere);
    t->place_code = p.place_code, t->id_number = p.id_number;
    if (chk.err) return chk;
    int64_t id = store_person_insert(d, &p);
    if (id == DB_CONSTRAINT) return svc_fail(E_CONFLICT, "id_number", "该身份证号已登记");
    if (id < 0) return svc_store_failed();
    *au = (struct svc_audit){.action = "create",
                             .entity = "person",
                             .entity_id = id_text(a, id),
                             .place_code = p.place_code,
                             .after_json = person_json(a, &p)};
    return (struct svc_result){.id = id};
}

/* A person write refused because the 身份证号 lives elsewhere is audited
 * after its rollback. */
static struct svc_result person_write(db *d, arena *a, const struct principal *who,
                                      const char *what, svc_tx_fn fn, struct person_tx *t)
{
    struct svc_result res = svc_tx(d, a, who, what, fn, t);
    if (res.err && t->elsewhere > 0)
        audit_duplicate(d, a, who, t->elsewhere, t->place_code, t->id_number);
    return res;
}

struct svc_result svc_person_create(db *d, arena *a, const struct principal *who,
                                    const struct person_input *in)
{
    struct person_tx t = {.who = who, .in = in};
    return person_write(d, a, who, "person create", person_create_tx, &t);
}

/* new value when given, else old */
static const char *merge(arena *a, const char *given, const char *old)
{
    return given ? text_trim(a, given) : old;
}

static struct svc_result person_update_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct person_tx *t = ctx;
    const struct person_input *in = t->in;
    struct person cur;
    if (!store_person_get(d, a, principal_viewer(t->who), CAP_PEOPLE_WRITE, 0, t->id, &cur))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    struct person_row before = person_row_of(&cur), p = before;
    p.name = merge(a, in->name, before.name);
    p.sex = merge(a, in->sex, before.sex);
    p.birth_date = merge(a, in->birth_date, before.birth_date);
    p.id_number = merge(a, in->id_number, before.id_number);
    p.phone = merge(a, in->phone, before.phone);
    p.place_code = merge(a, in->place_code, before.place_code);
    p.relation = merge(a, in->relation, before.relation);
    p.note = merge(a, in->note, before.note);
    /* the 身份证号 decides birth date and sex unless they are typed too */
    bool given_birth = in->birth_date && p.birth_date && *p.birth_date;
    bool given_sex = in->sex && p.sex && *p.sex;
    /* moving a person needs write scope on both places: the old one was
     * checked by the load, the new one by check_person */
    struct svc_result res = check_person(d, a, t->who, &p, given_birth, given_sex, in->hukou_local,
                                         t->id, &t->elsewhere);
    t->place_code = p.place_code, t->id_number = p.id_number;
    if (res.err) return res;
    int rc = store_person_update(d, t->id, &p);
    if (rc == DB_CONSTRAINT) return svc_fail(E_CONFLICT, "id_number", "该身份证号已登记");
    if (rc < 0) return svc_store_failed();
    if (person_differs(&before, &p))
        *au = (struct svc_audit){
            .action = "update",
            .entity = "person",
            .entity_id = id_text(a, t->id),
            .place_code = p.place_code,
            .before_json = person_json(a, &before),
            .after_json = person_json(a, &p),
            .note = same_text(before.id_number, p.id_number) ? NULL : "身份证号已变更"};
    return (struct svc_result){.id = t->id};
}

struct svc_result svc_person_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct person_input *in)
{
    struct person_tx t = {.who = who, .id = id, .in = in};
    return person_write(d, a, who, "person update", person_update_tx, &t);
}

/* The roles able to hear of a reveal alert, lowest first: a community's staff
 * answer to the street, a street to the county, and so on up. */
static const char *const alert_roles[] = {"street_admin", "county_admin", "city_admin", "admin"};

/* Tells the level above the revealing account's role over the revealed
 * person's place: the accounts of the nearest role above it that has anyone
 * over that place (no one: nothing is sent). `limit`: the daily limit was
 * reached, else a burst of `burst` reveals; `n`: today's count. 0, or -1 on a
 * database error. */
static int alert_level_above(db *d, arena *a, const struct principal *who, const char *place,
                             bool limit, int burst, int n, time_t now)
{
    const char **mine;
    int nmine;
    if (store_account_roles_over(d, a, who->account_id, CAP_PEOPLE_REVEAL, place, &mine, &nmine) <
        0)
        return -1;
    int rank = 0;
    const char *role_zh = "工作人员";
    for (int i = 0; i < nmine; i++) {
        const struct role *r = role_find(mine[i]);
        if (r && r->rank > rank) rank = r->rank, role_zh = r->zh;
    }
    const char *user = who->username ? who->username : "";
    const char *who_zh =
        arena_printf(a, "账号 %s（%s%s%s）", user, who->display_name ? who->display_name : "",
                     who->display_name && *who->display_name ? "，" : "", role_zh);
    const char *title = arena_printf(a, "异常查看提醒：%s", user);
    const char *what =
        limit ? arena_printf(
                    a, "今日已查看 %d 次居民的完整身份证号与电话，达到每日上限，今日不能再查看", n)
              : arena_printf(a, "在一小时内查看了 %d 次居民的完整身份证号与电话（今日第 %d 次）",
                             burst, n);
    const char *body = arena_printf(a,
                                    "%s%s。如非正常工作所需，请立即停用该账号、重置密码，并在操作"
                                    "日志（操作 reveal）中核查每次查看的对象与原因。",
                                    who_zh, what);
    for (size_t i = 0; i < sizeof alert_roles / sizeof alert_roles[0]; i++) {
        const struct role *r = role_find(alert_roles[i]);
        if (!r || (r->rank <= rank && strcmp(r->id, "admin") != 0)) continue;
        int others;
        db_rows *to = store_accounts_with_role_over(d, a, r->id, place, who->account_id, &others);
        if (!to) return -1;
        if (others)
            return notify_accounts(d, to, who->account_id, "reveal_alert", 0, title, body, now);
    }
    return 0;
}

/* Counts this reveal against the account's limits (the caller's transaction
 * holds its row from here on) and alerts the level above on a burst or on
 * reaching the daily limit. E_RATE_LIMITED past the limit. */
static struct svc_result count_reveal(db *d, arena *a, const struct principal *who,
                                      const char *place, time_t now)
{
    int y, m, dd;
    idcard_today(now, &y, &m, &dd);
    const char *day = arena_printf(a, "%04d-%02d-%02d", y, m, dd);
    struct reveal_count c;
    if (store_reveal_count(d, a, who->account_id, day, &c) < 0) {
        fprintf(stderr, "linli: reveal count: %s\n", db_errmsg(d));
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if (c.n > REVEAL_DAILY_LIMIT)
        return svc_fail(E_RATE_LIMITED, NULL,
                        arena_printf(a,
                                     "今日查看完整身份证号与电话已达 %d 次上限，请明天再试；"
                                     "确有急需请联系上级管理员",
                                     REVEAL_DAILY_LIMIT));
    /* the window: the reveals of the last hour, this one last, at most REVEAL_BURST */
    int64_t t[REVEAL_BURST];
    int k = 0;
    for (const char *p = c.recent; *p;) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) break;
        if (v > (long long)now - REVEAL_BURST_SECONDS) {
            if (k == REVEAL_BURST - 1) memmove(t, t + 1, sizeof t[0] * (size_t)--k);
            t[k++] = v;
        }
        p = end;
        while (*p == ' ') p++;
    }
    t[k++] = now;
    buf w = {0};
    for (int i = 0; i < k; i++) buf_printf(&w, i ? " %lld" : "%lld", (long long)t[i]);
    const char *recent = arena_strdup(a, buf_cstr(&w));
    buf_free(&w);
    bool burst = k >= REVEAL_BURST && c.burst_alerted_at <= (int64_t)now - REVEAL_BURST_SECONDS;
    bool limit =
        c.n == REVEAL_DAILY_LIMIT && !(c.limit_alerted_on && !strcmp(c.limit_alerted_on, day));
    int64_t burst_at = burst ? (int64_t)now : c.burst_alerted_at;
    const char *limit_on = limit ? day : c.limit_alerted_on;
    if (store_reveal_mark(d, who->account_id, recent, burst_at, limit_on) < 0) {
        fprintf(stderr, "linli: reveal count: %s\n", db_errmsg(d));
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    if ((burst || limit) && alert_level_above(d, a, who, place, limit, k, c.n, now) < 0) {
        fprintf(stderr, "linli: reveal alert: %s\n", db_errmsg(d));
        return svc_fail(E_INTERNAL, NULL, NULL);
    }
    return (struct svc_result){0};
}

struct reveal_tx {
    const struct principal *who;
    int64_t id;
    const char *reason;
    struct person *out;
};

static struct svc_result reveal_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct reveal_tx *t = ctx;
    /* out of scope answers like missing, whatever the body says */
    if (!store_person_get(d, a, principal_viewer(t->who), CAP_PEOPLE_REVEAL, 0, t->id, t->out))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    const char *why = text_trim(a, t->reason);
    if (!why || !*why)
        return svc_fail(E_BAD_INPUT, "reason", "请填写查看原因（如：核实低保申请、入户走访）");
    if (!text_ok(why, REVEAL_REASON_MAX))
        return svc_fail(E_BAD_INPUT, "reason",
                        arena_printf(a, "查看原因不能超过%d个字", REVEAL_REASON_MAX));
    json_t *after = json_pack("{s:s}", "reason", why); /* NULL: not UTF-8 */
    if (!after) return svc_fail(E_BAD_INPUT, "reason", "查看原因包含无效字符");
    const char *after_s = json_text(a, after);
    const char *place = t->out->place_code;
    if (principal_viewer(t->who)) {
        struct svc_result res = count_reveal(d, a, t->who, place, clock_now());
        if (res.err) return res;
    }
    *au = (struct svc_audit){.action = "reveal",
                             .entity = "person",
                             .entity_id = id_text(a, t->id),
                             .place_code = place,
                             .after_json = after_s,
                             .note = arena_printf(a, "查看完整身份证号与电话，原因：%s", why)};
    return (struct svc_result){.id = t->id};
}

struct svc_result svc_person_reveal(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct reveal_input *in, struct person *out)
{
    struct reveal_tx t = {who, id, in->reason, out};
    return svc_tx(d, a, who, "person reveal", reveal_tx, &t);
}

/* ---- the four records and the care tags ----------------------------------- */

/* Writes one record of person p from the operation's input. */
typedef struct svc_result (*record_put_fn)(db *d, arena *a, const struct principal *who,
                                           const struct person *p, const void *in);
/* The audit's picture of the record. */
typedef const char *(*record_json_fn)(arena *a, const struct person *p);

struct record_tx {
    const struct principal *who;
    int64_t id;
    const void *in;
    record_put_fn put;
    record_json_fn json;
    const char *what; /* the audit note */
};

/* Loads the person in the writer's scope, writes the record, and audits the
 * change (none when nothing changed). */
static struct svc_result record_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct record_tx *t = ctx;
    struct person p, now;
    if (!store_person_get(d, a, principal_viewer(t->who), CAP_PEOPLE_WRITE, 0, t->id, &p))
        return svc_fail(E_NOT_FOUND, NULL, NULL);
    struct svc_result res = t->put(d, a, t->who, &p, t->in);
    if (res.err) return res;
    if (!store_person_get(d, a, 0, CAP_PEOPLE_READ, 0, t->id, &now)) return svc_store_failed();
    const char *before = t->json(a, &p), *after = t->json(a, &now);
    if (strcmp(before, after) != 0)
        *au = (struct svc_audit){.action = "update",
                                 .entity = "person",
                                 .entity_id = id_text(a, t->id),
                                 .place_code = p.place_code,
                                 .before_json = before,
                                 .after_json = after,
                                 .note = t->what};
    return (struct svc_result){.id = t->id};
}

static struct svc_result record_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const void *in, record_put_fn put, record_json_fn json,
                                    const char *what)
{
    struct record_tx t = {who, id, in, put, json, what};
    return svc_tx(d, a, who, what, record_tx, &t);
}

/* What a put answers after its store call (rc < 0: failed). */
static struct svc_result stored(int rc)
{
    return rc < 0 ? svc_store_failed() : (struct svc_result){0};
}

static bool party_org_kind(const char *kind)
{
    static const char *const kinds[] = {"party_committee", "party_working_committee",
                                        "community_party_committee", "branch", "party_group"};
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kind, kinds[i])) return true;
    return false;
}

/* The community (社区/村) a person lives in, or NULL. */
static const char *community_of(db *d, arena *a, const struct person *p)
{
    if (!p->place_code) return NULL;
    if (p->place_level && !strcmp(p->place_level, "community")) return p->place_code;
    struct place_step *up;
    int n = store_place_path(d, a, 0, CAP_PLACES_READ, p->place_code, &up);
    for (int i = 0; i < n; i++)
        if (!strcmp(up[i].level, "community")) return up[i].code;
    return NULL;
}

/* A community code in the writer's people.write scope. */
static bool community_in_scope(db *d, arena *a, const struct principal *who, const char *code)
{
    struct people_place c;
    return store_people_place(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, code, &c) &&
           !strcmp(c.level, "community");
}

/* The organisations of a party member: branch and work unit. */
static struct svc_result party_orgs(db *d, arena *a, const struct principal *who,
                                    const struct party_member_input *in, struct party_member_row *m)
{
    if (!parse_id(in->branch_id, &m->branch_id))
        return svc_fail(E_BAD_INPUT, "branch_id", "所属党组织编号无效");
    if (m->branch_id && !party_org_kind(store_people_org_kind(d, a, principal_viewer(who),
                                                              CAP_PEOPLE_WRITE, m->branch_id)))
        return svc_fail(E_BAD_INPUT, "branch_id", "所属党组织不存在或不在您的管辖范围内");
    if (!parse_id(in->work_org_id, &m->work_org_id))
        return svc_fail(E_BAD_INPUT, "work_org_id", "工作单位编号无效");
    if (m->work_org_id && !store_people_org_kind(d, a, 0, CAP_ORGS_READ, m->work_org_id))
        return svc_fail(E_BAD_INPUT, "work_org_id", "工作单位（组织）不存在");
    return (struct svc_result){0};
}

/* 双报到: the community reported to (by default the one the member lives in)
 * and the date. */
static struct svc_result party_report(db *d, arena *a, const struct principal *who,
                                      const struct person *p, struct party_member_row *m)
{
    bool dated = m->reported_at && *m->reported_at;
    if (dated && !birth_date_ok(m->reported_at))
        return svc_fail(E_BAD_INPUT, "reported_at", "双报到日期应为 YYYY-MM-DD 格式的有效日期");
    if (m->reported_community && *m->reported_community) {
        if (!community_in_scope(d, a, who, m->reported_community))
            return svc_fail(E_BAD_INPUT, "reported_community", "双报到社区应为您管辖范围内的社区");
        if (!dated) return svc_fail(E_BAD_INPUT, "reported_at", "请填写双报到日期");
    } else if (dated) {
        m->reported_community = community_of(d, a, p);
        if (!m->reported_community)
            return svc_fail(E_BAD_INPUT, "reported_community", "请填写双报到社区");
    }
    return (struct svc_result){0};
}

static struct svc_result party_put(db *d, arena *a, const struct principal *who,
                                   const struct person *p, const void *vin)
{
    const struct party_member_input *in = vin;
    if (in->remove) return stored(store_party_member_put(d, p->id, NULL));
    struct party_member_row m = {
        .kind = vocab_id_for_label(&vocab_member_kinds, in->kind),
        .joined_on = text_trim(a, in->joined_on),
        .work_unit = text_trim(a, in->work_unit),
        .reported_at = text_trim(a, in->reported_at),
        .reported_community = text_trim(a, in->reported_community),
        .pioneer_post = text_trim(a, in->pioneer_post),
        .duty_area = text_trim(a, in->duty_area),
    };
    if (!m.kind)
        return svc_fail(E_BAD_INPUT, "kind",
                        "党员类别应为居民党员、离退休党员、在职党员或流动党员");
    struct svc_result bad = party_orgs(d, a, who, in, &m);
    if (bad.err) return bad;
    if (m.joined_on && *m.joined_on && !birth_date_ok(m.joined_on))
        return svc_fail(E_BAD_INPUT, "joined_on", "入党日期应为 YYYY-MM-DD 格式的有效日期");
    if (!text_ok(m.work_unit, PARTY_TEXT_MAX))
        return svc_fail(E_BAD_INPUT, "work_unit", "工作单位不能超过100个字");
    if (!strcmp(m.kind, "in_service") && !(m.work_unit && *m.work_unit) && !m.work_org_id)
        return svc_fail(E_BAD_INPUT, "work_unit", "在职党员须填写工作单位");
    if ((bad = party_report(d, a, who, p, &m)).err) return bad;
    if (!text_ok(m.pioneer_post, PARTY_TEXT_MAX))
        return svc_fail(E_BAD_INPUT, "pioneer_post", "先锋岗不能超过100个字");
    if (!text_ok(m.duty_area, PARTY_TEXT_MAX))
        return svc_fail(E_BAD_INPUT, "duty_area", "责任区不能超过100个字");
    return stored(store_party_member_put(d, p->id, &m));
}

struct svc_result svc_party_member_set(db *d, arena *a, const struct principal *who, int64_t id,
                                       const struct party_member_input *in)
{
    return record_set(d, a, who, id, in, party_put, party_json, "party_member");
}

/* Is s at a list separator (, ; whitespace, ， 、 full-width space ；)? Its length, or 0. */
static size_t separator(const char *p)
{
    if (*p == ',' || *p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') return 1;
    if (!strncmp(p, "\xEF\xBC\x8C", 3) || !strncmp(p, "\xE3\x80\x81", 3) ||
        !strncmp(p, "\xE3\x80\x80", 3) || !strncmp(p, "\xEF\xBC\x9B", 3))
        return 3;
    return 0;
}

/* Splits on , ， 、 ; and whitespace; joins the non-empty parts with ','. */
static const char *normalize_list(arena *a, const char *s, int max_items, int max_chars, bool *ok)
{
    *ok = true;
    if (!s) return NULL;
    buf out = {0};
    int items = 0;
    const char *p = s;
    while (*p) {
        size_t sep = separator(p);
        if (sep) {
            p += sep;
            continue;
        }
        const char *start = p;
        while (*p && !separator(p)) p++;
        char *item = arena_strndup(a, start, (size_t)(p - start));
        if (!text_ok(item, max_chars) || ++items > max_items) *ok = false;
        if (out.len) buf_puts(&out, ",");
        buf_puts(&out, item);
    }
    const char *res = out.len ? arena_strdup(a, buf_cstr(&out)) : NULL;
    buf_free(&out);
    return res;
}

static struct svc_result volunteer_put(db *d, arena *a, const struct principal *who,
                                       const struct person *p, const void *vin)
{
    const struct volunteer_input *in = vin;
    if (in->remove) return stored(store_volunteer_put(d, p->id, NULL));
    struct volunteer_row v = {0};
    bool ok;
    v.skills = normalize_list(a, in->skills, 20, 20, &ok);
    if (!ok) return svc_fail(E_BAD_INPUT, "skills", "技能最多20项，每项不超过20个字");
    if (!parse_id(in->team_id, &v.team_id))
        return svc_fail(E_BAD_INPUT, "team_id", "志愿服务队编号无效");
    if (v.team_id) {
        const char *kind =
            store_people_org_kind(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, v.team_id);
        if (!kind || strcmp(kind, "volunteer_team") != 0)
            return svc_fail(E_BAD_INPUT, "team_id", "志愿服务队不存在或不在您的管辖范围内");
    }
    return stored(store_volunteer_put(d, p->id, &v));
}

struct svc_result svc_volunteer_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct volunteer_input *in)
{
    return record_set(d, a, who, id, in, volunteer_put, volunteer_json, "volunteer");
}

static struct svc_result partner_put(db *d, arena *a, const struct principal *who,
                                     const struct person *p, const void *vin)
{
    (void)who;
    const struct partner_input *in = vin;
    if (in->remove) return stored(store_partner_put(d, p->id, NULL));
    bool ok;
    struct partner_row pa = {
        .trade = vocab_id_for_label(&vocab_partner_trades, in->trade),
        .company = text_trim(a, in->company),
        .duties = normalize_list(a, in->duties, 10, 20, &ok),
    };
    if (!pa.trade)
        return svc_fail(E_BAD_INPUT, "trade", "行业应为快递小哥、外卖骑手、网约车司机或其他");
    if (!text_ok(pa.company, PARTNER_COMPANY_MAX))
        return svc_fail(E_BAD_INPUT, "company", "所属企业不能超过100个字");
    if (!ok) return svc_fail(E_BAD_INPUT, "duties", "职责最多10项，每项不超过20个字");
    return stored(store_partner_put(d, p->id, &pa));
}

struct svc_result svc_partner_set(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct partner_input *in)
{
    return record_set(d, a, who, id, in, partner_put, partner_json, "partner");
}

static struct svc_result worker_put(db *d, arena *a, const struct principal *who,
                                    const struct person *p, const void *vin)
{
    const struct worker_input *in = vin;
    if (in->remove) return stored(store_worker_put(d, p->id, NULL));
    struct worker_row w = {
        .community_code = text_trim(a, in->community_code),
        .post = text_trim(a, in->post),
        .certificate = text_trim(a, in->certificate),
    };
    const char *g = text_trim(a, in->grade);
    if (g && *g) {
        char *end;
        long v = strtol(g, &end, 10);
        if (*end || v < 1 || v > 18)
            return svc_fail(E_BAD_INPUT, "grade", "等级应为1到18之间的整数（三岗十八级）");
        w.grade = (int)v;
    }
    if (w.community_code && *w.community_code) {
        if (!community_in_scope(d, a, who, w.community_code))
            return svc_fail(E_BAD_INPUT, "community_code", "所在社区应为您管辖范围内的社区");
    } else {
        w.community_code = community_of(d, a, p);
    }
    if (!text_ok(w.post, WORKER_POST_MAX))
        return svc_fail(E_BAD_INPUT, "post", "岗位不能超过20个字");
    if (!text_ok(w.certificate, WORKER_CERTIFICATE_MAX))
        return svc_fail(E_BAD_INPUT, "certificate", "证书不能超过50个字");
    return stored(store_worker_put(d, p->id, &w));
}

struct svc_result svc_worker_set(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct worker_input *in)
{
    return record_set(d, a, who, id, in, worker_put, worker_json, "community_worker");
}

static const char *tags_json(arena *a, const struct person *p)
{
    json_t *arr = json_array();
    for (int i = 0; i < p->ncare_tags; i++)
        json_array_append_new(arr, json_string(p->care_tags[i]->id));
    return json_text(a, arr);
}

static struct svc_result tags_put(db *d, arena *a, const struct principal *who,
                                  const struct person *p, const void *vin)
{
    (void)who;
    const struct care_tags_input *in = vin;
    if (!in->set) return svc_fail(E_BAD_INPUT, "care_tags", "care_tags 应为标签数组");
    if (in->n > CARE_TAGS_MAX) return svc_fail(E_BAD_INPUT, "care_tags", "标签过多");
    const char **ids = arena_alloc(a, sizeof(char *) * (size_t)(in->n > 0 ? in->n : 1));
    int k = 0;
    for (int i = 0; i < in->n; i++) {
        const char *t = vocab_id_for_label(&vocab_care_tags, in->tags[i]);
        if (!t)
            return svc_fail(E_BAD_INPUT, "care_tags",
                            arena_printf(a, "未知的关爱标签：%s", in->tags[i] ? in->tags[i] : ""));
        bool dup = false;
        for (int j = 0; j < k; j++) dup = dup || !strcmp(ids[j], t);
        if (!dup) ids[k++] = t;
    }
    return stored(store_care_tags_put(d, p->id, ids, k));
}

struct svc_result svc_care_tags_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct care_tags_input *in)
{
    return record_set(d, a, who, id, in, tags_put, tags_json, "care_tags");
}
