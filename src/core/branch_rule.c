/* The compound party-branch rule (单独组建 / 联合组建), the joint-branch proposal
 * for one community, and coverage arithmetic. See branch_rule.h for the
 * algorithm. Pure code: no I/O, no allocation. */
#include "core/branch_rule.h"

#include <string.h>

enum branch_formation branch_rule_for(int party_members)
{
    return party_members >= BRANCH_MIN_MEMBERS ? BRANCH_STANDALONE : BRANCH_JOINT;
}

const char *branch_formation_zh(enum branch_formation f)
{
    return f == BRANCH_STANDALONE ? "单独组建" : "联合组建";
}

const char *branch_formation_id(enum branch_formation f)
{
    return f == BRANCH_STANDALONE ? "standalone" : "joint";
}

bool branch_formation_parse(const char *s, enum branch_formation *out)
{
    if (!s) return false;
    enum branch_formation f;
    if (!strcmp(s, "standalone") || !strcmp(s, "单独组建"))
        f = BRANCH_STANDALONE;
    else if (!strcmp(s, "joint") || !strcmp(s, "联合组建"))
        f = BRANCH_JOINT;
    else
        return false;
    if (out) *out = f;
    return true;
}

static bool branch_candidate(const struct compound_info *c)
{
    return !c->has_branch && c->party_members < BRANCH_MIN_MEMBERS;
}

/* Groups are built with provisional numbers that may skip values; renumber them
 * 0, 1, … in neighbour order. Relies on every group being contiguous. */
static int branch_renumber(int *g, int n)
{
    int label = -1, prev_raw = BRANCH_GROUP_NONE;
    for (int i = 0; i < n; i++) {
        int raw = g[i];
        if (raw == BRANCH_GROUP_NONE) {
            prev_raw = BRANCH_GROUP_NONE;
            continue;
        }
        if (raw != prev_raw) label++;
        prev_raw = raw;
        g[i] = label;
    }
    return label + 1;
}

/* Step 4: choose the compound outside the run [s, e] that a too-small run joins,
 * or -1 when the run is the whole community. */
static int branch_host_for(const struct compound_info *c, int n, const int *g, int s, int e)
{
    int left = s - 1, right = e + 1 < n ? e + 1 : -1;
    if (left >= 0 && g[left] != BRANCH_GROUP_NONE) return left;
    if (left >= 0 && c[left].has_branch) return left;
    if (right >= 0 && c[right].has_branch) return right;
    if (left >= 0) return left;
    return right;
}

int branch_propose_joint(const struct compound_info *c, int n, int *group_out)
{
    if (n < 0) return -1;
    if (n == 0) return 0;
    if (!c || !group_out) return -1;
    for (int i = 0; i < n; i++) {
        if (c[i].party_members < 0) return -1;
        group_out[i] = BRANCH_GROUP_NONE;
    }

    int next = 0; /* next provisional group number */
    int i = 0;
    while (i < n) {
        if (!branch_candidate(&c[i])) {
            i++;
            continue;
        }
        int s = i;
        long total = 0;
        while (i < n && branch_candidate(&c[i])) total += c[i++].party_members;
        int e = i - 1;

        if (total >= BRANCH_MIN_MEMBERS) {
            /* Steps 2–3: greedy groups inside the run, leftover to the previous. */
            int cur = next++, prev = BRANCH_GROUP_NONE, open = s;
            long sum = 0;
            for (int j = s; j <= e; j++) {
                group_out[j] = cur;
                sum += c[j].party_members;
                if (sum >= BRANCH_MIN_MEMBERS) {
                    prev = cur;
                    cur = next++;
                    sum = 0;
                    open = j + 1;
                }
            }
            for (int j = open; j <= e; j++) group_out[j] = prev;
        } else {
            /* Steps 4–5: too small on its own; join a neighbouring compound. */
            int host = branch_host_for(c, n, group_out, s, e);
            int g = host >= 0 && group_out[host] != BRANCH_GROUP_NONE ? group_out[host] : next++;
            if (host >= 0) group_out[host] = g;
            for (int j = s; j <= e; j++) group_out[j] = g;
        }
    }
    return branch_renumber(group_out, n);
}

static long branch_nonneg(int v)
{
    return v > 0 ? (long)v : 0;
}

void branch_coverage_add(struct branch_coverage *cov, int compounds, int covered, int standalone,
                         int joint)
{
    if (!cov) return;
    cov->compounds += branch_nonneg(compounds);
    cov->covered += branch_nonneg(covered);
    cov->standalone += branch_nonneg(standalone);
    cov->joint += branch_nonneg(joint);
    cov->branches += branch_nonneg(standalone) + branch_nonneg(joint);
}

double branch_coverage_percent(const struct branch_coverage *cov)
{
    if (!cov || cov->compounds <= 0) return 0.0;
    return 100.0 * (double)cov->covered / (double)cov->compounds;
}

double branch_coverage_standalone_percent(const struct branch_coverage *cov)
{
    if (!cov || cov->branches <= 0) return 0.0;
    return 100.0 * (double)cov->standalone / (double)cov->branches;
}
