#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool clock_parse_rfc3339(const char *s, time_t *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
        return false;
    const char *p = s + n;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++) {
        }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2) return false;
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    *out = timegm(&tm) - off;
    return true;
}

time_t clock_now(void)
{
    const char *file = getenv("LINLI_NOW_FILE");
    if (file && *file) {
        FILE *f = fopen(file, "r");
        if (f) {
            char line[64] = {0};
            size_t n = fread(line, 1, sizeof line - 1, f);
            fclose(f);
            line[n] = 0;
            time_t t;
            if (clock_parse_rfc3339(line, &t)) return t;
        }
        fprintf(stderr, "linli: LINLI_NOW_FILE %s holds no RFC 3339 time; using the real clock\n",
                file);
    }
    return time(NULL);
}

void clock_format_rfc3339(time_t t, char *out)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_format_local(time_t t, char *out)
{
    time_t local = t + 8 * 3600; /* China Standard Time has no daylight saving */
    struct tm tm;
    gmtime_r(&local, &tm);
    strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}
