/* The people ledger in SQL. See store_people.h.
 *
 * The single-resident read and the list are each ONE query: the four optional
 * records are LEFT JOINs on their primary keys and the care tags a correlated
 * aggregate over the care_tags primary key. The aggregate is the one place the
 * dialects differ (group_concat / string_agg), so those two statements exist
 * in two spellings built from one macro.
 *
 * The list walks the index people_place(place_code, id) in order, one walk
 * per subtree of the viewer's scope, read once per list (scope_ranges_of). */
#include "store/store_people.h"
#include "store/store_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/roles.h"
#include "store/scope.h"
#include "util/clock.h"

/* True for the command line (account 0) or when the viewer's grants cover the
 * column. Parameters: viewer, viewer, cap. */
#define PEOPLE_SCOPE(col) "(CAST(? AS BIGINT) = 0 OR" SCOPE_COVERS(col) ")"

#define AGG_SQLITE "group_concat(t.tag, ',')"
#define AGG_PG     "string_agg(t.tag, ',' ORDER BY t.tag)"
#define TAGS(agg)  "(SELECT " agg " FROM care_tags t WHERE t.person_id = p.id) AS care_tags"

static bool is_pg(db *d)
{
    return db_kind_of(d) == DB_PG;
}

/* These statement texts are macros, each in a SQLite and a PostgreSQL
 * spelling; they are laid out by hand (clang-format off). */
// clang-format off
#define PERSON_SQL(agg)                                                                       \
    "SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.place_code, "          \
    "pl.name AS place_name, pl.level AS place_level, p.hukou_local, p.relation, p.note, "     \
    "p.created_at, p.updated_at, " TAGS(agg) ", "                                             \
    "pm.kind AS member_kind, pm.branch_id, br.name AS branch_name, pm.joined_on, "            \
    "pm.work_unit, pm.work_org_id, wo.name AS work_org_name, pm.reported_at, "                \
    "pm.reported_community, rp.name AS reported_community_name, pm.pioneer_post, "            \
    "pm.duty_area, "                                                                          \
    "v.person_id AS volunteer_of, v.team_id, tm.name AS team_name, v.skills, "                \
    "pa.trade, pa.company, pa.duties, "                                                       \
    "cw.person_id AS worker_of, cw.community_code AS worker_community, "                      \
    "cp.name AS worker_community_name, cw.post, cw.grade, cw.certificate "                    \
    "FROM people p LEFT JOIN places pl ON pl.code = p.place_code "                            \
    "LEFT JOIN party_members pm ON pm.person_id = p.id "                                      \
    "LEFT JOIN organisations br ON br.id = pm.branch_id "                                     \
    "LEFT JOIN organisations wo ON wo.id = pm.work_org_id "                                   \
    "LEFT JOIN places rp ON rp.code = pm.reported_community "                                 \
    "LEFT JOIN volunteers v ON v.person_id = p.id "                                           \
    "LEFT JOIN organisations tm ON tm.id = v.team_id "                                        \
    "LEFT JOIN partners pa ON pa.person_id = p.id "                                           \
    "LEFT JOIN community_workers cw ON cw.person_id = p.id "                                  \
    "LEFT JOIN places cp ON cp.code = cw.community_code "                                     \
    "WHERE p.id = ? AND (p.id = ? OR " PEOPLE_SCOPE("p.place_code") ")"
// clang-format on

/* Columns of PERSON_SQL. */
enum person_col {
    PC_ID,
    PC_NAME,
    PC_SEX,
    PC_BIRTH_DATE,
    PC_ID_NUMBER,
    PC_PHONE,
    PC_PLACE_CODE,
    PC_PLACE_NAME,
    PC_PLACE_LEVEL,
    PC_HUKOU_LOCAL,
    PC_RELATION,
    PC_NOTE,
    PC_CREATED_AT,
    PC_UPDATED_AT,
    PC_CARE_TAGS,
    PC_MEMBER_KIND,
    PC_BRANCH_ID,
    PC_BRANCH_NAME,
    PC_JOINED_ON,
    PC_WORK_UNIT,
    PC_WORK_ORG_ID,
    PC_WORK_ORG_NAME,
    PC_REPORTED_AT,
    PC_REPORTED_COMMUNITY,
    PC_REPORTED_COMMUNITY_NAME,
    PC_PIONEER_POST,
    PC_DUTY_AREA,
    PC_VOLUNTEER_OF,
    PC_TEAM_ID,
    PC_TEAM_NAME,
    PC_SKILLS,
    PC_TRADE,
    PC_COMPANY,
    PC_DUTIES,
    PC_WORKER_OF,
    PC_WORKER_COMMUNITY,
    PC_WORKER_COMMUNITY_NAME,
    PC_POST,
    PC_GRADE,
    PC_CERTIFICATE,
};

/* The care tags of a comma-separated list of tag ids, in vocabulary order,
 * into *out: the count. */
