/* The people import: header mapping, row checks, the all-or-nothing write and
 * the import's transaction. See people_import.h.
 *
 * Rows are checked with the domain rules directly (core/idcard, core/mask,
 * core/vocab) and written with the multi-row INSERTs of store/store_bulk.h, so
 * the importer stays one pass over the file with statements prepared once per
 * connection. */
#include "io/people_import.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/idcard.h"
#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "io/people_csv.h"
#include "service/svc_tx.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "store/store_bulk.h"
#include "store/store_people.h"
#include "store/store_places.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/hash.h"

/* The template's columns: the Chinese header of web/static/people-template.csv,
 * the English id also accepted, and labels seen in existing ledgers. */
enum col {
    C_NAME,
    C_SEX,
    C_BIRTH,
    C_IDNO,
    C_PHONE,
    C_PLACE,
    C_RELATION,
    C_HUKOU,
    C_MEMBER,
    C_BRANCH,
    C_WORK,
    C_REPORTED,
    C_SKILLS,
    C_CARE,
    C_NOTE,
    C__N
};

static const struct column {
    const char *zh, *id;
    const char *alias[4];
} columns[C__N] = {
    [C_NAME] = {"姓名", "name", {0}},
    [C_SEX] = {"性别", "sex", {0}},
    [C_BIRTH] = {"出生日期", "birth_date", {"出生年月日"}},
    [C_IDNO] = {"身份证号", "id_number", {"身份证号码", "公民身份号码", "身份证"}},
    [C_PHONE] = {"手机号", "phone", {"手机号码", "手机", "联系电话"}},
    [C_PLACE] = {"所在地代码", "place_code", {"区划代码", "住址代码"}},
    [C_RELATION] = {"与户主关系", "relation", {"与户主的关系"}},
    [C_HUKOU] = {"户籍", "hukou", {"户籍类型"}},
    [C_MEMBER] = {"党员类别", "member_kind", {"党员类型"}},
    [C_BRANCH] = {"所在支部", "branch", {"所在党支部", "党支部"}},
    [C_WORK] = {"工作单位", "work_unit", {0}},
    [C_REPORTED] = {"报到日期", "reported_at", {"双报到日期"}},
    [C_SKILLS] = {"特长", "skills", {"技能"}},
    [C_CARE] = {"关怀标签", "care_tags", {"关爱标签", "关爱对象"}},
    [C_NOTE] = {"备注", "note", {0}},
};

/* Columns that ledgers carry and the import has no use for. */
static const char *const ignored_headers[] = {"序号", "编号", "No.", "no"};

/* ---- a small string map (open addressing, sized once, keys in the arena) ---- */

struct smap {
    const char **keys;
    int64_t *vals;
    size_t mask;
};

static void smap_init(struct smap *m, arena *a, size_t expect)
{
    size_t cap = 64;
    while (cap < expect * 2 + 16) cap *= 2;
    m->keys = arena_alloc(a, cap * sizeof *m->keys);
    m->vals = arena_alloc(a, cap * sizeof *m->vals);
    m->mask = cap - 1;
}

/* The value slot for key; *found tells whether it was there. A new key is
 * added (the map never holds more keys than it was sized for). */
static int64_t *smap_slot(struct smap *m, arena *a, const char *key, bool *found)
{
    uint64_t h = fnv1a64_str(FNV64_OFFSET, key);
    for (size_t i = (size_t)h & m->mask;; i = (i + 1) & m->mask) {
        if (!m->keys[i]) {
            m->keys[i] = arena_strdup(a, key);
            *found = false;
            return &m->vals[i];
        }
        if (strcmp(m->keys[i], key) == 0) {
            *found = true;
            return &m->vals[i];
        }
    }
}

/* ---- the run ---- */

struct row {
    int line;
    const char *name, *sex, *birth, *idno, *phone, *place, *relation, *note;
    int hukou; /* -1 unknown */
    const char *member_kind, *work_unit, *reported_at, *reported_community, *skills;
    int64_t branch_id;
    const char **tags;
    int ntags;
};

struct run {
    db *d;
    arena *a;
    int64_t viewer; /* 0: the command line */
    time_t now;
    struct import_error *errs; /* malloc'd while running, copied to the arena */
    int nerrs, caperrs;
    bool oom, dberr;
    struct smap places, ids, branches, communities;
    /* 身份证号 found outside the importer's people.read scope: audited after
     * the rollback (the refusal itself says nowhere where they live) */
    struct elsewhere {
        int line;
        const char *id_number, *place, *existing_place;
        int64_t existing_id;
    } * elsewhere;
    int nelsewhere, capelsewhere;
    arena *scratch; /* per-row query results, emptied every SCRATCH_ROWS */
    int scratch_rows;
};

enum { SCRATCH_ROWS = 4096, WRITE_BATCH = 5000 };

