/* 事项分类 and 责任清单 operations shared by the command line, the pages and the
 * API: seeding the tree from core/category_seed.c, the tree effective at a
 * place (a county's overrides apply to its subtree, the narrowest wins),
 * creating and changing categories, a place's override, and the
 * responsibility list with its "who handles category C at place P" lookup.
 *
 * Reads need places.read; writes need orgs.write over the place concerned
 * (a global row: over every root of the tree). Every write validates first,
 * then writes its audit entry in the same transaction. */
#ifndef LINLI_SVC_CATEGORIES_H
#define LINLI_SVC_CATEGORIES_H
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_categories.h"

/* Inserts the seed tree when the categories table is empty (at init, demo and
 * migrate). Returns the number of rows inserted (0: not empty), -1 on error. */
int categories_seed_if_empty(db *d);

/* A category as it applies at a place. */
struct category_eff {
    const char *code, *parent_code, *place_code, *place_name, *name, *description;
    long response_minutes, resolution_minutes, sort_order;
    bool working_hours, active;
    const char *tier, *skill, *whistle; /* skill, whistle NULL: none */
    const char *override_place;         /* the narrowest override applied, NULL: none */
    int depth;                          /* 0 for a top-level group */
};

/* The tree the viewer sees, depth first in sort order; at NULL: the
 * definitions themselves, else effective at that place (E_NOT_FOUND when the
 * place is absent or outside the viewer's places.read scope). */
err_code svc_categories_tree(db *d, arena *a, int64_t viewer, const char *at,
                             struct category_eff **out, int *n);
/* One category (effective at `at` when given); E_NOT_FOUND as above. */
err_code svc_category_get(db *d, arena *a, int64_t viewer, const char *code, const char *at,
                          struct category_eff *out);

/* Input of create/update/override. Numbers CAT_KEEP keep, CAT_CLEAR clear an
 * override's value (inherit); flags CAT_FLAG_KEEP / CAT_FLAG_CLEAR likewise;
 * strings NULL keep, category_inherit clears an override's value, "" means
 * none (skill, whistle, description). */
#define CAT_KEEP       LONG_MIN
#define CAT_CLEAR      (LONG_MIN + 1)
#define CAT_FLAG_KEEP  (-2)
#define CAT_FLAG_CLEAR (-1)
extern const char category_inherit[];
struct category_input {
    const char *code, *parent_code, *place_code; /* create only */
    const char *name, *description, *tier, *skill, *whistle;
    long response_minutes, resolution_minutes, sort_order;
    int working_hours, active;
};
struct category_input category_input_empty(void);

struct svc_result svc_category_create(db *d, arena *a, const struct principal *who,
                                      const struct category_input *in);
struct svc_result svc_category_update(db *d, arena *a, const struct principal *who,
                                      const char *code, const struct category_input *in);
/* Creates or changes the override of a category for a place's subtree. */
struct svc_result svc_category_override(db *d, arena *a, const struct principal *who,
                                        const char *code, const char *place,
                                        const struct category_input *in);

/* 责任清单: what a new entry gives. place_code NULL or "": everywhere; org_id
 * an organisation id as text; role lead/assist or 主责/配合 (default lead). */
#define RESP_NOTE_MAX 200 /* characters */
struct responsibility_input {
    const char *category_code, *place_code, *org_id, *role, *note;
};
struct svc_result svc_responsibility_add(db *d, arena *a, const struct principal *who,
                                         const struct responsibility_input *in);
struct svc_result svc_responsibility_remove(db *d, arena *a, const struct principal *who,
                                            int64_t id);
/* Who handles category `code` at `place`: the entries of the narrowest place
 * that has any (falling back to the parent category when it has none);
 * *category_used says which category answered. */
err_code svc_responsibility_lookup(db *d, arena *a, int64_t viewer, const char *code,
                                   const char *place, struct resp_view **out, int *n,
                                   const char **category_used);

#endif
