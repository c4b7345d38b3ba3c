/* linli serve | init | migrate | version */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "cli/cli.h"
#include "http/http.h"
#include "http/response_cache.h"
#include "pages/layout.h"
#include "service/svc_categories.h"
#include "service/svc_scheduler.h"
#include "service/svc_workers.h"
#include "store/migrate.h"

#ifndef LINLI_VERSION
#define LINLI_VERSION "0.1.0"
#endif

static int cmd_serve(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    struct server_options o = {.listen = cli_opt(&argc, argv, "--listen")};
    const char *threads = cli_opt(&argc, argv, "--threads");
    o.secure_cookies = cli_flag(&argc, argv, "--secure-cookies");
    if (!o.listen) o.listen = "127.0.0.1:8080";
    if (threads) o.threads = atoi(threads);
    const char *tick = cli_opt(&argc, argv, "--tick");
    int tick_s = tick ? atoi(tick) : 30;
    if (tick && (tick_s < 0 || tick_s > 86400 || strspn(tick, "0123456789") != strlen(tick))) {
        fprintf(stderr, "linli serve: --tick 应为0至86400之间的秒数 must be 0..86400 seconds\n");
        return 2;
    }
    const char *cache_mb = cli_opt(&argc, argv, "--cache-mb");
    int mb = cache_mb ? atoi(cache_mb) : 64;
    if (cache_mb && (mb < 0 || mb > 65536 || strspn(cache_mb, "0123456789") != strlen(cache_mb))) {
        fprintf(stderr, "linli serve: --cache-mb 应为0至65536之间的整数 must be 0..65536\n");
        return 2;
    }
    response_cache_configure((size_t)mb);
    /* repeatable: one CIDR per option */
    const char *proxies[64];
    int np = 0;
    for (const char *p; (p = cli_opt(&argc, argv, "--trusted-proxy"));) {
        if (np == (int)(sizeof proxies / sizeof *proxies)) {
            fprintf(stderr, "linli serve: --trusted-proxy 最多64个 at most 64\n");
            return 2;
        }
        proxies[np++] = p;
    }
    o.trusted_proxies = proxies;
    o.ntrusted_proxies = np;
    const char *conns = cli_opt(&argc, argv, "--conns-per-address");
    long nc = conns ? atol(conns) : 256;
    if (conns && (nc < 0 || nc > 100000 || strspn(conns, "0123456789") != strlen(conns))) {
        fprintf(stderr, "linli serve: --conns-per-address 应为0至100000之间的整数 must be "
                        "0..100000\n");
        return 2;
    }
    o.conns_per_address = (unsigned)nc;
    const char *budget = cli_opt(&argc, argv, "--body-budget-mb");
    long bmb = budget ? atol(budget) : 256;
    if (budget && (bmb < 0 || bmb > 65536 || strspn(budget, "0123456789") != strlen(budget))) {
        fprintf(stderr, "linli serve: --body-budget-mb 应为0至65536之间的整数 must be 0..65536\n");
        return 2;
    }
    o.body_budget = (size_t)bmb * 1024 * 1024;
    if (argc > 1) {
        fprintf(stderr, "linli serve: 多余的参数 unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    if (password_init() < 0) return 1;
    server_block_stop_signals(); /* before any thread starts */
    cli_open_db(url);
    db_thread_close(); /* workers open their own connections */
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    svc_scheduler_configure(&cfg);
    if (svc_workers_start(tick_s) < 0) return 1;
    http_set_error_page(page_error); /* http/ reaches the pages layer only through this hook */
    int rc = server_run(&o);
    svc_workers_stop();
    return rc;
}
COMMAND(
    "serve", cmd_serve, "启动网页与 API 服务 / serve the web pages and the API",
    "用法 usage: linli serve [--db URL] [--listen 127.0.0.1:8080] [--threads N] "
    "[--secure-cookies] [--tick SECONDS] [--cache-mb N] [--trusted-proxy CIDR]... "
    "[--conns-per-address N] [--body-budget-mb N]\n\n"
    "启动网页与 JSON API 服务；先自动执行数据库迁移。\n"
    "Serves the pages and the JSON API; applies pending migrations first.\n"
    "  --listen ADDR:PORT   监听地址 listen address (default 127.0.0.1:8080)\n"
    "  --threads N          工作线程数 worker threads (default 2 per CPU it may use, at least 16)\n"
    "  --secure-cookies     会话 Cookie 加 Secure（在 TLS 之后）/ mark cookies Secure "
    "(behind TLS)\n"
    "  --tick SECONDS       定时任务间隔 run the timers every SECONDS (default 30; 0: off)\n"
    "  --cache-mb N         居民查询结果缓存大小 memory for answers of the people reads, which\n"
    "                       are reused until the data changes (default 64; 0: off)\n"
    "  --trusted-proxy CIDR 反向代理地址（可重复）：只相信它们的 X-Forwarded-For/-Proto；\n"
    "                       按地址的限制计的是客户端，不计代理 / a load balancer (repeatable,\n"
    "                       e.g. 10.0.0.0/8 or 127.0.0.1): X-Forwarded-For and -Proto are\n"
    "                       believed only from these; per-address limits count the client\n"
    "  --conns-per-address N 每个地址同时打开的连接数上限 open connections per client address\n"
    "                       (default 256; 0: no limit; trusted proxies are not counted)\n"
    "  --body-budget-mb N   同时缓存的请求体总量 request bodies held in memory at once, all\n"
    "                       connections together (default 256; 0: no limit); over it: 503\n");

static int cmd_init(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    db *d = cli_open_db(url);
    printf("linli: 数据库已就绪 database ready: %s (schema %d)\n", url, migrate_version(d));
    return 0;
}
COMMAND("init", cmd_init, "创建空数据库 / create an empty database",
        "用法 usage: linli init [--db URL]\n\n"
        "创建空数据库并建立全部表结构。\nCreates an empty database with the whole schema.\n");

static int cmd_migrate(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    db_configure(url);
    db *d = db_thread();
    if (!d) return 1;
    int n = migrate_up(d);
    if (n < 0 || categories_seed_if_empty(d) < 0) return 1;
    printf("linli: 已执行 %d 个迁移 applied %d migration(s); schema %d of %d\n", n, n,
           migrate_version(d), migrate_latest());
    return 0;
}
COMMAND("migrate", cmd_migrate, "执行数据库迁移 / apply schema migrations",
        "用法 usage: linli migrate [--db URL]\n\n"
        "按编号执行尚未执行的迁移。\nApplies the numbered migrations not yet applied.\n");

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("linli %s (schema %d)\n", LINLI_VERSION, migrate_latest());
    return 0;
}
COMMAND("version", cmd_version, "显示版本 / print the version",
        "用法 usage: linli version\n\n显示版本号与数据库结构版本。\nPrints the version and "
        "the schema version.\n");