static int care_tags_of(arena *a, const char *csv, const struct vocab_entry ***out)
{
    *out = NULL;
    if (!csv || !*csv) return 0;
    const struct vocab_entry **t = arena_alloc(a, sizeof *t * (size_t)vocab_care_tags.count);
    int n = 0;
    for (int i = 0; i < vocab_care_tags.count; i++) {
        const char *id = vocab_care_tags.entries[i].id;
        size_t len = strlen(id);
        for (const char *p = csv; *p;) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l == len && !memcmp(p, id, len)) {
                t[n++] = &vocab_care_tags.entries[i];
                break;
            }
            p = e ? e + 1 : p + l;
        }
    }
    *out = t;
    return n;
}

static struct person person_of(const db_rows *r)
{
#define G(c) db_get(r, 0, c)
#define N(c) db_get_int(r, 0, c)
    return (struct person){
        .id = N(PC_ID),
        .name = G(PC_NAME),
        .sex = G(PC_SEX),
        .birth_date = G(PC_BIRTH_DATE),
        .id_number = G(PC_ID_NUMBER),
        .phone = G(PC_PHONE),
        .place_code = G(PC_PLACE_CODE),
        .place_name = G(PC_PLACE_NAME),
        .place_level = G(PC_PLACE_LEVEL),
        .hukou_local = G(PC_HUKOU_LOCAL) ? (int)N(PC_HUKOU_LOCAL) : -1,
        .relation = G(PC_RELATION),
        .note = G(PC_NOTE),
        .created_at = N(PC_CREATED_AT),
        .updated_at = N(PC_UPDATED_AT),
        .party = {.kind = G(PC_MEMBER_KIND),
                  .branch_id = N(PC_BRANCH_ID),
                  .branch_name = G(PC_BRANCH_NAME),
                  .joined_on = G(PC_JOINED_ON),
                  .work_unit = G(PC_WORK_UNIT),
                  .work_org_id = N(PC_WORK_ORG_ID),
                  .work_org_name = G(PC_WORK_ORG_NAME),
                  .reported_at = G(PC_REPORTED_AT),
                  .reported_community = G(PC_REPORTED_COMMUNITY),
                  .reported_community_name = G(PC_REPORTED_COMMUNITY_NAME),
                  .pioneer_post = G(PC_PIONEER_POST),
                  .duty_area = G(PC_DUTY_AREA)},
        .volunteer = {.is = G(PC_VOLUNTEER_OF) != NULL,
                      .team_id = N(PC_TEAM_ID),
                      .team_name = G(PC_TEAM_NAME),
                      .skills = G(PC_SKILLS)},
        .partner = {.trade = G(PC_TRADE), .company = G(PC_COMPANY), .duties = G(PC_DUTIES)},
        .worker = {.is = G(PC_WORKER_OF) != NULL,
                   .community_code = G(PC_WORKER_COMMUNITY),
                   .community_name = G(PC_WORKER_COMMUNITY_NAME),
                   .post = G(PC_POST),
                   .grade = (int)N(PC_GRADE),
                   .certificate = G(PC_CERTIFICATE)},
    };
#undef G
#undef N
}

bool store_person_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t self_person,
                      int64_t id, struct person *out)
{
    db_param p[] = {P_INT(id), P_INT(self_person > 0 ? self_person : -1), P_INT(viewer),
                    P_INT(viewer), P_TEXT(cap)};
    db_rows *r = db_query(d, a, is_pg(d) ? PERSON_SQL(AGG_PG) : PERSON_SQL(AGG_SQLITE), 5, p);
    if (!r || !r->nrows) return false;
    if (out) {
        *out = person_of(r);
        out->ncare_tags = care_tags_of(a, db_get(r, 0, PC_CARE_TAGS), &out->care_tags);
    }
    return true;
}

/* The list reads the viewer's people.read ranges first (one small query, see
 * RANGES_SQL) and then walks the index people_place(place_code, id) inside
 * each range in turn, the range's bounds bound as parameters. Scope is still
 * decided in SQL by the grants tables; it just is not re-decided per row, and
 * the statement needs no temporary table (SQLite builds one, with a fresh page
 * cache, for every materialised CTE or view: that cost more than the rows). */
// clang-format off
#define LIST_COLS(agg)                                                                        \
    "SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.place_code, "          \
    "pl.name AS place_name, p.hukou_local, p.relation, pm.kind AS member_kind, " TAGS(agg)    \
    " FROM people p LEFT JOIN places pl ON pl.code = p.place_code "                           \
    "LEFT JOIN party_members pm ON pm.person_id = p.id "

/* One range of the walk: after (place, id), before the end place. */
#define LIST_SQL(agg, phone)                                                                  \
    LIST_COLS(agg)                                                                            \
    "WHERE (p.place_code, p.id) > (CAST(? AS TEXT), CAST(? AS BIGINT))"                       \
    " AND p.place_code < CAST(? AS TEXT)"                                                     \
    " AND (CAST(? AS TEXT) IS NULL OR p.name LIKE ? ESCAPE '\\')"                             \
    " AND (CAST(? AS TEXT) IS NULL OR p.name LIKE ? ESCAPE '\\')"                             \
    " AND " phone                                                                             \
    " AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM care_tags ct "                    \
    "WHERE ct.person_id = p.id AND ct.tag = ?))"                                              \
    " AND (CAST(? AS BIGINT) < 0 OR (CAST(? AS BIGINT) = 1 AND pm.person_id IS NOT NULL)"     \
    " OR (CAST(? AS BIGINT) = 0 AND pm.person_id IS NULL))"                                   \
    " AND (CAST(? AS TEXT) IS NULL OR pm.kind = ?)"                                           \
    " AND (CAST(? AS TEXT) IS NULL OR p.birth_date <= ?)"                                     \
    " AND (CAST(? AS BIGINT) < 0 OR p.hukou_local = ?)"                                       \
    " ORDER BY p.place_code, p.id LIMIT ?"
