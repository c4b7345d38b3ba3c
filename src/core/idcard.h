/* The 18-digit resident identity number (公民身份号码, GB 11643-1999).
 * Every import row, form and API call that carries a 身份证号 is checked here,
 * so one rule decides what is valid and one Chinese reason explains a refusal.
 * Pure: C standard library and time.h only; dates are Beijing civil dates
 * (UTC+8, China has no daylight saving), whatever the server's time zone. */
#ifndef LINLI_IDCARD_H
#define LINLI_IDCARD_H
#include <stdbool.h>
#include <time.h>

#define IDCARD_LEN 18

struct idcard_info {
    char birth[11];   /* "YYYY-MM-DD" */
    char sex;         /* 'M' (17th digit odd) or 'F' (even) */
    char province[3]; /* first two digits, e.g. "14" for 山西 */
};

/* Check an identity number. Accepts a lower-case final 'x' (but does not change
 * s; call idcard_normalize before storing). Checks, in this order: length 18,
 * digits with an optional final X, a valid province prefix, a real birth date
 * (leap years) from 1900-01-01 up to today in Beijing as of `now`, and the
 * ISO 7064 MOD 11-2 check digit. The county part is NOT checked (abolished codes
 * stay on old cards). On success fills *out (if not NULL), sets *reason_zh to
 * NULL and returns true; on failure sets *reason_zh (if not NULL) to a short
 * static Chinese reason and returns false. */
bool idcard_check(const char *s, time_t now, struct idcard_info *out, const char **reason_zh);

/* Normalise in place what people type or paste: drops ASCII whitespace anywhere,
 * turns full-width digits and Ｘ/ｘ into ASCII and 'x' into 'X'. Only shrinks s.
 * NULL is ignored. */
void idcard_normalize(char *s);

/* The check character ('0'–'9' or 'X') for the first 17 digits of s, or '\0'
 * if s does not start with 17 ASCII digits. */
char idcard_check_digit(const char *first17);

/* True when 11 ≤ code ≤ 82 is one of the province codes GB 11643 allows
 * (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82). */
bool idcard_province_valid(int code);

/* Calendar helpers shared with the rest of core/ (vocab.c uses them for ages). */
bool idcard_date_valid(int y, int m, int d);           /* proleptic Gregorian, y ≥ 1 */
void idcard_today(time_t now, int *y, int *m, int *d); /* Beijing civil date */
/* "YYYY-MM-DD", a real day of the calendar. */
bool iso_date_valid(const char *s);

#endif
