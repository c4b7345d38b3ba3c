/* Exporting the people ledger an account may see, as CSV (UTF-8 with a BOM, so
 * Excel on Chinese Windows opens it correctly) or as an .xlsx workbook, for
 * `linli export people` and GET /api/v1/exports/people.
 *
 * An export is a list: 身份证号 and phone are always masked (core/mask.h), and
 * the birth date is given as an age, because a birth date next to a masked
 * 身份证号 would give its hidden digits back. Every export is audited. */
#ifndef LINLI_IO_PEOPLE_EXPORT_H
#define LINLI_IO_PEOPLE_EXPORT_H
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/principal.h"
#include "store/db.h"

enum export_format { EXPORT_CSV, EXPORT_XLSX };

/* Where the bytes go: called in order with consecutive pieces; returns 0, or
 * -1 to stop (the export then fails). */
struct export_sink {
    int (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
};

/* "csv" / "xlsx" (NULL: csv); -1 for anything else. */
int people_export_format(const char *name);
const char *people_export_mime(enum export_format f);
/* "people-140930100010-20261123.csv" (place may be NULL). */
const char *people_export_filename(arena *a, const char *place, enum export_format f);

/* Writes the people in the viewer's people.read scope (who NULL or account 0:
 * everyone), within the place subtree if place is given, and audits the
 * export (before the first row leaves). E_NOT_FOUND when the place does not
 * exist or is outside the scope; E_BAD_INPUT when an .xlsx would exceed a
 * worksheet's rows; E_INTERNAL on a database or file error (*err_zh says
 * what). *rows gets the number of people written. */
err_code people_export(db *d, arena *a, const struct principal *who, const char *place,
                       enum export_format f, const struct export_sink *out, int *rows,
                       const char **err_zh);

#endif
