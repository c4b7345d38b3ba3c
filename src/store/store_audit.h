/* The audit log: every change and every reveal of personal data, written in
 * the same transaction as the change it records. */
#ifndef LINLI_STORE_AUDIT_H
#define LINLI_STORE_AUDIT_H
#include "core/principal.h"
#include "store/db.h"

/* who NULL or account 0: the command line. before/after are JSON text or NULL. */
int audit_write(db *d, const struct principal *who, const char *action, const char *entity,
                const char *entity_id, const char *place_code, const char *before_json,
                const char *after_json, const char *note);

struct audit_filter {
    const char *entity, *action, *actor, *place_code;
    int64_t from, to;  /* Unix seconds, 0 = open */
    int64_t before_id; /* cursor: entries with id < before_id (0 = newest) */
    int limit;
};
/* One entry of the log (strings in the caller's arena; NULL where empty). */
struct audit_row {
    int64_t id, at;
    const char *actor, *action, *entity, *entity_id, *place_code, *before_json, *after_json, *note;
};
/* The entries the filter selects, newest first, only those whose place lies in
 * the viewer's audit scope (viewer 0: all), into *out: their number, or −1
 * when the store failed. */
int audit_find(db *d, arena *a, int64_t viewer, const struct audit_filter *f,
               struct audit_row **out);

#endif
