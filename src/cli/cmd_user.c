/* linli user add|grant|passwd|disable|enable|list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/roles.h"
#include "service/svc_accounts.h"
#include "store/store_accounts.h"
#include "store/store_admin.h"

static const char usage[] =
    "用法 usage:\n"
    "  linli user add NAME --role ROLE (--place CODE | --grid ID | --org ID) [--name 显示名]\n"
    "  linli user grant NAME --role ROLE (--place CODE | --grid ID | --org ID)\n"
    "  linli user passwd NAME\n"
    "  linli user disable NAME | linli user enable NAME\n"
    "  linli user list\n\n"
    "add 与 passwd 从标准输入读取密码（一行），便于脚本创建账号。\n"
    "add and passwd read the password from standard input (one line), so scripts can create "
    "accounts.\n"
    "角色 roles: resident volunteer partner grid_worker community_worker secretary street_admin\n"
    "            county_admin city_admin department admin\n";

static int report(struct svc_result res, const char *what)
{
    if (res.err == E_OK) return 0;
    fprintf(stderr, "linli user %s: %s%s%s\n", what,
            res.message ? res.message : err_message_zh(res.err), res.field ? " — " : "",
            res.field ? res.field : "");
    return 1;
}

static int64_t account_id(db *d, arena *a, const char *name)
{
    struct account_row acct;
    if (!store_account_by_username(d, a, name, &acct)) {
        fprintf(stderr, "linli user: 账号不存在 no such account '%s'\n", name);
        return 0;
    }
    return acct.id;
}

static int cmd_user(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    const char *role = cli_opt(&argc, argv, "--role");
    const char *place = cli_opt(&argc, argv, "--place");
    const char *grid = cli_opt(&argc, argv, "--grid");
    const char *org = cli_opt(&argc, argv, "--org");
    const char *display = cli_opt(&argc, argv, "--name");
    if (argc < 2) return cli_usage(usage);
    const char *sub = argv[1];
    if (strcmp(sub, "list") != 0 && argc != 3) return cli_usage(usage);
    db *d = cli_open_db(url);
    arena *a = arena_new();
    int rc = 0;
    int64_t grid_id = grid ? atoll(grid) : 0, org_id = org ? atoll(org) : 0;
    if (!strcmp(sub, "add")) {
        if (!role) {
            arena_free(a);
            return cli_usage(usage);
        }
        char *pw = cli_read_line();
        struct svc_result res = svc_account_create(d, a, NULL, argv[2], display, pw ? pw : "", role,
                                                   place, grid_id, org_id);
        rc = report(res, "add");
        if (!rc)
            printf("linli: 已创建账号 created account %s (id %lld)\n", argv[2], (long long)res.id);
    } else if (!strcmp(sub, "grant")) {
        int64_t id = account_id(d, a, argv[2]);
        rc = !id || !role
                 ? 1
                 : report(svc_grant_add(d, a, NULL, id, role, place, grid_id, org_id), "grant");
    } else if (!strcmp(sub, "passwd")) {
        int64_t id = account_id(d, a, argv[2]);
        char *pw = cli_read_line();
        rc = !id ? 1 : report(svc_account_set_password(d, a, NULL, id, pw ? pw : ""), "passwd");
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        int64_t id = account_id(d, a, argv[2]);
        rc = !id ? 1 : report(svc_account_set_disabled(d, a, NULL, id, sub[0] == 'd'), sub);
    } else if (!strcmp(sub, "list")) {
        struct account_listing *l;
        int n = store_account_listing(d, a, 500, &l);
        for (int i = 0; i < n; i++) {
            printf("%-6lld %-20s %-12s%s\n", (long long)l[i].id, l[i].username,
                   l[i].display_name ? l[i].display_name : "", l[i].disabled ? " (停用)" : "");
            for (int j = 0; j < l[i].ngrants; j++)
                printf("         %s @ %s\n", l[i].grants[j].role, l[i].grants[j].where);
        }
    } else {
        rc = cli_usage(usage);
    }
    arena_free(a);
    return rc;
}
COMMAND("user", cmd_user, "管理账号与授权 / manage accounts and grants", usage);
