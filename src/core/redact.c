/* Contact numbers out of published text; see redact.h. */
#include "core/redact.h"

#include <stdbool.h>
#include <string.h>

/* Length of a digit at p (1 for ASCII, 3 for full-width), 0 if none. */
static size_t digit_at(const unsigned char *p)
{
    if (*p >= '0' && *p <= '9') return 1;
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) return 3;
    return 0;
}

/* Length of a separator at p: ' ', '-', '　' (E3 80 80) or '－' (EF BC 8D). */
static size_t sep_at(const unsigned char *p)
{
    if (*p == ' ' || *p == '-') return 1;
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8D) return 3;
    return 0;
}

/* Length of an X at p: 'X', 'x', 'Ｘ' (EF BC B8) or 'ｘ' (EF BD 98). */
static size_t x_at(const unsigned char *p)
{
    if (*p == 'X' || *p == 'x') return 1;
    if (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0xB8) return 3;
    if (p[0] == 0xEF && p[1] == 0xBD && p[2] == 0x98) return 3;
    return 0;
}

/* The run of a number starting at p (at a digit): its length in bytes, and
 * its digit count in *digits. */
static size_t number_run(const unsigned char *p, int *digits)
{
    const unsigned char *q = p;
    size_t n;
    *digits = 0;
    for (;;) {
        while ((n = digit_at(q))) q += n, (*digits)++;
        size_t s = sep_at(q);
        if (s && digit_at(q + s))
            q += s;
        else
            break;
    }
    if (*digits == 17 && (n = x_at(q))) q += n, (*digits)++;
    return (size_t)(q - p);
}

/* The length of the UTF-8 sequence starting with byte c (1 for invalid). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

int redact_numbers(const char *in, char *out, size_t outsz)
{
    if (!outsz) return 0;
    size_t w = 0;
    int replaced = 0;
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p) {
        const unsigned char *start = p;
        const char *emit;
        size_t emit_len;
        int digits = 0;
        size_t run = 0;
        if (*p == '+' && digit_at(p + 1))
            run = 1 + number_run(p + 1, &digits);
        else if (digit_at(p))
            run = number_run(p, &digits);
        if (run && digits >= REDACT_MIN_DIGITS) {
            emit = "***";
            emit_len = 3;
            replaced++;
            p += run;
        } else if (run) {
            emit = (const char *)start;
            emit_len = run;
            p += run;
        } else {
            size_t n = seq_len(*p);
            /* never step past the terminator on a truncated sequence */
            size_t k = 1;
            while (k < n && p[k]) k++;
            emit = (const char *)start;
            emit_len = k;
            p += k;
        }
        if (w + emit_len >= outsz) break;
        memcpy(out + w, emit, emit_len);
        w += emit_len;
    }
    out[w] = 0;
    return replaced;
}
