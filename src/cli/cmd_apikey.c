/* linli apikey create NAME --place CODE | list | revoke ID — Open311 API keys
 * (service/svc_api_keys.c). The key is printed once, on standard output;
 * only its hash is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/roles.h"
#include "service/svc_api_keys.h"
#include "store/store_api_keys.h"
#include "util/clock.h"

static const char usage[] =
    "用法 usage:\n"
    "  linli apikey create NAME --place CODE [--db URL]\n"
    "      创建 Open311 接口密钥，只能在区划 CODE 内提交诉求；密钥只打印这一次，库中只存其摘要。\n"
    "      Creates an Open311 API key for the place subtree CODE; the key is printed once,\n"
    "      only its hash is stored.\n"
    "  linli apikey list [--db URL]\n"
    "      列出密钥（编号、名称、区划、前缀、状态）。Lists the keys.\n"
    "  linli apikey revoke ID [--db URL]\n"
    "      停用密钥。Revokes a key.\n";

static int cmd_apikey(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    const char *place = cli_opt(&argc, argv, "--place");
    if (argc < 2) return cli_usage(usage);
    const char *sub = argv[1];
    bool create = !strcmp(sub, "create"), list = !strcmp(sub, "list"),
         revoke = !strcmp(sub, "revoke");
    if (!((create && argc == 3 && place) || (list && argc == 2) || (revoke && argc == 3)))
        return cli_usage(usage);
    db *d = cli_open_db(url);
    arena *a = arena_new();
    int rc = 1;
    if (create) {
        const char *key = NULL;
        struct svc_result res = svc_api_key_create(d, a, NULL, argv[2], place, &key);
        if (res.err) {
            fprintf(stderr, "linli apikey: %s\n",
                    res.message ? res.message : err_message_zh(res.err));
        } else {
            printf("%s\n", key);
            fflush(stdout);
            fprintf(stderr,
                    "linli: 已创建密钥 %lld（只显示这一次，请妥善保存）/ key %lld created; "
                    "it is shown only this once\n",
                    (long long)res.id, (long long)res.id);
            rc = 0;
        }
    } else if (list) {
        struct api_key_row *k;
        int n = store_api_keys_find(d, a, 0, CAP_ACCOUNTS, 0, 1000000, &k);
        if (n >= 0) {
            printf("id\tname\tplace_code\tkey_prefix\tcreated_at\tstate\n");
            for (int i = 0; i < n; i++) {
                char ts[32];
                clock_format_rfc3339((time_t)k[i].created_at, ts);
                printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)k[i].id, k[i].name, k[i].place_code,
                       k[i].prefix, ts, k[i].revoked_at ? "revoked" : "active");
            }
            rc = 0;
        }
    } else {
        char *end = NULL;
        long long id = strtoll(argv[2], &end, 10);
        struct svc_result res = id > 0 && end && !*end
                                    ? svc_api_key_revoke(d, a, NULL, id)
                                    : svc_fail(E_BAD_INPUT, NULL, "密钥编号应为正整数");
        if (res.err) {
            fprintf(stderr, "linli apikey: %s\n",
                    res.message ? res.message : err_message_zh(res.err));
        } else {
            fprintf(stderr, "linli: 密钥 %lld 已停用 / key revoked\n", id);
            rc = 0;
        }
    }
    arena_free(a);
    return rc;
}
COMMAND("apikey", cmd_apikey, "Open311 接口密钥 / Open311 API keys", usage);
