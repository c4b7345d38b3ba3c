/* linli — 邻里, party-building-led community governance. Entry point: finds the
 * command in the linker-built table and runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

extern const struct command __start_linli_commands[];
extern const struct command __stop_linli_commands[];

static void help(FILE *f)
{
    fprintf(f, "邻里 linli — 党建引领基层治理平台 / party-building-led community governance\n\n"
               "用法 usage: linli COMMAND [options]   (linli COMMAND --help)\n\n");
    for (const struct command *c = __start_linli_commands; c < __stop_linli_commands; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n--db 取 SQLite 路径（默认 linli.db）或 postgresql:// 地址\n"
               "--db takes a SQLite path (default linli.db) or a postgresql:// URL\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (const struct command *c = __start_linli_commands; c < __stop_linli_commands; c++) {
        if (strcmp(c->name, argv[1]) != 0) continue;
        if (cli_wants_help(argc - 1, argv + 1)) {
            fputs(c->usage, stdout);
            return 0;
        }
        int rc = c->fn(argc - 1, argv + 1);
        db_thread_close();
        return rc;
    }
    fprintf(stderr, "linli: 未知命令 unknown command '%s'\n\n", argv[1]);
    help(stderr);
    return 2;
}