// clang-format on

/* The same walk with no filter: the list's first screen, the hot path. */
#define LIST_PLAIN_SQL(agg)                                                                        \
    LIST_COLS(agg)                                                                                 \
    "WHERE (p.place_code, p.id) > (CAST(? AS TEXT), CAST(? AS BIGINT))"                            \
    " AND p.place_code < CAST(? AS TEXT) ORDER BY p.place_code, p.id LIMIT ?"

/* The lower ends of the place subtrees the viewer holds cap over, through any
 * grant (the scope_ranges view; written so that no temporary table is made). */
#define RANGES_SQL                                                                                 \
    "SELECT s.lo FROM scope_ranges s WHERE s.account_id = ? AND EXISTS "                           \
    "(SELECT 1 FROM role_caps rc WHERE rc.role = s.role AND rc.cap = ?)"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The viewer's subtrees as disjoint ranges in code order: sorted, and a range
 * inside an earlier one (its code extends the earlier code) dropped. Returns
 * the count (≥ 0) or -1 on a database error; viewer 0 gets one range "". */
static int scope_ranges_of(db *d, arena *a, int64_t viewer, const char *cap, const char ***out)
{
    if (viewer == 0) {
        const char **all = arena_alloc(a, sizeof *all);
        all[0] = "";
        *out = all;
        return 1;
    }
    db_rows *r = DBQ(d, a, RANGES_SQL, P_INT(viewer), P_TEXT(cap));
    if (!r) return -1;
    const char **lo = arena_alloc(a, sizeof *lo * (size_t)(r->nrows ? r->nrows : 1));
    int n = 0;
    for (int i = 0; i < r->nrows; i++)
        if (db_get(r, i, 0)) lo[n++] = db_get(r, i, 0);
    qsort(lo, (size_t)n, sizeof *lo, cmp_str);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || strncmp(lo[i], lo[k - 1], strlen(lo[k - 1])) != 0) lo[k++] = lo[i];
    *out = lo;
    return k;
}

/* The phone condition: two parameters (the phone twice) either way. */
#define PHONE_ANY "(CAST(? AS TEXT) IS NULL OR p.phone = ?)"
#define PHONE_IS  "CAST(? AS TEXT) IS NOT NULL AND p.phone = ?"

static bool all_digits(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* Cursor text: hex of "PLACE_CODE.ID", so clients treat it as opaque. */
/* Columns of the list statements. */
enum person_list_col {
    PL_ID,
    PL_NAME,
    PL_SEX,
    PL_BIRTH_DATE,
    PL_ID_NUMBER,
    PL_PHONE,
    PL_PLACE_CODE,
    PL_PLACE_NAME,
    PL_HUKOU_LOCAL,
    PL_RELATION,
    PL_MEMBER_KIND,
    PL_CARE_TAGS,
};

/* List rows as structs (pointers into r's arena): the count, or -1. */
static int briefs_of(arena *a, const db_rows *r, struct person_brief **out)
{
    if (!r) return -1;
    struct person_brief *b = arena_alloc(a, sizeof *b * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) {
        const char *h = db_get(r, i, PL_HUKOU_LOCAL);
        b[i] = (struct person_brief){
            .id = db_get_int(r, i, PL_ID),
            .name = db_get(r, i, PL_NAME),
            .sex = db_get(r, i, PL_SEX),
            .birth_date = db_get(r, i, PL_BIRTH_DATE),
            .id_number = db_get(r, i, PL_ID_NUMBER),
            .phone = db_get(r, i, PL_PHONE),
            .place_code = db_get(r, i, PL_PLACE_CODE),
            .place_name = db_get(r, i, PL_PLACE_NAME),
            .hukou_local = h ? atoi(h) != 0 : -1,
            .relation = db_get(r, i, PL_RELATION),
            .member_kind = db_get(r, i, PL_MEMBER_KIND),
        };
        b[i].ncare_tags = care_tags_of(a, db_get(r, i, PL_CARE_TAGS), &b[i].care_tags);
    }
    *out = b;
    return r->nrows;
}

const char *store_people_cursor(arena *a, const struct person_brief *p)
{
    const char *raw =
        arena_printf(a, "%s.%lld", p->place_code ? p->place_code : "", (long long)p->id);
    size_t n = strlen(raw);
    char *out = arena_alloc(a, 2 * n + 1);
    static const char hex[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = hex[(unsigned char)raw[k] >> 4];
        out[2 * k + 1] = hex[(unsigned char)raw[k] & 15];
    }
    out[2 * n] = 0;
    return out;
}

/* Decodes a cursor into place (≤ 63 digits) and id; false when malformed. */
static bool cursor_decode(const char *c, char *place, size_t placesz, int64_t *id)
{
    size_t n = strlen(c);
    char raw[96];
    if (n == 0 || n % 2 || n / 2 >= sizeof raw) return false;
    for (size_t k = 0; k < n / 2; k++) {
        unsigned v;
        if (sscanf(c + 2 * k, "%2x", &v) != 1) return false;
        raw[k] = (char)v;
    }
    raw[n / 2] = 0;
    char *dot = strchr(raw, '.');
    if (!dot || (size_t)(dot - raw) >= placesz) return false;
    *dot = 0;
    if (!all_digits(dot + 1) || strlen(dot + 1) > 18 || (*raw && !all_digits(raw))) return false;
    memcpy(place, raw, (size_t)(dot - raw) + 1);
    *id = 0;
    for (const char *s = dot + 1; *s; s++) *id = *id * 10 + (*s - '0');
    return true;
}

bool store_people_cursor_valid(const char *cursor)
{
    char place[64];
    int64_t id;
    return !cursor || !*cursor || cursor_decode(cursor, place, sizeof place, &id);
}

/* Today minus `years` as YYYY-MM-DD (Beijing date): born on or before it means
 * aged `years` or more (a 29 February birthday counts from 1 March). */
static const char *birth_cutoff(arena *a, int years)
{
    int y, m, dd;
    idcard_today(clock_now(), &y, &m, &dd);
    return arena_printf(a, "%04d-%02d-%02d", y - years, m, dd);
}

/* rows[0..n) as one result: the first when it is the only one with rows. */
static db_rows *rows_concat(arena *a, db_rows **rows, int n)
{
    int total = 0, nonempty = 0, last = 0;
    for (int i = 0; i < n; i++)
        if (rows[i]->nrows) total += rows[i]->nrows, nonempty++, last = i;
    if (nonempty <= 1) return rows[nonempty ? last : 0];
    db_rows *out = arena_alloc(a, sizeof *out);
    *out = *rows[0];
    out->nrows = total;
    out->cells = arena_alloc(a, sizeof(char *) * (size_t)total * (size_t)out->ncols);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t cells = (size_t)rows[i]->nrows * (size_t)rows[i]->ncols;
        if (cells) memcpy(out->cells + at, rows[i]->cells, sizeof(char *) * cells);
        at += cells;
    }
    return out;
}

