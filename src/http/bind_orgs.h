/* Binders of the registry operations — organisations, their 共建协议, service
 * positions (阵地) — the one mapping from a request (a JSON body or a posted
 * form) to a service input, used by the API handler and the page handler
 * alike (http/bind.h). */
#ifndef LINLI_BIND_ORGS_H
#define LINLI_BIND_ORGS_H
#include "http/http.h"
#include "service/svc_orgs.h"
#include "service/svc_stations.h"

/* POST /api/v1/organisations, POST /organisations (create: kind, name and
 * place_code required) and PATCH /api/v1/organisations/{id}, POST
 * /organisations/{id} (only what is given changes). */
err_code bind_org(req *r, bool create, struct org_input *in);

/* POST /api/v1/organisations/{id}/agreements, POST /organisations/{id}/agreements. */
err_code bind_agreement(req *r, struct agreement_input *in);

/* POST /api/v1/stations, POST /stations and PATCH /api/v1/stations/{id},
 * POST /stations/{id}. */
err_code bind_station(req *r, bool create, struct station_input *in);

#endif
