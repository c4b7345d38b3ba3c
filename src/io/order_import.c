/* Hotline / 12345 work-order import and result export; see order_import.h. */
#include "io/order_import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/people_csv.h"
#include "service/svc_orders.h"
#include "store/store_accounts.h"
#include "store/store_audit.h"
#include "store/store_hotline.h"
#include "util/buf.h"
#include "util/clock.h"

enum { COL_REF, COL_CAT, COL_PLACE, COL_TITLE, COL_DESC, COL_PHONE, COL_URGENCY, NCOLS };
static const char *const headers[NCOLS] = {"工单编号", "分类",     "地址编码", "标题",
                                           "内容",     "联系电话", "紧急程度"};
static const bool required[NCOLS] = {true, true, true, true, true, false, false};

struct errs {
    arena *a;
    struct order_import_report *rep;
    int cap;
};

static void add_error(struct errs *e, int line, const char *column, const char *msg)
{
    struct order_import_report *rep = e->rep;
    if (rep->nerrors == e->cap) {
        int cap = e->cap ? e->cap * 2 : 16;
        struct import_error *n = arena_alloc(e->a, sizeof *n * (size_t)cap);
        if (rep->nerrors) memcpy(n, rep->errors, sizeof *n * (size_t)rep->nerrors);
        rep->errors = n;
        e->cap = cap;
    }
    rep->errors[rep->nerrors++] = (struct import_error){line, column, msg};
}

/* 一般/紧急/特急 (or the ids); NULL when not one of them. */
static const char *urgency_of(const char *s)
{
    if (!s || !*s || !strcmp(s, "一般") || !strcmp(s, "普通") || !strcmp(s, "normal"))
        return "normal";
    if (!strcmp(s, "紧急") || !strcmp(s, "urgent")) return "urgent";
    if (!strcmp(s, "特急") || !strcmp(s, "非常紧急") || !strcmp(s, "critical")) return "critical";
    return NULL;
}

/* The column of a service error's field. */
static const char *column_of(const char *field)
{
    static const char *const fields[NCOLS] = {"external_ref", "category_code", "place_code",
                                              "title",        "description",   "contact_phone",
                                              "urgency"};
    for (int i = 0; field && i < NCOLS; i++)
        if (!strcmp(field, fields[i])) return headers[i];
    return NULL;
}

