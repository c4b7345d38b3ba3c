/* The controlled vocabularies as static tables, their lookups, and age_on.
 * See vocab.h. Adding an entry here adds it everywhere (forms, API, imports).
 * Pure code: no I/O. */
#include "core/vocab.h"

#include "core/idcard.h"

#include <string.h>

#define VOCAB_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct vocab_entry vocab_place_level_entries[] = {
    {"province", "省", NULL, {"省级", "自治区", "直辖市"}},
    {"city", "市", NULL, {"地级市", "地级", "州", "盟", "地区"}},
    {"county", "县/区", NULL, {"县", "区", "县级市", "旗", "区县", "县级"}},
    {"street", "乡镇/街道", NULL, {"乡", "镇", "街道", "乡镇", "街道办事处", "乡级"}},
    {"community", "社区/村", NULL, {"社区", "村", "居委会", "村委会", "村级"}},
    {"compound", "小区", NULL, {"居民小区", "院落", "楼院"}},
    {"building", "楼栋", NULL, {"楼", "楼宇", "栋"}},
    {"unit", "单元", NULL, {"楼道"}},
    {"household", "户", NULL, {"住户", "家庭户"}},
};

static const struct vocab_entry vocab_org_kind_entries[] = {
    {"party_committee", "党委", NULL, {0}},
    {"party_working_committee", "党工委", NULL, {"街道党工委"}},
    {"community_party_committee", "社区党委", NULL, {"大党委", "社区大党委"}},
    {"branch", "党支部", NULL, {"小区党支部", "网格党支部", "支部"}},
    {"party_group", "党小组", NULL, {"楼栋党小组"}},
    {"center_household", "党员中心户", NULL, {0}},
    {"department", "职能部门", NULL, {"部门"}},
    {"cobuilding_unit", "共建单位", NULL, {0}},
    {"resident_unit", "驻区单位", NULL, {"驻社区单位"}},
    {"social_org", "社会组织", NULL, {0}},
    {"property_company", "物业服务企业", NULL, {"物业公司", "物业", "物业企业"}},
    {"owners_committee", "业委会", NULL, {"业主委员会"}},
    {"volunteer_team", "志愿服务队", NULL, {"志愿者队伍", "志愿队", "志愿服务队伍"}},
};

static const struct vocab_entry vocab_member_kind_entries[] = {
    {"resident", "居民党员", NULL, {0}},
    {"retired", "离退休党员", NULL, {"退休党员", "离休党员"}},
    {"in_service", "在职党员", NULL, {"双报到党员"}},
    {"mobile", "流动党员", NULL, {0}},
};

static const struct vocab_entry vocab_partner_trade_entries[] = {
    {"express", "快递小哥", NULL, {"快递员", "快递"}},
    {"delivery", "外卖骑手", NULL, {"外卖小哥", "外卖员", "外卖"}},
    {"ride_hailing", "网约车司机", NULL, {"网约车"}},
    {"other", "其他", NULL, {"其它"}},
};

static const struct vocab_entry vocab_care_tag_entries[] = {
    /* 六必访 */
    {"poor_family", "困难家庭", "six_visits", {"困难户"}},
    {"floating", "流动人口", "six_visits", {0}},
    {"empty_nest", "空巢老人", "six_visits", {0}},
    {"special", "特殊人群", "six_visits", {0}},
    {"left_behind", "留守妇女儿童", "six_visits", {"农村留守妇女儿童"}},
    {"petitioner", "信访群众", "six_visits", {"信访户"}},
    /* 困境儿童 */
    {"orphan", "孤儿", "child", {0}},
    {"de_facto_orphan", "事实无人抚养儿童", "child", {"事实无人抚养"}},
    {"floating_child", "流动儿童", "child", {0}},
    {"disabled_child", "残疾儿童", "child", {0}},
    {"dibao_child", "低保家庭儿童", "child", {0}},
    /* 救助 */
    {"disabled", "残疾人", "assistance", {0}},
    {"dibao", "低保", "assistance", {"低保户", "低保对象"}},
};

