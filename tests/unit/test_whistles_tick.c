/* The whistle tick (svc_whistles_tick) on a fresh SQLite database: calls
 * unanswered past their deadline are marked overdue once and the order is
 * escalated one level, once; an answered call is never marked; before the
 * deadline nothing happens. The scheduler that calls the tick is another
 * area's; this drives it directly, as the command line would (no account). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "service/svc_categories.h"
#include "service/svc_orders.h"
#include "service/svc_whistles.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/store_whistles.h"
#include "util/clock.h"

static char path[64];

static int64_t scalar(db *d, const char *sql, int64_t id)
{
    return db_scalar_int(d, sql, 1, &P_INT(id), -1);
}

static void tick_marks_once_and_escalates_once(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/linli_tick_%d.db", (int)getpid());
    unlink(path);
    char *err = NULL;
    db *d = db_open(path, &err);
    assert_non_null(d);
    assert_true(migrate_up(d) >= 0);
    assert_true(categories_seed_if_empty(d) >= 0);
    arena *a = arena_new();
    int64_t now = clock_now();
    assert_int_equal(DBX(d,
                         "INSERT INTO places(code, parent_code, level, name, created_at) VALUES "
                         "('140930', NULL, 'county', '河曲县', ?), "
                         "('140930100', '140930', 'street', '西口镇', ?), "
                         "('140930100010', '140930100', 'community', '滨河社区', ?)",
                         P_INT(now), P_INT(now), P_INT(now)),
                     3);
    assert_int_equal(DBX(d,
                         "INSERT INTO organisations(kind, name, place_code, created_at) VALUES "
                         "('department', '住建局', '140930', ?), ('department', '城管局', "
                         "'140930', ?), ('department', '民政局', '140930', ?)",
                         P_INT(now), P_INT(now), P_INT(now)),
                     3);
    int64_t orgs[2] = {1, 2};
    struct whistle_kind_input kind = {.county = "140930",
                                      .answer_minutes = 60,
                                      .minutes_set = true,
                                      .orgs = orgs,
                                      .norgs = 2,
                                      .orgs_given = true};
    struct svc_result r = svc_whistle_kind_put(d, a, NULL, "tackle", &kind);
    assert_int_equal(r.err, E_OK);
    struct order_intake in = {.category_code = "streetlight",
                              .place_code = "140930100010",
                              .title = "路灯不亮",
                              .description = "3号楼前"};
    r = svc_order_create(d, a, NULL, &in);
    assert_int_equal(r.err, E_OK);
    int64_t order = r.id;
    struct order_event_args acc = {.event = "accept"};
    assert_int_equal(svc_order_event(d, a, NULL, order, &acc).err, E_OK);

    r = svc_whistle_blow(d, a, NULL, order, &(struct whistle_blow_input){"tackle", "线路老化"});
    assert_int_equal(r.err, E_OK);
    int64_t wid = r.id;
    assert_int_equal(scalar(d, "SELECT COUNT(*) FROM whistle_calls WHERE whistle_id = ?", wid), 2);
    /* the first department reports in time */
    int64_t first = scalar(d, "SELECT MIN(id) FROM whistle_calls WHERE whistle_id = ?", wid);
    assert_int_equal(
        svc_whistle_report(d, a, NULL, first, &(struct whistle_report_input){"已到场"}).err, E_OK);

    /* at the deadline itself: nothing is due */
    assert_int_equal(svc_whistles_tick(d, a, (time_t)(now + 3600)), 0);
    assert_int_equal(
        scalar(d,
               "SELECT COUNT(*) FROM whistle_calls WHERE overdue_at IS NOT NULL AND order_id = ?",
               order),
        0);
    /* past it: the unanswered call is overdue, the order escalated once */
    assert_int_equal(svc_whistles_tick(d, a, (time_t)(now + 3601)), 1);
    assert_int_equal(scalar(d, "SELECT escalation_level FROM orders WHERE id = ?", order), 1);
    assert_int_equal(
        scalar(d,
               "SELECT COUNT(*) FROM whistle_calls WHERE overdue_at IS NOT NULL AND order_id = ?",
               order),
        1);
    assert_int_equal(
        scalar(d, "SELECT COUNT(*) FROM whistle_calls WHERE overdue_at IS NOT NULL AND id = ?",
               first),
        0);
    assert_int_equal(scalar(d,
                            "SELECT COUNT(*) FROM order_events WHERE event = 'escalate' AND "
                            "actor = '系统' AND order_id = ?",
                            order),
                     1);
    assert_int_equal(scalar(d,
                            "SELECT COUNT(*) FROM audit_log WHERE entity = 'whistle' AND "
                            "action = 'overdue' AND entity_id = CAST(? AS TEXT)",
                            wid),
                     1);
    /* again, and later: nothing more */
    assert_int_equal(svc_whistles_tick(d, a, (time_t)(now + 3602)), 0);
    assert_int_equal(svc_whistles_tick(d, a, (time_t)(now + 86400)), 0);
    assert_int_equal(scalar(d, "SELECT escalation_level FROM orders WHERE id = ?", order), 1);
    assert_int_equal(scalar(d,
                            "SELECT COUNT(*) FROM order_events WHERE event = 'escalate' AND "
                            "order_id = ?",
                            order),
                     1);
    /* a late 报到 is still accepted, once */
    int64_t second = scalar(d, "SELECT MAX(id) FROM whistle_calls WHERE whistle_id = ?", wid);
    struct whistle_report_input none = {0};
    assert_int_equal(svc_whistle_report(d, a, NULL, second, &none).err, E_OK);
    assert_int_equal(svc_whistle_report(d, a, NULL, second, &none).err, E_CONFLICT);
    arena_free(a);
    db_close(d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(tick_marks_once_and_escalates_once)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
