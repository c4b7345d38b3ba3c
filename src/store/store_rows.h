/* Query rows into an array of structs: the one loop every store_*_find of
 * accounts, API keys, the audit log, webhooks and the inbox shares. */
#ifndef LINLI_STORE_ROWS_H
#define LINLI_STORE_ROWS_H
#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* Fills the struct at out from row i of r. */
typedef void (*store_row_fn)(const db_rows *r, int i, void *out);

/* An arena array of r's rows (each `size` bytes, filled by fn) and *n their
 * number; *n = −1 when r is NULL (the store failed). */
void *store_rows(arena *a, const db_rows *r, size_t size, store_row_fn fn, int *n);

/* A LIKE pattern matching text that starts with s (contains: that contains
 * s), with %, _ and \ in s escaped by '\' (the statement says ESCAPE '\');
 * NULL when s is NULL or empty. */
const char *store_like_pattern(arena *a, const char *s, bool contains);

#endif
