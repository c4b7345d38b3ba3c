/* Hotline / 12345 work orders: importing the hotline's CSV export
 * (`linli import orders`, POST /api/v1/orders/import) and exporting the
 * results it fetches back (`linli export orders`). Columns: 工单编号
 * (external_ref), 分类 (category code or name), 地址编码 (place code), 标题,
 * 内容, 联系电话, 紧急程度 (一般/紧急/特急 or normal/urgent/critical).
 *
 * Like the people import: UTF-8 (with or without BOM) or GB18030, every bad
 * cell reported with its line and column, all rows or none, dry run and real
 * run the same code inside one transaction (a dry run rolls back). Each order
 * goes through svc_order_create, so intake rules and scope are those of any
 * order. A 工单编号 already imported on the channel is skipped: importing the
 * same file again changes nothing. */
#ifndef LINLI_IO_ORDER_IMPORT_H
#define LINLI_IO_ORDER_IMPORT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "io/people_import.h" /* struct import_error, IMPORT_OK … */
#include "store/db.h"
#include "util/buf.h"

struct order_import_report {
    const char *encoding;
    int rows;         /* data rows read */
    int imported;     /* orders written (0 on a dry run or with errors) */
    int skipped;      /* rows whose 工单编号 was already imported */
    int would_import; /* rows that a real run imports */
    struct import_error *errors;
    int nerrors;
};

/* channel: hotline_12345 (default when NULL) or hotline. */
int order_import(db *d, arena *a, const struct principal *who, const char *channel,
                 const char *data, size_t len, bool dry_run, struct order_import_report *rep);

/* The results of the channel's orders updated since `since` (Unix seconds),
 * in who's scope (NULL: all), as the hotline fetches them back: CSV, UTF-8
 * with a BOM, appended to out. The number of orders, or -1 on error. */
int order_results_csv(db *d, arena *a, const struct principal *who, const char *channel,
                      int64_t since, buf *out);

#endif
