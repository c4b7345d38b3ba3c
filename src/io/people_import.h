/* Importing residents and party members from the published CSV template, for
 * `linli import people`, the /import page and POST /api/v1/imports/people.
 *
 * One function does both the dry run and the real run, so the two can never
 * disagree: every row is checked (domain rules in core/, places and branches
 * against the database and the importer's people.import scope, duplicates in
 * the file and in the ledger) and every bad cell is reported; only a file
 * without a single error is written, in one transaction with one audit entry.
 * The checks run inside that transaction too (a dry run rolls it back), so
 * the ledger cannot change between the duplicate check and the write. */
#ifndef LINLI_IO_PEOPLE_IMPORT_H
#define LINLI_IO_PEOPLE_IMPORT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "store/db.h"

struct import_error {
    int line;            /* line of the file, 0 when about the whole file */
    const char *column;  /* the column's Chinese header, NULL for the whole row/file */
    const char *message; /* Chinese reason */
};

struct import_report {
    const char *encoding; /* as detected, NULL if unreadable */
    int rows;             /* data rows read */
    int imported;         /* rows written: 0 on a dry run and whenever there are errors */
    int party_members, volunteers;
    struct import_error *errors;
    int nerrors;
};

enum { IMPORT_OK = 0, IMPORT_INVALID = 1, IMPORT_FAILED = -1 };

/* Checks (dry_run) or imports data[0..len) as `who` (NULL or account 0: the
 * trusted command line, unscoped). filename is only recorded in the audit
 * note. Returns IMPORT_OK, IMPORT_INVALID (see report->errors; nothing was
 * changed) or IMPORT_FAILED (a database failure; nothing was changed).
 * Everything in the report is allocated from a. */
int people_import(db *d, arena *a, const struct principal *who, const char *filename,
                  const char *data, size_t len, bool dry_run, struct import_report *report);

/* The same with the file limits given: at most max_bytes and max_rows data
 * rows (0: no limit). people_import applies the upload limits of
 * io/people_csv.h; `linli import people` none. */
int people_import_limited(db *d, arena *a, const struct principal *who, const char *filename,
                          const char *data, size_t len, size_t max_bytes, int max_rows,
                          bool dry_run, struct import_report *report);

/* "第5行「身份证号」：校验位错误" */
const char *people_import_error_text(arena *a, const struct import_error *e);

#endif
