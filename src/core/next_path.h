/* Where a browser may be sent after login (issue 10, point 8): `next` is
 * followed only when it is a path on this site, else "/". */
#ifndef LINLI_NEXT_PATH_H
#define LINLI_NEXT_PATH_H
#include <stdbool.h>

/* True when next (already URL-decoded once, as the request gives it) starts
 * with exactly one '/', and neither it nor its percent-decoding holds a
 * backslash, a space or a control character (browsers drop tabs and newlines
 * and read '\' as '/', so "/\t/evil.example" would be "//evil.example"). */
bool next_path_ok(const char *next);
/* next when next_path_ok(next), else "/". */
const char *next_path_safe(const char *next);

#endif
