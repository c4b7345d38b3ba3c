/* Removing contact numbers from free text that is published (the public
 * Open311 feed): residents type their phone or 身份证号 into a description,
 * and staff into a note. Pure: C standard library only.
 *
 * A number is a run of digits — ASCII or full-width (０–９) — in which single
 * separators (space, '-', full-width space '　' or '－') may stand between
 * digits, with an optional leading '+' ("+86 138 0013 8000") and, after 17
 * digits, an optional X/x/Ｘ/ｘ (the 身份证 check character). A run of
 * REDACT_MIN_DIGITS or more digits is replaced by "***": that covers mobiles
 * (11), landlines with or without area code (7–12), 身份证号 (18, old 15) and
 * bank cards; it also takes dates written with dashes ("2026-12-07", 8
 * digits) and order codes, which is the safe side. Numbers spelt in Chinese
 * (一三八…) are not recognised. */
#ifndef LINLI_REDACT_H
#define LINLI_REDACT_H
#include <stddef.h>

#define REDACT_MIN_DIGITS 7

/* Writes in, with every such number replaced by "***", into out; out needs
 * at most strlen(in) + 1 bytes (the result is never longer than the input).
 * NULL in gives "". Truncates at outsz - 1 bytes, never inside a UTF-8
 * sequence of the input. Returns the number of numbers replaced. */
int redact_numbers(const char *in, char *out, size_t outsz);

#endif
