/* Versioned LRU cache: see version_cache.h. A linear scan over a few dozen
 * entries is cheaper than hashing at this size. */
#include "util/version_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key, *data;
    size_t len;
    int64_t version;
    uint64_t used; /* the tick of the last use, for LRU */
};

struct version_cache {
    pthread_mutex_t mu;
    struct entry *e;
    int n;
    uint64_t tick;
};

struct version_cache *version_cache_new(int entries)
{
    struct version_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->e = calloc((size_t)entries, sizeof *c->e);
    if (!c->e) {
        free(c);
        return NULL;
    }
    c->n = entries;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void version_cache_free(struct version_cache *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) {
        free(c->e[i].key);
        free(c->e[i].data);
    }
    free(c->e);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

bool version_cache_get(struct version_cache *c, const char *key, int64_t version, buf *out)
{
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    for (int i = 0; i < c->n && !hit; i++) {
        struct entry *e = &c->e[i];
        if (e->key && e->version == version && strcmp(e->key, key) == 0) {
            e->used = ++c->tick;
            buf_raw(out, e->data, e->len);
            hit = true;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void version_cache_put(struct version_cache *c, const char *key, int64_t version, const char *data,
                       size_t len)
{
    char *k = strdup(key), *d = malloc(len ? len : 1);
    if (!k || !d) {
        free(k);
        free(d);
        return;
    }
    memcpy(d, data, len);
    pthread_mutex_lock(&c->mu);
    int victim = 0;
    for (int i = 0; i < c->n; i++) {
        struct entry *e = &c->e[i];
        if (e->key && strcmp(e->key, key) == 0) { /* the same query: replace it */
            victim = i;
            break;
        }
        if (!e->key || e->used < c->e[victim].used) victim = i;
        if (!e->key) break;
    }
    struct entry *e = &c->e[victim];
    free(e->key);
    free(e->data);
    *e = (struct entry){.key = k, .data = d, .len = len, .version = version, .used = ++c->tick};
    pthread_mutex_unlock(&c->mu);
}