static void add_error(struct run *x, int line, const char *column, const char *msg)
{
    if (x->nerrs == x->caperrs) {
        int cap = x->caperrs ? x->caperrs * 2 : 64;
        struct import_error *e = realloc(x->errs, (size_t)cap * sizeof *e);
        if (!e) {
            x->oom = true;
            return;
        }
        x->errs = e;
        x->caperrs = cap;
    }
    x->errs[x->nerrs++] = (struct import_error){line, column, msg};
}

static void cell_error(struct run *x, int line, enum col c, const char *msg)
{
    add_error(x, line, columns[c].zh, msg);
}

/* Number of UTF-8 characters. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F) return true;
    return false;
}

/* Checks a free-text cell's length (and, unless multiline, its control
 * characters); true when it is fine. */
static bool text_ok(struct run *x, int line, enum col c, const char *v, size_t max, bool multiline)
{
    if (chars(v) > max) {
        cell_error(x, line, c, arena_printf(x->a, "不能超过%zu个字", max));
        return false;
    }
    if (!multiline && has_control(v)) {
        cell_error(x, line, c, "不能包含换行或控制字符");
        return false;
    }
    return true;
}

static bool digits(const char *s, int min, int max, int *out)
{
    int v = 0, n = 0;
    /* digits past max only count: ten of them would overflow v (found by fuzz_people_import) */
    for (; *s >= '0' && *s <= '9'; s++, n++)
        if (n < max) v = v * 10 + (*s - '0');
    if (n < min || n > max || *s) return false;
    *out = v;
    return true;
}

/* True when s starts with exactly n digits (and nothing else but a time). */
static bool digits_n(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return s[n] == 0 || s[n] == ' ' || s[n] == 'T';
}

/* Reads 1..max digits at *p. */
static bool read_num(const char **p, int max, int *out)
{
    int v = 0, n = 0;
    for (; **p >= '0' && **p <= '9' && n < max; (*p)++, n++) v = v * 10 + (**p - '0');
    *out = v;
    return n > 0 && !(**p >= '0' && **p <= '9');
}

/* Skips one date separator: - / . or 年 月. */
static bool read_sep(const char **p)
{
    if (**p == '-' || **p == '/' || **p == '.') {
        (*p)++;
        return true;
    }
    if (!strncmp(*p, "年", 3) || !strncmp(*p, "月", 3)) {
        *p += 3;
        return true;
    }
    return false;
}

/* "1980-05-03", "1980/5/3", "1980.5.3", "1980年5月3日", "19800503", with an
 * optional time after a space (what a spreadsheet may append). Writes
 * "YYYY-MM-DD"; NULL or a Chinese reason. */
static const char *parse_date(const char *s, time_t now, char out[11])
{
    static const char *const bad = "日期格式应为 YYYY-MM-DD 或 YYYY/M/D";
    int y, m, d;
    const char *p = s;
    if (strlen(s) >= 8 && digits_n(s, 8)) {
        read_num(&p, 4, &y);
        read_num(&p, 2, &m);
        read_num(&p, 2, &d);
    } else if (!read_num(&p, 4, &y) || p - s != 4 || !read_sep(&p) || !read_num(&p, 2, &m) ||
               !read_sep(&p) || !read_num(&p, 2, &d)) {
        return bad;
    }
    if (!strncmp(p, "日", 3)) p += 3;
    if (*p && *p != ' ' && *p != 'T') return bad;
    if (!idcard_date_valid(y, m, d)) return "不是有效的日期";
    if (y < 1900) return "日期早于1900年";
    int ty, tm, td;
    idcard_today(now, &ty, &tm, &td);
    if (y * 10000 + m * 100 + d > ty * 10000 + tm * 100 + td) return "日期晚于今天";
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return NULL;
}

static const char *parse_sex(const char *v)
{
    if (!strcmp(v, "男") || !strcmp(v, "男性") || !strcasecmp(v, "M")) return "M";
    if (!strcmp(v, "女") || !strcmp(v, "女性") || !strcasecmp(v, "F")) return "F";
    return NULL;
}

static int parse_hukou(const char *v)
{
    static const char *const local[] = {"本地", "本地户籍", "本地户口", "是", "local"};
    static const char *const other[] = {"外地", "外地户籍", "外地户口", "非本地", "否", "nonlocal"};
    for (size_t i = 0; i < sizeof local / sizeof *local; i++)
        if (!strcasecmp(v, local[i])) return 1;
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (!strcasecmp(v, other[i])) return 0;
    return -1;
}

