/* The compound party-branch rule (小区党支部组建) and its coverage report.
 * 忻州: "党员3人以上的小区单独组建党组织，党员人数不足3人的与周边小区联合组建" —
 * a compound with 3 or more party members gets its own branch (单独组建), the
 * others join neighbours in a joint branch (联合组建); the report has the shape
 * of "2366 个小区全覆盖, 小区党支部 2057 个, 其中单独组建 1680 个".
 * Pure: C standard library only. */
#ifndef LINLI_BRANCH_RULE_H
#define LINLI_BRANCH_RULE_H
#include <stdbool.h>

#define BRANCH_MIN_MEMBERS 3 /* party members for a branch of its own */
#define BRANCH_GROUP_NONE  (-1)

enum branch_formation {
    BRANCH_STANDALONE, /* 单独组建 */
    BRANCH_JOINT,      /* 联合组建 */
};

/* BRANCH_STANDALONE when party_members ≥ 3, else BRANCH_JOINT. */
enum branch_formation branch_rule_for(int party_members);

const char *branch_formation_zh(enum branch_formation f); /* "单独组建" / "联合组建" */
const char *branch_formation_id(enum branch_formation f); /* "standalone" / "joint" */
/* Parses a stable identifier or a Chinese label; false if neither. */
bool branch_formation_parse(const char *s, enum branch_formation *out);

struct compound_info {
    const char *code;  /* the compound's place code, for the caller's use */
    int party_members; /* resident party members counted in the compound */
    bool has_branch;   /* already covered by an existing branch */
};

/* Propose joint branches for the compounds of ONE community, given in neighbour
 * order (c[i] borders c[i-1] and c[i+1]). Writes group_out[i] for every i:
 * a joint-group number 0, 1, … (numbered in neighbour order), or
 * BRANCH_GROUP_NONE for a compound not in any proposed joint group.
 *
 * Algorithm (greedy over adjacent compounds, O(n), every group contiguous):
 *  1. Candidates are compounds with fewer than 3 members and no branch. All
 *     others are left as they are (a compound with ≥ 3 members is proposed
 *     standalone; one with a branch keeps it) and get BRANCH_GROUP_NONE unless
 *     step 4 makes them host a group.
 *  2. Candidates are taken in maximal runs of consecutive compounds. Within a
 *     run, walk left to right adding compounds to the current group and close
 *     the group as soon as it reaches 3 members.
 *  3. A leftover at the end of a run (fewer than 3 members) merges into the
 *     run's previous group, the nearest one.
 *  4. A run whose members total fewer than 3 cannot form a group on its own, so
 *     it joins a neighbouring compound outside the run: the left neighbour if it
 *     is already in a proposed group, else a neighbour that already has a
 *     branch (left first), else the left one, else the right one. That compound
 *     becomes part of the joint group (its branch would become joint).
 *  5. A community whose compounds are all candidates and total fewer than 3
 *     members still gets one group (best possible; the caller sees its total).
 * Returns the number of joint groups, or -1 if c or group_out is NULL while
 * n > 0, n < 0, or a member count is negative. */
int branch_propose_joint(const struct compound_info *c, int n, int *group_out);

/* Coverage of compounds by party branches, summed over any set of places. */
struct branch_coverage {
    long compounds;  /* 小区数 */
    long covered;    /* 小区 in a branch (own or joint) */
    long branches;   /* 小区党支部数 = standalone + joint */
    long standalone; /* 单独组建 */
    long joint;      /* 联合组建 */
};

/* Add one place's (or one compound's) figures to *cov; branches grows by
 * standalone + joint. Negative figures are counted as 0. */
void branch_coverage_add(struct branch_coverage *cov, int compounds, int covered, int standalone,
                         int joint);
/* covered / compounds × 100; 0 when there are no compounds. */
double branch_coverage_percent(const struct branch_coverage *cov);
/* standalone / branches × 100; 0 when there are no branches. */
double branch_coverage_standalone_percent(const struct branch_coverage *cov);

#endif
