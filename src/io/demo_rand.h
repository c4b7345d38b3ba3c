/* The demo county's deterministic generators: a fixed-seed PRNG (splitmix64),
 * Chinese personal names by birth decade, mobile numbers, dates and 身份证号
 * with a correct GB 11643 check digit. The same seed gives the same demo on
 * every machine. Pure apart from the caller's clock value. */
#ifndef LINLI_DEMO_RAND_H
#define LINLI_DEMO_RAND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct demo_rng {
    uint64_t s;
};

/* A seed from a string (FNV-1a), to give each community its own stream. */
uint64_t demo_seed(const char *s, uint64_t salt);
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [lo, hi] (inclusive); lo when hi < lo. */
int demo_rng_int(struct demo_rng *r, int lo, int hi);
/* True with probability p (0 ≤ p ≤ 1). */
bool demo_rng_chance(struct demo_rng *r, double p);
/* A uniformly chosen element of list[0..n-1]. */
const char *demo_rng_pick(struct demo_rng *r, const char *const *list, int n);
#define DEMO_PICK(r, list) demo_rng_pick((r), (list), (int)(sizeof(list) / sizeof((list)[0])))

/* A surname, drawn with the frequencies of 河曲 and northern Shanxi. */
const char *demo_surname(struct demo_rng *r);
/* A full name (surname + one or two characters typical of the birth decade
 * and sex 'M'/'F') into out. */
void demo_person_name(struct demo_rng *r, const char *surname, char sex, int birth_year, char *out,
                      size_t outsz);
/* An 11-digit mobile number of a Chinese carrier into out (≥ 12 bytes). */
void demo_phone(struct demo_rng *r, char out[12]);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long demo_days_from_civil(int y, int m, int d);
void demo_civil_from_days(long days, int *y, int *m, int *d);

/* A birth date "YYYY-MM-DD" for someone aged `age` (completed years) on the
 * date today_y-today_m-today_d. */
void demo_birth_date(struct demo_rng *r, int age, int today_y, int today_m, int today_d,
                     char out[11]);
/* A date "YYYY-MM-DD" uniformly between two dates given as day numbers. */
void demo_date_between(struct demo_rng *r, long from_days, long to_days, char out[11]);

/* The 18-digit identity number for a 6-digit address code, a birth date
 * "YYYY-MM-DD", a 3-digit sequence (made odd for 'M', even for 'F') and the
 * GB 11643 check digit, into out (≥ 19 bytes). */
void demo_id_number(const char *area6, const char *birth, int seq, char sex, char out[19]);

#endif