/* Splits a list cell at , ， 、 ； ; into trimmed, non-empty items. */
static int split_list(arena *a, const char *v, const char ***out)
{
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        if (*p == ',' || *p == ';' || (unsigned char)*p == 0xE3 || (unsigned char)*p == 0xEF) cap++;
    const char **items = arena_alloc(a, cap * sizeof *items);
    int n = 0;
    const char *start = v;
    for (const char *p = v;;) {
        size_t sep = 0;
        if (*p == ',' || *p == ';')
            sep = 1;
        else if (!strncmp(p, "，", 3) || !strncmp(p, "、", 3) || !strncmp(p, "；", 3))
            sep = 3;
        if (*p == 0 || sep) {
            const char *b = start, *e = p;
            while (b < e && (*b == ' ' || *b == '\t')) b++;
            while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
            if (e > b && (size_t)n < cap) items[n++] = arena_strndup(a, b, (size_t)(e - b));
            if (*p == 0) break;
            p += sep;
            start = p;
        } else {
            p++;
        }
    }
    *out = items;
    return n;
}

/* 1: the place exists and is inside the importer's people.import scope. */
static bool place_ok(struct run *x, const char *code)
{
    bool found;
    int64_t *v = smap_slot(&x->places, x->a, code, &found);
    if (!found)
        *v = store_place_visible(x->d, x->scratch, x->viewer, CAP_PEOPLE_IMPORT, code) ? 1 : 2;
    return *v == 1;
}

/* The community (社区/村) the place lies in, if its code reaches that level:
 * codes below a community extend the community's 12 digits. */
static const char *community_of(struct run *x, const char *place)
{
    if (strlen(place) < 12) return NULL;
    char code[13];
    memcpy(code, place, 12);
    code[12] = 0;
    bool found;
    int64_t *v = smap_slot(&x->communities, x->a, code, &found);
    if (!found) {
        const char *level = store_place_level(x->d, x->scratch, code);
        *v = level && !strcmp(level, "community") ? 1 : 2;
    }
    return *v == 1 ? arena_strdup(x->a, code) : NULL;
}

static bool party_org_kind(const char *kind)
{
    static const char *const kinds[] = {"party_committee", "party_working_committee",
                                        "community_party_committee", "branch", "party_group"};
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(kind, kinds[i])) return true;
    return false;
}

/* Why a branch cell was refused, indexed by the negative codes below. */
static const char *const branch_reasons[] = {
    NULL,
    "找不到该党组织，或它不在您的管辖范围内",
    "该组织不是党组织",
    "有多个同名党组织，请改填组织编号",
};
enum { BRANCH_NOT_FOUND = -1, BRANCH_NOT_PARTY = -2, BRANCH_AMBIGUOUS = -3 };

/* The party organisation named by id or by name, as the importer may see it
 * (orgs.read over its place): its id, or a negative BRANCH_* code. Among
 * namesakes, the one whose place is the nearest ancestor of the person's
 * place wins. */
static int64_t find_branch(struct run *x, const char *text, const char *place)
{
    int id;
    if (digits(text, 1, 9, &id)) {
        struct org_ref o;
        int got = store_org_ref(x->d, x->scratch, id, &o);
        if (got < 0) x->dberr = true;
        if (got <= 0 ||
            (x->viewer && (!o.place_code ||
                           !store_place_in_scope(x->d, x->viewer, CAP_ORGS_READ, o.place_code))))
            return BRANCH_NOT_FOUND;
        return party_org_kind(o.kind) ? id : BRANCH_NOT_PARTY;
    }
    struct org_ref *o;
    int n = store_party_orgs_named(x->d, x->scratch, x->viewer, CAP_ORGS_READ, text, &o);
    if (n < 0) x->dberr = true;
    if (n <= 0) return BRANCH_NOT_FOUND;
    if (n == 1) return o[0].id;
    int best = -1;
    size_t best_len = 0;
    bool tie = false;
    for (int i = 0; i < n; i++) {
        const char *pc = o[i].place_code;
        size_t len = pc ? strlen(pc) : 0;
        if (!pc || !place || strncmp(place, pc, len) != 0) continue;
        if (best < 0 || len > best_len)
            best = i, best_len = len, tie = false;
        else if (len == best_len)
            tie = true;
    }
    return best < 0 || tie ? BRANCH_AMBIGUOUS : o[best].id;
}

static int64_t branch_id(struct run *x, const char *text, const char *place, const char **why)
{
    bool found;
    const char *key = arena_printf(x->a, "%s\x1f%s", text, place ? place : "");
    int64_t *v = smap_slot(&x->branches, x->a, key, &found);
    if (!found) *v = find_branch(x, text, place);
    if (*v > 0) return *v;
    *why = branch_reasons[-*v];
    return 0;
}

static const char *cell(const struct csv_record *rec, const int *map, enum col c)
{
    int i = map[c];
    if (i < 0 || i >= rec->nfields || !rec->fields[i][0]) return NULL;
    return rec->fields[i];
}

/* Whether a 身份证号 is already in the ledger: one probe of its unique index
 * with a cached statement (store_person_holding_id_number), its result in the
 * scratch arena. */
