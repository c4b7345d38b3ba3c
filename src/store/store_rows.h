/* Query rows into an array of structs: the one loop every store_*_find of
 * accounts, API keys, the audit log, webhooks and the inbox shares. */
#ifndef LINLI_STORE_ROWS_H
#define LINLI_STORE_ROWS_H
#include <stddef.h>

#include "store/db.h"

/* Fills the struct at out from row i of r. */
typedef void (*store_row_fn)(const db_rows *r, int i, void *out);

/* An arena array of r's rows (each `size` bytes, filled by fn) and *n their
 * number; *n = −1 when r is NULL (the store failed). */
void *store_rows(arena *a, const db_rows *r, size_t size, store_row_fn fn, int *n);

#endif
