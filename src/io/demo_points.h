/* The demo county's points: default rules 服务换积分 and a few donated goods
 * in every community's points supermarket 积分超市, so the demo is not empty. */
#ifndef LINLI_DEMO_POINTS_H
#define LINLI_DEMO_POINTS_H
#include "store/db.h"
#include "util/arena.h"

/* Inside the demo's transaction; < 0 on failure (message on stderr). */
int demo_points(db *d, arena *a, const char *county);

#endif
