/* The database of the import targets (fuzz_people_import, fuzz_order_import):
 * SQLite in memory, migrated once, with the place chain of the fixtures down to
 * 滨河社区 (140930100010). A dry run rolls back, so every input sees the same
 * database. Header-only: each target is one translation unit. */
#ifndef LINLI_FUZZ_LEDGER_DB_H
#define LINLI_FUZZ_LEDGER_DB_H
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/migrate.h"

/* Aborts (the fuzzer reports it) unless the database is ready. */
static inline db *fuzz_ledger_db(const char *target)
{
    char *err = NULL;
    db *d = db_open(":memory:", &err);
    if (!d || migrate_up(d) < 0 ||
        db_exec_script(d,
                       "INSERT INTO places(code, parent_code, level, name, kind, created_at) "
                       "VALUES ('14', NULL, 'province', '山西省', NULL, 0),"
                       "('1409', '14', 'city', '忻州市', NULL, 0),"
                       "('140930', '1409', 'county', '河曲县', NULL, 0),"
                       "('140930100', '140930', 'street', '西口镇', '镇', 0),"
                       "('140930100010', '140930100', 'community', '滨河社区', '社区', 0);") < 0) {
        fprintf(stderr, "%s: no database: %s\n", target, err ? err : d ? db_errmsg(d) : "?");
        abort();
    }
    return d;
}

/* An invariant of the target: aborts with what failed. */
static inline void fuzz_check(const char *target, bool ok, const char *what)
{
    if (ok) return;
    fprintf(stderr, "%s: %s\n", target, what);
    abort();
}

#endif