static int idno_taken(struct run *x, const char *id, int64_t *holder, const char **at)
{
    if (++x->scratch_rows == SCRATCH_ROWS) {
        arena_free(x->scratch);
        x->scratch = arena_new();
        x->scratch_rows = 0;
    }
    return store_person_holding_id_number(x->d, x->scratch, id, holder, at);
}

static void note_elsewhere(struct run *x, const struct row *w, const char *place,
                           int64_t existing_id, const char *existing_place)
{
    if (x->nelsewhere == x->capelsewhere) {
        int cap = x->capelsewhere ? x->capelsewhere * 2 : 16;
        struct elsewhere *e = realloc(x->elsewhere, (size_t)cap * sizeof *e);
        if (!e) {
            x->oom = true;
            return;
        }
        x->elsewhere = e;
        x->capelsewhere = cap;
    }
    x->elsewhere[x->nelsewhere++] =
        (struct elsewhere){w->line, w->idno, place ? arena_strdup(x->a, place) : NULL,
                           existing_place ? arena_strdup(x->a, existing_place) : NULL, existing_id};
}

/* One audit entry per refused row whose 身份证号 lives outside the importer's
 * scope, in a transaction of their own (the import's was rolled back), filed
 * under the existing person's place: its staff and the levels above see the
 * attempt, the importer's own audit view does not show where it lives. */
struct elsewhere_tx {
    struct run *x;
    const struct principal *who;
    const char *filename;
};

static struct svc_result elsewhere_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)au; /* one entry per row, written here */
    const struct elsewhere_tx *t = ctx;
    for (int i = 0; i < t->x->nelsewhere; i++) {
        const struct elsewhere *e = &t->x->elsewhere[i];
        char m[64];
        mask_id_number(e->id_number, m, sizeof m);
        json_t *after = json_pack("{s:s, s:s?, s:s?, s:i}", "id_number", m, "place_code", e->place,
                                  "file", t->filename, "line", e->line);
        char *after_s = after ? json_dumps(after, JSON_COMPACT) : NULL;
        json_decref(after);
        int rc = audit_write(d, t->who, "duplicate", "person",
                             arena_printf(a, "%lld", (long long)e->existing_id), e->existing_place,
                             NULL, after_s, "导入的身份证号已在其他社区登记（已拒绝）");
        free(after_s);
        if (rc < 0) return svc_store_failed();
    }
    return (struct svc_result){0};
}

static void audit_elsewhere(struct run *x, const struct principal *who, const char *filename)
{
    if (!x->nelsewhere) return;
    struct elsewhere_tx t = {x, who, filename};
    svc_tx(x->d, x->a, who, "people import: audit of a duplicate", elsewhere_tx, &t);
}

static void check_idno(struct run *x, struct row *w, const char *v, const char *place,
                       struct idcard_info *info, bool *valid)
{
    char *id = arena_strdup(x->a, v);
    idcard_normalize(id);
    if ((strchr(id, 'E') || strchr(id, 'e')) && strchr(id, '+')) {
        cell_error(x, w->line, C_IDNO,
                   "被表格软件转成了科学计数法，请把这一列设为「文本」后重新填写");
        return;
    }
    const char *why = NULL;
    if (!idcard_check(id, x->now, info, &why)) {
        /* "身份证号校验位错误" → "校验位错误": the column already says what it is */
        if (why && !strncmp(why, "身份证号", strlen("身份证号")) && why[strlen("身份证号")])
            why += strlen("身份证号");
        cell_error(x, w->line, C_IDNO, why ? why : "身份证号无效");
        return;
    }
    *valid = true;
    w->idno = id;
    bool found;
    int64_t *first = smap_slot(&x->ids, x->a, id, &found);
    if (found) {
        cell_error(x, w->line, C_IDNO, arena_printf(x->a, "与第%lld行重复", (long long)*first));
        return;
    }
    *first = w->line;
    int64_t holder = 0;
    const char *at = NULL;
    int taken = idno_taken(x, id, &holder, &at);
    if (taken < 0) x->dberr = true;
    if (taken <= 0) return;
    if (x->viewer && !(at && store_place_in_scope(x->d, x->viewer, CAP_PEOPLE_READ, at))) {
        cell_error(x, w->line, C_IDNO, "该身份证号已在其他社区登记");
        note_elsewhere(x, w, place, holder, at);
        return;
    }
    cell_error(x, w->line, C_IDNO,
               arena_printf(x->a, "该身份证号已在台账中登记（居民编号 %lld，导入不会覆盖已有记录）",
                            (long long)holder));
}

