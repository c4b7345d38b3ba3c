/* Confirming a redemption at the points-supermarket counter 柜台兑换: the
 * resident proves she is there with something only she has — the one-time
 * code 兑换码 shown on her own phone (我的积分), or, without a smartphone, her
 * whole registered phone number. Part of the number proves nothing: every
 * staff list shows a mobile's first 3 and last 4 digits. Wrong tries are
 * limited per person (and per staff account) within a window; the counts
 * live in the database (store_points.h). Pure but for libsodium's random
 * numbers. */
#ifndef LINLI_REDEEM_CONFIRM_H
#define LINLI_REDEEM_CONFIRM_H
#include <stdbool.h>
#include <stdint.h>

#define REDEEM_CODE_DIGITS     6
#define REDEEM_CODE_TTL_S      (10 * 60)   /* a code lives 10 minutes and serves once */
#define REDEEM_TRIES_MAX       5           /* wrong tries per person in the window */
#define REDEEM_TRIES_MAX_STAFF 20          /* wrong tries per staff account in the window */
#define REDEEM_TRIES_WINDOW_S  (24 * 3600) /* the window */
#define REDEEM_KEY_HEX         32          /* a form's request key: 16 random bytes in hex */

/* A fresh code of REDEEM_CODE_DIGITS digits, uniformly drawn, into out. */
void redeem_code_new(char out[REDEEM_CODE_DIGITS + 1]);
/* Whether given (spaces allowed) is the code; constant time in the code. */
bool redeem_code_matches(const char *code, const char *given);
/* Whether given is the whole of phone: the same digits, spaces, '-' and
 * a leading +86 aside, at least 7 of them. */
bool redeem_phone_matches(const char *phone, const char *given);

/* A fresh request key for a redemption form, into out. */
void redeem_key_new(char out[REDEEM_KEY_HEX + 1]);
/* Whether s has the shape of a request key (so that a stray field is not stored). */
bool redeem_key_valid(const char *s);

#endif
