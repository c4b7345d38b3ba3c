/* Growable byte buffer with printf and the escaping writers. Escaping lives in
 * the output functions (as in Fossil and cgit) so unescaped output takes a
 * visible call to buf_raw/buf_printf. */
#ifndef LINLI_BUF_H
#define LINLI_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
    size_t len, cap;
} buf;

void buf_free(buf *b);
void buf_reset(buf *b);
void buf_raw(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s); /* raw */
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_html(buf *b, const char *s); /* text and attribute safe */
/* printf into HTML: every %s argument is escaped as buf_html does (NULL is
 * nothing); numbers are written as printf writes them. The page's verb for
 * anything that is not a literal. */
void buf_hprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_url(buf *b, const char *s);       /* query-string component */
void buf_json_str(buf *b, const char *s);  /* "…" with escapes; null for NULL */
void buf_csv_field(buf *b, const char *s); /* RFC 4180 quoting when needed */
const char *buf_cstr(buf *b);              /* "" for an empty buffer */

#endif
