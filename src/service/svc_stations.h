/* Service-position operations shared by the command line, the pages and the
 * API: create and update a 党群服务中心 / 小区党群服务站 / 爱心驿站 (where it sits,
 * area, funding, construction mode, hours, the 六有一好 standard and the 2+5+N
 * modules, the compounds it serves), and the registry's summary under a place
 * (counts by kind, standardized, compounds covered). Writes validate, check
 * places.write scope and write their audit entry in the same transaction. */
#ifndef LINLI_SVC_STATIONS_H
#define LINLI_SVC_STATIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/principal.h"
#include "core/station_rule.h"
#include "service/svc_accounts.h" /* struct svc_result */
#include "store/db.h"

#define STATION_NAME_MAX   100 /* characters */
#define STATION_TEXT_MAX   200 /* address, hours */
#define STATION_EXTRA_MAX  20  /* N modules */
#define STATION_MODULE_MAX 20  /* characters of one N module */
#define STATION_PLACES_MAX 200
#define STATION_AREA_MAX   100000     /* m² */
#define STATION_FUNDS_MAX  1000000000 /* 元 */

enum { STATION_KEEP = -1 };

/* NULL strings and STATION_KEEP keep what is stored (on create: empty / 0);
 * "" clears an optional field. Numbers are text ("" clears), so forms and the
 * API share one validation. Filled by bind_station() (http/bind_stations.h). */
struct station_input {
    const char *kind; /* id or Chinese label */
    const char *name;
    const char *place_code; /* the community or compound it sits in */
    const char *address, *build_mode, *opened_on, *hours, *phone;
    const char *area_m2, *funding; /* digits as text; "" clears */
    bool zone_24h, zone_8h;
    bool set_zone_24h, set_zone_8h;
    int items[SI__COUNT]; /* STATION_KEEP, 0 or 1 */
    bool set_extra;
    const char *const *extra; /* N modules */
    int nextra;
    bool set_places;
    const char *const *places; /* compounds served */
    int nplaces;
};
/* An input that keeps everything. */
struct station_input station_input_empty(void);

struct svc_result svc_station_create(db *d, arena *a, const struct principal *who,
                                     const struct station_input *in);
struct svc_result svc_station_update(db *d, arena *a, const struct principal *who, int64_t id,
                                     const struct station_input *in);

struct station_summary {
    long centers, stations, love_posts;
    long standardized;       /* centers and stations meeting the standard */
    long compounds, covered; /* compounds with a station */
    int coverage_permille;
};
/* Stations sitting in or serving the subtree of place, in the viewer's
 * places.read scope. E_NOT_FOUND when the place is absent or out of scope. */
err_code svc_station_summary(db *d, arena *a, int64_t viewer, const char *place,
                             struct station_summary *out);

#endif