/* A list's filter values, as bound to LIST_SQL after the walk's bounds. */
struct list_args {
    const char *sql, *name, *qname, *born;
    const struct people_filter *f;
    bool plain; /* no filter at all: LIST_PLAIN_SQL */
};

/* Rows of one range: after (start, start_id), before hi, at most limit. */
static db_rows *list_range(db *d, arena *a, const struct list_args *l, const char *start,
                           int64_t start_id, const char *hi, int limit)
{
    const struct people_filter *f = l->f;
    if (l->plain) {
        db_param p[] = {P_TEXT(start), P_INT(start_id), P_TEXT(hi), P_INT(limit)};
        return db_query(d, a, is_pg(d) ? LIST_PLAIN_SQL(AGG_PG) : LIST_PLAIN_SQL(AGG_SQLITE), 4, p);
    }
    db_param p[] = {
        P_TEXT(start),         P_INT(start_id),       P_TEXT(hi),      /* the walk */
        P_NTEXT(l->name),      P_NTEXT(l->name),                       /* name */
        P_NTEXT(l->qname),     P_NTEXT(l->qname),                      /* q */
        P_OPT(f->phone),       P_OPT(f->phone),                        /* phone */
        P_OPT(f->care_tag),    P_OPT(f->care_tag),                     /* tag */
        P_INT(f->party),       P_INT(f->party),       P_INT(f->party), /* party */
        P_OPT(f->member_kind), P_OPT(f->member_kind),                  /* kind */
        P_NTEXT(l->born),      P_NTEXT(l->born),                       /* age */
        P_INT(f->hukou),       P_INT(f->hukou),                        /* 户籍 */
        P_INT(limit),
    };
    return db_query(d, a, l->sql, (int)(sizeof p / sizeof p[0]), p);
}

