/* Binders of the people operations; see bind_people.h. Limits are the ones
 * the service enforces (service/svc_people.h). */
#include "http/bind_people.h"

struct people_query bind_people_query(req *r)
{
    return (struct people_query){
        .place = req_query(r, "place"),
        .name = req_query(r, "name"),
        .name_match = req_query(r, "name_match"),
        .q = req_query(r, "q"),
        .phone = req_query(r, "phone"),
        .care_tag = req_query(r, "care_tag"),
        .party = req_query(r, "party"),
        .member_kind = req_query(r, "member_kind"),
        .min_age = req_query(r, "min_age"),
        .elderly = req_query(r, "elderly"),
        .hukou = req_query(r, "hukou"),
        .cursor = req_query(r, "cursor"),
    };
}

/* A person's fields; JSON null clears a value (""). `req` marks the fields a
 * new person needs; `keep` the ones a page leaves empty to keep them. */
#define PERSON_FIELDS(req, keep)                                                                   \
    {                                                                                              \
        BIND_TEXT(struct person_input, name, "name", PERSON_NAME_MAX, BIND_NULL_CLEARS | (req)),   \
            BIND_TEXT(struct person_input, sex, "sex", 0, BIND_NULL_CLEARS),                       \
            BIND_DATE(struct person_input, birth_date, "birth_date", BIND_NULL_CLEARS),            \
            BIND_TEXT(struct person_input, id_number, "id_number", 0, BIND_NULL_CLEARS | (keep)),  \
            BIND_TEXT(struct person_input, phone, "phone", 0, BIND_NULL_CLEARS | (keep)),          \
            BIND_TEXT(struct person_input, place_code, "place_code", 0, BIND_NULL_CLEARS | (req)), \
            BIND_TEXT(struct person_input, hukou_local, "hukou_local", 0,                          \
                      BIND_NULL_CLEARS | BIND_LOOSE),                                              \
            BIND_TEXT(struct person_input, relation, "relation", PERSON_RELATION_MAX,              \
                      BIND_NULL_CLEARS),                                                           \
            BIND_TEXT(struct person_input, note, "note", PERSON_NOTE_MAX,                          \
                      BIND_NULL_CLEARS | BIND_MULTILINE),                                          \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }

static const struct bind_field person_create_fields[] = PERSON_FIELDS(BIND_REQUIRED, 0);
BINDER(person_create_bind, person_create_fields, "POST /api/v1/residents", "POST /residents");

static const struct bind_field person_update_fields[] = PERSON_FIELDS(0, BIND_EMPTY_KEEPS);
BINDER(person_update_bind, person_update_fields, "PATCH /api/v1/residents/{id}",
       "POST /residents/{id}/edit");

static const struct bind_field reveal_fields[] = {
    BIND_TEXT(struct reveal_input, reason, "reason", REVEAL_REASON_MAX, BIND_REQUIRED), {0}};
BINDER(reveal_bind, reveal_fields, "POST /api/v1/residents/{id}/reveal",
       "POST /residents/{id}/reveal");

#define PM(m, name, max) BIND_TEXT(struct party_member_input, m, name, max, BIND_NULL_CLEARS)
static const struct bind_field party_member_fields[] = {
    BIND_TEXT(struct party_member_input, kind, "kind", 0, 0),
    BIND_ID(struct party_member_input, branch_id, "branch_id", BIND_NULL_CLEARS),
    BIND_DATE(struct party_member_input, joined_on, "joined_on", BIND_NULL_CLEARS),
    PM(work_unit, "work_unit", PARTY_TEXT_MAX),
    BIND_ID(struct party_member_input, work_org_id, "work_org_id", BIND_NULL_CLEARS),
    BIND_DATE(struct party_member_input, reported_at, "reported_at", BIND_NULL_CLEARS),
    PM(reported_community, "reported_community", 0),
    PM(pioneer_post, "pioneer_post", PARTY_TEXT_MAX),
    PM(duty_area, "duty_area", PARTY_TEXT_MAX),
    BIND_BOOL(struct party_member_input, remove, "remove", 0),
    {0}};
BINDER(party_member_bind, party_member_fields, "PUT /api/v1/residents/{id}/party-member",
       "POST /residents/{id}/party-member");

static const struct bind_field volunteer_fields[] = {
    BIND_TEXT(struct volunteer_input, skills, "skills", 0, BIND_NULL_CLEARS | BIND_LOOSE),
    BIND_ID(struct volunteer_input, team_id, "team_id", BIND_NULL_CLEARS),
    BIND_BOOL(struct volunteer_input, remove, "remove", 0),
    {0}};
BINDER(volunteer_bind, volunteer_fields, "PUT /api/v1/residents/{id}/volunteer",
       "POST /residents/{id}/volunteer");

static const struct bind_field partner_fields[] = {
    BIND_TEXT(struct partner_input, trade, "trade", 0, 0),
    BIND_TEXT(struct partner_input, company, "company", PARTNER_COMPANY_MAX, BIND_NULL_CLEARS),
    BIND_TEXT(struct partner_input, duties, "duties", 0, BIND_NULL_CLEARS | BIND_LOOSE),
    BIND_BOOL(struct partner_input, remove, "remove", 0),
    {0}};
BINDER(partner_bind, partner_fields, "PUT /api/v1/residents/{id}/partner",
       "POST /residents/{id}/partner");

static const struct bind_field worker_fields[] = {
    BIND_TEXT(struct worker_input, community_code, "community_code", 0, BIND_NULL_CLEARS),
    BIND_TEXT(struct worker_input, post, "post", WORKER_POST_MAX, BIND_NULL_CLEARS),
    BIND_TEXT(struct worker_input, grade, "grade", 0, BIND_NULL_CLEARS | BIND_LOOSE),
    BIND_TEXT(struct worker_input, certificate, "certificate", WORKER_CERTIFICATE_MAX,
              BIND_NULL_CLEARS),
    BIND_BOOL(struct worker_input, remove, "remove", 0),
    {0}};
BINDER(worker_bind, worker_fields, "PUT /api/v1/residents/{id}/community-worker",
       "POST /residents/{id}/community-worker");

static const struct bind_field care_tags_fields[] = {
    BIND_TEXT_LIST(struct care_tags_input, tags, n, set, "care_tags", CARE_TAGS_MAX, BIND_REQUIRED),
    {0}};
BINDER(care_tags_bind, care_tags_fields, "PUT /api/v1/residents/{id}/care-tags",
       "POST /residents/{id}/care-tags");
