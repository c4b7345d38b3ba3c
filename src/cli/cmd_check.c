/* `linli check ledger`: the points ledger's invariants, checked from the
 * database itself — every movement's entries sum to zero (and there are at
 * least two), every cached balance equals the sum of its account's entries. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store_admin.h"

static const char usage[] =
    "用法 usage: linli check ledger [--db URL]\n\n"
    "核对积分账本：每笔积分变动的分录合计为零，每个账户的余额等于其分录之和。\n"
    "有误时逐条列出并以状态 1 退出。\n"
    "Checks the points ledger: every movement's entries sum to zero and every cached\n"
    "balance equals the sum of its entries; lists each fault and exits 1 otherwise.\n";

static int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *url = cli_db_url(&argc, argv);
    if (argc < 2 || strcmp(argv[1], "ledger") != 0) return cli_usage(usage);
    db *d = cli_open_db(url);
    arena *a = arena_new();
    struct ledger_fault *f;
    int n = store_ledger_faults(d, a, &f);
    int rc = 0;
    if (n < 0) {
        fprintf(stderr, "linli: check ledger: %s\n", db_errmsg(d));
        rc = 1;
    } else if (n == 0) {
        int64_t mv, ac;
        store_ledger_size(d, &mv, &ac);
        printf("linli: 积分账本无误 ledger ok: %lld movements, %lld accounts\n", (long long)mv,
               (long long)ac);
    } else {
        for (int i = 0; i < n; i++) {
            if (f[i].movement)
                printf("movement %lld: entries sum to %s, not 0 (or fewer than two entries)\n",
                       (long long)f[i].id, f[i].found);
            else
                printf("account %lld: cached balance %s, entries sum to %s\n", (long long)f[i].id,
                       f[i].found, f[i].expected);
        }
        fprintf(stderr, "linli: 积分账本有 %d 处错误 ledger has %d fault(s)\n", n, n);
        rc = 1;
    }
    arena_free(a);
    return rc;
}
COMMAND("check", cmd_check, "核对积分账本 / check the points ledger", usage);
