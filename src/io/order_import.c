/* Hotline / 12345 work-order import and result export; see order_import.h. */
#include "io/order_import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/people_csv.h"
#include "service/svc_orders.h"
#include "service/svc_tx.h"
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

/* The rows of the import, each through svc_order_create inside the import's
 * transaction; a bad row is reported. E_INTERNAL or E_UNAVAILABLE when the
 * store failed, else 0. */
static err_code import_rows(db *d, arena *a, const struct principal *who, const char *channel,
                            const struct csv_table *t, const int col[NCOLS], struct errs *e)
{
    struct order_import_report *rep = e->rep;
    const char **seen = arena_alloc(a, sizeof *seen * (size_t)(t->n + 1));
    int nseen = 0;
    for (int i = 1; i < t->n; i++) {
        const struct csv_record *rec = &t->recs[i];
        const char *v[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            v[c] = col[c] >= 0 && col[c] < rec->nfields ? rec->fields[col[c]] : "";
        int before = rep->nerrors;
        for (int c = 0; c < NCOLS; c++)
            if (required[c] && !*v[c])
                add_error(e, rec->line, headers[c], arena_printf(a, "请填写%s", headers[c]));
        if (rep->nerrors > before) continue;
        bool dup = false;
        for (int k = 0; k < nseen && !dup; k++) dup = !strcmp(seen[k], v[COL_REF]);
        if (dup) {
            add_error(e, rec->line, headers[COL_REF], "工单编号在文件中重复");
            continue;
        }
        seen[nseen++] = v[COL_REF];
        if (store_hotline_find(d, channel, v[COL_REF]) > 0) {
            rep->skipped++; /* imported before: the hotline sent it again */
            continue;
        }
        const char *cat = store_hotline_category(d, a, v[COL_CAT]);
        if (!cat) {
            add_error(e, rec->line, headers[COL_CAT], "事项分类不存在（填写分类代码或名称）");
            continue;
        }
        const char *urg = urgency_of(v[COL_URGENCY]);
        if (!urg) {
            add_error(e, rec->line, headers[COL_URGENCY], "紧急程度应为 一般、紧急 或 特急");
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
        if (r.err == E_INTERNAL || r.err == E_UNAVAILABLE) return r.err;
        if (r.err) {
            add_error(e, rec->line, column_of(r.field),
                      r.message ? r.message : err_message_zh(r.err));
            continue;
        }
        rep->would_import++;
    }
    return E_OK;
}

struct order_tx {
    const struct principal *who;
    const char *channel;
    const struct csv_table *t;
    const int *col;
    struct errs *e;
    bool dry_run, wrote;
    int rc;
};

/* The import's transaction: anything but a real run without errors answers
 * a failure, so that svc_tx rolls it back; rc tells the outcome. */
static struct svc_result order_tx(db *d, arena *a, void *ctx, struct svc_audit *au)
{
    struct order_tx *x = ctx;
    struct order_import_report *rep = x->e->rep;
    err_code err = import_rows(d, a, x->who, x->channel, x->t, x->col, x->e);
    if (err) return svc_fail(err, NULL, NULL);
    if (rep->nerrors || x->dry_run) {
        x->rc = rep->nerrors ? IMPORT_INVALID : IMPORT_OK;
        return svc_fail(E_BAD_INPUT, NULL, NULL);
    }
    json_t *after = json_pack("{s:s, s:i, s:i, s:i}", "channel", x->channel, "rows", rep->rows,
                              "imported", rep->would_import, "skipped", rep->skipped);
    char *aj = json_dumps(after, JSON_COMPACT);
    json_decref(after);
    *au = (struct svc_audit){
        .action = "import", .entity = "orders", .after_json = aj ? arena_strdup(a, aj) : NULL};
    free(aj);
    x->wrote = true;
    return (struct svc_result){0};
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
    struct order_tx x = {.who = who,
                         .channel = channel,
                         .t = &t,
                         .col = col,
                         .e = &e,
                         .dry_run = dry_run,
                         .rc = IMPORT_FAILED};
    struct svc_result res = svc_tx(d, a, who, "order import", order_tx, &x);
    if (res.err) return x.wrote ? IMPORT_FAILED : x.rc;
    rep->imported = rep->would_import;
    return IMPORT_OK;
}

int order_results_csv(db *d, arena *a, const struct principal *who, const char *channel,
                      int64_t since, buf *out)
{
    struct hotline_result *r;
    int n = store_hotline_results(d, a, who ? who->account_id : 0,
                                  channel && *channel ? channel : "hotline_12345", since, 0, 0,
                                  100000000, &r);
    if (n < 0) return -1;
    buf_puts(
        out,
        "\xEF\xBB\xBF工单编号,本系统工单号,状态,办结结果类型,办理结果,办结时间,评价,更新时间\r\n");
    for (int i = 0; i < n; i++) {
        const char *cols[] = {r[i].external_ref, r[i].code, r[i].state, r[i].outcome, r[i].result};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            buf_csv_field(out, cols[c] ? cols[c] : "");
            buf_puts(out, ",");
        }
        char ts[32] = "";
        if (r[i].resolved_at) clock_format_rfc3339((time_t)r[i].resolved_at, ts);
        buf_csv_field(out, ts);
        buf_puts(out, ",");
        buf_csv_field(out, r[i].rating ? r[i].rating : "");
        buf_puts(out, ",");
        clock_format_rfc3339((time_t)r[i].updated_at, ts);
        buf_csv_field(out, ts);
        buf_puts(out, "\r\n");
    }
    return n;
}
