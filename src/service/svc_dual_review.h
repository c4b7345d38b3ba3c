/* 双评价: an in-service party member's record in the community where they
 * live, the community's and the work unit's evaluations of a year, and the
 * CSV export for the work units (docs/evaluation.md).
 *
 * Scope: the community side (people.read over the member's home place) and
 * the unit side (a grant, with orgs.read, on the member's work_org) see the
 * member, and so does the member's own account (reading only); anyone else
 * gets E_NOT_FOUND, exactly like a missing id. */
#ifndef LINLI_SVC_DUAL_REVIEW_H
#define LINLI_SVC_DUAL_REVIEW_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_dual_review.h"
#include "util/buf.h"

/* The member's record (struct dual_member_row) for the year (NULL/"": this
 * year), into *out and *year. */
struct svc_result svc_dual_record(db *d, arena *a, const struct principal *who, int64_t person,
                                  const char *year_s, struct dual_member_row *out, int *year);

/* Whether the account's person is an in-service member who registered (报到)
 * in a community: one with a record of their own to read. */
bool svc_dual_is_member(db *d, const struct principal *who);

/* The members the account sees, within place (NULL/"": any) and working at
 * org (NULL/"": any), after person id after_id, at most limit rows. */
struct svc_result svc_dual_list(db *d, arena *a, const struct principal *who, const char *place,
                                const char *org_s, const char *year_s, int64_t after_id, int limit,
                                struct dual_member_row **out, int *n, int *year);

/* Gives (or replaces) one side's evaluation of the year: side "community"
 * (people.write over the member's home place) or "unit" (the work unit's
 * account); grade an id or label of core/dual_review_rule.h; comment optional
 * (≤ 500 字). Audited as entity dual_review, action create or update. The
 * input of the binders: */
struct dual_evaluation_input {
    const char *year, *side, *grade, *comment;
};

struct svc_result svc_dual_evaluate(db *d, arena *a, const struct principal *who, int64_t person,
                                    const char *year_s, const char *side, const char *grade,
                                    const char *comment);

/* Writes the CSV (UTF-8 with a BOM) of every member svc_dual_list would give
 * (all pages) into out, audited as an export; *rows gets their number. */
struct svc_result svc_dual_export(db *d, arena *a, const struct principal *who, const char *place,
                                  const char *org_s, const char *year_s, buf *out, int *rows);

#endif
