/* Coordinates 坐标 as Linli accepts and publishes them. One parser for every
 * way a coordinate comes in (Open311, the order API, the order page), so a
 * single rule decides what is a coordinate: a plain decimal ("39.38",
 * "-0.5", "111"), at most 3 integer and 12 fractional digits, nothing else —
 * no exponent, hex, inf, nan, spaces or sign '+' (strtod would take them
 * all) — lying inside the bounding box of China below. The public Open311
 * feed rounds them to 3 decimals: 0.001° is 111 m of latitude and at most
 * 111 m of longitude (about 85 m at 40° N), so a point names a block, not a
 * door. Pure: C standard library only. */
#ifndef LINLI_GEO_H
#define LINLI_GEO_H
#include <stdbool.h>
#include <stddef.h>

/* China's bounding box (mainland, Hainan and the South China Sea islands up
 * to 曾母暗沙 at 3.8° N; 漠河 53.6° N; 帕米尔 73.5° E; 黑瞎子岛 135.1° E). A box,
 * not the border: it also holds some neighbours, which is enough to refuse
 * nonsense and swapped lat/long. */
#define GEO_LAT_MIN 3.8
#define GEO_LAT_MAX 53.6
#define GEO_LON_MIN 73.5
#define GEO_LON_MAX 135.1

enum geo_axis { GEO_LAT, GEO_LON };

/* Parses s as a coordinate on axis; true and *out when it is a plain decimal
 * inside the box; false for NULL, anything else, or outside the box. */
bool geo_parse(const char *s, enum geo_axis axis, double *out);

/* A Chinese reason for a refused coordinate on axis (static text). */
const char *geo_reason_zh(enum geo_axis axis);

/* v rounded to 3 decimals, written without trailing zeros ("39.38" for
 * 39.3804, "111" for 111.0002), into out (≥ 16 bytes). */
void geo_public(double v, char *out, size_t outsz);

#endif