int order_import(db *d, arena *a, const struct principal *who, const char *channel,
                 const char *data, size_t len, bool dry_run, struct order_import_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct errs e = {a, rep, 0};
    if (!channel || !*channel) channel = "hotline_12345";
    if (strcmp(channel, "hotline_12345") != 0 && strcmp(channel, "hotline") != 0) {
        add_error(&e, 0, NULL, "来源渠道应为 hotline_12345（12345热线）或 hotline（服务热线）");
        return IMPORT_INVALID;
    }
    const char *why = NULL;
    size_t tlen = 0;
    const char *text =
        people_csv_to_utf8(a, data, len, PEOPLE_CSV_MAX_BYTES, &tlen, &rep->encoding, &why);
    struct csv_table t = {0};
    int line = 0;
    if (!text || !people_csv_parse(a, text, tlen, PEOPLE_CSV_MAX_ROWS + 1, &t, &line, &why)) {
        add_error(&e, line, NULL, why);
        return IMPORT_INVALID;
    }
    if (t.n == 0) {
        add_error(&e, 0, NULL, "文件是空的");
        return IMPORT_INVALID;
    }
    int col[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        col[c] = -1;
        for (int i = 0; i < t.recs[0].nfields; i++)
            if (!strcmp(t.recs[0].fields[i], headers[c])) col[c] = i;
        if (col[c] < 0 && required[c])
            add_error(&e, t.recs[0].line, headers[c], arena_printf(a, "缺少「%s」列", headers[c]));
    }
    if (rep->nerrors) return IMPORT_INVALID;
    rep->rows = t.n - 1;
    if (db_begin(d) < 0) return IMPORT_FAILED;
    const char **seen = arena_alloc(a, sizeof *seen * (size_t)(t.n + 1));
    int nseen = 0;
    for (int i = 1; i < t.n; i++) {
        const struct csv_record *rec = &t.recs[i];
        const char *v[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            v[c] = col[c] >= 0 && col[c] < rec->nfields ? rec->fields[col[c]] : "";
        int before = rep->nerrors;
        for (int c = 0; c < NCOLS; c++)
            if (required[c] && !*v[c])
                add_error(&e, rec->line, headers[c], arena_printf(a, "请填写%s", headers[c]));
        if (rep->nerrors > before) continue;
        bool dup = false;
        for (int k = 0; k < nseen && !dup; k++) dup = !strcmp(seen[k], v[COL_REF]);
        if (dup) {
            add_error(&e, rec->line, headers[COL_REF], "工单编号在文件中重复");
            continue;
        }
        seen[nseen++] = v[COL_REF];
        if (store_hotline_find(d, channel, v[COL_REF]) > 0) {
            rep->skipped++; /* imported before: the hotline sent it again */
            continue;
        }
        const char *cat = store_hotline_category(d, a, v[COL_CAT]);
        if (!cat) {
            add_error(&e, rec->line, headers[COL_CAT], "事项分类不存在（填写分类代码或名称）");
            continue;
        }
        const char *urg = urgency_of(v[COL_URGENCY]);
        if (!urg) {
            add_error(&e, rec->line, headers[COL_URGENCY], "紧急程度应为 一般、紧急 或 特急");
            continue;
        }
        struct order_intake in = {.channel = channel,
                                  .category_code = cat,
                                  .place_code = v[COL_PLACE],
                                  .contact_phone = v[COL_PHONE],
                                  .title = v[COL_TITLE],
                                  .description = v[COL_DESC],
                                  .urgency = urg,
                                  .external_ref = v[COL_REF]};
        struct svc_result r = svc_order_create(d, a, who, &in);
        if (r.err == E_INTERNAL || r.err == E_UNAVAILABLE) {
            while (db_in_tx(d)) db_rollback(d);
            return IMPORT_FAILED;
        }
        if (r.err) {
            add_error(&e, rec->line, column_of(r.field),
                      r.message ? r.message : err_message_zh(r.err));
            continue;
        }
        rep->would_import++;
    }
    if (rep->nerrors || dry_run) {
        db_rollback(d);
        return rep->nerrors ? IMPORT_INVALID : IMPORT_OK;
    }
    json_t *after = json_pack("{s:s, s:i, s:i, s:i}", "channel", channel, "rows", rep->rows,
                              "imported", rep->would_import, "skipped", rep->skipped);
    char *aj = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    int w = audit_write(d, who, "import", "orders", NULL, NULL, NULL, aj, NULL);
    free(aj);
    if (w < 0 || db_commit(d) < 0) {
        while (db_in_tx(d)) db_rollback(d);
        return IMPORT_FAILED;
    }
    rep->imported = rep->would_import;
    return IMPORT_OK;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    buf b = {0};
    char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) buf_raw(&b, chunk, n);
    bool bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    buf_raw(&b, "", 1); /* a NUL after the data, and a non-NULL pointer for an empty file */
    return b.data;
}

/* --as USERNAME: that account's scope; else the trusted command line. */
static bool load_as(db *d, arena *a, const char *as, struct principal *me,
                    const struct principal **who)
{
    *who = NULL;
    if (!as) return true;
    db_rows *acc = store_account_by_username(d, a, as);
    if (!acc || !store_principal_load(d, a, db_get_int(acc, 0, 0), me)) return false;
    *who = me;
    return true;
}

