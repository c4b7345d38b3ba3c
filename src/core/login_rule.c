#include "core/login_rule.h"

int64_t login_take_hard(struct login_counter *c, int64_t now, int64_t max)
{
    struct login_counter n = *c;
    if (n.attempts <= 0 || now >= n.window_start + LOGIN_WINDOW || now < n.window_start) {
        n.window_start = now;
        n.attempts = 0;
    }
    if (n.attempts >= max) return n.window_start + LOGIN_WINDOW - now;
    n.attempts++;
    *c = n;
    return 0;
}

int64_t login_delay(int64_t attempts)
{
    if (attempts < LOGIN_FREE) return 0;
    int64_t shift = attempts - LOGIN_FREE;
    if (shift >= 20) return LOGIN_DELAY_MAX;
    int64_t d = (int64_t)1 << shift;
    return d < LOGIN_DELAY_MAX ? d : LOGIN_DELAY_MAX;
}

int64_t login_take_delayed(struct login_counter *c, int64_t now)
{
    struct login_counter n = *c;
    /* a quiet window forgets (the clock going back does too: no wait beyond the cap) */
    if (n.attempts <= 0 || now >= n.window_start + LOGIN_WINDOW || now < n.window_start ||
        n.next_at > now + LOGIN_DELAY_MAX) {
        n.attempts = 0;
        n.next_at = 0;
    }
    if (now < n.next_at) return n.next_at - now;
    n.attempts++;
    n.window_start = now;
    n.next_at = now + login_delay(n.attempts);
    *c = n;
    return 0;
}
