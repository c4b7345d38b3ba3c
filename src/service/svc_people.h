/* People-ledger operations shared by the command line, the pages and the API:
 * validation (names, 身份证号 with core/idcard.h, phones, dates, vocabularies),
 * data scope (people.write over the person's place — both places when a person
 * moves), the transaction and its audit entry with before/after JSON.
 *
 * Inputs are strings as typed or posted: NULL means "not given" (on update:
 * unchanged), "" means "none" (on update: cleared). who NULL is the command
 * line. Bad input changes nothing. */
#ifndef LINLI_SVC_PEOPLE_H
#define LINLI_SVC_PEOPLE_H
#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "store/store_people.h"

#define PERSON_NAME_MAX 50 /* characters */

struct people_filter;

/* A resident search as typed in a query string; every field may be NULL. */
struct people_query {
    const char *place, *name, *name_match /* prefix | contains */, *q, *phone, *care_tag,
        *party /* 1 | 0 */, *member_kind, *min_age, *elderly /* 1 */, *hukou /* 1 | 0 */, *cursor;
};
/* Checks a search and fills *f (limit is left to the caller). */
struct svc_result svc_people_filter(arena *a, const struct people_query *q,
                                    struct people_filter *f);

#define PERSON_RELATION_MAX 20  /* characters */
#define PERSON_NOTE_MAX     500 /* characters */

struct person_input {
    const char *name, *sex, *birth_date, *id_number, *phone, *place_code,
        *hukou_local /* 1/0, true/false, 本地/外地 */, *relation, *note;
};

struct svc_result svc_person_create(db *d, arena *a, const struct principal *who,
                                    const struct person_input *in);
struct svc_result svc_person_update(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct person_input *in);

/* Reveals: an account may see REVEAL_DAILY_LIMIT people's full 身份证号 and
 * phone a day (Beijing date; counted in the database, so every server process
 * shares the count); REVEAL_BURST reveals within REVEAL_BURST_SECONDS, or
 * reaching the daily limit, send an inbox item (kind "reveal_alert") to the
 * accounts of the level above — a community's staff to the street's admins,
 * a street's to the county's, up to the system administrators — at most one
 * burst alert an hour and one limit alert a day. */
#define REVEAL_DAILY_LIMIT   30
#define REVEAL_BURST         10
#define REVEAL_BURST_SECONDS 3600
#define REVEAL_REASON_MAX    100 /* characters */

/* Loads one person unmasked for a viewer holding people.reveal over them and
 * logs the reveal (action "reveal", the reason in after_json and the note) in
 * the same transaction. reason is required. Past the daily limit: E_RATE_LIMITED
 * and nothing changes. The command line (who NULL) is not limited. *out
 * receives the person. */
struct reveal_input {
    const char *reason;
};
struct svc_result svc_person_reveal(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct reveal_input *in, struct person *out);

/* Each of the four records below is replaced whole; remove drops it. Text
 * limits in characters. */
#define PARTY_TEXT_MAX         100 /* work_unit, pioneer_post, duty_area */
#define PARTNER_COMPANY_MAX    100
#define WORKER_POST_MAX        20
#define WORKER_CERTIFICATE_MAX 50
struct party_member_input {
    const char *kind, *branch_id, *joined_on, *work_unit, *work_org_id, *reported_at,
        *reported_community, *pioneer_post, *duty_area;
    bool remove;
};
struct svc_result svc_party_member_set(db *d, arena *a, const struct principal *who, int64_t id,
                                       const struct party_member_input *in);

struct volunteer_input {
    const char *skills; /* separated by , ， 、 or spaces */
    const char *team_id;
    bool remove;
};
struct svc_result svc_volunteer_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct volunteer_input *in);

struct partner_input {
    const char *trade, *company, *duties;
    bool remove;
};
struct svc_result svc_partner_set(db *d, arena *a, const struct principal *who, int64_t id,
                                  const struct partner_input *in);

struct worker_input {
    const char *community_code, *post, *grade, *certificate;
    bool remove;
};
struct svc_result svc_worker_set(db *d, arena *a, const struct principal *who, int64_t id,
                                 const struct worker_input *in);

/* Replaces the care tags; each is a tag id or its Chinese label. Not given
 * (set false) is refused: the list is replaced whole. */
#define CARE_TAGS_MAX 64
struct care_tags_input {
    const char **tags;
    int n;
    bool set;
};
struct svc_result svc_care_tags_set(db *d, arena *a, const struct principal *who, int64_t id,
                                    const struct care_tags_input *in);

#endif
