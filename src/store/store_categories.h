/* SQL for 事项分类 (categories, their per-place overrides) and the 责任清单
 * (responsibilities). Categories are global or local to a place subtree; a
 * viewer sees a local category, an override or a responsibility when its
 * place subtree meets the viewer's scope (it lies inside the scope, or the
 * scope lies inside it: a county's rows apply to its communities). Viewer 0
 * is the trusted command line. The service decides who may write. */
#ifndef LINLI_STORE_CATEGORIES_H
#define LINLI_STORE_CATEGORIES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/store_registry.h"

/* Columns of category rows (store_categories_list, store_category_get). */
enum category_col {
    CC_ID,
    CC_CODE,
    CC_PARENT,
    CC_PLACE,
    CC_NAME,
    CC_DESCRIPTION,
    CC_RESPONSE,
    CC_RESOLUTION,
    CC_WORKING_HOURS,
    CC_TIER,
    CC_SKILL,
    CC_WHISTLE,
    CC_ACTIVE,
    CC_SORT,
    CC_PLACE_NAME,
    CC__COUNT
};

/* Categories by sort order then id. at NULL: every category the viewer sees;
 * at a place code: the global ones and those local to an ancestor of it (the
 * caller checked the place is in scope). */
db_rows *store_categories_list(db *d, arena *a, int64_t viewer, const char *cap, const char *at);
/* One category, NULL when absent or not seen by the viewer. */
db_rows *store_category_get(db *d, arena *a, int64_t viewer, const char *cap, const char *code);
int64_t store_categories_count(db *d);

struct category_row {
    const char *code, *parent_code, *place_code, *name, *description;
    long response_minutes, resolution_minutes;
    int working_hours, active;
    const char *tier, *skill, *whistle;
    long sort_order;
};
int64_t store_category_insert(db *d, const struct category_row *c, int64_t now);
int store_category_update(db *d, const struct category_row *c, int64_t now); /* by code */

/* Columns of override rows. Integers NULL where inherited. */
enum override_col {
    OV_ID,
    OV_CODE,
    OV_PLACE,
    OV_RESPONSE,
    OV_RESOLUTION,
    OV_WORKING_HOURS,
    OV_TIER,
    OV_SKILL,
    OV_WHISTLE,
    OV_ACTIVE,
    OV_PLACE_NAME,
    OV__COUNT
};
/* Overrides on the place and its ancestors (every category), widest first. */
db_rows *store_category_overrides_at(db *d, arena *a, const char *place);
/* The overrides of one category the viewer sees, by place code. */
db_rows *store_category_overrides_of(db *d, arena *a, int64_t viewer, const char *cap,
                                     const char *code);
/* The override of a category at exactly this place, or NULL. */
db_rows *store_category_override_get(db *d, arena *a, const char *code, const char *place);

/* An override's values; LONG_MIN / -1 / NULL: inherit. */
struct override_row {
    const char *code, *place_code;
    long response_minutes, resolution_minutes; /* 0: inherit */
    int working_hours, active;                 /* -1: inherit */
    const char *tier, *skill, *whistle;        /* NULL: inherit; skill/whistle "": none */
};
int64_t store_category_override_put(db *d, const struct override_row *o, int64_t now);

/* Columns of responsibility rows. */
enum resp_col {
    RC_ID,
    RC_CODE,
    RC_CATEGORY_NAME,
    RC_PLACE,
    RC_PLACE_NAME,
    RC_ORG_ID,
    RC_ORG_NAME,
    RC_ORG_KIND,
    RC_ROLE,
    RC_NOTE,
    RC__COUNT
};
struct resp_filter {
    const char *category; /* NULL: all */
    const char *place;    /* NULL: all seen; else rows whose subtree contains it */
    int64_t after_id;
    int limit;
};
/* Responsibilities the viewer sees, by id (keyset after after_id). */
db_rows *store_responsibilities_list(db *d, arena *a, int64_t viewer, const char *cap,
                                     const struct resp_filter *f);
db_rows *store_responsibility_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t id);
/* 1 when the same category, place (or NULL) and organisation are listed. */
bool store_responsibility_exists(db *d, const char *code, const char *place, int64_t org_id);
int64_t store_responsibility_insert(db *d, const char *code, const char *place, int64_t org_id,
                                    const char *role, const char *note, int64_t now);
int store_responsibility_delete(db *d, int64_t id);

/* An organisation's id, name, kind and home place (no scope), or NULL. */
db_rows *store_category_org_brief(db *d, arena *a, int64_t org_id);
/* True when the viewer holds cap over every root of the place tree (what a
 * global row needs). */
bool store_scope_covers_all(db *d, int64_t viewer, const char *cap);

/* ---- Rows as structs (callers outside store/ read fields, not columns) ---- */

/* A category as read. */
struct category_view {
    int64_t id;
    struct category_row row; /* skill, whistle NULL or "" for none */
    const char *place_name;  /* of a local category's place */
};
int store_categories_find(db *d, arena *a, int64_t viewer, const char *cap, const char *at,
                          struct category_view **out); /* -1 on failure */
bool store_category_read(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                         struct category_view *out);
/* The sort order after every category's. */
int64_t store_category_next_sort(db *d);

/* An override as read (the inherit values of struct override_row). */
struct override_view {
    int64_t id;
    struct override_row row;
    const char *place_name;
};
int store_category_overrides_at_list(db *d, arena *a, const char *place,
                                     struct override_view **out); /* -1 on failure */
int store_category_overrides_of_list(db *d, arena *a, int64_t viewer, const char *cap,
                                     const char *code, struct override_view **out);
bool store_category_override_read(db *d, arena *a, const char *code, const char *place,
                                  struct override_view *out);

struct resp_view {
    int64_t id, org_id;
    const char *category_code, *category_name, *place_code, *place_name;
    const char *org_name, *org_kind, *role, *note;
};
int store_responsibilities_find(db *d, arena *a, int64_t viewer, const char *cap,
                                const struct resp_filter *f,
                                struct resp_view **out); /* -1 on failure */
bool store_responsibility_read(db *d, arena *a, int64_t viewer, const char *cap, int64_t id,
                               struct resp_view *out);

struct org_brief {
    int64_t id;
    const char *name, *kind, *place_code;
};
/* store_category_org_brief as a struct: false when there is no such organisation. */
bool store_category_org_read(db *d, arena *a, int64_t org_id, struct org_brief *out);

#endif
