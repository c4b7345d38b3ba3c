/* Data scope in the store: grants over a place subtree, a grid or an
 * organisation decide which places an account covers, per capability. Runs on
 * a real SQLite file with the real migrations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/roles.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/store_accounts.h"

static char path[64];

static db *open_fixture(void)
{
    snprintf(path, sizeof path, "/tmp/linli-scope-%d.db", (int)getpid());
    unlink(path);
    char *err = NULL;
    db *d = db_open(path, &err);
    assert_non_null(d);
    assert_true(migrate_up(d) >= 1);
    const char *places[][3] = {
        {"14", NULL, "province"},
        {"140930", "14", "county"},
        {"140930100", "140930", "street"},
        {"140930100010", "140930100", "community"},
        {"140930100007", "140930100", "community"},
        {"140930100010001", "140930100010", "compound"},
        {"1409301000100", "140930100010", "compound"}, /* a sibling with a shared prefix */
        {"140930100011", "140930100", "community"},
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        assert_true(DBX(d,
                        "INSERT INTO places(code, parent_code, level, name, created_at) "
                        "VALUES (?, ?, ?, ?, 0)",
                        P_TEXT(places[i][0]), P_NTEXT(places[i][1]), P_TEXT(places[i][2]),
                        P_TEXT(places[i][0])) == 1);
    assert_int_equal(migrate_up(d), 0); /* idempotent; refreshes role_caps */
    return d;
}

static void close_fixture(db *d)
{
    db_close(d);
    char p2[80];
    unlink(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
}

static int64_t account(db *d, const char *name)
{
    int64_t id = store_account_create(d, name, NULL, "$argon2id$x", 0);
    assert_true(id > 0);
    return id;
}

static void place_subtree(void **state)
{
    (void)state;
    db *d = open_fixture();
    int64_t sec = account(d, "sec");
    assert_true(store_grant_add(d, sec, "secretary", "140930100010", 0, 0) > 0);
    assert_true(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "140930100010"));
    assert_true(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "140930100010001"));
    /* a neighbouring community, the street above and a code that only looks related */
    assert_false(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "140930100007"));
    assert_false(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "140930100"));
    assert_false(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "140930100011"));
    assert_false(store_place_in_scope(d, sec, CAP_PEOPLE_READ, "14093010001"));
    close_fixture(d);
}

static void capability_by_role(void **state)
{
    (void)state;
    db *d = open_fixture();
    int64_t res = account(d, "resident");
    assert_true(store_grant_add(d, res, "resident", "140930100010001", 0, 0) > 0);
    assert_false(store_place_in_scope(d, res, CAP_PEOPLE_READ, "140930100010001"));
    assert_true(store_place_in_scope(d, res, CAP_SELF, "140930100010001"));
    int64_t gw = account(d, "gw");
    assert_true(store_grant_add(d, gw, "grid_worker", "140930100010", 0, 0) > 0);
    assert_true(store_place_in_scope(d, gw, CAP_PEOPLE_REVEAL, "140930100010001"));
    assert_false(store_place_in_scope(d, gw, CAP_ACCOUNTS, "140930100010001"));
    assert_false(store_place_in_scope(d, 999, CAP_PEOPLE_READ, "140930100010"));
    assert_true(store_place_in_scope(d, 0, CAP_PEOPLE_READ, "140930100010")); /* the CLI */
    close_fixture(d);
}

static void grid_and_org_grants(void **state)
{
    (void)state;
    db *d = open_fixture();
    assert_true(DBX(d, "INSERT INTO grids(id, code, name, kind, community_code, created_at) "
                       "VALUES (1, 'G1', '第1网格', 'basic', '140930100010', 0)") == 1);
    assert_true(
        DBX(d, "INSERT INTO grid_places(grid_id, place_code) VALUES (1, '140930100010001')") == 1);
    int64_t gw = account(d, "gw");
    assert_true(store_grant_add(d, gw, "grid_worker", NULL, 1, 0) > 0);
    assert_true(store_place_in_scope(d, gw, CAP_PEOPLE_READ, "140930100010001"));
    assert_false(store_place_in_scope(d, gw, CAP_PEOPLE_READ, "1409301000100"));
    assert_false(store_place_in_scope(d, gw, CAP_PEOPLE_READ, "140930100010"));

    assert_true(DBX(d, "INSERT INTO organisations(id, kind, name, place_code, created_at) "
                       "VALUES (7, 'department', '县住建局', '140930', 0)") == 1);
    assert_true(DBX(d, "INSERT INTO org_places(org_id, place_code) VALUES (7, '140930100007')") ==
                1);
    int64_t dep = account(d, "dep");
    assert_true(store_grant_add(d, dep, "department", NULL, 0, 7) > 0);
    assert_true(store_place_in_scope(d, dep, CAP_PLACES_READ, "140930100007"));
    assert_false(store_place_in_scope(d, dep, CAP_PEOPLE_READ, "140930100007"));
    assert_false(store_place_in_scope(d, dep, CAP_PLACES_READ, "140930100010"));
    /* a co-building unit also covers the communities its 共建协议 name */
    assert_true(DBX(d, "INSERT INTO organisations(id, kind, name, place_code, created_at) "
                       "VALUES (8, 'cobuilding_unit', '县供电公司', '140930', 0)") == 1);
    assert_true(DBX(d, "INSERT INTO agreements(org_id, place_code, title, signed_on, created_at) "
                       "VALUES (8, '140930100010', '共建协议', '2026-01-01', 0)") == 1);
    int64_t unit = account(d, "unit");
    assert_true(store_grant_add(d, unit, "department", NULL, 0, 8) > 0);
    assert_true(store_place_in_scope(d, unit, CAP_PLACES_READ, "140930100010001"));
    assert_false(store_place_in_scope(d, unit, CAP_PLACES_READ, "140930100007"));
    close_fixture(d);
}

static void account_admin_scope(void **state)
{
    (void)state;
    db *d = open_fixture();
    int64_t street = account(d, "street");
    assert_true(store_grant_add(d, street, "street_admin", "140930100", 0, 0) > 0);
    int64_t sec = account(d, "sec");
    assert_true(store_grant_add(d, sec, "secretary", "140930100010", 0, 0) > 0);
    int64_t county = account(d, "county");
    assert_true(store_grant_add(d, county, "county_admin", "140930", 0, 0) > 0);
    assert_true(store_account_in_scope(d, street, sec));
    assert_false(store_account_in_scope(d, sec, street));
    assert_false(store_account_in_scope(d, street, county));
    /* an account with one grant outside is not administrable by the street */
    assert_true(store_grant_add(d, sec, "secretary", "14", 0, 0) > 0);
    assert_false(store_account_in_scope(d, street, sec));
    close_fixture(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(place_subtree),
        cmocka_unit_test(capability_by_role),
        cmocka_unit_test(grid_and_org_grants),
        cmocka_unit_test(account_admin_scope),
    };
    return cmocka_run_group_tests_name("scope", tests, NULL, NULL);
}
