/* Versioned LRU cache: see version_cache.h. A chained hash table finds an entry;
 * a doubly linked list in order of use picks the victim when the cache is over
 * its entry or byte budget. One mutex: every critical section is a lookup and
 * a copy. */
#include "util/version_cache.h"
#include "util/hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    struct entry *next_in_bucket;
    struct entry *newer, *older; /* the use list */
    uint64_t hash;
    char *key, *data;
    size_t len;
    int64_t version;
};

struct version_cache {
    pthread_mutex_t mu;
    struct entry **bucket;
    size_t nbuckets; /* a power of two */
    struct entry *newest, *oldest;
    int n, max_entries;
    size_t bytes, max_bytes;
};

static uint64_t hash_of(const char *s)
{
    return fnv1a64_str(FNV64_OFFSET, s);
}

struct version_cache *version_cache_new(int entries, size_t max_bytes)
{
    struct version_cache *c = calloc(1, sizeof *c);
    if (!c || entries < 1) {
        free(c);
        return NULL;
    }
    c->nbuckets = 16;
    while (c->nbuckets < (size_t)entries * 2) c->nbuckets *= 2;
    c->bucket = calloc(c->nbuckets, sizeof *c->bucket);
    if (!c->bucket) {
        free(c);
        return NULL;
    }
    c->max_entries = entries;
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void entry_free(struct entry *e)
{
    free(e->key);
    free(e->data);
    free(e);
}

void version_cache_free(struct version_cache *c)
{
    if (!c) return;
    for (struct entry *e = c->newest, *next; e; e = next) {
        next = e->older;
        entry_free(e);
    }
    free(c->bucket);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct entry **slot_of(struct version_cache *c, uint64_t hash, const char *key)
{
    struct entry **p = &c->bucket[hash & (c->nbuckets - 1)];
    while (*p && ((*p)->hash != hash || strcmp((*p)->key, key) != 0)) p = &(*p)->next_in_bucket;
    return p;
}

static void unlink_use(struct version_cache *c, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(struct version_cache *c, struct entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest) c->newest->newer = e;
    c->newest = e;
    if (!c->oldest) c->oldest = e;
}

static void remove_entry(struct version_cache *c, struct entry *e)
{
    struct entry **p = slot_of(c, e->hash, e->key);
    *p = e->next_in_bucket;
    unlink_use(c, e);
    c->n--;
    c->bytes -= e->len;
    entry_free(e);
}

bool version_cache_get(struct version_cache *c, const char *key, int64_t version, buf *out)
{
    uint64_t h = hash_of(key);
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    struct entry *e = *slot_of(c, h, key);
    if (e && e->version == version) {
        unlink_use(c, e);
        push_newest(c, e);
        buf_raw(out, e->data, e->len);
        hit = true;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void version_cache_put(struct version_cache *c, const char *key, int64_t version, const char *data,
                       size_t len)
{
    if (len > c->max_bytes / 4) return; /* one answer may not crowd out the rest */
    struct entry *ne = calloc(1, sizeof *ne);
    char *k = strdup(key), *d = malloc(len ? len : 1);
    if (!ne || !k || !d) {
        free(ne);
        free(k);
        free(d);
        return;
    }
    memcpy(d, data, len);
    *ne = (struct entry){.hash = hash_of(key), .key = k, .data = d, .len = len, .version = version};
    pthread_mutex_lock(&c->mu);
    struct entry *old = *slot_of(c, ne->hash, key);
    if (old) remove_entry(c, old); /* the same key at another version: replace it */
    while (c->oldest && (c->n >= c->max_entries || c->bytes + len > c->max_bytes))
        remove_entry(c, c->oldest);
    struct entry **p = &c->bucket[ne->hash & (c->nbuckets - 1)];
    ne->next_in_bucket = *p;
    *p = ne;
    push_newest(c, ne);
    c->n++;
    c->bytes += len;
    pthread_mutex_unlock(&c->mu);
}
