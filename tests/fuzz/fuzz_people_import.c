/* fuzz_people_import: an uploaded people ledger through the whole import as a
 * dry run (people_import(…, dry_run = true), what "检查" on the /import page and
 * ?dry_run=1 on POST /api/v1/imports/people do): the encoding and records of
 * fuzz_people_csv, then the header mapping and every cell's rule (names,
 * 身份证号, dates, phones, 户籍, member kinds, branches, skills, care tags …).
 *
 * The database is SQLite in memory, migrated once, with the place chain of the
 * fixtures down to 滨河社区 (140930100010); a dry run rolls back, so every
 * input sees the same ledger. Beyond "no crash", the target checks that a dry
 * run never fails on the database and never imports, that errors carry a line
 * within the file and a message, and that an answer without errors is OK. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/people_csv.h"
#include "io/people_import.h"
#include "store/db.h"

#include "fuzz_ledger_db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static db *d;
static bool verbose; /* FUZZ_VERBOSE=1 when replaying an input: the report */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    verbose = getenv("FUZZ_VERBOSE") != NULL;
    d = fuzz_ledger_db("fuzz_people_import");
    return 0;
}

static void check(bool ok, const char *what)
{
    fuzz_check("fuzz_people_import", ok, what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    struct import_report rep;
    int rc = people_import(d, a, NULL, "fuzz.csv", (const char *)data, size, true, &rep);
    if (verbose) {
        fprintf(stderr, "rc %d, %s, %d rows, %d errors\n", rc, rep.encoding ? rep.encoding : "?",
                rep.rows, rep.nerrors);
        for (int i = 0; i < rep.nerrors; i++)
            fprintf(stderr, "  %s\n", people_import_error_text(a, &rep.errors[i]));
    }
    check(rc == IMPORT_OK || rc == IMPORT_INVALID, "a dry run failed on the database");
    check(rep.imported == 0 && rep.party_members == 0 && rep.volunteers == 0, "a dry run imported");
    check((rc == IMPORT_OK) == (rep.nerrors == 0), "errors and the answer disagree");
    long lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n' || data[i] == '\r';
    for (int i = 0; i < rep.nerrors; i++) {
        const struct import_error *e = &rep.errors[i];
        check(e->line >= 0 && e->line <= lines, "an error's line is outside the file");
        check(e->message && *e->message, "an error without a message");
        check(*people_import_error_text(a, e), "an empty error text");
    }
    check(!db_in_tx(d), "the dry run left its transaction open");
    arena_free(a);
    return 0;
}
