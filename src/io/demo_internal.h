/* Shared state of the demo generator (demo.c, demo_community.c,
 * demo_people.c, demo_orgs.c). Not for use outside src/io/demo*.c. */
#ifndef LINLI_DEMO_INTERNAL_H
#define LINLI_DEMO_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>

#include "io/demo.h"
#include "io/demo_rand.h"
#include "store/store_bulk.h"
#include "store/store_places_write.h"

/* A set of 64-bit keys (identity numbers without their check digit). */
struct demo_keyset {
    uint64_t *keys;
    size_t cap, n;
};
bool demo_keyset_add(struct demo_keyset *s, uint64_t key); /* false if present */
void demo_keyset_free(struct demo_keyset *s);

enum compound_style { STYLE_COURTYARD, STYLE_WALKUP, STYLE_HIGHRISE };

struct demo_compound {
    char code[PLACE_CODE_MAX];
    const char *name;
    enum compound_style style;
    double party_factor;
    int first_building, nbuildings;
    int households, party;
    int64_t branch; /* its party branch (own or joint) */
    int64_t property;
    bool owners; /* has an owners' committee (业委会) */
};

struct demo_building {
    char code[PLACE_CODE_MAX];
    const char *name; /* "3号楼" */
    int compound;
    int first_household, nhouseholds;
    int party;
    int grid; /* grid index within the community */
};

struct demo_household {
    char code[PLACE_CODE_MAX];
    int building;
    bool vacant;
};

struct demo_person {
    int64_t id;
    char name[32];
    char sex;
    char birth[11];
    char idno[19];
    char phone[12];
    int household;
    int age;
    const char *relation;
    bool local;
    const char *note;
    bool party, volunteer, partner, worker;
    unsigned tags; /* care tags given, as bits of the tag list (no duplicates) */
};

/* A party member waiting for its branch (known once the community's compounds
 * are all counted). */
struct demo_member {
    int person; /* index into the community's people */
    const char *kind;
    char joined_on[11];
    const char *work_unit;
    int64_t work_org;
    char reported_at[11];
    const char *pioneer_post, *duty_area;
};

/* One community being generated. */
struct demo_comm {
    const char *code;
    const char *name;       /* official: 滨河社区居委会 */
    const char *short_name; /* 滨河社区 */
    int ngrids;
    struct demo_compound *compounds;
    int ncompounds;
    struct demo_building *buildings;
    int nbuildings, cap_buildings;
    struct demo_household *households;
    int nhouseholds, cap_households;
    struct demo_person *people;
    int npeople, cap_people;
    struct demo_member *members;
    int nmembers, cap_members;
    int64_t committee;
    int64_t deputy; /* the 党委副书记: a 社区兼 branch secretary */
    int64_t teams[4];
    const char *team_names[4];
    int64_t grid_ids[16];
    struct demo_rng rng;
};

/* The whole run. */
struct demo_ctx {
    db *d;
    arena *a;
    enum demo_scale scale;
    int64_t now;
    int ty, tm, td; /* today in Beijing */
    long today;     /* as a day number */
    places_writer *places;
    bulk *b[BULK_TABLE_COUNT];
    int64_t next_person, next_org, next_grid;
    struct demo_keyset idnos;
    struct demo_summary *sum;
    int write_rc;        /* first database error while queueing places */
    struct demo_rng rng; /* county-level choices */

    int64_t county_committee, town_committee, housing_bureau;
    int64_t departments[16];
    const char *department_names[16];
    int ndepartments;
    int64_t cobuild[16];
    const char *cobuild_names[16];
    const char *cobuild_home[16]; /* the community each sits in */
    int ncobuild;
    int64_t property[8];
    struct demo_comm *comms[16]; /* the communities generated, for what comes after the places */
    int ncomms;
    const char *used_names[160]; /* compound names already given */
    int nused_names;

    /* what the demo accounts point at */
    int64_t jumin, dangyuan, kuaidi, binhe_grid1;
    const char *jumin_name, *dangyuan_name, *kuaidi_name;
    const char *binhe_secretary, *binhe_worker, *binhe_grid1_worker, *mayingwei_secretary;
};

/* demo_orders.c: three months of work orders in every community. */
int demo_orders(struct demo_ctx *c);

/* demo_orgs.c */
int64_t demo_org(struct demo_ctx *c, const char *kind, const char *name, int64_t parent,
                 const char *place_code, const char *formation);
/* A compound branch: the 五有 checks, its secretary and how they were chosen. */
struct demo_branch_info {
    int five[4]; /* has_position, has_ledger, has_mechanism, has_plan: 1/0 */
    int64_t secretary;
    const char *way;  /* dispatched / elected / community / veteran */
    int one_shoulder; /* 1/0, or -1 unknown */
};
void demo_org_place(struct demo_ctx *c, int64_t org, const char *place_code);
void demo_county_orgs(struct demo_ctx *c);
void demo_community_orgs(struct demo_ctx *c, struct demo_comm *m);
void demo_branches(struct demo_ctx *c, struct demo_comm *m);

/* demo_community.c: compounds … households, then grids. */
struct demo_comm_spec {
    const char *code;
    int compounds, grids;
    const char *fixed[3]; /* real compound names first */
    enum compound_style fixed_style[3];
};
void demo_layout(struct demo_ctx *c, struct demo_comm *m, const struct demo_comm_spec *s);
void demo_grids(struct demo_ctx *c, struct demo_comm *m);

/* demo_stations.c: 党群服务中心, 小区党群服务站 and 爱心驿站, once the places are
 * written. */
int demo_stations(struct demo_ctx *c);

/* demo_people.c: residents, care tags, party members, volunteers, partners,
 * community workers. */
void demo_people(struct demo_ctx *c, struct demo_comm *m);
void demo_workers(struct demo_ctx *c, struct demo_comm *m);
void demo_people_rows(struct demo_ctx *c, struct demo_comm *m);

#endif
