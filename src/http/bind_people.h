/* Binders of the people operations: the one mapping from a request (a JSON
 * body or a posted form) to a service input, used by the API handler and the
 * page handler alike, so that the two cannot drift (a page that did not send a
 * field the API sets used to clear it; see issue 11). */
#ifndef LINLI_BIND_PEOPLE_H
#define LINLI_BIND_PEOPLE_H
#include "http/http.h"
#include "service/svc_people.h"

/* A text field: NULL when absent; "" when JSON null (the API's way to clear a
 * value); otherwise the JSON string, number or boolean, or the form value. */
const char *bind_str(req *r, const char *name);

/* remove: JSON true, or a checked form box. */
bool bind_remove(req *r);

/* PUT /api/v1/residents/{id}/party-member and POST /residents/{id}/party-member. */
err_code bind_party_member(req *r, struct party_member_input *in);

#endif
