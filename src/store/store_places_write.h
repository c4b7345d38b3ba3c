/* Bulk upsert of places, for the division import and the demo county.
 *
 * Rows are written in batches of up to 500 (store_bulk.h), each batch as two
 * statements: an INSERT … ON CONFLICT(code) DO NOTHING, whose change count is
 * the number inserted, then (only when some rows already existed) an UPDATE of
 * the rows whose parent, level, name or kind differ, whose change count is the
 * number updated. Everything else is unchanged, so a second run of the same
 * import changes no row and says so. Rows must come parent first (foreign key
 * places.parent_code → places.code); the caller holds the transaction.
 *
 * Codes below the community (12-digit statistics code) are assigned by the
 * program, each level appending a fixed number of digits to its parent's code:
 *   compound  小区  +3 → 15 digits  140930100010 001
 *   building  楼栋  +2 → 17 digits  140930100010 001 03
 *   unit      单元  +1 → 18 digits  140930100010 001 03 2
 *   household 户    +3 → 21 digits  140930100010 001 03 2 005
 * so a subtree is still a code prefix (store/scope.h). */
#ifndef LINLI_STORE_PLACES_WRITE_H
#define LINLI_STORE_PLACES_WRITE_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define PLACE_DIGITS_COMPOUND  3
#define PLACE_DIGITS_BUILDING  2
#define PLACE_DIGITS_UNIT      1
#define PLACE_DIGITS_HOUSEHOLD 3
#define PLACE_CODE_MAX         24 /* longest code (21 digits) + NUL, rounded up */

struct places_counts {
    long inserted, updated, unchanged;
};

typedef struct places_writer places_writer;

/* created_at of new rows is `now` (the caller passes clock_now()). */
places_writer *places_writer_new(db *d, int64_t now);
/* Queues one place (strings are copied; parent_code and kind may be NULL) and
 * writes a batch when 500 are queued. Returns 0, or a negative DB_* code. */
int places_writer_add(places_writer *w, const char *code, const char *parent_code,
                      const char *level, const char *name, const char *kind);
/* Writes what is queued. Returns 0, or a negative DB_* code. */
int places_writer_flush(places_writer *w);
/* Totals so far (after a flush: of every row added). */
struct places_counts places_writer_counts(const places_writer *w);
/* Frees the writer; rows still queued are dropped (flush first). */
void places_writer_free(places_writer *w);

/* True when a place with this code exists. */
bool store_place_exists(db *d, const char *code);

#endif
