/* Deterministic generators of the demo county. See demo_rand.h. */
#include "io/demo_rand.h"

#include <stdio.h>
#include <string.h>

#include "core/idcard.h"
#include "core/recurrence.h"
#include "util/hash.h"

uint64_t demo_seed(const char *s, uint64_t salt)
{
    return fnv1a64_str(FNV64_OFFSET ^ salt, s);
}

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
    r->s = seed;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int demo_rng_int(struct demo_rng *r, int lo, int hi)
{
    if (hi <= lo) return lo;
    return lo + (int)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

bool demo_rng_chance(struct demo_rng *r, double p)
{
    return (double)(demo_rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

const char *demo_rng_pick(struct demo_rng *r, const char *const *list, int n)
{
    return list[demo_rng_int(r, 0, n - 1)];
}

/* ---- names ---- */

/* Weighted: the common surnames of 河曲 (苗, 折 and 邬 are local). */
static const struct {
    const char *name;
    int weight;
} surnames[] = {
    {"王", 12}, {"李", 10}, {"张", 9}, {"刘", 8}, {"郭", 5}, {"杨", 5}, {"赵", 4}, {"陈", 4},
    {"高", 4},  {"武", 3},  {"贾", 3}, {"韩", 3}, {"苗", 3}, {"白", 2}, {"吕", 2}, {"孙", 2},
    {"薛", 2},  {"任", 2},  {"梁", 2}, {"田", 2}, {"冯", 2}, {"郝", 2}, {"闫", 2}, {"马", 2},
    {"秦", 1},  {"乔", 1},  {"霍", 1}, {"侯", 1}, {"石", 1}, {"宋", 1}, {"温", 1}, {"康", 1},
    {"杜", 1},  {"曹", 1},  {"段", 1}, {"周", 1}, {"吴", 1}, {"邢", 1}, {"樊", 1}, {"牛", 1},
    {"贺", 1},  {"柴", 1},  {"邬", 1}, {"折", 1}, {"燕", 1}, {"尚", 1}, {"常", 1}, {"崔", 1},
    {"范", 1},  {"岳", 1},  {"姚", 1}, {"卢", 1}, {"许", 1}, {"胡", 1},
};

const char *demo_surname(struct demo_rng *r)
{
    static int total;
    if (!total)
        for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
            total += surnames[i].weight;
    int x = demo_rng_int(r, 0, total - 1);
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++) {
        if (x < surnames[i].weight) return surnames[i].name;
        x -= surnames[i].weight;
    }
    return surnames[0].name;
}

static const char *const m_old[] = {"建国", "国栋", "志明", "德胜", "福生", "满仓", "保国", "振华",
                                    "玉明", "金山", "继成", "文斌", "永平", "忠义", "有才", "来福",
                                    "增福", "拴柱", "存厚", "正义", "克俭", "树林", "世杰", "青山",
                                    "光明", "学文", "宝山", "二虎", "三喜", "占元", "银锁", "根旺"};
static const char *const f_old[] = {"秀英", "桂兰", "玉梅", "凤英", "秀兰", "淑珍", "桂英",
                                    "翠花", "兰英", "玉兰", "金花", "月娥", "改娥", "润梅",
                                    "爱莲", "存娥", "粉梅", "巧英", "俊英", "美兰", "桂花",
                                    "变娥", "银娥", "二女", "香莲", "玉莲"};
static const char *const m_mid[] = {"志强", "建军", "卫东", "海军", "红军", "永刚", "国庆", "利军",
                                    "晓东", "文平", "建平", "俊峰", "建华", "小平", "跃进", "卫国",
                                    "志刚", "红伟", "军",   "勇",   "斌",   "峰",   "伟",   "刚",
                                    "向东", "保平", "二平", "平",   "虎",   "明亮", "海平", "永胜"};
static const char *const f_mid[] = {"丽娟", "海燕", "红梅", "秀芳", "丽萍", "建英", "春燕",
                                    "艳",   "霞",   "萍",   "丽",   "红",   "燕",   "美玲",
                                    "翠萍", "利平", "晓红", "彩霞", "润莲", "玉芳", "爱华",
                                    "俊梅", "瑞芳", "雪梅", "小燕", "二梅", "梅",   "芳"};
static const char *const m_young[] = {
    "磊",   "鹏",   "涛",   "超",   "杰",   "浩",   "宇",   "亮",   "晓峰", "文博",
    "建伟", "俊杰", "志伟", "鹏飞", "海涛", "晓龙", "伟伟", "鑫",   "帅",   "凯",
    "亚东", "瑞",   "嘉伟", "龙",   "飞",   "宇航", "晓军", "斌斌", "少华", "国强"};
static const char *const f_young[] = {"婷",   "静",   "丹",   "娜",   "敏",   "晶",   "雪",
                                      "倩",   "慧",   "佳",   "晓燕", "丽丽", "雅琴", "佳慧",
                                      "芳芳", "婷婷", "亚楠", "晓敏", "彦芳", "艳霞", "琳",
                                      "璐",   "瑞霞", "娟娟", "亚丽", "佳佳", "蕾",   "莉"};
static const char *const m_kid[] = {"子轩", "浩然", "宇轩", "一鸣", "俊熙", "博文", "皓轩", "梓豪",
                                    "子墨", "铭泽", "嘉乐", "宇航", "天佑", "沐阳", "思远", "睿",
                                    "泽宇", "晨阳", "奕辰", "昊天", "嘉懿", "煜祺", "锦程", "子健",
                                    "明轩", "皓宇", "子豪", "文轩", "瑞霖", "鑫磊"};
static const char *const f_kid[] = {"欣怡", "梓涵", "诗涵", "雨桐", "可馨", "一诺", "子涵", "若汐",
                                    "思琪", "语嫣", "雨萱", "佳怡", "梦瑶", "欣妍", "紫萱", "晓雪",
                                    "依诺", "安琪", "梓萱", "沐晴", "诗琪", "悦",   "佳琪", "雨欣",
                                    "心怡", "子琪", "思彤", "梓琳", "语桐", "艺涵"};

void demo_person_name(struct demo_rng *r, const char *surname, char sex, int birth_year, char *out,
                      size_t outsz)
{
    const char *given;
    bool m = sex == 'M';
    if (birth_year < 1960)
        given = m ? DEMO_PICK(r, m_old) : DEMO_PICK(r, f_old);
    else if (birth_year < 1980)
        given = m ? DEMO_PICK(r, m_mid) : DEMO_PICK(r, f_mid);
    else if (birth_year < 2000)
        given = m ? DEMO_PICK(r, m_young) : DEMO_PICK(r, f_young);
    else
        given = m ? DEMO_PICK(r, m_kid) : DEMO_PICK(r, f_kid);
    snprintf(out, outsz, "%s%s", surname, given);
}

void demo_phone(struct demo_rng *r, char out[12])
{
    static const char *const prefixes[] = {"134", "135", "136", "137", "138", "139", "150", "151",
                                           "152", "157", "158", "159", "182", "183", "187", "188",
                                           "130", "131", "132", "155", "156", "185", "186", "133",
                                           "153", "180", "189", "177", "199", "166", "198", "191"};
    const char *prefix = DEMO_PICK(r, prefixes);
    snprintf(out, 12, "%s%08d", prefix, demo_rng_int(r, 0, 99999999));
}

/* ---- dates (core/recurrence.h's civil calendar) ---- */

long demo_days_from_civil(int y, int m, int d)
{
    return civil_days((struct civil_date){y, m, d});
}

void demo_civil_from_days(long z, int *y, int *m, int *d)
{
    struct civil_date c = civil_from_days(z);
    *y = c.y, *m = c.m, *d = c.d;
}

static void format_days(long days, char out[11])
{
    int y, m, d;
    demo_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100);
}

void demo_birth_date(struct demo_rng *r, int age, int today_y, int today_m, int today_d,
                     char out[11])
{
    /* Born between (age+1) years and age years before today: aged exactly
     * `age` today (a birthday today counts; 29 February falls to 28). */
    int dd = today_m == 2 && today_d == 29 ? 28 : today_d;
    long latest = demo_days_from_civil(today_y - age, today_m, dd);
    long earliest = demo_days_from_civil(today_y - age - 1, today_m, dd) + 1;
    format_days(earliest + demo_rng_int(r, 0, (int)(latest - earliest)), out);
}

void demo_date_between(struct demo_rng *r, long from_days, long to_days, char out[11])
{
    format_days(from_days + demo_rng_int(r, 0, (int)(to_days - from_days)), out);
}

void demo_id_number(const char *area6, const char *birth, int seq, char sex, char out[19])
{
    seq %= 1000;
    if ((seq % 2 == 1) != (sex == 'M')) seq = seq == 999 ? 998 : seq + 1;
    snprintf(out, 19, "%.6s%.4s%.2s%.2s%03d", area6, birth, birth + 5, birth + 8, seq);
    out[17] = idcard_check_digit(out);
    out[18] = 0;
}
