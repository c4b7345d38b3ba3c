/* svc_points_award inside a caller's open transaction, on both stores (like
 * test_db: SQLite on a temporary file, PostgreSQL on a fresh database of the
 * cluster named by LINLI_TEST_PG_URL). The contract other capabilities rely on:
 * a refusal (over the cap, bad input) writes nothing and leaves the caller's
 * transaction usable; a replay answers the original movement; a caller's
 * rollback takes the award with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/svc_points.h"
#include "store/db.h"
#include "unit_pg.h"
#include "store/migrate.h"
#include "store/store_points.h"

static int setup_sqlite(void **state)
{
    return fixture_sqlite(state, "points");
}

static int setup_pg(void **state)
{
    return fixture_pg(state, "test_points_award");
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static const char *community = "140930100010";

static int64_t person(db *d, const char *name)
{
    arena *a = arena_new();
    db_rows *r = DBQ(d, a,
                     "INSERT INTO people(name, place_code, created_at, updated_at) "
                     "VALUES (?, ?, 0, 0) RETURNING id",
                     P_TEXT(name), P_TEXT(community));
    int64_t id = r && r->nrows ? db_get_int(r, 0, 0) : -1;
    arena_free(a);
    return id;
}

static void schema(fixture *f)
{
    assert_true(migrate_up(f->d) >= 0);
    if (DBI(f->d, 0, "SELECT COUNT(*) FROM places WHERE code = ?", P_TEXT(community)) == 0)
        assert_true(DBX(f->d,
                        "INSERT INTO places(code, level, name, created_at) VALUES (?, "
                        "'community', '滨河社区', 0)",
                        P_TEXT(community)) == 1);
    struct points_rule_input rule = {
        community, "serve_activity", "参加志愿服务活动", "10", "20", "month", NULL};
    assert_int_equal(svc_points_rule_put(f->d, f->a, NULL, &rule).err, E_OK);
}

static struct points_award award(int64_t who, int64_t source)
{
    return (struct points_award){who, community, "serve_activity", source, 0, NULL};
}

static void test_refusal_keeps_the_callers_transaction(void **state)
{
    fixture *f = *state;
    schema(f);
    int64_t p = person(f->d, "甲");
    assert_true(db_begin(f->d) == DB_OK);
    /* the caller's own write, before the awards */
    assert_true(DBX(f->d,
                    "INSERT INTO places(code, parent_code, level, name, created_at) VALUES "
                    "('140930100010001', ?, 'compound', '调用方的写入', 0)",
                    P_TEXT(community)) == 1);
    struct points_award a1 = award(p, 1), a2 = award(p, 2), a3 = award(p, 3);
    struct svc_result r1 = svc_points_award(f->d, f->a, NULL, &a1);
    assert_int_equal(r1.err, E_OK);
    assert_null(r1.message);
    assert_int_equal(svc_points_award(f->d, f->a, NULL, &a2).err, E_OK);
    /* the cap is 20 a month: the third is refused, the transaction goes on */
    struct svc_result over = svc_points_award(f->d, f->a, NULL, &a3);
    assert_int_equal(over.err, E_UNPROCESSABLE);
    assert_non_null(strstr(over.message, "上限20分"));
    assert_true(db_in_tx(f->d));
    /* a replay answers the original movement and writes nothing */
    struct svc_result again = svc_points_award(f->d, f->a, NULL, &a1);
    assert_int_equal(again.err, E_OK);
    assert_int_equal(again.id, r1.id);
    assert_non_null(again.message);
    /* bad input: nothing written either */
    struct points_award bad = award(p, 4);
    bad.points = -1;
    assert_int_equal(svc_points_award(f->d, f->a, NULL, &bad).err, E_BAD_INPUT);
    assert_true(DBX(f->d, "UPDATE places SET name = '调用方的写入（改）' WHERE code = "
                          "'140930100010001'") == 1);
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(DBI(f->d, 0, "SELECT COUNT(*) FROM places WHERE name = '调用方的写入（改）'"),
                     1);
    assert_int_equal(store_points_balance(f->d, p), 20);
    assert_int_equal(
        DBI(f->d, 0, "SELECT COUNT(*) FROM points_movements WHERE person_id = ?", P_INT(p)), 2);
    db_rows *faults = store_points_check(f->d, f->a);
    assert_non_null(faults);
    assert_int_equal(faults->nrows, 0);
}

static void test_callers_rollback_takes_the_award(void **state)
{
    fixture *f = *state;
    schema(f);
    int64_t p = person(f->d, "乙");
    assert_true(db_begin(f->d) == DB_OK);
    struct points_award a1 = award(p, 10);
    assert_int_equal(svc_points_award(f->d, f->a, NULL, &a1).err, E_OK);
    assert_int_equal(db_rollback(f->d), DB_OK);
    assert_int_equal(store_points_balance(f->d, p), 0);
    assert_int_equal(
        DBI(f->d, 0, "SELECT COUNT(*) FROM points_movements WHERE person_id = ?", P_INT(p)), 0);
    /* and the source can pay later */
    assert_int_equal(svc_points_award(f->d, f->a, NULL, &a1).err, E_OK);
    assert_int_equal(store_points_balance(f->d, p), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusal_keeps_the_callers_transaction),
        cmocka_unit_test(test_callers_rollback_takes_the_award),
    };
    int failed =
        cmocka_run_group_tests_name("points award [sqlite]", tests, setup_sqlite, teardown);
    if (!pg_admin_url()) {
        fprintf(stderr, "test_points_award: LINLI_TEST_PG_URL is not set: run through "
                        "tests/run.sh (it starts a throwaway cluster)\n");
        return failed + 1;
    }
    failed += cmocka_run_group_tests_name("points award [pg]", tests, setup_pg, teardown);
    return failed;
}