static db_rows *people_rows(db *d, arena *a, int64_t viewer, const struct people_filter *f)
{
    char cplace[64] = "";
    int64_t cid = 0;
    if (f->cursor && *f->cursor && !cursor_decode(f->cursor, cplace, sizeof cplace, &cid))
        return NULL;
    const char **ranges = NULL;
    int nranges = scope_ranges_of(d, a, viewer, CAP_PEOPLE_READ, &ranges);
    if (nranges < 0) return NULL;
    const bool place = f->place && *f->place;
    const char *place_end = place ? arena_printf(a, "%s:", f->place) : NULL;
    struct list_args l = {
        .name = store_like_pattern(a, f->name, f->name_contains),
        .qname = store_like_pattern(a, f->q, true),
        .born = f->min_age > 0 ? birth_cutoff(a, f->min_age) : NULL,
        .f = f,
    };
    /* an exact phone is looked up through its index (and the few rows sorted) */
    l.sql = f->phone && *f->phone
                ? (is_pg(d) ? LIST_SQL(AGG_PG, PHONE_IS) : LIST_SQL(AGG_SQLITE, PHONE_IS))
                : (is_pg(d) ? LIST_SQL(AGG_PG, PHONE_ANY) : LIST_SQL(AGG_SQLITE, PHONE_ANY));
    l.plain = !l.name && !l.qname && !(f->phone && *f->phone) && !(f->care_tag && *f->care_tag) &&
              f->party < 0 && !(f->member_kind && *f->member_kind) && !l.born && f->hukou < 0;
    const int limit = f->limit > 0 ? f->limit : 51;
    db_rows **parts = arena_alloc(a, sizeof *parts * (size_t)(nranges + 1));
    int nparts = 0, got = 0;
    /* each range is [lo, lo ":") cut to the place filter and started after the cursor */
    for (int i = 0; i < nranges && got < limit; i++) {
        const char *lo = ranges[i];
        const char *hi = *lo ? arena_printf(a, "%s:", lo) : "~";
        if (place && strcmp(f->place, lo) > 0) lo = f->place;
        if (place && strcmp(place_end, hi) < 0) hi = place_end;
        if (strcmp(lo, hi) >= 0 || strcmp(cplace, hi) >= 0) continue;
        bool after_cursor = strcmp(cplace, lo) >= 0;
        db_rows *r = list_range(d, a, &l, after_cursor ? cplace : lo, after_cursor ? cid : 0, hi,
                                limit - got);
        if (!r) return NULL;
        parts[nparts++] = r;
        got += r->nrows;
    }
    /* nothing in scope: the empty walk gives an empty result of the right shape */
    if (!nparts) return list_range(d, a, &l, "", 0, "", 1);
    return rows_concat(a, parts, nparts);
}

bool store_people_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                        struct people_place *out)
{
    if (!code || !*code) return false;
    db_rows *r =
        DBQ(d, a,
            "SELECT code, name, level, parent_code FROM places WHERE code = ? AND " PEOPLE_SCOPE(
                "code"),
            P_TEXT(code), P_INT(viewer), P_INT(viewer), P_TEXT(cap));
    if (!r || !r->nrows) return false;
    if (out)
        *out = (struct people_place){db_get(r, 0, 0), db_get(r, 0, 1), db_get(r, 0, 2),
                                     db_get(r, 0, 3)};
    return true;
}

// clang-format off
#define MEMBERS_SQL(agg)                                                                      \
    LIST_COLS(agg)                                                                            \
    "WHERE p.place_code = ? AND p.id > ? AND " PEOPLE_SCOPE("p.place_code")                   \
    " ORDER BY p.id LIMIT ?"
// clang-format on

int store_people_list(db *d, arena *a, int64_t viewer, const struct people_filter *f,
                      struct person_brief **out)
{
    return briefs_of(a, people_rows(d, a, viewer, f), out);
}

int store_household_members(db *d, arena *a, int64_t viewer, const char *code, int64_t after_id,
                            int limit, struct person_brief **out)
{
    db_param p[] = {P_TEXT(code),  P_INT(after_id),         P_INT(viewer),
                    P_INT(viewer), P_TEXT(CAP_PEOPLE_READ), P_INT(limit)};
    return briefs_of(
        a, db_query(d, a, is_pg(d) ? MEMBERS_SQL(AGG_PG) : MEMBERS_SQL(AGG_SQLITE), 6, p), out);
}

const char *store_people_org_kind(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id)
{
    /* an organisation is in scope when it sits in, or serves, a place in scope */
    db_rows *r =
        DBQ(d, a,
            "SELECT o.id, o.kind, o.name, o.place_code FROM organisations o WHERE o.id = ? "
            "AND (CAST(? AS BIGINT) = 0 OR " SCOPE_COVERS(
                "o.place_code") " OR EXISTS (SELECT 1 FROM org_places op WHERE op.org_id = o.id "
                                "AND " SCOPE_COVERS("op.place_code") "))",
            P_INT(org_id), P_INT(viewer), P_INT(viewer), P_TEXT(cap), P_INT(viewer), P_TEXT(cap));
    return r && r->nrows ? db_get(r, 0, 1) : NULL;
}

int64_t store_person_by_id_number(db *d, const char *id_number, int64_t except_id)
{
    return DBI(d, 0, "SELECT id FROM people WHERE id_number = ? AND id <> ?", P_TEXT(id_number),
               P_INT(except_id));
}

const char *store_person_place_code(db *d, arena *a, int64_t id)
{
    db_rows *r = DBQ(d, a, "SELECT place_code FROM people WHERE id = ?", P_INT(id));
    return r && r->nrows ? db_get(r, 0, 0) : NULL;
}

int store_reveal_count(db *d, arena *a, int64_t account, const char *day, struct reveal_count *out)
{
    int rc = DBX(d,
                 "INSERT INTO reveal_counts(account_id, day, n, recent, burst_alerted_at) "
                 "VALUES (?, ?, 0, '', 0) ON CONFLICT (account_id) DO NOTHING",
                 P_INT(account), P_TEXT(day));
    if (rc < 0) return rc;
    /* the UPDATE takes the row lock first: concurrent reveals of one account
     * count one after the other, on every store */
    db_rows *r = DBQ(d, a,
                     "UPDATE reveal_counts SET n = CASE WHEN day = ? THEN n + 1 ELSE 1 END, "
                     "day = ? WHERE account_id = ? "
                     "RETURNING n, recent, burst_alerted_at, limit_alerted_on",
                     P_TEXT(day), P_TEXT(day), P_INT(account));
    if (!r || !r->nrows) return r ? DB_ERROR : (db_last_code(d) ? db_last_code(d) : DB_ERROR);
    out->n = (int)db_get_int(r, 0, 0);
    out->recent = db_get(r, 0, 1) ? db_get(r, 0, 1) : "";
    out->burst_alerted_at = db_get_int(r, 0, 2);
    out->limit_alerted_on = db_get(r, 0, 3);
    return DB_OK;
}