/* Party membership: branch, work unit and 双报到 only make sense for members. */
static void check_party(struct run *x, const struct csv_record *rec, const int *map, struct row *w)
{
    const int line = rec->line;
    const char *v;
    bool member_given = (v = cell(rec, map, C_MEMBER)) != NULL;
    if (member_given) {
        w->member_kind = vocab_id_for_label(&vocab_member_kinds, v);
        if (!w->member_kind)
            cell_error(x, line, C_MEMBER, "应为 居民党员、离退休党员、在职党员 或 流动党员");
    }
    /* an unknown kind is reported once, not again for every cell that depends on it */
    bool member_bad = member_given && !w->member_kind;
    bool in_service = w->member_kind && !strcmp(w->member_kind, "in_service");
    if ((v = cell(rec, map, C_BRANCH)) && !member_bad) {
        const char *why = NULL;
        if (!member_given)
            cell_error(x, line, C_BRANCH, "只有党员才填写所在支部（请先填写党员类别）");
        else if (text_ok(x, line, C_BRANCH, v, 100, false) &&
                 !(w->branch_id = branch_id(x, v, w->place, &why)))
            cell_error(x, line, C_BRANCH, why);
    }
    if ((v = cell(rec, map, C_WORK)) && !member_bad) {
        if (!in_service)
            cell_error(x, line, C_WORK, "只有在职党员填写工作单位（党员类别应为在职党员）");
        else if (text_ok(x, line, C_WORK, v, 100, false))
            w->work_unit = v;
    }
    if ((v = cell(rec, map, C_REPORTED)) && !member_bad) {
        char date[11];
        const char *why;
        if (!in_service) {
            cell_error(x, line, C_REPORTED, "只有在职党员填写双报到日期（党员类别应为在职党员）");
        } else if ((why = parse_date(v, x->now, date))) {
            cell_error(x, line, C_REPORTED, why);
        } else {
            w->reported_at = arena_strdup(x->a, date);
            /* 双报到 is registration at the community where the member lives */
            if (w->place) w->reported_community = community_of(x, w->place);
        }
    }
}

/* The list cells (特长, 关怀标签) and the note. */
static void check_lists(struct run *x, const struct csv_record *rec, const int *map, struct row *w)
{
    const int line = rec->line;
    const char *v;
    if ((v = cell(rec, map, C_SKILLS)) && text_ok(x, line, C_SKILLS, v, 200, false)) {
        const char **items;
        int n = split_list(x->a, v, &items);
        buf b = {0};
        for (int i = 0; i < n; i++) {
            if (i) buf_puts(&b, ",");
            buf_puts(&b, items[i]);
        }
        if (n) w->skills = arena_strdup(x->a, buf_cstr(&b));
        buf_free(&b);
    }

    if ((v = cell(rec, map, C_CARE))) {
        const char **items;
        int n = split_list(x->a, v, &items);
        w->tags = arena_alloc(x->a, (size_t)(n ? n : 1) * sizeof *w->tags);
        for (int i = 0; i < n; i++) {
            const char *tag = vocab_id_for_label(&vocab_care_tags, items[i]);
            if (!tag) {
                cell_error(x, line, C_CARE,
                           arena_printf(x->a,
                                        "未知的关怀标签「%s」（可用：困难家庭、流动人口、"
                                        "空巢老人、特殊人群、留守妇女儿童、信访群众、孤儿、"
                                        "事实无人抚养儿童、流动儿童、残疾儿童、低保家庭儿童、"
                                        "残疾人、低保）",
                                        items[i]));
                continue;
            }
            bool dup = false;
            for (int j = 0; j < w->ntags; j++) dup |= !strcmp(w->tags[j], tag);
            if (!dup) w->tags[w->ntags++] = tag;
        }
    }

    if ((v = cell(rec, map, C_NOTE)) && text_ok(x, line, C_NOTE, v, 500, true)) w->note = v;
}

/* Checks one data row into *w, reporting every bad cell. */
static void check_row(struct run *x, const struct csv_record *rec, const int *map, int ncols,
                      struct row *w)
{
    const int line = rec->line;
    memset(w, 0, sizeof *w);
    w->line = line;
    w->hukou = -1;
    for (int i = ncols; i < rec->nfields; i++)
        if (rec->fields[i][0]) {
            add_error(x, line, NULL, "这一行的字段比表头多（可能有未加引号的逗号）");
            break;
        }

    const char *v = cell(rec, map, C_NAME);
    if (!v)
        cell_error(x, line, C_NAME, "不能为空");
    else if (text_ok(x, line, C_NAME, v, 50, false))
        w->name = v;

    struct idcard_info info;
    bool id_valid = false;
    if ((v = cell(rec, map, C_IDNO)))
        check_idno(x, w, v, cell(rec, map, C_PLACE), &info, &id_valid);

