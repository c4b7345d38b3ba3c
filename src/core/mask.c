/* Masking of 身份证号, phone numbers and names, UTF-8 aware, and the phone shape
 * check. See mask.h for the exact rules. Pure code: no I/O. */
#include "core/mask.h"

#include <string.h>

/* Length in bytes of the UTF-8 character at p (p[0] != 0) and whether it is a
 * well-formed sequence (shortest form, no surrogates, ≤ U+10FFFF). An invalid
 * lead or truncated sequence counts as one byte. */
static size_t mask_char_len(const unsigned char *p, bool *valid)
{
    unsigned char c = p[0];
    size_t len;
    unsigned int min, cp;
    if (c < 0x80) {
        *valid = true;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, cp = c & 0x07u;
    } else {
        *valid = false;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
            *valid = false;
            return 1;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *valid = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    return *valid ? len : 1;
}

static size_t mask_count(const char *in)
{
    size_t n = 0;
    bool valid;
    for (const unsigned char *p = (const unsigned char *)in; *p; p += mask_char_len(p, &valid)) n++;
    return n;
}

/* Copy `in` to `out`, keeping the first `head` and last `tail` of its `n`
 * characters and writing one '*' for each character in between. Callers pick
 * head + tail < n, except mask_name which keeps a one-character name whole. */
static void mask_apply(const char *in, size_t n, size_t head, size_t tail, char *out, size_t outsz)
{
    size_t w = 0, i = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        bool valid;
        size_t len = mask_char_len(p, &valid);
        bool keep = i < head || i >= n - tail;
        const char *src = keep ? (valid ? (const char *)p : "?") : "*";
        size_t k = keep && valid ? len : 1;
        if (w + k >= outsz) break;
        memcpy(out + w, src, k);
        w += k;
        p += len;
        i++;
    }
    out[w] = '\0';
}

static bool mask_start(const char *in, char *out, size_t outsz)
{
    if (!out || outsz == 0) return false;
    out[0] = '\0';
    return in && *in;
}

void mask_id_number(const char *in, char *out, size_t outsz)
{
    if (!mask_start(in, out, outsz)) return;
    size_t n = mask_count(in);
    if (n >= 12)
        mask_apply(in, n, 6, 4, out, outsz);
    else
        mask_apply(in, n, n / 3, n / 4, out, outsz);
}

void mask_phone(const char *in, char *out, size_t outsz)
{
    if (!mask_start(in, out, outsz)) return;
    size_t n = mask_count(in);
    mask_apply(in, n, n * 3 / 11, n * 4 / 11, out, outsz);
}

void mask_name(const char *in, char *out, size_t outsz)
{
    if (!mask_start(in, out, outsz)) return;
    mask_apply(in, mask_count(in), 1, 0, out, outsz);
}

/* Number of ASCII digits at the start of s. */
static size_t mask_digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') n++;
    return n;
}

static bool mask_area_ok(const char *s, size_t len)
{
    return (len == 3 || len == 4) && s[0] == '0' && s[1] != '0';
}

static bool mask_local_ok(const char *s, size_t len)
{
    return (len == 7 || len == 8) && s[0] != '0';
}

bool phone_valid(const char *s)
{
    if (!s) return false;
    size_t d = mask_digits(s);

    /* Mobile: 1[3-9] + 9 digits. */
    if (d == 11 && s[11] == '\0' && s[0] == '1' && s[1] >= '3') return true;
    if (d < 3 || s[0] != '0') return false;

    const char *rest;
    if (s[d] == '-' && d <= 4) { /* area-local[-ext] */
        if (!mask_area_ok(s, d)) return false;
        const char *local = s + d + 1;
        size_t l = mask_digits(local);
        if (!mask_local_ok(local, l)) return false;
        rest = local + l;
    } else { /* areaLocal[-ext], split after 3 or 4 digits */
        if (!(mask_area_ok(s, 3) && mask_local_ok(s + 3, d - 3)) &&
            !(d >= 4 && mask_area_ok(s, 4) && mask_local_ok(s + 4, d - 4)))
            return false;
        rest = s + d;
    }
    if (*rest == '\0') return true;
    if (*rest != '-') return false;
    size_t e = mask_digits(rest + 1);
    return e >= 1 && e <= 6 && rest[1 + e] == '\0';
}