int store_reveal_mark(db *d, int64_t account, const char *recent, int64_t burst_alerted_at,
                      const char *limit_alerted_on)
{
    return DBX(d,
               "UPDATE reveal_counts SET recent = ?, burst_alerted_at = ?, limit_alerted_on = ? "
               "WHERE account_id = ?",
               P_TEXT(recent), P_INT(burst_alerted_at), P_OPT(limit_alerted_on), P_INT(account));
}

int store_account_roles_over(db *d, arena *a, int64_t account, const char *cap, const char *place,
                             const char ***out, int *n)
{
    db_rows *r =
        DBQ(d, a,
            "SELECT DISTINCT s.role FROM scope_ranges s JOIN role_caps rc ON rc.role = s.role "
            "WHERE s.account_id = ? AND rc.cap = ? AND ? >= s.lo AND ? < s.lo || ':' "
            "ORDER BY s.role",
            P_INT(account), P_TEXT(cap), P_TEXT(place), P_TEXT(place));
    if (!r) return -1;
    const char **list = arena_alloc(a, sizeof *list * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) list[i] = db_get(r, i, 0);
    *out = list;
    *n = r->nrows;
    return 0;
}

db_rows *store_accounts_with_role_over(db *d, arena *a, const char *role, const char *place,
                                       int64_t skip, int *others)
{
    db_rows *r = DBQ(d, a,
                     "SELECT DISTINCT s.account_id FROM scope_ranges s "
                     "JOIN accounts ac ON ac.id = s.account_id "
                     "WHERE ac.disabled = 0 AND s.role = ? AND ? >= s.lo AND ? < s.lo || ':' "
                     "ORDER BY s.account_id",
                     P_TEXT(role), P_TEXT(place), P_TEXT(place));
    *others = 0;
    for (int i = 0; r && i < r->nrows; i++) *others += db_get_int(r, i, 0) != skip;
    return r;
}

int64_t store_person_insert(db *d, const struct person_row *p)
{
    arena *a = arena_new();
    int64_t now = clock_now();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO people(name, sex, birth_date, id_number, phone, place_code, "
                     "hukou_local, relation, note, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     P_TEXT(p->name), P_OPT(p->sex), P_OPT(p->birth_date), P_OPT(p->id_number),
                     P_OPT(p->phone), P_TEXT(p->place_code),
                     p->hukou_local < 0 ? P_NULL : P_INT(p->hukou_local), P_OPT(p->relation),
                     P_OPT(p->note), P_INT(now), P_INT(now));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : (db_last_code(d) ? db_last_code(d) : -1);
    arena_free(a);
    return id;
}

int store_person_update(db *d, int64_t id, const struct person_row *p)
{
    return DBX(
        d,
        "UPDATE people SET name = ?, sex = ?, birth_date = ?, id_number = ?, phone = ?, "
        "place_code = ?, hukou_local = ?, relation = ?, note = ?, updated_at = ? WHERE id = ?",
        P_TEXT(p->name), P_OPT(p->sex), P_OPT(p->birth_date), P_OPT(p->id_number), P_OPT(p->phone),
        P_TEXT(p->place_code), p->hukou_local < 0 ? P_NULL : P_INT(p->hukou_local),
        P_OPT(p->relation), P_OPT(p->note), P_INT(clock_now()), P_INT(id));
}

static db_param opt_id(int64_t id)
{
    return id > 0 ? P_INT(id) : P_NULL;
}

int store_party_member_put(db *d, int64_t person_id, const struct party_member_row *m)
{
    int rc = DBX(d, "DELETE FROM party_members WHERE person_id = ?", P_INT(person_id));
    if (rc < 0 || !m) return rc;
    return DBX(d,
               "INSERT INTO party_members(person_id, kind, branch_id, joined_on, work_unit, "
               "work_org_id, reported_at, reported_community, pioneer_post, duty_area) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               P_INT(person_id), P_TEXT(m->kind), opt_id(m->branch_id), P_OPT(m->joined_on),
               P_OPT(m->work_unit), opt_id(m->work_org_id), P_OPT(m->reported_at),
               P_OPT(m->reported_community), P_OPT(m->pioneer_post), P_OPT(m->duty_area));
}

int store_volunteer_put(db *d, int64_t person_id, const struct volunteer_row *v)
{
    int rc = DBX(d, "DELETE FROM volunteers WHERE person_id = ?", P_INT(person_id));
    if (rc < 0 || !v) return rc;
    return DBX(d, "INSERT INTO volunteers(person_id, team_id, skills) VALUES (?, ?, ?)",
               P_INT(person_id), opt_id(v->team_id), P_OPT(v->skills));
}

