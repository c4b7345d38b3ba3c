/* linli tick: one run of the scheduler's jobs and of the webhook sender, for
 * tests and for cron when no server runs the background threads. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "service/svc_order_stats.h"
#include "service/svc_scheduler.h"
#include "service/svc_webhooks.h"
#include "util/clock.h"

static int cmd_tick(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    const char *warn = cli_opt(&argc, argv, "--warn-percent");
    const char *days = cli_opt(&argc, argv, "--close-days");
    if (warn) cfg.warn_percent = atoi(warn);
    if (days) cfg.unrated_close_days = atoi(days);
    if (argc > 1 || cfg.warn_percent < 1 || cfg.warn_percent > 99 || cfg.unrated_close_days < 1) {
        fprintf(stderr, "linli tick: 参数无效 invalid arguments\n");
        return 2;
    }
    svc_scheduler_configure(&cfg);
    db *d = cli_open_db(url);
    arena *a = arena_new();
    buf log = {0};
    time_t now = clock_now();
    int n = svc_scheduler_tick_log(d, a, now, &log);
    int m = svc_webhooks_deliver(d, a, now, &log);
    long f = svc_order_stats_fold(d); /* the queued 三率 changes */
    if (f > 0) printf("stats folded %ld\n", f);
    fputs(buf_cstr(&log), stdout);
    printf("linli: 定时任务 %d 项，推送 %d 次 tick: %d action(s), %d delivery attempt(s)\n",
           n < 0 ? 0 : n, m < 0 ? 0 : m, n < 0 ? 0 : n, m < 0 ? 0 : m);
    buf_free(&log);
    arena_free(a);
    return n < 0 || m < 0 || f < 0 ? 1 : 0;
}
COMMAND(
    "tick", cmd_tick, "执行一次定时任务 / run the timers once",
    "用法 usage: linli tick [--db URL] [--warn-percent 80] [--close-days 7]\n\n"
    "执行一次预警、超时上报、逾期未评价自动关闭，并推送到期的 Webhook 消息；每项动作打印一行。\n"
    "Runs the scheduler's jobs once (warnings, breach escalation, automatic close of unrated\n"
    "orders) and delivers the due webhook messages; prints one line per action.\n"
    "  --warn-percent N   预警比例 warning share of the limits (default 80, or "
    "LINLI_WARN_PERCENT)\n"
    "  --close-days N     未评价自动关闭天数 days before unrated orders close (default 7, or "
    "LINLI_UNRATED_CLOSE_DAYS)\n");
