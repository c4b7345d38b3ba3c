#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_categories.h"
#include "store/migrate.h"
#include "store/store_accounts.h"
#include "util/buf.h"

static void remove_args(int *argc, char **argv, int at, int n)
{
    for (int i = at; i + n <= *argc; i++) argv[i] = argv[i + n];
    *argc -= n;
}

const char *cli_opt(int *argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < *argc; i++) {
        if (strncmp(argv[i], name, n) != 0) continue;
        if (argv[i][n] == '=') {
            const char *v = argv[i] + n + 1;
            remove_args(argc, argv, i, 1);
            return v;
        }
        if (argv[i][n] == 0 && i + 1 < *argc) {
            const char *v = argv[i + 1];
            remove_args(argc, argv, i, 2);
            return v;
        }
    }
    return NULL;
}

bool cli_flag(int *argc, char **argv, const char *name)
{
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], name) == 0) {
            remove_args(argc, argv, i, 1);
            return true;
        }
    return false;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

const char *cli_db_url(int *argc, char **argv)
{
    const char *url = cli_opt(argc, argv, "--db");
    if (!url) url = getenv("LINLI_DB");
    return url ? url : "linli.db";
}

db *cli_open_db(const char *url)
{
    db_configure(url);
    db *d = db_thread();
    if (!d) {
        fprintf(stderr, "linli: 无法打开数据库 cannot open database %s\n", url);
        exit(1);
    }
    if (migrate_up(d) < 0) {
        fprintf(stderr, "linli: 数据库迁移失败 migration failed\n");
        exit(1);
    }
    /* reference data every database starts with (only into empty tables) */
    if (categories_seed_if_empty(d) < 0) {
        fprintf(stderr, "linli: 事项分类初始化失败 seeding the categories failed\n");
        exit(1);
    }
    return d;
}

char *cli_read_line(void)
{
    static char line[1024];
    if (!fgets(line, sizeof line, stdin)) return NULL;
    line[strcspn(line, "\r\n")] = 0;
    return line;
}

int cli_usage(const char *usage)
{
    fputs(usage, stderr);
    return 2;
}

char *cli_read_file(const char *path, size_t *len, const char **why)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        *why = "无法打开文件 cannot open file";
        return NULL;
    }
    buf b = {0};
    char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) buf_raw(&b, chunk, n);
    bool bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        buf_free(&b);
        *why = "读取文件失败 cannot read file";
        return NULL;
    }
    *len = b.len;
    buf_raw(&b, "", 1); /* a NUL after the data, and a non-NULL pointer for an empty file */
    return b.data;
}

bool cli_load_as(db *d, arena *a, const char *as, struct principal *me,
                 const struct principal **who)
{
    *who = NULL;
    if (!as) return true;
    struct account_row acct;
    if (!store_account_by_username(d, a, as, &acct) || !store_principal_load(d, a, acct.id, me))
        return false;
    *who = me;
    return true;
}
