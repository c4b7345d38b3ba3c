/* fuzz_order_import: a hotline (12345) CSV export through the whole order
 * import as a dry run (order_import(…, dry_run = true), POST
 * /api/v1/orders/import?dry_run=1): the encoding and records of
 * fuzz_people_csv, then the header mapping, every cell's rule (工单编号,
 * category by code or name, place, title, content, phone, urgency) and
 * svc_order_create for each good row, inside a transaction rolled back.
 *
 * The database is SQLite in memory, migrated once, with the seed categories and
 * with the place chain down to 滨河社区 (140930100010). Beyond "no crash", the
 * target checks that a dry run never fails on the database and never imports,
 * that errors carry a line within the file and a message, that an answer
 * without errors is OK, and that it leaves no transaction open. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/people_csv.h"
#include "io/order_import.h"
#include "io/people_import.h"
#include "service/svc_categories.h"
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
    d = fuzz_ledger_db("fuzz_order_import");
    if (categories_seed_if_empty(d) <= 0) {
        fprintf(stderr, "fuzz_order_import: no categories: %s\n", db_errmsg(d));
        abort();
    }
    return 0;
}

static void check(bool ok, const char *what)
{
    fuzz_check("fuzz_order_import", ok, what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    struct order_import_report rep;
    int rc = order_import(d, a, NULL, NULL, (const char *)data, size, true, &rep);
    if (verbose) {
        fprintf(stderr, "rc %d, %s, %d rows, %d would import, %d skipped, %d errors\n", rc,
                rep.encoding ? rep.encoding : "?", rep.rows, rep.would_import, rep.skipped,
                rep.nerrors);
        for (int i = 0; i < rep.nerrors; i++)
            fprintf(stderr, "  %s\n", people_import_error_text(a, &rep.errors[i]));
    }
    check(rc == IMPORT_OK || rc == IMPORT_INVALID, "a dry run failed on the database");
    check(rep.imported == 0, "a dry run imported");
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
