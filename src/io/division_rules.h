/* Rules of the administrative division codes shared by the division import
 * and the demo county: the length of a code at each level (GB/T 2260 down to
 * the county, the statistics bureau's 9- and 12-digit codes below) and the
 * kind of a street or community read from its official name.
 * Pure: C standard library only. */
#ifndef LINLI_DIVISION_RULES_H
#define LINLI_DIVISION_RULES_H

/* Digits of a code at a division level: province 2, city 4, county 6,
 * street 9, community 12; 0 for any other level. */
int division_code_len(const char *level);

/* The kind stored with a place (places.kind), from its level and name:
 *  - community: "社区" when the name ends in 居委会 / 居民委员会 or contains
 *    社区 (e.g. 滨河社区居委会), else "村" (e.g. 唐家会村委会);
 *  - street: "街道" for …街道 / …办事处 / …地区, "镇" for …镇, "乡" for …乡 and
 *    …苏木 (Inner Mongolia's township), NULL for the rest (农场, 开发区 …);
 *  - NULL for other levels. */
const char *division_kind(const char *level, const char *name);

#endif
