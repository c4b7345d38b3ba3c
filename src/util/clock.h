/* The one clock. Every time-dependent rule asks clock_now(); when the
 * environment variable LINLI_NOW_FILE names a file, "now" is the RFC 3339
 * timestamp in it, read at each call, so tests can move time. */
#ifndef LINLI_CLOCK_H
#define LINLI_CLOCK_H
#include <stdbool.h>
#include <time.h>

time_t clock_now(void);
/* Parses "2026-11-23T09:30:00Z" or with an offset "+08:00"; false if malformed. */
bool clock_parse_rfc3339(const char *s, time_t *out);
/* Formats as UTC "2026-11-23T09:30:00Z" into out (≥ 21 bytes). */
void clock_format_rfc3339(time_t t, char *out);
/* Formats in China time (UTC+8) as "2026-11-23 17:30" for pages (≥ 17 bytes). */
void clock_format_local(time_t t, char *out);

#endif
