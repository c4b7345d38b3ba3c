/* Numbered schema migrations, embedded in the binary from
 * src/store/migrations/NNN_name.sql and applied in order, each in its own
 * transaction, recorded in schema_migrations. Safe when several processes
 * start at once (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock). */
#ifndef LINLI_MIGRATE_H
#define LINLI_MIGRATE_H
#include "store/db.h"

/* Applies every pending migration and refreshes role_caps. Returns the number
 * applied (≥ 0) or -1 with a message on stderr. */
int migrate_up(db *d);
/* Highest migration applied, 0 for an empty database. */
int migrate_version(db *d);
/* Highest migration this binary knows. */
int migrate_latest(void);

#endif
