/* The 18-digit 身份证号 rules of GB 11643-1999: structure, province prefix,
 * birth date and the ISO 7064 MOD 11-2 check digit. See idcard.h. Pure code:
 * no I/O, no locale, no time-zone database. */
#include "core/idcard.h"

#include <stdlib.h>
#include <string.h>

static const int idcard_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char idcard_check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

#define IDCARD_BEIJING_OFFSET (8 * 3600)

static bool idcard_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int idcard_num(const char *s, int len)
{
    int v = 0;
    for (int i = 0; i < len; i++) v = v * 10 + (s[i] - '0');
    return v;
}

char idcard_check_digit(const char *first17)
{
    if (!first17) return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!idcard_is_digit(first17[i])) return '\0';
        sum += (first17[i] - '0') * idcard_weights[i];
    }
    return idcard_check_chars[sum % 11];
}

bool idcard_province_valid(int code)
{
    return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
           (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
           code == 71 || code == 81 || code == 82;
}

bool idcard_date_valid(int y, int m, int d)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    int max = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
    return d <= max;
}

/* Days since 1970-01-01 → civil date (H. Hinnant's civil_from_days). */
static void idcard_civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

void idcard_today(time_t now, int *y, int *m, int *d)
{
    long long t = (long long)now + IDCARD_BEIJING_OFFSET;
    long long days = t / 86400;
    if (t % 86400 < 0) days--; /* floor for instants before 1970 */
    idcard_civil_from_days(days, y, m, d);
}

bool idcard_check(const char *s, time_t now, struct idcard_info *out, const char **reason_zh)
{
    const char *why = NULL;
    if (out) memset(out, 0, sizeof *out);

    if (!s || !*s) {
        why = "身份证号不能为空";
        goto fail;
    }
    if (strlen(s) != IDCARD_LEN) {
        why = "身份证号长度应为18位";
        goto fail;
    }
    for (int i = 0; i < 17; i++) {
        if (!idcard_is_digit(s[i])) {
            why = "身份证号只能由数字和末位X组成";
            goto fail;
        }
    }
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!idcard_is_digit(last) && last != 'X') {
        why = "身份证号只能由数字和末位X组成";
        goto fail;
    }
    if (!idcard_province_valid(idcard_num(s, 2))) {
        why = "省份代码无效";
        goto fail;
    }

    int y = idcard_num(s + 6, 4), m = idcard_num(s + 10, 2), d = idcard_num(s + 12, 2);
    if (!idcard_date_valid(y, m, d)) {
        why = "出生日期无效";
        goto fail;
    }
    if (y < 1900) {
        why = "出生日期早于1900年";
        goto fail;
    }
    int ty, tm, td;
    idcard_today(now, &ty, &tm, &td);
    if (y > ty || (y == ty && (m > tm || (m == tm && d > td)))) {
        why = "出生日期晚于当前日期";
        goto fail;
    }

    if (idcard_check_digit(s) != last) {
        why = "身份证号校验位错误";
        goto fail;
    }

    if (out) {
        memcpy(out->birth, s + 6, 4);
        out->birth[4] = '-';
        memcpy(out->birth + 5, s + 10, 2);
        out->birth[7] = '-';
        memcpy(out->birth + 8, s + 12, 2);
        out->birth[10] = '\0';
        out->sex = ((s[16] - '0') % 2) ? 'M' : 'F';
        out->province[0] = s[0];
        out->province[1] = s[1];
        out->province[2] = '\0';
    }
    if (reason_zh) *reason_zh = NULL;
    return true;

fail:
    if (reason_zh) *reason_zh = why;
    return false;
}

void idcard_normalize(char *s)
{
    if (!s) return;
    const unsigned char *r = (const unsigned char *)s;
    char *w = s;
    while (*r) {
        unsigned char c = *r;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            r++;
        } else if (c == 0xEF && r[1] == 0xBC && r[2] >= 0x90 && r[2] <= 0x99) {
            *w++ = (char)('0' + (r[2] - 0x90)); /* ０–９ U+FF10–FF19 */
            r += 3;
        } else if (c == 0xEF &&
                   ((r[1] == 0xBC && r[2] == 0xB8) || (r[1] == 0xBD && r[2] == 0x98))) {
            *w++ = 'X'; /* Ｘ U+FF38, ｘ U+FF58 */
            r += 3;
        } else if (c == 0xE3 && r[1] == 0x80 && r[2] == 0x80) {
            r += 3; /* ideographic space U+3000 */
        } else {
            *w++ = c == 'x' ? 'X' : (char)c;
            r++;
        }
    }
    *w = '\0';
}

bool iso_date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    return idcard_date_valid(atoi(s), atoi(s + 5), atoi(s + 8));
}
