/* The rotating check-in code 签到码 shown on the organiser's phone: six
 * digits from HMAC-SHA256(the activity's secret, the 30-second step), cut
 * down as in HOTP (RFC 4226 dynamic truncation). A code is accepted for
 * the current step and the one before, so a code read just before it
 * changes still works; anything older is stale. Pure: the caller says what
 * time it is (clock_now()) and whether the activity's window is open. */
#ifndef LINLI_CHECKIN_CODE_H
#define LINLI_CHECKIN_CODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CHECKIN_STEP_S       30
#define CHECKIN_EARLY_S      (30 * 60) /* the window opens 30 minutes before the start */
#define CHECKIN_SECRET_BYTES 32

/* The six-digit code of a step, into out (≥ 7 bytes). secret: raw bytes. */
void checkin_code_at(const unsigned char *secret, size_t len, int64_t step, char out[7]);
/* The step of an instant. */
int64_t checkin_step(time_t now);
/* Whether `now` lies in the window [starts − CHECKIN_EARLY_S, ends]. */
bool checkin_window_open(time_t now, time_t starts, time_t ends);
/* Whether code is the code of now's step or of the step before. */
bool checkin_code_valid(const unsigned char *secret, size_t len, time_t now, const char *code);

#endif
