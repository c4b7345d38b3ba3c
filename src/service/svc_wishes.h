/* Micro-wishes 微心愿 (docs/wishes.md): post → review → published on the
 * community's wall 心愿墙 and pushed to the organisations, co-building units
 * and in-service members linked to it → claimed by one volunteer → fulfilled
 * with a photo and a note → confirmed 达成 by the poster. Every change is a
 * conditional UPDATE (so a race has exactly one winner), audited and notified
 * in its own transaction. */
#ifndef LINLI_SVC_WISHES_H
#define LINLI_SVC_WISHES_H
#include <stddef.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_wishes.h"

#define WISH_TITLE_MAX  60
#define WISH_DETAIL_MAX 500

struct wish_input {
    const char *kind; /* resident (default) / child / elder */
    const char *title, *detail;
    const char *wanted_by;  /* YYYY-MM-DD or NULL */
    const char *place_code; /* NULL: the poster's home place, or the person's */
    int64_t person_id;      /* the beneficiary (staff only); 0: none */
};

/* A resident posts for themselves (kind resident), only in a community
 * they live in or serve (svc_wish_home_communities); staff with
 * CAP_WISHES_REVIEW over the place post for anyone there. Anything else
 * creates nothing: 404 for a place outside every grant of the account, 403
 * for one it reaches but does not live in or serve. */
struct svc_result svc_wish_post(db *d, arena *a, const struct principal *who,
                                const struct wish_input *in);
/* The communities (codes, in code order) where a poster without review
 * rights may post a wish for themselves: that of their household, the one
 * they registered at by 双报到, that of a `resident` grant. */
const char **svc_wish_home_communities(db *d, arena *a, int64_t account, int *n);

/* decision "approve" or "reject" (reason required). */
#define WISH_REASON_MAX 200
struct wish_review_input {
    const char *decision, *reason;
};
struct svc_result svc_wish_review(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct wish_review_input *in);
struct svc_result svc_wish_claim(db *d, arena *a, const struct principal *who, int64_t id);
struct svc_result svc_wish_fulfil(db *d, arena *a, const struct principal *who, int64_t id,
                                  const char *note, const char *declared_mime, const char *data,
                                  size_t len);
struct svc_result svc_wish_confirm(db *d, arena *a, const struct principal *who, int64_t id);

/* The fulfilment photo of a visible wish (bytes in the arena). */
err_code svc_wish_photo(db *d, arena *a, const struct principal *who, int64_t id, const char **mime,
                        const char **data, size_t *len);

/* Counts 统计 for a place the account reviews, over the days from..to (China
 * dates YYYY-MM-DD, both included; defaults: 2000-01-01 and today), by the
 * day a wish was posted: per child place (rolled up; the place itself first),
 * per kind and per state. E_NOT_FOUND when the place is not in scope. */
struct wish_stats {
    const char *place, *place_name, *from, *to;
    struct wish_place_counts *places; /* the place itself among them */
    struct wish_count *kinds, *states;
    int nplaces, nkinds, nstates;
};
struct svc_result svc_wish_stats(db *d, arena *a, const struct principal *who, const char *place,
                                 const char *from, const char *to, struct wish_stats *out);

/* Today in China time, YYYY-MM-DD (the one clock). */
const char *wish_today(arena *a);

#endif
