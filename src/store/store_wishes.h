/* SQL for micro-wishes 微心愿 (migration 015). Visibility is decided here, in
 * every read: an account sees a wish it posted or claimed, the wishes of the
 * places it reviews (CAP_WISHES_REVIEW), and the published ones of the places
 * its grants cover (CAP_SELF). viewer 0: the command line, sees all. */
#ifndef LINLI_STORE_WISHES_H
#define LINLI_STORE_WISHES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct wish_new {
    const char *place_code, *community_code, *kind, *title, *detail, *wanted_by;
    int64_t person_id; /* 0: none */
    const char *display_name;
    int64_t posted_by;
};
/* Returns the id, or -1. */
int64_t store_wish_insert(db *d, const struct wish_new *w, int64_t now);

/* A wish as read back: ids and times of NULL columns are 0. */
struct wish {
    int64_t id, person_id, posted_by, reviewed_by, claimed_by;
    int64_t reviewed_at, claimed_at, fulfilled_at, achieved_at, created_at, updated_at;
    const char *place_code, *place_name, *community_code, *community_name;
    const char *kind, *title, *detail, *wanted_by, *display_name, *state;
    const char *posted_by_name, *reject_reason, *claimer_name, *fulfil_note;
    bool has_photo;
};

/* One wish when the viewer may see it: true and *out. */
bool store_wish_get(db *d, arena *a, int64_t viewer, int64_t id, struct wish *out);

struct wish_filter {
    const char *state, *kind, *place; /* NULL: any */
    const char *overdue_before;       /* today (YYYY-MM-DD): only overdue wishes; NULL: any */
    bool mine;                        /* posted or claimed by the viewer */
    int64_t after_id;                 /* cursor: ids below it (newest first); 0: from the top */
    int limit;
};
/* The wishes of the filter the viewer may see: count (*out in the arena), < 0 on error. */
int store_wishes_list(db *d, arena *a, int64_t viewer, const struct wish_filter *f,
                      struct wish **out);

/* The wall of a community: published and later wishes, newest first (no scope: public):
 * count (*out in the arena), < 0 on error. */
int store_wish_wall_items(db *d, arena *a, const char *community, int limit, struct wish **out);

/* The community a place lies in (itself when it is one), or NULL. */
const char *store_place_community(db *d, arena *a, const char *code);
/* The name of a community (level community), or NULL. */
const char *store_wish_community_name(db *d, arena *a, const char *code);
/* name of a place, or NULL */
const char *store_wish_place_name(db *d, arena *a, const char *code);
/* True when the account holds the volunteer role over the place. */
bool store_wish_is_volunteer(db *d, int64_t account, const char *place_code);
/* True when the account holds cap over the place (the wish's review scope). */
bool store_wish_covers(db *d, int64_t account, const char *cap, const char *place_code);

/* Where the account lives or serves, as place codes (*out in the arena; count,
 * < 0 on error): its
 * person's household, the community its person registered at by 双报到
 * (party_members.reported_at set), and the places of its `resident` grants
 * (staff record where a resident without a linked person lives). Grants of
 * other roles do not count: a volunteer's grant is chosen by the volunteer
 * at the public sign-up, an organisation's reaches wherever it works. */
int store_wish_poster_places(db *d, arena *a, int64_t account, const char ***out);

/* The name and place of a person (no scope: the caller checks the place):
 * false when there is none. */
bool store_wish_person(db *d, arena *a, int64_t person_id, const char **name, const char **place);
/* The name an account goes by: its person's name, else its display name, else
 * its username. */
const char *store_wish_account_name(db *d, arena *a, int64_t account);

/* Conditional changes: each answers the number of rows changed (1: done,
 * 0: the wish was no longer in the expected state — someone was faster). */
int store_wish_review(db *d, int64_t id, bool approve, const char *reason, int64_t by, int64_t now);
int store_wish_claim(db *d, int64_t id, int64_t by, int64_t now);
int store_wish_fulfil(db *d, int64_t id, int64_t by, const char *note, int64_t now);
int store_wish_achieve(db *d, int64_t id, int64_t now);

int store_wish_photo_put(db *d, int64_t id, const char *mime, const char *base64, int64_t size,
                         int64_t by, int64_t now);
/* The wish's photo: its type, size and bytes in base64; false when there is none. */
bool store_wish_photo(db *d, arena *a, int64_t id, const char **mime, int64_t *size,
                      const char **base64);

/* The accounts a newly published wish is pushed to (column 0, sorted): those
 * granted over an organisation that sits in or serves the community, or has a
 * 共建协议 (包联/共建, county organs included) with it or a place inside it;
 * and the accounts of in-service party members registered 报到 there. */
db_rows *store_wish_push_accounts(db *d, arena *a, const char *community);

/* Counts below place (rolled up to its child places) for wishes created in
 * [from, to): count of places (*out in the arena), < 0 on error. */
struct wish_place_counts {
    const char *code, *name;
    int64_t total, published, claimed, achieved, overdue; /* published and claimed: or later */
};
int store_wish_stats_places(db *d, arena *a, const char *place, int64_t from, int64_t to,
                            const char *today, struct wish_place_counts **out);
/* Counts by kind or by state for wishes under place created in [from, to). */
struct wish_count {
    const char *key; /* the kind or the state */
    int64_t count;
};
int store_wish_stats_by(db *d, arena *a, const char *place, int64_t from, int64_t to, bool by_kind,
                        struct wish_count **out);

#endif
