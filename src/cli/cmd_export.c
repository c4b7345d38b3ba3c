/* linli export people — the people ledger as CSV (UTF-8 with BOM) or .xlsx,
 * masked, to a file or standard output (src/io/people_export.c does the work). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "io/order_import.h"
#include "io/people_export.h"
#include "util/clock.h"

static const char usage[] =
    "用法 usage:\n"
    "  linli export people [--place CODE] [--format csv|xlsx] [--out FILE] [--as USERNAME]\n"
    "                      [--db URL]\n\n"
    "导出人员台账（身份证号与手机号脱敏，出生日期以年龄给出）。CSV 为带 BOM 的 UTF-8，\n"
    "Excel 可直接打开；--place 只导出该区划及其下级；--out 省略时写到标准输出；\n"
    "未给 --format 时按 --out 的扩展名决定。命令行默认可导出全部数据，--as 则按该账号的\n"
    "管辖范围导出。每次导出都记入操作日志。\n"
    "Exports the people ledger (身份证号 and phones masked, birth dates as ages). CSV is\n"
    "UTF-8 with a BOM so Excel opens it; --place limits it to that place's subtree; without\n"
    "--out it goes to standard output; without --format the --out extension decides. The\n"
    "command line sees everything unless --as USERNAME applies that account's scope.\n"
    "Every export is written to the audit log.\n\n"
    "  linli export orders [--channel hotline_12345|hotline] [--since RFC3339] [--out FILE]\n"
    "      热线工单的办理结果（供热线系统回取）。The results of hotline orders, as CSV.\n";

static int to_file(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* linli export orders: the hotline's fetch-back as CSV (UTF-8 with BOM, for Excel). */
static int export_orders(int argc, char **argv)
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
    buf b = {0};
    int n;
    if (!cli_load_as(d, a, as, &me, &who)) {
        fprintf(stderr, "linli export orders: 账号不存在或已停用 no such account '%s'\n", as);
    } else if ((n = order_results_csv(d, a, who, channel, (int64_t)from, &b)) < 0) {
        fprintf(stderr, "linli export orders: 数据库错误 database error\n");
    } else {
        FILE *fp = out ? fopen(out, "wb") : stdout;
        if (fp && fwrite(b.data, 1, b.len, fp) == b.len && (fp == stdout || fclose(fp) == 0)) {
            fflush(stdout);
            fprintf(stderr, "linli: 已导出 %d 件 exported %d order(s)\n", n, n);
            rc = 0;
        } else {
            fprintf(stderr, "linli export orders: 无法写入 cannot write %s\n",
                    out ? out : "stdout");
        }
    }
    buf_free(&b);
    arena_free(a);
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "orders") == 0) return export_orders(argc - 1, argv + 1);
    const char *url = cli_db_url(&argc, argv);
    const char *place = cli_opt(&argc, argv, "--place");
    const char *format = cli_opt(&argc, argv, "--format");
    const char *out = cli_opt(&argc, argv, "--out");
    const char *as = cli_opt(&argc, argv, "--as");
    if (argc != 2 || strcmp(argv[1], "people") != 0) return cli_usage(usage);
    if (!format && out) {
        size_t n = strlen(out);
        format = n > 5 && !strcmp(out + n - 5, ".xlsx") ? "xlsx" : "csv";
    }
    int f = people_export_format(format);
    if (f < 0) {
        fprintf(stderr, "linli export: 格式应为 csv 或 xlsx / --format must be csv or xlsx\n");
        return 2;
    }
    if (f == EXPORT_XLSX && !out && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "linli export: 请用 --out 指定 .xlsx 文件 / use --out FILE for xlsx\n");
        return 2;
    }
    db *d = cli_open_db(url);
    arena *a = arena_new();
    int rc = 1;
    struct principal me = {0};
    const struct principal *who = NULL;
    FILE *fp = NULL;
    if (!cli_load_as(d, a, as, &me, &who)) {
        fprintf(stderr, "linli export: 账号不存在或已停用 no such account '%s'\n", as);
        goto done;
    }
    fp = out ? fopen(out, "wb") : stdout;
    if (!fp) {
        fprintf(stderr, "linli export: 无法写入 cannot write %s\n", out);
        goto done;
    }
    struct export_sink sink = {to_file, fp};
    int rows = 0;
    const char *why = NULL;
    err_code e = people_export(d, a, who, place, (enum export_format)f, &sink, &rows, &why);
    if (fp != stdout && fclose(fp) != 0 && e == E_OK) {
        e = E_INTERNAL;
        why = "写入文件失败";
    }
    fp = NULL;
    if (e != E_OK) {
        fprintf(stderr, "linli export: %s\n", why ? why : err_message_zh(e));
        if (out) unlink(out);
        goto done;
    }
    fflush(stdout);
    fprintf(stderr, "linli: 已导出 %d 人 exported %d people%s%s\n", rows, rows, out ? " → " : "",
            out ? out : "");
    rc = 0;
done:
    if (fp && fp != stdout) fclose(fp);
    arena_free(a);
    return rc;
}
COMMAND("export", cmd_export, "导出人员台账 / export the people ledger", usage);
