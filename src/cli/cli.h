/* The command line: `linli COMMAND [options]`, in the manner of git and
 * fossil. Commands register themselves with COMMAND(); each prints its help in
 * Chinese and English for --help. */
#ifndef LINLI_CLI_H
#define LINLI_CLI_H
#include <stdbool.h>

#include "core/principal.h"
#include "store/db.h"

typedef int (*command_fn)(int argc, char **argv);

struct command {
    const char *name;
    command_fn fn;
    const char *summary; /* "中文 / English" */
    const char *usage;   /* full --help text */
};

#define CMD_CAT2(a, b) a##b
#define CMD_CAT(a, b)  CMD_CAT2(a, b)
#define COMMAND(name, fn, summary, usage)                                                          \
    static const struct command CMD_CAT(command_, __LINE__) __attribute__((                        \
        used, section("linli_commands"), aligned(sizeof(void *)))) = {name, fn, summary, usage}

/* Common options: --db URL (default linli.db or $LINLI_DB). cli_opt() finds
 * "--name value" or "--name=value" in argv and removes it; cli_flag() finds a
 * bare flag. Positional arguments are what remains after them. */
const char *cli_opt(int *argc, char **argv, const char *name);
bool cli_flag(int *argc, char **argv, const char *name);
bool cli_wants_help(int argc, char **argv);
/* Opens the database named by --db and applies pending migrations; exits the
 * process with a message when it cannot. */
db *cli_open_db(const char *url);
const char *cli_db_url(int *argc, char **argv);
/* Reads one line (a password) from standard input without the newline. */
char *cli_read_line(void);
int cli_usage(const char *usage); /* prints usage to stderr, returns 2 */
/* Reads a whole file ("-": standard input) into malloc'd memory with a NUL
 * after the data; NULL with *why (Chinese and English) when it cannot. */
char *cli_read_file(const char *path, size_t *len, const char **why);
/* --as USERNAME: the command acts in that account's scope (*who = me, loaded);
 * without it *who is NULL, the trusted command line. False when there is no
 * such enabled account. */
bool cli_load_as(db *d, arena *a, const char *as, struct principal *me,
                 const struct principal **who);

#endif