int import_orders_main(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    const char *as = cli_opt(&argc, argv, "--as");
    const char *channel = cli_opt(&argc, argv, "--channel");
    bool dry_run = cli_flag(&argc, argv, "--dry-run");
    if (argc != 2) {
        fprintf(stderr, "用法 usage: linli import orders FILE [--channel hotline_12345|hotline] "
                        "[--dry-run] [--db URL] [--as USERNAME]\n");
        return 2;
    }
    size_t len = 0;
    char *data = read_file(argv[1], &len);
    if (!data) {
        fprintf(stderr, "linli import orders: 无法读取文件 cannot read %s\n", argv[1]);
        return 1;
    }
    db *d = cli_open_db(url);
    arena *a = arena_new();
    struct principal me = {0};
    const struct principal *who = NULL;
    int rc = 1;
    if (!load_as(d, a, as, &me, &who)) {
        fprintf(stderr, "linli import orders: 账号不存在或已停用 no such account '%s'\n", as);
        goto out;
    }
    struct order_import_report rep;
    int res = order_import(d, a, who, channel, data, len, dry_run, &rep);
    if (res == IMPORT_FAILED) {
        fprintf(stderr, "linli import orders: 数据库错误，未导入任何数据 database error\n");
        goto out;
    }
    for (int i = 0; i < rep.nerrors; i++)
        fprintf(stderr, "%s\n", people_import_error_text(a, &rep.errors[i]));
    if (res == IMPORT_INVALID) {
        fprintf(stderr,
                "linli: 发现 %d 处错误，未导入任何数据。found %d error(s); nothing imported.\n",
                rep.nerrors, rep.nerrors);
        goto out;
    }
    printf("linli: %s：共 %d 行，%s %d 件，已导入过而跳过 %d 件。\n"
           "%s: %d row(s), %s %d, skipped (already imported) %d.\n",
           dry_run ? "检查通过" : "导入完成", rep.rows, dry_run ? "可导入" : "导入",
           rep.would_import, rep.skipped, dry_run ? "check passed" : "imported", rep.rows,
           dry_run ? "would import" : "imported", rep.would_import, rep.skipped);
    rc = 0;
out:
    arena_free(a);
    free(data);
    return rc;
}

/* The hotline's fetch-back as CSV (UTF-8 with BOM, for Excel). */
int export_orders_main(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    const char *as = cli_opt(&argc, argv, "--as");
    const char *channel = cli_opt(&argc, argv, "--channel");
    const char *since = cli_opt(&argc, argv, "--since");
    const char *out = cli_opt(&argc, argv, "--out");
    if (argc != 1) {
        fprintf(stderr, "用法 usage: linli export orders [--channel hotline_12345|hotline] "
                        "[--since RFC3339] [--out FILE] [--db URL] [--as USERNAME]\n");
        return 2;
    }
    time_t from = 0;
    if (since && !clock_parse_rfc3339(since, &from)) {
        fprintf(stderr,
                "linli export orders: --since 应为 RFC 3339 时间，如 2026-11-23T00:00:00Z\n");
        return 2;
    }
    db *d = cli_open_db(url);
    arena *a = arena_new();
    struct principal me = {0};
    const struct principal *who = NULL;
    int rc = 1;
    if (!load_as(d, a, as, &me, &who)) {
        fprintf(stderr, "linli export orders: 账号不存在或已停用 no such account '%s'\n", as);
        goto done;
    }
    db_rows *r = store_hotline_results(d, a, who ? who->account_id : 0,
                                       channel && *channel ? channel : "hotline_12345",
                                       (int64_t)from, 0, 0, 100000000);
    if (!r) {
        fprintf(stderr, "linli export orders: 数据库错误 database error\n");
        goto done;
    }
    buf b = {0};
    buf_puts(
        &b,
        "\xEF\xBB\xBF工单编号,本系统工单号,状态,办结结果类型,办理结果,办结时间,评价,更新时间\r\n");
    for (int i = 0; i < r->nrows; i++) {
        const int cols[] = {HL_EXTERNAL_REF, HL_CODE, HL_STATE, HL_OUTCOME, HL_RESULT};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            buf_csv_field(&b, db_get(r, i, cols[c]) ? db_get(r, i, cols[c]) : "");
            buf_puts(&b, ",");
        }
        char ts[32] = "";
        if (db_get(r, i, HL_RESOLVED_AT))
            clock_format_rfc3339((time_t)db_get_int(r, i, HL_RESOLVED_AT), ts);
        buf_csv_field(&b, ts);
        buf_puts(&b, ",");
        buf_csv_field(&b, db_get(r, i, HL_RATING) ? db_get(r, i, HL_RATING) : "");
        buf_puts(&b, ",");
        clock_format_rfc3339((time_t)db_get_int(r, i, HL_UPDATED_AT), ts);
        buf_csv_field(&b, ts);
        buf_puts(&b, "\r\n");
    }
    FILE *fp = out ? fopen(out, "wb") : stdout;
    if (fp && fwrite(b.data, 1, b.len, fp) == b.len && (fp == stdout || fclose(fp) == 0)) {
        fflush(stdout);
        fprintf(stderr, "linli: 已导出 %d 件 exported %d order(s)\n", r->nrows, r->nrows);
        rc = 0;
    } else {
        fprintf(stderr, "linli export orders: 无法写入 cannot write %s\n", out ? out : "stdout");
    }
    buf_free(&b);
done:
    arena_free(a);
    return rc;
}