int store_partner_put(db *d, int64_t person_id, const struct partner_row *p)
{
    int rc = DBX(d, "DELETE FROM partners WHERE person_id = ?", P_INT(person_id));
    if (rc < 0 || !p) return rc;
    return DBX(d, "INSERT INTO partners(person_id, trade, company, duties) VALUES (?, ?, ?, ?)",
               P_INT(person_id), P_TEXT(p->trade), P_OPT(p->company), P_OPT(p->duties));
}

int store_worker_put(db *d, int64_t person_id, const struct worker_row *w)
{
    int rc = DBX(d, "DELETE FROM community_workers WHERE person_id = ?", P_INT(person_id));
    if (rc < 0 || !w) return rc;
    return DBX(d,
               "INSERT INTO community_workers(person_id, community_code, post, grade, certificate) "
               "VALUES (?, ?, ?, ?, ?)",
               P_INT(person_id), P_OPT(w->community_code), P_OPT(w->post),
               w->grade > 0 ? P_INT(w->grade) : P_NULL, P_OPT(w->certificate));
}

int store_care_tags_put(db *d, int64_t person_id, const char *const *tags, int n)
{
    int rc = DBX(d, "DELETE FROM care_tags WHERE person_id = ?", P_INT(person_id));
    for (int i = 0; rc >= 0 && i < n; i++)
        rc = DBX(d, "INSERT INTO care_tags(person_id, tag) VALUES (?, ?)", P_INT(person_id),
                 P_TEXT(tags[i]));
    return rc < 0 ? rc : DB_OK;
}

/* ---- for the people import and export ---- */

int store_person_holding_id_number(db *d, arena *a, const char *id_number, int64_t *id,
                                   const char **place_code)
{
    db_rows *r = DBQ(d, a, "SELECT id, place_code FROM people WHERE id_number = ? LIMIT 1",
                     P_TEXT(id_number));
    if (!r) return -1;
    if (!r->nrows) return 0;
    *id = db_get_int(r, 0, 0);
    *place_code = db_get(r, 0, 1);
    return 1;
}

static void org_ref_at(const db_rows *r, int i, struct org_ref *o)
{
    *o = (struct org_ref){db_get_int(r, i, 0), db_get(r, i, 1), db_get(r, i, 2)};
}

int store_org_ref(db *d, arena *a, int64_t id, struct org_ref *out)
{
    db_rows *r =
        DBQ(d, a, "SELECT id, kind, place_code FROM organisations WHERE id = ?", P_INT(id));
    if (!r) return -1;
    if (!r->nrows) return 0;
    org_ref_at(r, 0, out);
    return 1;
}

int store_party_orgs_named(db *d, arena *a, int64_t viewer, const char *cap, const char *name,
                           struct org_ref **out)
{
#define PARTY_ORGS_NAMED                                                                           \
    "SELECT id, kind, place_code FROM organisations WHERE name = ? AND kind IN "                   \
    "('party_committee', 'party_working_committee', 'community_party_committee', 'branch', "       \
    "'party_group') "
    db_rows *r =
        viewer == 0
            ? DBQ(d, a, PARTY_ORGS_NAMED "ORDER BY id LIMIT 50", P_TEXT(name))
            : DBQ(d, a, PARTY_ORGS_NAMED "AND " SCOPE_COVERS("place_code") " ORDER BY id LIMIT 50",
                  P_TEXT(name), P_INT(viewer), P_TEXT(cap));
#undef PARTY_ORGS_NAMED
    if (!r) return -1;
    *out = arena_alloc(a, (size_t)(r->nrows ? r->nrows : 1) * sizeof **out);
    for (int i = 0; i < r->nrows; i++) org_ref_at(r, i, &(*out)[i]);
    return r->nrows;
}

const char *store_place_covering(db *d, arena *a, const char *sample, const char *prefix)
{
    const char *code = sample;
    size_t plen = prefix ? strlen(prefix) : 0;
    for (int depth = 0; code && prefix && depth < 16; depth++) {
        size_t n = strlen(code);
        if (n <= plen && strncmp(prefix, code, n) == 0) return code;
        db_rows *r = DBQ(d, a, "SELECT parent_code FROM places WHERE code = ?", P_TEXT(code));
        code = r && r->nrows ? db_get(r, 0, 0) : NULL;
    }
    return NULL;
}

/* The people of a subtree (every parameter NULL: all), then the scope. */
#define EXPORT_SUBTREE                                                                             \
    "(CAST(? AS TEXT) IS NULL OR (p.place_code >= CAST(? AS TEXT) AND "                            \
    "p.place_code < CAST(? AS TEXT) || ':')) "
#define EXPORT_SELECT                                                                              \
    "SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.place_code, "               \
    "pl.name, p.hukou_local, p.relation, p.note, pm.kind, o.name, pm.work_unit, "                  \
    "pm.reported_at, v.skills FROM people p LEFT JOIN places pl ON pl.code = p.place_code "        \
    "LEFT JOIN party_members pm ON pm.person_id = p.id "                                           \
    "LEFT JOIN organisations o ON o.id = pm.branch_id "                                            \
    "LEFT JOIN volunteers v ON v.person_id = p.id WHERE p.id > ? AND " EXPORT_SUBTREE

