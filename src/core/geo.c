/* Coordinates: one parser and the public rounding; see geo.h. */
#include "core/geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { INT_DIGITS_MAX = 3, FRAC_DIGITS_MAX = 12 };

bool geo_parse(const char *s, enum geo_axis axis, double *out)
{
    if (!s) return false;
    const char *p = s;
    if (*p == '-') p++;
    int ni = 0, nf = 0;
    while (*p >= '0' && *p <= '9' && ni <= INT_DIGITS_MAX) p++, ni++;
    if (ni == 0 || ni > INT_DIGITS_MAX) return false;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && nf <= FRAC_DIGITS_MAX) p++, nf++;
        if (nf == 0 || nf > FRAC_DIGITS_MAX) return false;
    }
    if (*p) return false;
    /* only [-]ddd[.ddd] is left, which strtod reads the same in every
     * locale whose decimal point is '.', the only one the program runs in */
    double v = strtod(s, NULL);
    double lo = axis == GEO_LAT ? GEO_LAT_MIN : GEO_LON_MIN;
    double hi = axis == GEO_LAT ? GEO_LAT_MAX : GEO_LON_MAX;
    if (!(v >= lo && v <= hi)) return false;
    if (out) *out = v;
    return true;
}

const char *geo_reason_zh(enum geo_axis axis)
{
    return axis == GEO_LAT ? "纬度应为中国境内的十进制数（3.8 至 53.6，如 39.38）"
                           : "经度应为中国境内的十进制数（73.5 至 135.1，如 111.15）";
}

void geo_public(double v, char *out, size_t outsz)
{
    /* round half away from zero on the 3rd decimal, then print exactly that */
    int n = snprintf(out, outsz, "%.3f", round(v * 1000.0) / 1000.0);
    if (n <= 0 || (size_t)n >= outsz) return;
    /* the shortest text of that value: "39.380" → "39.38", "111.000" → "111" */
    while (n > 0 && out[n - 1] == '0') out[--n] = 0;
    if (n > 0 && out[n - 1] == '.') out[--n] = 0;
}