const struct vocab vocab_place_levels = {"place_level", "区划层级", vocab_place_level_entries,
                                         VOCAB_COUNT(vocab_place_level_entries)};
const struct vocab vocab_org_kinds = {"org_kind", "组织类型", vocab_org_kind_entries,
                                      VOCAB_COUNT(vocab_org_kind_entries)};
const struct vocab vocab_member_kinds = {"member_kind", "党员类别", vocab_member_kind_entries,
                                         VOCAB_COUNT(vocab_member_kind_entries)};
const struct vocab vocab_partner_trades = {"partner_trade", "新就业群体",
                                           vocab_partner_trade_entries,
                                           VOCAB_COUNT(vocab_partner_trade_entries)};
const struct vocab vocab_care_tags = {"care_tag", "关爱对象", vocab_care_tag_entries,
                                      VOCAB_COUNT(vocab_care_tag_entries)};

const struct vocab *const vocab_all[] = {&vocab_place_levels, &vocab_org_kinds, &vocab_member_kinds,
                                         &vocab_partner_trades, &vocab_care_tags};
const int vocab_all_count = VOCAB_COUNT(vocab_all);

const struct vocab *vocab_find(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < vocab_all_count; i++)
        if (!strcmp(vocab_all[i]->name, name)) return vocab_all[i];
    return NULL;
}

int vocab_index(const struct vocab *v, const char *id)
{
    if (!v || !id) return -1;
    for (int i = 0; i < v->count; i++)
        if (!strcmp(v->entries[i].id, id)) return i;
    return -1;
}

const struct vocab_entry *vocab_entry_of(const struct vocab *v, const char *id)
{
    int i = vocab_index(v, id);
    return i < 0 ? NULL : &v->entries[i];
}

const char *vocab_label(const struct vocab *v, const char *id)
{
    const struct vocab_entry *e = vocab_entry_of(v, id);
    return e ? e->zh : NULL;
}

bool vocab_has(const struct vocab *v, const char *id)
{
    return vocab_index(v, id) >= 0;
}

/* Length of the space (ASCII whitespace or U+3000) at p, else 0. */
static size_t vocab_space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') return 1;
    if (!strncmp(p, "\xE3\x80\x80", 3)) return 3;
    return 0;
}

static bool vocab_eq(const char *a, const char *s, size_t len)
{
    return a && strlen(a) == len && !memcmp(a, s, len);
}

const char *vocab_id_for_label(const struct vocab *v, const char *label)
{
    if (!v || !label) return NULL;
    const char *s = label;
    for (size_t k; (k = vocab_space_at(s)) != 0;) s += k;
    size_t len = strlen(s);
    for (;;) { /* trim trailing spaces */
        if (len >= 1 &&
            (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) {
            len--;
        } else if (len >= 3 && !memcmp(s + len - 3, "\xE3\x80\x80", 3)) {
            len -= 3;
        } else {
            break;
        }
    }
    if (len == 0) return NULL;
    for (int i = 0; i < v->count; i++) {
        const struct vocab_entry *e = &v->entries[i];
        if (vocab_eq(e->zh, s, len) || vocab_eq(e->id, s, len)) return e->id;
        for (int a = 0; a < VOCAB_MAX_ALIASES && e->aliases[a]; a++)
            if (vocab_eq(e->aliases[a], s, len)) return e->id;
    }
    return NULL;
}

static bool vocab_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int age_on(const char *birth_yyyy_mm_dd, time_t now)
{
    const char *b = birth_yyyy_mm_dd;
    int y, m, d;
    if (!b || strlen(b) != 10 || b[4] != '-' || b[7] != '-') return -1;
    if (!vocab_digits(b, 4, &y) || !vocab_digits(b + 5, 2, &m) || !vocab_digits(b + 8, 2, &d))
        return -1;
    if (!idcard_date_valid(y, m, d)) return -1;
    int ty, tm, td;
    idcard_today(now, &ty, &tm, &td);
    int age = ty - y;
    if (tm < m || (tm == m && td < d)) age--;
    return age < 0 ? -1 : age;
}

bool is_elderly(int age)
{
    return age >= VOCAB_ELDERLY_AGE;
}
