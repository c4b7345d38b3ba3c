/* The people ledger in SQL: residents with their party-member, volunteer,
 * partner and community-worker records and care tags.
 *
 * Every read takes the viewer's account id and a capability and checks data
 * scope in the query itself (store/scope.h); account 0 is the trusted command
 * line. A person outside the viewer's scope is simply not found. Values come
 * back unmasked: masking is the caller's business (core/mask.h), because only
 * a logged reveal may show them. */
#ifndef LINLI_STORE_PEOPLE_H
#define LINLI_STORE_PEOPLE_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Columns of store_person_get (one row). */
enum person_col {
    PC_ID,
    PC_NAME,
    PC_SEX,
    PC_BIRTH_DATE,
    PC_ID_NUMBER,
    PC_PHONE,
    PC_PLACE_CODE,
    PC_PLACE_NAME,
    PC_PLACE_LEVEL,
    PC_HUKOU_LOCAL,
    PC_RELATION,
    PC_NOTE,
    PC_CREATED_AT,
    PC_UPDATED_AT,
    PC_CARE_TAGS, /* comma-separated tag ids, or NULL */
    /* party member (NULL member_kind: not a party member) */
    PC_MEMBER_KIND,
    PC_BRANCH_ID,
    PC_BRANCH_NAME,
    PC_JOINED_ON,
    PC_WORK_UNIT,
    PC_WORK_ORG_ID,
    PC_WORK_ORG_NAME,
    PC_REPORTED_AT,
    PC_REPORTED_COMMUNITY,
    PC_REPORTED_COMMUNITY_NAME,
    PC_PIONEER_POST,
    PC_DUTY_AREA,
    /* volunteer (NULL volunteer_of: not a volunteer) */
    PC_VOLUNTEER_OF,
    PC_TEAM_ID,
    PC_TEAM_NAME,
    PC_SKILLS,
    /* partner (NULL trade: not a partner) */
    PC_TRADE,
    PC_COMPANY,
    PC_DUTIES,
    /* community worker (NULL worker_of: not a worker) */
    PC_WORKER_OF,
    PC_WORKER_COMMUNITY,
    PC_WORKER_COMMUNITY_NAME,
    PC_POST,
    PC_GRADE,
    PC_CERTIFICATE,
    PC__COUNT
};

/* Columns of store_people_list and store_household_members (one row each). */
enum person_list_col {
    PL_ID,
    PL_NAME,
    PL_SEX,
    PL_BIRTH_DATE,
    PL_ID_NUMBER,
    PL_PHONE,
    PL_PLACE_CODE,
    PL_PLACE_NAME,
    PL_HUKOU_LOCAL,
    PL_RELATION,
    PL_MEMBER_KIND,
    PL_CARE_TAGS,
    PL__COUNT
};

/* One person with every record, in one query, when the viewer holds cap over
 * the person's place — or when id is self_person (the viewer's own record;
 * pass 0 for none). NULL when absent or out of scope. */
db_rows *store_person_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t self_person,
                          int64_t id);

struct people_filter {
    const char *place; /* subtree code, or NULL */
    const char *name;  /* name prefix (or contains when name_contains) */
    bool name_contains;
    const char *q;           /* name contains q */
    const char *phone;       /* exact phone: a part of a number matches nothing (masked
                                phones would otherwise be completed digit by digit) */
    const char *care_tag;    /* tag id */
    int party;               /* -1 any, 1 party members only, 0 non-members only */
    const char *member_kind; /* party member kind id */
    int min_age;             /* 0: any; else aged min_age or more today */
    int hukou;               /* -1 any, 1 local 户籍, 0 not local */
    const char *cursor;      /* opaque, from store_people_cursor, or NULL */
    int limit;               /* rows to fetch (callers ask one more to know if more follow) */
};

/* Residents in the viewer's people.read scope matching f, ordered by
 * (place_code, id), keyset-paged. NULL on a database error. */
db_rows *store_people_list(db *d, arena *a, int64_t viewer, const struct people_filter *f);
/* The opaque cursor that continues after row i of a list; and its check:
 * false when a cursor string is malformed. */
const char *store_people_cursor(arena *a, const db_rows *r, int i);
bool store_people_cursor_valid(const char *cursor);

/* The place (code, name, level, parent_code) when the viewer holds cap over
 * it, else NULL. */
db_rows *store_people_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code);
/* Members of one household place in the viewer's people.read scope, by id,
 * after after_id, at most limit. */
db_rows *store_household_members(db *d, arena *a, int64_t viewer, const char *code,
                                 int64_t after_id, int limit);

/* An organisation (id, kind, name, place_code) when the viewer holds cap over
 * its place (viewer 0: any), else NULL. */
db_rows *store_people_org(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id);
/* The person holding this 身份证号, other than except_id; 0 when none. */
int64_t store_person_by_id_number(db *d, const char *id_number, int64_t except_id);
/* The place code of a person (no scope: for audit entries), or NULL. */
const char *store_person_place_code(db *d, arena *a, int64_t id);

