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

#include "core/vocab.h"
#include "store/db.h"

/* A person in a list (store_people_list, store_household_members). */
struct person_brief {
    int64_t id;
    const char *name, *sex, *birth_date, *id_number, *phone, *place_code, *place_name, *relation,
        *member_kind /* NULL: not a party member */;
    int hukou_local;                      /* -1 unknown, 0, 1 */
    const struct vocab_entry **care_tags; /* in vocabulary order */
    int ncare_tags;
};

/* One person with every record (store_person_get). Text is NULL when not
 * stored; ids 0 when none. */
struct person_party { /* 党员 (kind NULL: not a party member) */
    const char *kind, *branch_name, *joined_on, *work_unit, *work_org_name, *reported_at,
        *reported_community, *reported_community_name, *pioneer_post, *duty_area;
    int64_t branch_id, work_org_id;
};
struct person_volunteer { /* 志愿者 */
    bool is;
    int64_t team_id;
    const char *team_name, *skills; /* skills comma-separated */
};
struct person_partner {                   /* 合伙人 (trade NULL: not a partner) */
    const char *trade, *company, *duties; /* duties comma-separated */
};
struct person_worker { /* 社区工作者 */
    bool is;
    const char *community_code, *community_name, *post, *certificate;
    int grade; /* 1..18, 0 unknown */
};
struct person {
    int64_t id;
    const char *name, *sex, *birth_date, *id_number, *phone, *place_code, *place_name, *place_level,
        *relation, *note;
    int hukou_local;                      /* -1 unknown, 0, 1 */
    int64_t created_at, updated_at;       /* Unix seconds */
    const struct vocab_entry **care_tags; /* in vocabulary order (id, zh) */
    int ncare_tags;
    struct person_party party;
    struct person_volunteer volunteer;
    struct person_partner partner;
    struct person_worker worker;
};

/* One person with every record, in one query, when the viewer holds cap over
 * the person's place — or when id is self_person (the viewer's own record;
 * pass 0 for none), into *out (may be NULL: only whether it is there). False
 * when absent or out of scope. */
bool store_person_get(db *d, arena *a, int64_t viewer, const char *cap, int64_t self_person,
                      int64_t id, struct person *out);

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
 * (place_code, id), keyset-paged, into *out: the count, or -1 on a database
 * error. */
int store_people_list(db *d, arena *a, int64_t viewer, const struct people_filter *f,
                      struct person_brief **out);
/* The opaque cursor that continues after person p of a list; and its check:
 * false when a cursor string is malformed. */
const char *store_people_cursor(arena *a, const struct person_brief *p);
bool store_people_cursor_valid(const char *cursor);

/* A place a person may live in or report to. */
struct people_place {
    const char *code, *name, *level, *parent_code;
};
/* The place into *out (may be NULL) when the viewer holds cap over it, else
 * false. */
bool store_people_place(db *d, arena *a, int64_t viewer, const char *cap, const char *code,
                        struct people_place *out);
/* Members of one household place in the viewer's people.read scope, by id,
 * after after_id, at most limit, into *out: the count, or -1. */
int store_household_members(db *d, arena *a, int64_t viewer, const char *code, int64_t after_id,
                            int limit, struct person_brief **out);

/* The kind of an organisation when the viewer holds cap over its place
 * (viewer 0: any), else NULL. */
const char *store_people_org_kind(db *d, arena *a, int64_t viewer, const char *cap, int64_t org_id);
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
/* The roles through which the account holds cap over place, into *out (n
 * of them). 0, or -1 on a database error. */
int store_account_roles_over(db *d, arena *a, int64_t account, const char *cap, const char *place,
                             const char ***out, int *n);
/* Active accounts holding role over place, by id (for notify_accounts), and
 * into *others how many of them are not account `skip`. NULL on a database
 * error. */
db_rows *store_accounts_with_role_over(db *d, arena *a, const char *role, const char *place,
                                       int64_t skip, int *others);

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