    if ((v = cell(rec, map, C_SEX))) {
        const char *sex = parse_sex(v);
        if (!sex)
            cell_error(x, line, C_SEX, "应填写「男」或「女」");
        else if (id_valid && sex[0] != info.sex)
            cell_error(x, line, C_SEX,
                       info.sex == 'M' ? "与身份证号不一致（身份证号为男性）"
                                       : "与身份证号不一致（身份证号为女性）");
        else
            w->sex = sex;
    } else if (id_valid) {
        w->sex = info.sex == 'M' ? "M" : "F";
    }

    if ((v = cell(rec, map, C_BIRTH))) {
        char date[11];
        const char *why = parse_date(v, x->now, date);
        if (why)
            cell_error(x, line, C_BIRTH, why);
        else if (id_valid && strcmp(date, info.birth) != 0)
            cell_error(x, line, C_BIRTH,
                       arena_printf(x->a, "与身份证号中的出生日期（%s）不一致", info.birth));
        else
            w->birth = arena_strdup(x->a, date);
    } else if (id_valid) {
        w->birth = arena_strdup(x->a, info.birth);
    }

    if ((v = cell(rec, map, C_PHONE))) {
        char *p = arena_strdup(x->a, v), *o = p;
        for (const char *q = v; *q; q++)
            if (*q != ' ') *o++ = *q;
        *o = 0;
        if (!phone_valid(p))
            cell_error(x, line, C_PHONE, "格式不正确（应为11位手机号或带区号的固定电话）");
        else
            w->phone = p;
    }

    if (!(v = cell(rec, map, C_PLACE))) {
        cell_error(x, line, C_PLACE, "不能为空");
    } else if (strlen(v) > 40 || has_control(v) || !place_ok(x, v)) {
        cell_error(x, line, C_PLACE,
                   x->viewer ? "区划代码不存在或不在您的管辖范围内" : "区划代码不存在");
    } else {
        w->place = v;
    }

    if ((v = cell(rec, map, C_RELATION)) && text_ok(x, line, C_RELATION, v, 20, false))
        w->relation = v;

    if ((v = cell(rec, map, C_HUKOU))) {
        w->hukou = parse_hukou(v);
        if (w->hukou < 0) cell_error(x, line, C_HUKOU, "应填写「本地」或「外地」");
    }

    check_party(x, rec, map, w);
    check_lists(x, rec, map, w);
}

/* Maps header cells to columns; false when the file cannot be read further. */
static bool map_header(struct run *x, const struct csv_record *h, int *map)
{
    for (int c = 0; c < C__N; c++) map[c] = -1;
    for (int i = 0; i < h->nfields; i++) {
        const char *name = h->fields[i];
        size_t n = strlen(name);
        /* "姓名*" and "姓名（必填）" mark required columns in some templates */
        if (n > 1 && name[n - 1] == '*') name = arena_strndup(x->a, name, n - 1);
        const char *paren = strstr(name, "（");
        if (!paren) paren = strchr(name, '(');
        if (paren && paren > name) name = arena_strndup(x->a, name, (size_t)(paren - name));
        if (!*name) continue;
        int found = -1;
        for (int c = 0; c < C__N && found < 0; c++) {
            if (!strcmp(name, columns[c].zh) || !strcasecmp(name, columns[c].id)) found = c;
            for (int k = 0; k < 4 && columns[c].alias[k] && found < 0; k++)
                if (!strcmp(name, columns[c].alias[k])) found = c;
        }
        if (found < 0) {
            bool ignore = false;
            for (size_t k = 0; k < sizeof ignored_headers / sizeof *ignored_headers; k++)
                ignore |= !strcasecmp(name, ignored_headers[k]);
            if (!ignore)
                add_error(x, h->line, h->fields[i],
                          "无法识别的列名（请使用模板中的列名，见 /static/people-template.csv）");
            continue;
        }
        if (map[found] >= 0) {
            add_error(x, h->line, columns[found].zh, "列名重复");
            continue;
        }
        map[found] = i;
    }
    bool ok = true;
    static const enum col required[] = {C_NAME, C_PLACE};
    for (size_t k = 0; k < sizeof required / sizeof *required; k++)
        if (map[required[k]] < 0) {
            add_error(x, h->line, columns[required[k]].zh, "缺少必需的列");
            ok = false;
        }
    return ok;
}

/* Writes the buffered rows, people first (the others refer to them). */
static bool flush_all(db *d, bulk **b, int n)
{
    for (int i = 0; i < n; i++)
        if (bulk_pending(b[i]) && bulk_flush(b[i], d) < 0) return false;
    return true;
}

/* Inserts every row, inside the caller's transaction, and fills in its audit entry:
 * multi-row INSERTs (store/store_bulk.h) with the ids given here, after the
 * largest id, since nothing else can write meanwhile (SQLite: the
 * transaction's write lock; PostgreSQL: the table lock below). */
