/* Small text helpers for validating what people type: trimming (including the
 * full-width space U+3000 that Chinese input methods produce) and counting
 * characters rather than bytes, so a 50-character limit means 50 汉字. */
#ifndef LINLI_TEXT_H
#define LINLI_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* A copy of s without leading/trailing ASCII white space and U+3000; NULL stays NULL. */
char *text_trim(arena *a, const char *s);
/* Number of UTF-8 characters (code points) in s. */
size_t text_chars(const char *s);
/* Like text_chars, or -1 when s holds a control character other than tab. */
long text_chars_printable(const char *s);
/* The n bytes at s are UTF-8 text: well-formed (no overlong form, surrogate or
 * code point above U+10FFFF) and without a NUL byte. */
bool text_utf8_valid(const char *s, size_t n);
/* An optional field: *out is in trimmed, or NULL when nothing is left; true
 * when that is at most max printable characters (nothing is always fine). */
bool text_optional(arena *a, const char *in, long max, const char **out);

#endif
