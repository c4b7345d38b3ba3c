/* Organisation operations shared by the command line, the pages and the API:
 * create and update an organisation (kind, name, parent in the party tree,
 * home place, places served; for a compound branch its formation, the 五有
 * standard, its secretary chosen in one of the 四个一批 ways and 一肩挑), add a
 * 共建协议, and the branch coverage report. Writes validate, check scope, and
 * write their audit entry in the same transaction. */
#ifndef LINLI_SVC_ORGS_H
#define LINLI_SVC_ORGS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/branch_rule.h"
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"

#define ORG_NAME_MAX   100 /* characters */
#define ORG_PLACES_MAX 500

/* Flags of struct org_input: keep the stored value, clear it (not assessed), or set. */
enum { ORG_FLAG_KEEP = -2, ORG_FLAG_NULL = -1 };

/* NULL strings and ORG_FLAG_KEEP keep what is stored (on create: empty).
 * Filled by bind_org() (http/bind_orgs.h) from a JSON body or the page form. */
struct org_input {
    const char *kind; /* id or Chinese label (vocab_org_kinds) */
    const char *name;
    const char *place_code; /* home place */
    const char *formation;  /* branches: standalone/joint or 单独组建/联合组建; "" clears */
    const char *phone;      /* "" clears */
    const char *parent_id;  /* an organisation id; "" none */
    bool set_places;
    const char *const *places;
    int nplaces;
    /* compound branches only: ORG_FLAG_KEEP, ORG_FLAG_NULL (not assessed), 0 or 1 */
    int has_position, has_ledger, has_mechanism, has_plan, one_shoulder;
    const char *secretary_person_id; /* a person id; "" none */
    const char *secretary_way;       /* id or label; "" clears */
};
/* An input with every flag ORG_FLAG_KEEP and nothing set. */
struct org_input org_input_empty(void);

struct svc_result svc_org_create(db *d, arena *a, const struct principal *who,
                                 const struct org_input *in);
struct svc_result svc_org_update(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct org_input *in);

#define AGREEMENT_TITLE_MAX 200 /* characters */
/* A 共建协议 between the organisation and a community (or village). */
struct agreement_input {
    const char *place_code, *title;
    const char *signed_on, *expires_on; /* YYYY-MM-DD; expires_on NULL or "": open-ended */
};
struct svc_result svc_agreement_add(db *d, arena *a, const struct principal *who, int64_t org_id,
                                    const struct agreement_input *in);

/* 四个一批: how a compound branch secretary was chosen. */
const char *org_secretary_way_zh(const char *id);   /* NULL if unknown */
const char *org_secretary_way_parse(const char *s); /* id for an id or label, else NULL */
extern const char *const org_secretary_ways[];      /* ids, NULL-terminated */
/* True for the kinds of the party tree (党委 … 党员中心户). */
bool org_kind_is_party(const char *kind);

/* The branch coverage report under a place: one row per child place in scope
 * and the total over the whole subtree. */
struct coverage_row {
    const char *code, *name, *level;
    struct branch_coverage cov;
    long party_members;      /* in the compounds */
    long standalone_missing; /* compounds the rule says standalone (≥ 3 members) without one */
    long joint_missing;      /* compounds the rule says joint (< 3) not in a joint branch */
};
struct coverage_group { /* a proposed joint branch (community reports) */
    int ncompounds;
    const char **codes, **names;
    long members;
};
struct coverage_report {
    struct coverage_row total;
    struct coverage_row *rows;
    int nrows;
    struct coverage_group *groups; /* only when the place is a community */
    int ngroups;
};
/* E_NOT_FOUND when the place is absent or outside the viewer's orgs.read scope. */
err_code svc_branch_coverage(db *d, arena *a, int64_t viewer, const char *place_code,
                             struct coverage_report *out);

#endif