static int write_rows(struct run *x, const char *filename, struct row *rows, int n,
                      struct import_report *rep, struct svc_audit *au)
{
    db *d = x->d;
    int64_t base = bulk_people_lock_max_id(d);
    if (base < 0) goto fail;
    int64_t now = clock_now();
    enum { B_PEOPLE, B_MEMBERS, B_VOLUNTEERS, B_TAGS, B__N };
    bulk *b[B__N] = {bulk_new(BULK_PEOPLE), bulk_new(BULK_PARTY_MEMBERS), bulk_new(BULK_VOLUNTEERS),
                     bulk_new(BULK_CARE_TAGS)};
    size_t lcp = 0;
    for (int i = 0; i < n; i++) {
        struct row *w = &rows[i];
        int64_t id = base + 1 + i;
        BULK_ADD(b[B_PEOPLE], P_INT(id), P_TEXT(w->name), P_NTEXT(w->sex), P_NTEXT(w->birth),
                 P_NTEXT(w->idno), P_NTEXT(w->phone), P_TEXT(w->place),
                 w->hukou < 0 ? P_NULL : P_INT(w->hukou), P_NTEXT(w->relation), P_NTEXT(w->note),
                 P_INT(now), P_INT(now));
        if (w->member_kind) {
            BULK_ADD(b[B_MEMBERS], P_INT(id), P_TEXT(w->member_kind),
                     w->branch_id ? P_INT(w->branch_id) : P_NULL, P_NULL, P_NTEXT(w->work_unit),
                     P_NULL, P_NTEXT(w->reported_at), P_NTEXT(w->reported_community), P_NULL,
                     P_NULL);
            rep->party_members++;
        }
        if (w->skills) {
            BULK_ADD(b[B_VOLUNTEERS], P_INT(id), P_NULL, P_TEXT(w->skills));
            rep->volunteers++;
        }
        for (int t = 0; t < w->ntags; t++) BULK_ADD(b[B_TAGS], P_INT(id), P_TEXT(w->tags[t]));
        if ((i + 1) % WRITE_BATCH == 0 && !flush_all(d, b, B__N)) goto fail_bulk;
        /* longest common prefix of the place codes, for the audit entry's place */
        if (i == 0)
            lcp = strlen(w->place);
        else
            for (size_t k = 0; k < lcp; k++)
                if (w->place[k] != rows[0].place[k]) {
                    lcp = k;
                    break;
                }
    }
    if (!flush_all(d, b, B__N)) goto fail_bulk;
    for (int i = 0; i < B__N; i++) bulk_free(b[i]);
    if (bulk_sync_identity(d, "people") < 0) goto fail;
    {
        const char *prefix = n ? arena_strndup(x->a, rows[0].place, lcp) : NULL;
        const char *place = n ? store_place_covering(d, x->a, rows[0].place, prefix) : NULL;
        json_t *after = json_pack("{s:s?, s:s?, s:i, s:i, s:i}", "file", filename, "encoding",
                                  rep->encoding, "imported", n, "party_members", rep->party_members,
                                  "volunteers", rep->volunteers);
        char *after_s = after ? json_dumps(after, JSON_COMPACT) : NULL;
        json_decref(after);
        *au = (struct svc_audit){
            .action = "import",
            .entity = "people",
            .place_code = place,
            .after_json = after_s ? arena_strdup(x->a, after_s) : NULL,
            .note = arena_printf(x->a, "导入人员 %d 人（党员 %d 人，志愿者 %d 人），文件：%s", n,
                                 rep->party_members, rep->volunteers,
                                 filename ? filename : "（未命名）")};
        free(after_s);
    }
    rep->imported = n;
    return IMPORT_OK;
fail_bulk:
    for (int i = 0; i < B__N; i++) bulk_free(b[i]);
    if (db_last_code(d) == DB_CONSTRAINT) {
        /* every row was checked inside this transaction: only a broken
         * invariant of the ledger itself can get here */
        add_error(x, 0, NULL, "台账数据与导入内容冲突（身份证号重复或地址不存在），未导入任何数据");
        rep->party_members = rep->volunteers = 0;
        return IMPORT_INVALID;
    }
fail:
    fprintf(stderr, "linli: people import: %s\n", db_errmsg(d));
    rep->party_members = rep->volunteers = 0;
    return IMPORT_FAILED;
}

static int finish(struct run *x, struct import_report *rep, int rc)
{
    if (x->oom) {
        free(x->errs);
        return IMPORT_FAILED;
    }
    rep->nerrors = x->nerrs;
    rep->errors = arena_alloc(x->a, (size_t)(x->nerrs ? x->nerrs : 1) * sizeof *rep->errors);
    if (x->nerrs) memcpy(rep->errors, x->errs, (size_t)x->nerrs * sizeof *rep->errors);
    free(x->errs);
    if (rc == IMPORT_OK && x->nerrs) rc = IMPORT_INVALID;
    return rc;
}

