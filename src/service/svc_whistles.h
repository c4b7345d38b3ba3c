/* 吹哨报到: a county's whistle kinds (报到 limit and departments called), blowing
 * a whistle on an order (one call per configured department, each with its
 * deadline), a department's 报到, and the tick that marks unanswered calls
 * overdue once and escalates the order one level. Every write appends an
 * order event and an audit entry in the same transaction. */
#ifndef LINLI_SVC_WHISTLES_H
#define LINLI_SVC_WHISTLES_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

/* The county of a place code (its first 6 digits) into out[7]. */
const char *whistle_county_of(const char *place, char out[7]);

/* Seeds the four kinds with default limits and departments (found by name
 * among the county's departments) for a county that has none; 0 or -1. */
int svc_whistle_kinds_seed(db *d, const char *county);

/* Configures one kind for a county: answer_minutes ("" keeps) and the
 * departments (organisations of kind department). Only an account leading the
 * whole county (accounts.admin at the county or above). */
/* A county's configuration of a kind (what is given changes). */
struct whistle_kind_input {
    const char *county; /* the 6-digit county code */
    int64_t answer_minutes;
    bool minutes_set;
    const int64_t *orgs; /* the departments called, when orgs_given */
    int norgs;
    bool orgs_given;
};
struct svc_result svc_whistle_kind_put(db *d, arena *a, const struct principal *who,
                                       const char *kind, const struct whistle_kind_input *in);

/* What a 吹哨 carries (NULL: absent). */
struct whistle_blow_input {
    const char *kind, *note;
};
/* Blows a whistle on an order (dispatcher or secretary of its place, active
 * orders only); returns the whistle id. */
struct svc_result svc_whistle_blow(db *d, arena *a, const struct principal *who, int64_t order_id,
                                   const struct whistle_blow_input *in);

/* What a department's 报到 carries (NULL: absent). */
struct whistle_report_input {
    const char *note;
};
/* 报到 of a call by an account holding a grant on the called organisation.
 * E_NOT_FOUND for anyone else, E_CONFLICT when already answered. */
struct svc_result svc_whistle_report(db *d, arena *a, const struct principal *who, int64_t call_id,
                                     const struct whistle_report_input *in);

/* Marks the calls unanswered past their deadline overdue (each once: a
 * conditional UPDATE claims them) and escalates each such whistle's order one
 * level with the system actor. Returns how many whistles it escalated, -1 on
 * error. The scheduler calls it. */
int svc_whistles_tick(db *d, arena *a, time_t now);

#endif
