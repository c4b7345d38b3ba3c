/* Answers of the people reads kept in memory. A route flagged R_CACHED promises
 * that its GET answer depends only on the account asking, the request's path
 * and query, today's date (ages), and tables whose changes bump the change
 * counters of migration 021 (people: what the records show; auth: who may see
 * what). Its answer is kept under the people counter, with the account, the
 * auth counter and the date in the key, and is served again only while both
 * counters stand — in any server process, since the counters live in the
 * database. dispatch() reads the counters before any data, so an answer is never
 * filed under counters newer than what it shows.
 *
 * `linli serve --cache-mb 0` turns the cache off (the benchmark reports both). */
#ifndef LINLI_RESPONSE_CACHE_H
#define LINLI_RESPONSE_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

/* Sets the cache's size (0: off); before the server starts. */
void response_cache_configure(size_t megabytes);
/* Answers r from the cache when it can (true: r holds the response). */
bool response_cache_serve(req *r);
/* Keeps r's answer when it is a cacheable 200 (under the key found by
 * response_cache_serve, which runs first). */
void response_cache_keep(req *r);

#endif
