/* linli backup FILE — an online, consistent copy of the database while the
 * server keeps running. SQLite: VACUUM INTO (a transactionally consistent,
 * compacted copy). PostgreSQL: pg_dump in its custom format, the tool made for
 * it (restore with pg_restore). */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store_admin.h"

static const char usage[] =
    "用法 usage: linli backup [--db URL] FILE\n\n"
    "在服务运行时生成一致的数据库备份。SQLite 写出一个完整的数据库文件；\n"
    "PostgreSQL 调用 pg_dump 写出自定义格式（用 pg_restore 恢复）。\n"
    "Writes a consistent backup while the server runs. SQLite: a complete database file;\n"
    "PostgreSQL: pg_dump's custom format (restore with pg_restore).\n";

static int cmd_backup(int argc, char **argv)
{
    const char *url = cli_db_url(&argc, argv);
    if (argc != 2) return cli_usage(usage);
    const char *out = argv[1];
    struct stat st;
    if (stat(out, &st) == 0) {
        fprintf(stderr, "linli backup: 文件已存在 %s already exists\n", out);
        return 1;
    }
    db *d = cli_open_db(url);
    if (db_kind_of(d) == DB_SQLITE) {
        if (store_backup_into(d, out) < 0) {
            fprintf(stderr, "linli backup: %s\n", db_errmsg(d));
            return 1;
        }
    } else {
        pid_t pid = fork();
        if (pid == 0) {
            execlp("pg_dump", "pg_dump", "--format=custom", "--file", out, "--dbname", url,
                   (char *)NULL);
            perror("linli backup: pg_dump");
            _exit(127);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "linli backup: pg_dump 失败 failed\n");
            return 1;
        }
    }
    printf("linli: 已备份到 backed up to %s\n", out);
    return 0;
}
COMMAND("backup", cmd_backup, "在线备份数据库 / back up the database online", usage);
