/* The controlled vocabularies: place levels, organisation kinds, party member
 * kinds, new-employment partner trades and care tags. Each entry has a stable
 * English id (stored, used in the API and on the command line) and the Chinese
 * label that pages show; imports give Chinese labels, so lookups work both ways
 * and accept the common variants seen in ledgers (aliases). Also the age rule
 * (elderly = 60 and over). Roles are not here (core/roles.c).
 * Pure: C standard library and time.h only. */
#ifndef LINLI_VOCAB_H
#define LINLI_VOCAB_H
#include <stdbool.h>
#include <time.h>

#define VOCAB_MAX_ALIASES 6
#define VOCAB_ELDERLY_AGE 60

struct vocab_entry {
    const char *id;    /* "community" */
    const char *zh;    /* "社区/村" */
    const char *group; /* sub-group id within the vocabulary (care tags), else NULL */
    const char *aliases[VOCAB_MAX_ALIASES]; /* other labels accepted on import */
};

struct vocab {
    const char *name; /* "place_level" … as in the API */
    const char *zh;   /* "区划层级" … */
    const struct vocab_entry *entries;
    int count;
};

/* Top (province) to bottom (household); vocab_index gives the depth, 0–8. */
extern const struct vocab vocab_place_levels;   /* place_level */
extern const struct vocab vocab_org_kinds;      /* org_kind */
extern const struct vocab vocab_member_kinds;   /* member_kind */
extern const struct vocab vocab_partner_trades; /* partner_trade */
/* Care tags; group is "six_visits" (六必访), "child" (困境儿童) or "assistance". */
extern const struct vocab vocab_care_tags; /* care_tag */

extern const struct vocab *const vocab_all[];
extern const int vocab_all_count;

/* The vocabulary with this name ("place_level" …), or NULL. */
const struct vocab *vocab_find(const char *name);
/* The Chinese label of id, or NULL when v or id is NULL or id is unknown. */
const char *vocab_label(const struct vocab *v, const char *id);
bool vocab_has(const struct vocab *v, const char *id);
/* Position of id in v (0-based), or -1. */
int vocab_index(const struct vocab *v, const char *id);
const struct vocab_entry *vocab_entry_of(const struct vocab *v, const char *id);
/* The id for a label as found in an import: the Chinese label, one of its
 * aliases, or the id itself; surrounding ASCII and full-width (U+3000) spaces
 * are ignored. NULL when nothing matches. */
const char *vocab_id_for_label(const struct vocab *v, const char *label);

/* Age in completed years on the Beijing date of `now` for a birth date
 * "YYYY-MM-DD" (exactly that form, a real date). Someone born on 29 February
 * turns a year older on 1 March in common years. -1 for a malformed date or one
 * after today. */
int age_on(const char *birth_yyyy_mm_dd, time_t now);
/* 60 and over (老年人). */
bool is_elderly(int age);

#endif
