/* Binders of the people operations: the one mapping from a request (a JSON
 * body or a posted form) to a service input, used by the API handler and the
 * page handler alike, so that the two cannot drift (a page that did not send a
 * field the API sets used to clear it; see issue 11). Each handler calls
 * bind_input(r, &X_bind, &in) after setting in's defaults ({0}). */
#ifndef LINLI_BIND_PEOPLE_H
#define LINLI_BIND_PEOPLE_H
#include "http/bind.h"
#include "service/svc_people.h"

/* POST /api/v1/residents and POST /residents (struct person_input). */
extern const struct binder person_create_bind;
/* PATCH /api/v1/residents/{id} and POST /residents/{id}/edit: absent fields
 * are unchanged; on the page an empty 身份证号 or phone (never prefilled) too. */
extern const struct binder person_update_bind;
/* POST …/reveal (struct reveal_input). */
extern const struct binder reveal_bind;
/* GET /api/v1/residents and GET /residents: the search from the query string
 * (every parameter may be absent). */
struct people_query bind_people_query(req *r);

/* PUT /api/v1/residents/{id}/X and POST /residents/{id}/X of the records. */
extern const struct binder party_member_bind; /* struct party_member_input */
extern const struct binder volunteer_bind;    /* struct volunteer_input */
extern const struct binder partner_bind;      /* struct partner_input */
extern const struct binder worker_bind;       /* struct worker_input */
extern const struct binder care_tags_bind;    /* struct care_tags_input */

#endif