int people_import(db *d, arena *a, const struct principal *who, const char *filename,
                  const char *data, size_t len, bool dry_run, struct import_report *rep)
{
    return people_import_limited(d, a, who, filename, data, len, PEOPLE_CSV_MAX_BYTES,
                                 PEOPLE_CSV_MAX_ROWS, dry_run, rep);
}

/* The import's transaction: every row checked and, unless dry_run or a row
 * is bad, written. Anything but a write answers a failure so that svc_tx
 * rolls the transaction back; rc tells the import's outcome. */
struct import_tx {
    struct run *x;
    const char *filename;
    const struct csv_table *t;
    const int *map;
    bool dry_run, wrote;
    struct import_report *rep;
    int rc;
};

static struct svc_result import_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    (void)d;
    (void)a;
    struct import_tx *c = ctx;
    struct run *x = c->x;
    const struct csv_table *t = c->t;
    int n = t->n - 1;
    smap_init(&x->places, x->a, (size_t)n);
    smap_init(&x->ids, x->a, (size_t)n);
    smap_init(&x->branches, x->a, (size_t)n);
    smap_init(&x->communities, x->a, (size_t)n);
    struct row *rows = arena_alloc(x->a, (size_t)n * sizeof *rows);
    for (int i = 0; i < n && !x->oom; i++)
        check_row(x, &t->recs[i + 1], c->map, t->recs[0].nfields, &rows[i]);
    c->rc = x->dberr ? IMPORT_FAILED : IMPORT_OK;
    if (!x->dberr && !x->nerrs && !x->oom && !c->dry_run) {
        c->rc = write_rows(x, c->filename, rows, n, c->rep, au);
        c->wrote = c->rc == IMPORT_OK;
    }
    return c->wrote ? (struct svc_result){0} : svc_fail(E_BAD_INPUT, NULL, NULL);
}

int people_import_limited(db *d, arena *a, const struct principal *who, const char *filename,
                          const char *data, size_t len, size_t max_bytes, int max_rows,
                          bool dry_run, struct import_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct run x = {.d = d, .a = a, .viewer = who ? who->account_id : 0, .now = clock_now()};
    if (x.viewer && !principal_has_cap(who, CAP_PEOPLE_IMPORT)) {
        add_error(&x, 0, NULL, "该账号没有导入人员的权限");
        return finish(&x, rep, IMPORT_INVALID);
    }
    const char *err = NULL;
    size_t tlen = 0;
    const char *text = people_csv_to_utf8(a, data, len, max_bytes, &tlen, &rep->encoding, &err);
    if (!text) {
        add_error(&x, 0, NULL, err);
        return finish(&x, rep, IMPORT_INVALID);
    }
    struct csv_table t;
    int err_line = 0;
    if (!people_csv_parse(a, text, tlen, max_rows > 0 ? max_rows + 1 : INT_MAX, &t, &err_line,
                          &err)) {
        add_error(&x, err_line, NULL, err);
        return finish(&x, rep, IMPORT_INVALID);
    }
    if (t.n < 2) {
        add_error(&x, 0, NULL, t.n ? "文件只有表头，没有数据行" : "文件是空的");
        return finish(&x, rep, IMPORT_INVALID);
    }
    int map[C__N];
    if (!map_header(&x, &t.recs[0], map)) return finish(&x, rep, IMPORT_INVALID);
    rep->rows = t.n - 1;
    /* The checks read the ledger inside the transaction that writes: one read
     * snapshot for all of them (not one per query), and no one can register
     * a checked 身份证号 before the write. */
    x.scratch = arena_new();
    struct import_tx c = {.x = &x,
                          .filename = filename,
                          .t = &t,
                          .map = map,
                          .dry_run = dry_run,
                          .rep = rep,
                          .rc = IMPORT_FAILED};
    struct svc_result res = svc_tx(d, a, who, "people import", import_tx, &c);
    arena_free(x.scratch);
    int rc = c.rc;
    if (res.err && c.wrote) { /* the audit entry or the commit failed */
        rep->imported = rep->party_members = rep->volunteers = 0;
        rc = IMPORT_FAILED;
    } else if (res.err) {
        rep->imported = 0;
        audit_elsewhere(&x, who, filename);
    }
    free(x.elsewhere);
    if (rc == IMPORT_FAILED) {
        free(x.errs);
        return IMPORT_FAILED;
    }
    return finish(&x, rep, rc);
}

const char *people_import_error_text(arena *a, const struct import_error *e)
{
    if (e->line > 0 && e->column)
        return arena_printf(a, "第%d行「%s」：%s", e->line, e->column, e->message);
    if (e->line > 0) return arena_printf(a, "第%d行：%s", e->line, e->message);
    return arena_strdup(a, e->message);
}