static void export_row_at(const db_rows *r, int i, struct person_export_row *o)
{
    *o = (struct person_export_row){
        .id = db_get_int(r, i, 0),
        .p = {.name = db_get(r, i, 1),
              .sex = db_get(r, i, 2),
              .birth_date = db_get(r, i, 3),
              .id_number = db_get(r, i, 4),
              .phone = db_get(r, i, 5),
              .place_code = db_get(r, i, 6),
              .hukou_local = db_get(r, i, 8) ? (int)db_get_int(r, i, 8) : -1,
              .relation = db_get(r, i, 9),
              .note = db_get(r, i, 10)},
        .place_name = db_get(r, i, 7),
        .member_kind = db_get(r, i, 11),
        .branch_name = db_get(r, i, 12),
        .work_unit = db_get(r, i, 13),
        .reported_at = db_get(r, i, 14),
        .skills = db_get(r, i, 15)};
}

/* Hands out the care tags of rows[0..n) (person_id, tag rows in the same id order). */
static void export_attach_tags(arena *a, const db_rows *t, struct person_export_row *rows, int n)
{
    int ti = 0;
    for (int i = 0; i < n; i++) {
        struct person_export_row *o = &rows[i];
        for (; ti < t->nrows && db_get_int(t, ti, 0) < o->id; ti++) {
        }
        int first = ti;
        for (; ti < t->nrows && db_get_int(t, ti, 0) == o->id; ti++) {
        }
        o->ntags = ti - first;
        if (!o->ntags) continue;
        o->tags = arena_alloc(a, (size_t)o->ntags * sizeof *o->tags);
        for (int k = 0; k < o->ntags; k++) o->tags[k] = db_get(t, first + k, 1);
    }
}

int store_people_export_batch(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                              int64_t after, struct person_export_row **out)
{
    db_rows *r = viewer == 0 ? DBQ(d, a, EXPORT_SELECT "ORDER BY p.id LIMIT 1000", P_INT(after),
                                   P_NTEXT(place), P_NTEXT(place), P_NTEXT(place))
                             : DBQ(d, a,
                                   EXPORT_SELECT
                                   "AND " SCOPE_COVERS("p.place_code") "ORDER BY p.id LIMIT 1000",
                                   P_INT(after), P_NTEXT(place), P_NTEXT(place), P_NTEXT(place),
                                   P_INT(viewer), P_TEXT(cap));
    _Static_assert(PEOPLE_EXPORT_BATCH == 1000, "LIMIT 1000 above");
    if (!r) return -1;
    *out = arena_alloc(a, (size_t)(r->nrows ? r->nrows : 1) * sizeof **out);
    if (!r->nrows) return 0;
    for (int i = 0; i < r->nrows; i++) export_row_at(r, i, &(*out)[i]);
    /* the care tags of the same people: ids in (after, last] in the same scope */
    int64_t hi = (*out)[r->nrows - 1].id;
    db_rows *t =
        viewer == 0
            ? DBQ(d, a,
                  "SELECT c.person_id, c.tag FROM care_tags c WHERE c.person_id > ? AND "
                  "c.person_id <= ? ORDER BY c.person_id, c.tag",
                  P_INT(after), P_INT(hi))
            : DBQ(d, a,
                  "SELECT c.person_id, c.tag FROM care_tags c JOIN people p ON p.id = c.person_id "
                  "WHERE c.person_id > ? AND c.person_id <= ? AND " SCOPE_COVERS(
                      "p.place_code") "ORDER BY c.person_id, c.tag",
                  P_INT(after), P_INT(hi), P_INT(viewer), P_TEXT(cap));
    if (!t) return -1;
    export_attach_tags(a, t, *out, r->nrows);
    return r->nrows;
}

int64_t store_people_export_count(db *d, int64_t viewer, const char *cap, const char *place)
{
    if (viewer == 0)
        return DBI(d, -1, "SELECT COUNT(*) FROM people p WHERE " EXPORT_SUBTREE, P_NTEXT(place),
                   P_NTEXT(place), P_NTEXT(place));
    return DBI(d, -1,
               "SELECT COUNT(*) FROM people p WHERE " EXPORT_SUBTREE
               "AND " SCOPE_COVERS("p.place_code"),
               P_NTEXT(place), P_NTEXT(place), P_NTEXT(place), P_INT(viewer), P_TEXT(cap));
}

bool store_people_place_span(db *d, arena *a, int64_t viewer, const char *cap, const char **lo,
                             const char **hi)
{
    db_rows *r = viewer == 0 ? DBQ(d, a, "SELECT MIN(place_code), MAX(place_code) FROM people")
                             : DBQ(d, a,
                                   "SELECT MIN(p.place_code), MAX(p.place_code) FROM people p "
                                   "WHERE " SCOPE_COVERS("p.place_code"),
                                   P_INT(viewer), P_TEXT(cap));
    *lo = r && r->nrows ? db_get(r, 0, 0) : NULL;
    *hi = r && r->nrows ? db_get(r, 0, 1) : NULL;
    return *lo && *hi;
}
