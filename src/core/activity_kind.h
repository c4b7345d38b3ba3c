/* The kinds of activity 活动类型 the seeds name (邻里节, 百家宴, 义诊, 义剪,
 * 讲座, 四点半课堂 …), by stable id and Chinese label. */
#ifndef LINLI_ACTIVITY_KIND_H
#define LINLI_ACTIVITY_KIND_H

extern const char *const activity_kinds[]; /* NULL-terminated ids */
/* The id for an id or a Chinese label; NULL when unknown. */
const char *activity_kind_parse(const char *s);
/* The Chinese label of an id ("" when unknown). */
const char *activity_kind_zh(const char *id);

#endif
