/* What the command line's maintenance commands read (linli check, backup,
 * user list), as structs: the ledger's faults and size, the online backup
 * of a SQLite database, the accounts with their grants. */
#ifndef LINLI_STORE_ADMIN_H
#define LINLI_STORE_ADMIN_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A fault of the points ledger: a movement whose entries do not sum to zero
 * (or that has fewer than two), or an account whose cached balance is not
 * the sum of its entries. Amounts as the database gives them. */
struct ledger_fault {
    bool movement; /* else an account */
    int64_t id;
    const char *expected, *found;
};
/* Every fault (store_points_check), by kind and id: their number (*out in a)
 * or -1 on error. */
int store_ledger_faults(db *d, arena *a, struct ledger_fault **out);
/* How many movements and accounts the ledger holds (0 on error). */
void store_ledger_size(db *d, int64_t *movements, int64_t *accounts);

/* SQLite: a transactionally consistent, compacted copy of the database at
 * path (VACUUM INTO), while others keep writing. A negative DB_* code on
 * failure (db_errmsg says why). */
int store_backup_into(db *d, const char *path);

/* An account with its grants, for `linli user list`. */
struct account_grant {
    const char *role, *where; /* where: the place code, grid or organisation name */
};
struct account_listing {
    int64_t id;
    const char *username, *display_name;
    bool disabled;
    struct account_grant *grants;
    int ngrants;
};
/* The first limit accounts by id: their number (*out in a) or -1 on error. */
int store_account_listing(db *d, arena *a, int limit, struct account_listing **out);

#endif
