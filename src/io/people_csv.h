/* Reading an uploaded ledger file: the encoding (UTF-8 with or without BOM,
 * else GB18030, which is what Excel on a Chinese Windows writes for "CSV"),
 * then records with libcsv, each with the file line it starts on so errors can
 * say "第5行". No SQL and no domain rules here: see people_import.c. */
#ifndef LINLI_IO_PEOPLE_CSV_H
#define LINLI_IO_PEOPLE_CSV_H
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* The limits of a file uploaded through the page or the API (the command
 * line, run by the county's own staff on the server, has none). */
#define PEOPLE_CSV_MAX_BYTES (16u * 1024u * 1024u)
#define PEOPLE_CSV_MAX_ROWS  50000 /* data rows, the header not counted */

struct csv_record {
    int line; /* 1-based line of the file where the record starts */
    int nfields;
    const char **fields; /* NUL-terminated, trimmed of surrounding spaces */
};

struct csv_table {
    struct csv_record *recs; /* the header first; blank records are left out */
    int n;
};

/* The file as UTF-8 text (NUL-terminated, in a), without a BOM. *encoding is
 * "UTF-8", "UTF-8 (BOM)" or "GB18030". NULL with a Chinese *err_zh when the
 * file is larger than max_bytes (0: no limit), binary (an .xlsx, UTF-16 …) or
 * in no known encoding. */
const char *people_csv_to_utf8(arena *a, const char *data, size_t len, size_t max_bytes,
                               size_t *out_len, const char **encoding, const char **err_zh);

/* True when s[0..len) is well-formed UTF-8 (shortest forms, no surrogates). */
bool people_csv_utf8_valid(const char *s, size_t len);

/* Parses UTF-8 text into records. At most max_records records (header
 * included) are read; more is an error. On failure returns false with a
 * Chinese *err_zh and *err_line (0 when it is about the whole file). */
bool people_csv_parse(arena *a, const char *text, size_t len, int max_records,
                      struct csv_table *out, int *err_line, const char **err_zh);

#endif
