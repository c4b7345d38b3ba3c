/* The people export: one scope-checked query (store_people_export_batch) read
 * in id-ordered batches, masked, written as CSV or through libxlsxwriter. See
 * people_export.h.
 *
 * libxlsxwriter writes to a file, so an .xlsx is built in a temporary file (in
 * constant-memory mode: rows go to disk as they come) and then streamed to the
 * sink, which lets a county's whole ledger leave without holding it twice. */
#include "io/people_export.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/mask.h"
#include "core/roles.h"
#include "core/vocab.h"
#include "store/store_people.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "util/buf.h"
#include "util/clock.h"

/* The export's columns and their widths in the workbook (in characters). */
static const struct {
    const char *zh;
    double width;
} cols[] = {
    {"姓名", 10},     {"性别", 6},        {"年龄", 6},      {"身份证号", 21},
    {"手机号", 14},   {"所在地代码", 18}, {"所在地", 16},   {"与户主关系", 10},
    {"户籍", 6},      {"党员类别", 11},   {"所在支部", 20}, {"工作单位", 20},
    {"报到日期", 12}, {"特长", 16},       {"关怀标签", 20}, {"备注", 30},
};
enum { NCOLS = (int)(sizeof cols / sizeof cols[0]) };

/* The export's audit entry. It is written before any row leaves, so an export
 * cut short (a closed pipe, a dropped connection) is still on record. */
static int audit_export(db *d, arena *a, const struct principal *who, const char *place,
                        enum export_format f, int64_t n)
{
    /* filed under the filter, or else under the place the viewer's rows share */
    const char *audit_place = place;
    const char *lo, *hi;
    if (!audit_place && n > 0 &&
        store_people_place_span(d, a, who ? who->account_id : 0, CAP_PEOPLE_READ, &lo, &hi)) {
        /* codes sort as paths: the common prefix of the extremes is everyone's */
        size_t k = 0;
        while (lo[k] && lo[k] == hi[k]) k++;
        audit_place = store_place_covering(d, a, lo, arena_strndup(a, lo, k));
    }
    json_t *after = json_pack("{s:s, s:I, s:s?}", "format", f == EXPORT_XLSX ? "xlsx" : "csv",
                              "rows", (json_int_t)n, "place", place);
    char *after_s = after ? json_dumps(after, JSON_COMPACT) : NULL;
    json_decref(after);
    const char *note = arena_printf(a, "导出人员 %lld 人（%s，身份证号与手机号已脱敏）",
                                    (long long)n, f == EXPORT_XLSX ? "Excel" : "CSV");
    int rc = audit_write(d, who, "export", "people", NULL, audit_place, NULL, after_s, note);
    free(after_s);
    return rc;
}

int people_export_format(const char *name)
{
    if (!name || !*name || !strcmp(name, "csv")) return EXPORT_CSV;
    if (!strcmp(name, "xlsx")) return EXPORT_XLSX;
    return -1;
}

const char *people_export_mime(enum export_format f)
{
    return f == EXPORT_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8";
}

const char *people_export_filename(arena *a, const char *place, enum export_format f)
{
    char day[32];
    clock_format_local(clock_now(), day); /* "2026-11-23 17:30" */
    return arena_printf(a, "people-%s%s%.4s%.2s%.2s.%s", place ? place : "", place ? "-" : "", day,
                        day + 5, day + 8, f == EXPORT_XLSX ? "xlsx" : "csv");
}

/* One row's cells, masked and in Chinese, in the arena. */
static void row_cells(arena *a, const struct person_export_row *r, time_t now,
                      const char *cells[NCOLS])
{
    char idm[64], phm[64];
    mask_id_number(r->p.id_number, idm, sizeof idm);
    mask_phone(r->p.phone, phm, sizeof phm);
    const char *sex = r->p.sex;
    int age = r->p.birth_date ? age_on(r->p.birth_date, now) : -1;
    const char *kind = r->member_kind;
    buf tags = {0};
    for (int k = 0; k < r->ntags; k++) {
        const char *label = vocab_label(&vocab_care_tags, r->tags[k]);
        if (k) buf_puts(&tags, "、");
        buf_puts(&tags, label ? label : r->tags[k]);
    }
    cells[0] = r->p.name;
    cells[1] = !sex ? NULL : !strcmp(sex, "M") ? "男" : !strcmp(sex, "F") ? "女" : NULL;
    cells[2] = age >= 0 ? arena_printf(a, "%d", age) : NULL;
    cells[3] = arena_strdup(a, idm);
    cells[4] = arena_strdup(a, phm);
    cells[5] = r->p.place_code;
    cells[6] = r->place_name;
    cells[7] = r->p.relation;
    cells[8] = r->p.hukou_local < 0 ? NULL : r->p.hukou_local == 1 ? "本地" : "外地";
    cells[9] =
        kind ? (vocab_label(&vocab_member_kinds, kind) ? vocab_label(&vocab_member_kinds, kind)
                                                       : kind)
             : NULL;
    cells[10] = r->branch_name;
    cells[11] = r->work_unit;
    cells[12] = r->reported_at;
    cells[13] = r->skills;
    cells[14] = tags.len ? arena_strdup(a, buf_cstr(&tags)) : NULL;
    cells[15] = r->p.note;
    buf_free(&tags);
}

/* Where rows go: CSV into a buffer flushed to the sink, or a worksheet. */
struct writer {
    enum export_format f;
    const struct export_sink *sink;
    buf csv;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_row_t row;
};

