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
#include "store/store_audit.h"
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

static struct person_row person_from_row(const db_rows *r)
{
    const char *h = db_get(r, 0, PC_HUKOU_LOCAL);
    return (struct person_row){
        .name = db_get(r, 0, PC_NAME),
        .sex = db_get(r, 0, PC_SEX),
        .birth_date = db_get(r, 0, PC_BIRTH_DATE),
        .id_number = db_get(r, 0, PC_ID_NUMBER),
        .phone = db_get(r, 0, PC_PHONE),
        .place_code = db_get(r, 0, PC_PLACE_CODE),
        .relation = db_get(r, 0, PC_RELATION),
        .note = db_get(r, 0, PC_NOTE),
        .hukou_local = h ? (int)atoi(h) : -1,
    };
}

/* A JSON object of columns [from, to] of a store_person_get row, or null when
 * the record is absent (column `present` NULL). */
static const char *record_json(arena *a, const db_rows *r, int present, int from, int to)
{
    if (!db_get(r, 0, present)) return "null";
    json_t *o = json_object();
    for (int c = from; c <= to; c++) put_str(o, r->names[c], db_get(r, 0, c));
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
    if (!store_people_place(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, p->place_code))
        return svc_fail(E_BAD_INPUT, "place_code", "该区划不存在或不在您的管辖范围内");
    int64_t other =
        p->id_number && *p->id_number ? store_person_by_id_number(d, p->id_number, self_id) : 0;
    if (other > 0) {
        if (principal_viewer(who) &&
            !store_person_get(d, a, principal_viewer(who), CAP_PEOPLE_READ, 0, other)) {
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

static struct svc_result rollback_with(db *d, struct svc_result res)
{
    db_rollback(d);
    return res;
}

/* After the refused write was rolled back: one audit entry of the attempt to
 * register a 身份证号 that lives outside the caller's scope, filed under the
 * existing person's place (so that place's staff and the levels above see it,
 * and the caller's own audit view does not show where it is). */
static void audit_duplicate(db *d, arena *a, const struct principal *who, int64_t other,
                            const char *attempted_place, const char *id_number)
{
    char m[64];
    mask_id_number(id_number, m, sizeof m);
    json_t *after = json_pack("{s:s, s:s?}", "id_number", m, "place_code", attempted_place);
    const char *after_s = after ? json_text(a, after) : NULL;
    if (db_begin(d) < 0) return;
    const char *place = store_person_place_code(d, a, other);
    if (audit_write(d, who, "duplicate", "person", id_text(a, other), place, NULL, after_s,
                    "登记的身份证号已在其他社区登记（已拒绝）") < 0) {
        fprintf(stderr, "linli: audit of a duplicate 身份证号: %s\n", db_errmsg(d));
        db_rollback(d);
        return;
    }
    if (db_commit(d) < 0) fprintf(stderr, "linli: audit of a duplicate 身份证号: commit failed\n");
}

/* A refusal by check_person: rolled back, and audited when the 身份证号 lives
 * outside the caller's scope. */
static struct svc_result refuse_person(db *d, arena *a, const struct principal *who,
                                       struct svc_result res, int64_t elsewhere,
                                       const struct person_row *p)
{
    db_rollback(d);
    if (elsewhere > 0) audit_duplicate(d, a, who, elsewhere, p->place_code, p->id_number);
    return res;
}

static struct svc_result internal(db *d, const char *what)
{
    fprintf(stderr, "linli: %s: %s\n", what, db_errmsg(d));
    db_rollback(d);
    return svc_fail(E_INTERNAL, NULL, NULL);
}

struct svc_result svc_person_create(db *d, arena *a, const struct principal *who,
                                    const struct person_input *in)
{
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
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    int64_t elsewhere = 0;
    struct svc_result chk = check_person(d, a, who, &p, p.birth_date && *p.birth_date,
                                         p.sex && *p.sex, in->hukou_local, 0, &elsewhere);
    if (chk.err) return refuse_person(d, a, who, chk, elsewhere, &p);
    int64_t id = store_person_insert(d, &p);
    if (id == DB_CONSTRAINT)
        return rollback_with(d, svc_fail(E_CONFLICT, "id_number", "该身份证号已登记"));
    if (id < 0) return internal(d, "person create");
    if (audit_write(d, who, "create", "person", id_text(a, id), p.place_code, NULL,
                    person_json(a, &p), NULL) < 0)
        return internal(d, "person create");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
}

/* Begins the transaction and loads the person in the writer's scope. */
static struct svc_result begin_person(db *d, arena *a, const struct principal *who, int64_t id,
                                      db_rows **row)
{
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    *row = store_person_get(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, 0, id);
    if (!*row) return rollback_with(d, svc_fail(E_NOT_FOUND, NULL, NULL));
    return (struct svc_result){0};
}

/* new value when given, else old */
static const char *merge(arena *a, const char *given, const char *old)
{
    return given ? text_trim(a, given) : old;
}

struct svc_result svc_person_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct person_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    struct person_row before = person_from_row(row), p = before;
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
     * checked by begin_person, the new one by check_person */
    int64_t elsewhere = 0;
    res = check_person(d, a, who, &p, given_birth, given_sex, in->hukou_local, id, &elsewhere);
    if (res.err) return refuse_person(d, a, who, res, elsewhere, &p);
    int rc = store_person_update(d, id, &p);
    if (rc == DB_CONSTRAINT)
        return rollback_with(d, svc_fail(E_CONFLICT, "id_number", "该身份证号已登记"));
    if (rc < 0) return internal(d, "person update");
    const char *b = person_json(a, &before), *af = person_json(a, &p);
    const char *note = same_text(before.id_number, p.id_number) ? NULL : "身份证号已变更";
    if (person_differs(&before, &p) &&
        audit_write(d, who, "update", "person", id_text(a, id), p.place_code, b, af, note) < 0)
        return internal(d, "person update");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
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
    db_rows *mine = store_account_roles_over(d, a, who->account_id, CAP_PEOPLE_REVEAL, place);
    if (!mine) return -1;
    int rank = 0;
    const char *role_zh = "工作人员";
    for (int i = 0; i < mine->nrows; i++) {
        const struct role *r = role_find(db_get(mine, i, 0));
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
        db_rows *to = store_accounts_with_role_over(d, a, r->id, place);
        if (!to) return -1;
        bool other = false;
        for (int k = 0; k < to->nrows; k++)
            other = other || db_get_int(to, k, 0) != who->account_id;
        if (other)
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

struct svc_result svc_person_reveal(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct reveal_input *in, db_rows **out)
{
    const char *reason = in->reason;
    if (db_begin(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    /* out of scope answers like missing, whatever the body says */
    db_rows *r = store_person_get(d, a, principal_viewer(who), CAP_PEOPLE_REVEAL, 0, id);
    if (!r) return rollback_with(d, svc_fail(E_NOT_FOUND, NULL, NULL));
    const char *why = text_trim(a, reason);
    if (!why || !*why)
        return rollback_with(
            d, svc_fail(E_BAD_INPUT, "reason", "请填写查看原因（如：核实低保申请、入户走访）"));
    if (!text_ok(why, REVEAL_REASON_MAX))
        return rollback_with(
            d, svc_fail(E_BAD_INPUT, "reason",
                        arena_printf(a, "查看原因不能超过%d个字", REVEAL_REASON_MAX)));
    json_t *after = json_pack("{s:s}", "reason", why); /* NULL: not UTF-8 */
    if (!after) return rollback_with(d, svc_fail(E_BAD_INPUT, "reason", "查看原因包含无效字符"));
    const char *after_s = json_text(a, after);
    const char *place = db_get(r, 0, PC_PLACE_CODE);
    if (principal_viewer(who)) {
        struct svc_result res = count_reveal(d, a, who, place, clock_now());
        if (res.err) return rollback_with(d, res);
    }
    if (audit_write(d, who, "reveal", "person", id_text(a, id), place, NULL, after_s,
                    arena_printf(a, "查看完整身份证号与电话，原因：%s", why)) < 0)
        return internal(d, "person reveal");
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    *out = r;
    return (struct svc_result){.id = id};
}

/* Writes the audit entry of a record change and commits. */
static struct svc_result finish_record(db *d, arena *a, const struct principal *who, int64_t id,
                                       const db_rows *before_row, const char *what,
                                       const char *before, const char *after)
{
    if (strcmp(before, after) != 0 &&
        audit_write(d, who, "update", "person", id_text(a, id),
                    db_get(before_row, 0, PC_PLACE_CODE), before, after, what) < 0)
        return internal(d, what);
    if (db_commit(d) < 0) return svc_fail(E_UNAVAILABLE, NULL, NULL);
    return (struct svc_result){.id = id};
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
static const char *community_of(db *d, arena *a, const db_rows *person)
{
    const char *place = db_get(person, 0, PC_PLACE_CODE),
               *level = db_get(person, 0, PC_PLACE_LEVEL);
    if (!place) return NULL;
    if (level && !strcmp(level, "community")) return place;
    db_rows *up = store_place_ancestors(d, a, 0, CAP_PLACES_READ, place);
    for (int i = 0; up && i < up->nrows; i++)
        if (!strcmp(db_get(up, i, ANC_LEVEL), "community")) return db_get(up, i, ANC_CODE);
    return NULL;
}

#define PM_JSON(a, r) record_json(a, r, PC_MEMBER_KIND, PC_MEMBER_KIND, PC_DUTY_AREA)

struct svc_result svc_party_member_set(db *d, arena *a, const struct principal *who, int64_t id,
                                       const struct party_member_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    const char *before = PM_JSON(a, row);
    if (in->remove) {
        if (store_party_member_put(d, id, NULL) < 0) return internal(d, "party member");
        return finish_record(d, a, who, id, row, "party_member", before, "null");
    }
    struct party_member_row m = {
        .kind = vocab_id_for_label(&vocab_member_kinds, in->kind),
        .joined_on = text_trim(a, in->joined_on),
        .work_unit = text_trim(a, in->work_unit),
        .reported_at = text_trim(a, in->reported_at),
        .reported_community = text_trim(a, in->reported_community),
        .pioneer_post = text_trim(a, in->pioneer_post),
        .duty_area = text_trim(a, in->duty_area),
    };
    struct svc_result bad = {0};
    int64_t viewer = principal_viewer(who);
    if (!m.kind)
        bad = svc_fail(E_BAD_INPUT, "kind", "党员类别应为居民党员、离退休党员、在职党员或流动党员");
    else if (!parse_id(in->branch_id, &m.branch_id))
        bad = svc_fail(E_BAD_INPUT, "branch_id", "所属党组织编号无效");
    else if (m.branch_id) {
        db_rows *o = store_people_org(d, a, viewer, CAP_PEOPLE_WRITE, m.branch_id);
        if (!o || !party_org_kind(db_get(o, 0, 1)))
            bad = svc_fail(E_BAD_INPUT, "branch_id", "所属党组织不存在或不在您的管辖范围内");
    }
    if (!bad.err && !parse_id(in->work_org_id, &m.work_org_id))
        bad = svc_fail(E_BAD_INPUT, "work_org_id", "工作单位编号无效");
    else if (!bad.err && m.work_org_id && !store_people_org(d, a, 0, CAP_ORGS_READ, m.work_org_id))
        bad = svc_fail(E_BAD_INPUT, "work_org_id", "工作单位（组织）不存在");
    if (bad.err) return rollback_with(d, bad);
    if (m.joined_on && *m.joined_on && !birth_date_ok(m.joined_on))
        return rollback_with(
            d, svc_fail(E_BAD_INPUT, "joined_on", "入党日期应为 YYYY-MM-DD 格式的有效日期"));
    if (!text_ok(m.work_unit, PARTY_TEXT_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "work_unit", "工作单位不能超过100个字"));
    if (!strcmp(m.kind, "in_service") && !(m.work_unit && *m.work_unit) && !m.work_org_id)
        return rollback_with(d, svc_fail(E_BAD_INPUT, "work_unit", "在职党员须填写工作单位"));
    if (m.reported_at && *m.reported_at && !birth_date_ok(m.reported_at))
        return rollback_with(
            d, svc_fail(E_BAD_INPUT, "reported_at", "双报到日期应为 YYYY-MM-DD 格式的有效日期"));
    if (m.reported_community && *m.reported_community) {
        db_rows *c = store_people_place(d, a, viewer, CAP_PEOPLE_WRITE, m.reported_community);
        if (!c || strcmp(db_get(c, 0, 2), "community") != 0)
            return rollback_with(
                d, svc_fail(E_BAD_INPUT, "reported_community", "双报到社区应为您管辖范围内的社区"));
        if (!(m.reported_at && *m.reported_at))
            return rollback_with(d, svc_fail(E_BAD_INPUT, "reported_at", "请填写双报到日期"));
    } else if (m.reported_at && *m.reported_at) {
        /* 双报到 is at the community where the member lives */
        m.reported_community = community_of(d, a, row);
        if (!m.reported_community)
            return rollback_with(d,
                                 svc_fail(E_BAD_INPUT, "reported_community", "请填写双报到社区"));
    }
    if (!text_ok(m.pioneer_post, PARTY_TEXT_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "pioneer_post", "先锋岗不能超过100个字"));
    if (!text_ok(m.duty_area, PARTY_TEXT_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "duty_area", "责任区不能超过100个字"));
    if (store_party_member_put(d, id, &m) < 0) return internal(d, "party member");
    db_rows *now = store_person_get(d, a, 0, CAP_PEOPLE_READ, 0, id);
    if (!now) return internal(d, "party member");
    return finish_record(d, a, who, id, row, "party_member", before, PM_JSON(a, now));
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
        size_t sep = 0;
        if (*p == ',' || *p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            sep = 1;
        else if (!strncmp(p, "\xEF\xBC\x8C", 3) || !strncmp(p, "\xE3\x80\x81", 3) ||
                 !strncmp(p, "\xE3\x80\x80", 3) || !strncmp(p, "\xEF\xBC\x9B", 3))
            sep = 3; /* ， 、 full-width space ； */
        if (sep) {
            p += sep;
            continue;
        }
        const char *start = p;
        while (*p &&
               !(*p == ',' || *p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
                 !strncmp(p, "\xEF\xBC\x8C", 3) || !strncmp(p, "\xE3\x80\x81", 3) ||
                 !strncmp(p, "\xE3\x80\x80", 3) || !strncmp(p, "\xEF\xBC\x9B", 3)))
            p++;
        char *item = arena_strndup(a, start, (size_t)(p - start));
        if (!text_ok(item, max_chars) || ++items > max_items) *ok = false;
        if (out.len) buf_puts(&out, ",");
        buf_puts(&out, item);
    }
    const char *res = out.len ? arena_strdup(a, buf_cstr(&out)) : NULL;
    buf_free(&out);
    return res;
}

#define VOL_JSON(a, r) record_json(a, r, PC_VOLUNTEER_OF, PC_TEAM_ID, PC_SKILLS)

struct svc_result svc_volunteer_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct volunteer_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    const char *before = VOL_JSON(a, row);
    if (in->remove) {
        if (store_volunteer_put(d, id, NULL) < 0) return internal(d, "volunteer");
        return finish_record(d, a, who, id, row, "volunteer", before, "null");
    }
    struct volunteer_row v = {0};
    bool ok;
    v.skills = normalize_list(a, in->skills, 20, 20, &ok);
    if (!ok)
        return rollback_with(d, svc_fail(E_BAD_INPUT, "skills", "技能最多20项，每项不超过20个字"));
    if (!parse_id(in->team_id, &v.team_id))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "team_id", "志愿服务队编号无效"));
    if (v.team_id) {
        db_rows *o = store_people_org(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, v.team_id);
        if (!o || strcmp(db_get(o, 0, 1), "volunteer_team") != 0)
            return rollback_with(
                d, svc_fail(E_BAD_INPUT, "team_id", "志愿服务队不存在或不在您的管辖范围内"));
    }
    if (store_volunteer_put(d, id, &v) < 0) return internal(d, "volunteer");
    db_rows *now = store_person_get(d, a, 0, CAP_PEOPLE_READ, 0, id);
    if (!now) return internal(d, "volunteer");
    return finish_record(d, a, who, id, row, "volunteer", before, VOL_JSON(a, now));
}

#define PARTNER_JSON(a, r) record_json(a, r, PC_TRADE, PC_TRADE, PC_DUTIES)

struct svc_result svc_partner_set(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct partner_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    const char *before = PARTNER_JSON(a, row);
    if (in->remove) {
        if (store_partner_put(d, id, NULL) < 0) return internal(d, "partner");
        return finish_record(d, a, who, id, row, "partner", before, "null");
    }
    bool ok;
    struct partner_row p = {
        .trade = vocab_id_for_label(&vocab_partner_trades, in->trade),
        .company = text_trim(a, in->company),
        .duties = normalize_list(a, in->duties, 10, 20, &ok),
    };
    if (!p.trade)
        return rollback_with(
            d, svc_fail(E_BAD_INPUT, "trade", "行业应为快递小哥、外卖骑手、网约车司机或其他"));
    if (!text_ok(p.company, PARTNER_COMPANY_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "company", "所属企业不能超过100个字"));
    if (!ok)
        return rollback_with(d, svc_fail(E_BAD_INPUT, "duties", "职责最多10项，每项不超过20个字"));
    if (store_partner_put(d, id, &p) < 0) return internal(d, "partner");
    db_rows *now = store_person_get(d, a, 0, CAP_PEOPLE_READ, 0, id);
    if (!now) return internal(d, "partner");
    return finish_record(d, a, who, id, row, "partner", before, PARTNER_JSON(a, now));
}

#define WORKER_JSON(a, r) record_json(a, r, PC_WORKER_OF, PC_WORKER_COMMUNITY, PC_CERTIFICATE)

struct svc_result svc_worker_set(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct worker_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    const char *before = WORKER_JSON(a, row);
    if (in->remove) {
        if (store_worker_put(d, id, NULL) < 0) return internal(d, "community worker");
        return finish_record(d, a, who, id, row, "community_worker", before, "null");
    }
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
            return rollback_with(
                d, svc_fail(E_BAD_INPUT, "grade", "等级应为1到18之间的整数（三岗十八级）"));
        w.grade = (int)v;
    }
    if (w.community_code && *w.community_code) {
        db_rows *c =
            store_people_place(d, a, principal_viewer(who), CAP_PEOPLE_WRITE, w.community_code);
        if (!c || strcmp(db_get(c, 0, 2), "community") != 0)
            return rollback_with(
                d, svc_fail(E_BAD_INPUT, "community_code", "所在社区应为您管辖范围内的社区"));
    } else {
        w.community_code = community_of(d, a, row);
    }
    if (!text_ok(w.post, WORKER_POST_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "post", "岗位不能超过20个字"));
    if (!text_ok(w.certificate, WORKER_CERTIFICATE_MAX))
        return rollback_with(d, svc_fail(E_BAD_INPUT, "certificate", "证书不能超过50个字"));
    if (store_worker_put(d, id, &w) < 0) return internal(d, "community worker");
    db_rows *now = store_person_get(d, a, 0, CAP_PEOPLE_READ, 0, id);
    if (!now) return internal(d, "community worker");
    return finish_record(d, a, who, id, row, "community_worker", before, WORKER_JSON(a, now));
}

static const char *tags_json(arena *a, const char *csv)
{
    json_t *arr = json_array();
    for (int i = 0; i < vocab_care_tags.count; i++) {
        const char *t = vocab_care_tags.entries[i].id;
        size_t n = strlen(t);
        for (const char *p = csv; p && *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len == n && !memcmp(p, t, n)) json_array_append_new(arr, json_string(t));
            p = e ? e + 1 : p + len;
        }
    }
    return json_text(a, arr);
}

struct svc_result svc_care_tags_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct care_tags_input *in)
{
    db_rows *row;
    struct svc_result res = begin_person(d, a, who, id, &row);
    if (res.err) return res;
    if (!in->set)
        return rollback_with(d, svc_fail(E_BAD_INPUT, "care_tags", "care_tags 应为标签数组"));
    if (in->n > CARE_TAGS_MAX)
        return rollback_with(d, svc_fail(E_BAD_INPUT, "care_tags", "标签过多"));
    const char *const *tags = in->tags;
    int n = in->n;
    const char **ids = arena_alloc(a, sizeof(char *) * (size_t)(n > 0 ? n : 1));
    int k = 0;
    for (int i = 0; i < n; i++) {
        const char *t = vocab_id_for_label(&vocab_care_tags, tags[i]);
        if (!t)
            return rollback_with(
                d, svc_fail(E_BAD_INPUT, "care_tags",
                            arena_printf(a, "未知的关爱标签：%s", tags[i] ? tags[i] : "")));
        bool dup = false;
        for (int j = 0; j < k; j++) dup = dup || !strcmp(ids[j], t);
        if (!dup) ids[k++] = t;
    }
    const char *before = tags_json(a, db_get(row, 0, PC_CARE_TAGS));
    buf csv = {0};
    for (int i = 0; i < k; i++) {
        if (i) buf_puts(&csv, ",");
        buf_puts(&csv, ids[i]);
    }
    const char *after = tags_json(a, buf_cstr(&csv));
    buf_free(&csv);
    if (store_care_tags_put(d, id, ids, k) < 0) return internal(d, "care tags");
    return finish_record(d, a, who, id, row, "care_tags", before, after);
}
