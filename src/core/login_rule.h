/* The login limits (issue 10, point 7), as pure rules on one counter each.
 * session_login reserves an attempt on three counters in one database write
 * transaction BEFORE it verifies the password, so however many guesses
 * arrive at once, and in however many server processes, only as many
 * verifications run as the counters allow:
 *   an address                  at most LOGIN_MAX_ADDRESS failures per window;
 *   a username from one address at most LOGIN_MAX_PAIR per window (a hard
 *                               limit, but only for that address);
 *   a username, all addresses   LOGIN_FREE attempts, then a delay that doubles
 *                               with each attempt up to LOGIN_DELAY_MAX: a
 *                               stranger elsewhere can slow a staff member's
 *                               login, never lock it.
 * A successful login clears its username's counters. */
#ifndef LINLI_LOGIN_RULE_H
#define LINLI_LOGIN_RULE_H
#include <stdint.h>

enum {
    LOGIN_WINDOW = 15 * 60, /* seconds: a hard window; for the delay, the quiet time that forgets */
    LOGIN_MAX_PAIR = 5,     /* one username from one address, per window */
    LOGIN_MAX_ADDRESS = 30, /* one address, all usernames, per window */
    LOGIN_FREE = 5,         /* one username, all addresses: attempts without delay */
    LOGIN_DELAY_MAX = 300,  /* seconds: the longest delay */
};

struct login_counter {
    int64_t window_start; /* hard: start of the window; delayed: the last attempt */
    int64_t attempts;     /* attempts reserved in the window (failures, once verified) */
    int64_t next_at;      /* delayed: the earliest next attempt */
};

/* A hard counter: reserves one attempt (returns 0) when fewer than max were
 * made in the window, else returns the seconds until the window ends (≥ 1)
 * and leaves *c as it was. */
int64_t login_take_hard(struct login_counter *c, int64_t now, int64_t max);
/* The delayed counter: reserves one attempt (returns 0) when its delay has
 * passed, else returns the seconds still to wait (≥ 1). */
int64_t login_take_delayed(struct login_counter *c, int64_t now);
/* The delay after that many attempts: 0 below LOGIN_FREE, then 1, 2, 4 …
 * seconds, at most LOGIN_DELAY_MAX. */
int64_t login_delay(int64_t attempts);

#endif