static int csv_flush(struct writer *w)
{
    int rc = w->csv.len ? w->sink->write(w->sink->ctx, w->csv.data, w->csv.len) : 0;
    buf_reset(&w->csv);
    return rc;
}

static void csv_row(struct writer *w, const char *const cells[NCOLS])
{
    for (int c = 0; c < NCOLS; c++) {
        if (c) buf_raw(&w->csv, ",", 1);
        buf_csv_field(&w->csv, cells[c]);
    }
    buf_raw(&w->csv, "\r\n", 2);
}

static int xlsx_row(struct writer *w, const char *const cells[NCOLS], lxw_format *fmt)
{
    if (w->row >= LXW_ROW_MAX) return -1;
    for (int c = 0; c < NCOLS; c++) {
        if (!cells[c]) continue;
        lxw_error e;
        /* age as a number so it sorts and sums; everything else as text, never a formula */
        if (c == 2 && fmt == NULL)
            e = worksheet_write_number(w->ws, w->row, (lxw_col_t)c, atof(cells[c]), NULL);
        else
            e = worksheet_write_string(w->ws, w->row, (lxw_col_t)c, cells[c], fmt);
        if (e != LXW_NO_ERROR) return -1;
    }
    w->row++;
    return 0;
}

/* Streams the finished workbook file to the sink. */
static int stream_file(const char *path, const struct export_sink *sink)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char chunk[65536];
    int rc = 0;
    for (size_t n; rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
        rc = sink->write(sink->ctx, chunk, n);
    if (ferror(f)) rc = -1;
    fclose(f);
    return rc;
}

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

err_code people_export(db *d, arena *a, const struct principal *who, const char *place,
                       enum export_format f, const struct export_sink *out, int *rows,
                       const char **err_zh)
{
    int64_t viewer = who ? who->account_id : 0;
    *rows = 0;
    *err_zh = NULL;
    if (place && !*place) place = NULL;
    if (place && !store_place_visible(d, a, viewer, CAP_PEOPLE_READ, place)) {
        *err_zh = "区划不存在或不在您的管辖范围内";
        return E_NOT_FOUND;
    }

    int64_t total = store_people_export_count(d, viewer, CAP_PEOPLE_READ, place);
    if (f == EXPORT_XLSX && total >= (int64_t)LXW_ROW_MAX) {
        *err_zh = "人数超过 Excel 工作表的行数上限，请按区划分批导出或改用 CSV";
        return E_BAD_INPUT;
    }
    if (total < 0 || audit_export(d, a, who, place, f, total) < 0) {
        *err_zh = "无法写入操作日志，导出已取消";
        return E_INTERNAL;
    }

    struct writer w = {.f = f, .sink = out};
    char path[512] = "";
    if (f == EXPORT_XLSX) {
        snprintf(path, sizeof path, "%s/linli-export-XXXXXX", tmp_dir());
        int fd = mkstemp(path);
        if (fd < 0) {
            *err_zh = "无法创建临时文件";
            return E_INTERNAL;
        }
        close(fd);
        char tmpdir[256];
        snprintf(tmpdir, sizeof tmpdir, "%s", tmp_dir());
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
        w.wb = workbook_new_opt(path, &opt);
        w.ws = w.wb ? workbook_add_worksheet(w.wb, "人员台账") : NULL;
        if (!w.ws) {
            if (w.wb) workbook_close(w.wb);
            unlink(path);
            *err_zh = "无法创建 Excel 文件";
            return E_INTERNAL;
        }
        w.bold = workbook_add_format(w.wb);
        format_set_bold(w.bold);
        for (int c = 0; c < NCOLS; c++)
            worksheet_set_column(w.ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
        worksheet_freeze_panes(w.ws, 1, 0);
    } else {
        buf_raw(&w.csv, "\xEF\xBB\xBF", 3); /* the BOM tells Excel it is UTF-8 */
    }
    const char *header[NCOLS];
    for (int c = 0; c < NCOLS; c++) header[c] = cols[c].zh;
    int rc = f == EXPORT_XLSX ? xlsx_row(&w, header, w.bold) : (csv_row(&w, header), 0);

    time_t now = clock_now();
    int64_t after = 0;
    int n = 0;
    while (rc == 0) {
        arena *ba = arena_new();
        struct person_export_row *r;
        int nr = store_people_export_batch(d, ba, viewer, CAP_PEOPLE_READ, place, after, &r);
        if (nr < 0) {
            arena_free(ba);
            rc = -1;
            break;
        }
        for (int i = 0; rc == 0 && i < nr; i++) {
            const char *cells[NCOLS];
            row_cells(ba, &r[i], now, cells);
            if (f == EXPORT_XLSX) {
                rc = xlsx_row(&w, cells, NULL);
                if (rc) *err_zh = "超过 Excel 工作表的行数上限，请按区划分批导出或改用 CSV";
            } else {
                csv_row(&w, cells);
            }
            n++;
        }
        if (rc == 0 && f == EXPORT_CSV) rc = csv_flush(&w);
        if (nr) after = r[nr - 1].id;
        bool more = nr == PEOPLE_EXPORT_BATCH;
        arena_free(ba);
        if (!more) break;
    }
    if (f == EXPORT_XLSX) {
        if (workbook_close(w.wb) != LXW_NO_ERROR) rc = -1;
        if (rc == 0) rc = stream_file(path, out);
        unlink(path);
    }
    buf_free(&w.csv);
    if (rc != 0) {
        if (!*err_zh) *err_zh = "导出失败";
        return E_INTERNAL;
    }

    *rows = n;
    return E_OK;
}
