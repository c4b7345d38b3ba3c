#include "store/store_changes.h"

bool store_change_counters(db *d, arena *a, struct change_counters *out)
{
    *out = (struct change_counters){0};
    db_rows *r = DBQ(d, a, "SELECT people, auth FROM change_counters WHERE id = ?", P_INT(1));
    bool ok = r && r->nrows == 1;
    if (ok) {
        out->people = db_get_int(r, 0, 0);
        out->auth = db_get_int(r, 0, 1);
    }
    return ok;
}
