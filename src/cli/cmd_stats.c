/* linli stats — the demand loop's figures from the command line, and the
 * counters' rebuild and check (service/svc_order_stats.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/svc_order_stats.h"

static const char usage[] =
    "用法 usage: linli stats [--db URL] --place CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "       linli stats [--db URL] --check | --rebuild\n\n"
    "显示某区划在统计期间的工单三率（响应率、解决率、满意率）等指标；\n"
    "--check 以全部工单重新计数并与统计表核对（不一致时退出码为 1）；\n"
    "--rebuild 以全部工单重建统计表。\n"
    "Prints the figures of a division for a period (default: this year); --check recounts\n"
    "every order and compares with the counters (exit 1 when they differ); --rebuild\n"
    "replaces the counters with the recount.\n";

static void print_rate(const char *zh, struct rate r)
{
    char t[16];
    printf("%-12s %8s  (%lld/%lld)\n", zh, rate_format(r, t, sizeof t), r.num, r.den);
}

static int cmd_stats(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    bool check = cli_flag(&argc, argv, "--check"), rebuild = cli_flag(&argc, argv, "--rebuild");
    struct stats_query q = {.place = cli_opt(&argc, argv, "--place")};
    const char *from = cli_opt(&argc, argv, "--from"), *to = cli_opt(&argc, argv, "--to");
    if (argc != 1 || (check && rebuild) || (!check && !rebuild && !q.place))
        return cli_usage(usage);
    db *d = cli_open_db(url);
    if (check || rebuild) {
        long n = svc_order_stats_rebuild(d, check);
        if (n < 0) {
            fprintf(stderr, "linli stats: %s\n", db_errmsg(d));
            return 1;
        }
        if (rebuild)
            printf("linli: 统计表已重建 counters rebuilt\n");
        else if (n == 0)
            printf("linli: 统计表与工单一致 counters match the orders\n");
        return n == 0 ? 0 : 1;
    }
    struct svc_result v = svc_order_stats_period(from, to, &q);
    arena *a = arena_new();
    struct stats_report rep;
    if (!v.err) v = svc_order_stats_report(d, a, NULL, &q, &rep);
    if (v.err) {
        fprintf(stderr, "linli stats: %s\n", v.message ? v.message : "失败 failed");
        arena_free(a);
        return 1;
    }
    const struct stats_line *t = &rep.total;
    printf("%s %s  %d — %d\n", q.place, rep.place_name, q.from, q.to);
    printf("工单 %lld  受理 %lld  办结 %lld  已解决 %lld  评价 %lld\n", t->v[T_TOTAL],
           t->v[T_ACCEPTED], t->v[T_RESOLVED], t->v[T_FIXED],
           t->v[T_SATISFIED] + t->v[T_BASIC] + t->v[T_UNSATISFIED]);
    print_rate("响应率", t->rates.response);
    print_rate("解决率", t->rates.resolution);
    print_rate("满意率", t->rates.satisfaction);
    print_rate("办结率", t->rates.completion);
    print_rate("按时办结率", t->rates.on_time);
    print_rate("重办率", t->rates.reopen);
    arena_free(a);
    return 0;
}
COMMAND("stats", cmd_stats, "工单三率与统计表核对 / order figures, counter check", usage);
