/* linli demo [--db URL] [--scale small|full] — creates the demo county 河曲县
 * and prints where to log in with which accounts. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "cli/cli.h"
#include "core/roles.h"
#include "io/demo.h"
#include "service/svc_whistles.h"

static const char usage[] =
    "用法 usage: linli demo [--db URL] [--scale small|full]\n\n"
    "在空数据库中创建演示县：山西省忻州市河曲县（140930）西口镇的真实社区，以及生成的小区、\n"
    "楼栋、住户、居民、党员、组织、网格和演示账号（密码 " DEMO_PASSWORD "）。每次生成的数据相同。\n"
    "Creates the demo county 河曲县 (140930) in an empty database: the real communities of\n"
    "西口镇 with generated compounds, buildings, households, residents, party members,\n"
    "organisations, grids and the demo accounts (password " DEMO_PASSWORD "). Deterministic.\n"
    "  --scale full    默认：10 个社区、100 个小区、72 个网格、72 个小区党群服务站 /\n"
    "                  default: 10 communities, 100 compounds, 72 grids, 72 stations\n"
    "  --scale small   只含滨河社区和马营围社区，供测试使用 / only 滨河社区 and 马营围社区,\n"
    "                  for the tests\n";

/* Prints s left-aligned in `width` terminal columns (CJK characters take two). */
static void cell(const char *s, int width)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) w += *p >= 0xE0 ? 2 : 1;
    fputs(s, stdout);
    for (; w < width; w++) putchar(' ');
}

static int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *url = cli_db_url(&argc, argv);
    const char *scale_s = cli_opt(&argc, argv, "--scale");
    if (argc != 1) return cli_usage(usage);
    enum demo_scale scale = DEMO_FULL;
    if (scale_s && !strcmp(scale_s, "small"))
        scale = DEMO_SMALL;
    else if (scale_s && strcmp(scale_s, "full") != 0) {
        fprintf(stderr, "linli demo: --scale 只能是 small 或 full / must be small or full\n");
        return 2;
    }
    if (password_init() < 0) return 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db *d = cli_open_db(url);
    arena *a = arena_new();
    struct demo_summary s;
    struct demo_account acc[DEMO_ACCOUNTS];
    struct svc_result r = demo_create(d, a, scale, &s, acc);
    if (!r.err && svc_whistle_kinds_seed(d, "140930") < 0) r.err = E_INTERNAL; /* 吹哨类型 */
    if (r.err) {
        fprintf(stderr, "linli demo: %s\n", r.message ? r.message : err_message_zh(r.err));
        arena_free(a);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("演示县 河曲县 已创建（%s，用时 %.1f 秒）：%ld 个社区，%ld 个小区，%ld 栋楼，%ld 户，"
           "%ld 名居民，%ld 名党员，%ld 个党支部（单独组建 %ld，联合组建 %ld），%ld 个组织，"
           "%ld 个网格，%ld 个党群服务中心，%ld 个小区党群服务站，近三个月工单 %ld 件。\n",
           scale == DEMO_FULL ? "完整" : "精简", secs, s.communities, s.compounds, s.buildings,
           s.households, s.residents, s.party_members, s.branches, s.standalone, s.joint,
           s.organisations, s.grids, s.centers, s.stations, s.orders);
    printf("Demo county 河曲县 created (%s, %.1f s): %ld communities, %ld compounds, %ld "
           "buildings, %ld households, %ld residents, %ld party members, %ld branches (%ld "
           "standalone, %ld joint), %ld organisations, %ld grids, %ld service centres, %ld "
           "compound service stations, %ld work orders of the last three months.\n\n",
           scale == DEMO_FULL ? "full" : "small", secs, s.communities, s.compounds, s.buildings,
           s.households, s.residents, s.party_members, s.branches, s.standalone, s.joint,
           s.organisations, s.grids, s.centers, s.stations, s.orders);
    printf("登录 Log in: http://localhost:8080  （linli serve --db %s）\n", url);
    printf("演示账号 Demo accounts — 密码 password: %s\n\n", DEMO_PASSWORD);
    printf("  ");
    cell("用户名 username", 17);
    cell("角色 role", 32);
    cell("范围 scope", 28);
    printf("姓名 name\n");
    for (int i = 0; i < DEMO_ACCOUNTS; i++) {
        const struct role *role = role_find(acc[i].role);
        char rl[80];
        snprintf(rl, sizeof rl, "%s %s", role ? role->zh : "", acc[i].role);
        printf("  ");
        cell(acc[i].username, 17);
        cell(rl, 32);
        cell(acc[i].scope_zh, 28);
        printf("%s\n", acc[i].display);
    }
    arena_free(a);
    return 0;
}
COMMAND("demo", cmd_demo, "创建演示县 河曲县 / create the demo county 河曲县", usage);
