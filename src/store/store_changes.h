/* The change counters of migration 021: how often what the people reads show
 * (people) and what decides who may see what (auth) have changed. Read them
 * before the data an answer is made from; see response_cache.h. */
#ifndef LINLI_STORE_CHANGES_H
#define LINLI_STORE_CHANGES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct change_counters {
    int64_t people, auth;
};

/* false (and *out zeroed) when they cannot be read. */
bool store_change_counters(db *d, arena *a, struct change_counters *out);

#endif