/* Reveal counting (migration 023), inside the caller's write transaction. */
struct reveal_count {
    int n;                        /* reveals on `day`, this one included */
    const char *recent;           /* the stored window: Unix seconds, oldest first */
    int64_t burst_alerted_at;     /* 0: never */
    const char *limit_alerted_on; /* a day, or NULL */
};
/* Counts one reveal of the account on day and reads back its row, which the
 * transaction then holds locked. 0, or a negative DB_* code. */
int store_reveal_count(db *d, arena *a, int64_t account, const char *day, struct reveal_count *out);
/* Stores the window and the alert marks of the account's row. */
int store_reveal_mark(db *d, int64_t account, const char *recent, int64_t burst_alerted_at,
                      const char *limit_alerted_on);
/* The roles through which the account holds cap over place (one column). */
db_rows *store_account_roles_over(db *d, arena *a, int64_t account, const char *cap,
                                  const char *place);
/* Active accounts (column 0) holding role over place, by id. */
db_rows *store_accounts_with_role_over(db *d, arena *a, const char *role, const char *place);

/* Writes (no scope: the service checked it). */
struct person_row {
    const char *name, *sex, *birth_date, *id_number, *phone, *place_code, *relation, *note;
    int hukou_local; /* -1 unknown, 0, 1 */
};
/* Returns the new id or a negative DB_* code. */
int64_t store_person_insert(db *d, const struct person_row *p);
int store_person_update(db *d, int64_t id, const struct person_row *p);

struct party_member_row {
    const char *kind, *joined_on, *work_unit, *reported_at, *reported_community, *pioneer_post,
        *duty_area;
    int64_t branch_id, work_org_id; /* 0: none */
};
/* Replaces the record; NULL removes it. Same for the three below. */
int store_party_member_put(db *d, int64_t person_id, const struct party_member_row *m);

struct volunteer_row {
    int64_t team_id;
    const char *skills; /* comma-separated */
};
int store_volunteer_put(db *d, int64_t person_id, const struct volunteer_row *v);

struct partner_row {
    const char *trade, *company, *duties;
};
int store_partner_put(db *d, int64_t person_id, const struct partner_row *p);

struct worker_row {
    const char *community_code, *post, *certificate;
    int grade; /* 1..18, 0 unknown */
};
int store_worker_put(db *d, int64_t person_id, const struct worker_row *w);

/* Replaces the person's care tags with tags[0..n). */
int store_care_tags_put(db *d, int64_t person_id, const char *const *tags, int n);

/* ---- for the people import and export (io/people_import.c, io/people_export.c) ---- */

/* The person holding a 身份证号 (one probe of its unique index): 1 with *id
 * and *place_code (in a), 0 when none, -1 on error. */
int store_person_holding_id_number(db *d, arena *a, const char *id_number, int64_t *id,
                                   const char **place_code);

/* An organisation as a row of the import names it. */
struct org_ref {
    int64_t id;
    const char *kind, *place_code;
};
/* The organisation with this id: 1 (filled, strings in a), 0 none, -1 error. */
int store_org_ref(db *d, arena *a, int64_t id, struct org_ref *out);
/* The party organisations (committees, branches, groups) called name that
 * viewer holds cap over (viewer 0: all), by id, at most 50: their number
 * (*out in a) or -1 on error. */
int store_party_orgs_named(db *d, arena *a, int64_t viewer, const char *cap, const char *name,
                           struct org_ref **out);

/* The deepest place whose code is a prefix of `prefix` (the longest common
 * prefix of some rows' place codes), searching up from `sample`, one of those
 * codes. NULL when there is none. Files an import's or export's audit entry
 * under the place it concerns. */
const char *store_place_covering(db *d, arena *a, const char *sample, const char *prefix);

/* A person as the export writes them. */
struct person_export_row {
    int64_t id;
    struct person_row p;
    const char *place_name, *member_kind, *branch_name, *work_unit, *reported_at, *skills;
    const char **tags; /* care tag ids, sorted */
    int ntags;
};
/* The people with id > after in place's subtree (NULL: everywhere) that
 * viewer holds cap over (viewer 0: all), in id order, at most
 * PEOPLE_EXPORT_BATCH, with their care tags: their number (*out in a) or -1
 * on error. */
enum { PEOPLE_EXPORT_BATCH = 1000 };
int store_people_export_batch(db *d, arena *a, int64_t viewer, const char *cap, const char *place,
                              int64_t after, struct person_export_row **out);
/* How many people store_people_export_batch would give in all; -1 on error. */
int64_t store_people_export_count(db *d, int64_t viewer, const char *cap, const char *place);
/* The smallest and largest place code of the people viewer holds cap over
 * (viewer 0: all); false when there are none. */
bool store_people_place_span(db *d, arena *a, int64_t viewer, const char *cap, const char **lo,
                             const char **hi);

#endif
