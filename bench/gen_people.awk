# gen_people.awk — N plausible residents for the import benchmark, written twice:
# as the CSV that `linli import people` reads (columns named by `header`) and as
# the tab-separated rows bench/bare_insert.c puts into the people table
# (name, sex, birth_date, id_number, phone, place_code, hukou_local, relation,
# created_at, updated_at). Deterministic for a given seed.
#
#   awk -v n=1000000 -v csv=OUT.csv -v tsv=OUT.tsv -v now=UNIXTIME \
#       -v header='姓名,性别,…' -f bench/gen_people.awk PLACES.txt
# PLACES.txt: one place code per line (the households people live in).
#
# 身份证号 are unique by construction: row i maps through a bijection of
# [0, 30 × 29200 × 1000) to (county prefix, birth day since 1940-01-01, sequence
# number), and the check digit is GB 11643's ISO 7064 MOD 11-2. The county
# prefixes are 忻州地区's old 1422xx codes (abolished, still on old cards), so
# they never collide with the demo's own residents.
BEGIN {
  if (n == "") n = 1000000
  if (seed == "") seed = 2026
  if (now == "") now = 1767225600
  if (header == "") header = "姓名,性别,出生日期,身份证号,联系电话,住址代码,户籍,与户主关系"
  srand(seed)
  nsur = split("王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 程 曹 袁 邓 许 傅 沈 曾 彭 吕 苏 卢 蒋 蔡 贾 丁 魏 薛 叶 阎 余 潘 杜 戴 夏 钟 汪 田 任 姜 范 方 石 姚 谭 廖 邹 熊 金 陆 郝 孔 白 崔 康 毛 邱 秦 江 史 顾 侯 邵 孟 龙 万 段 雷 钱 汤 尹 黎 易 常 武 乔 贺 赖 龚 文 樊 温 霍 郭 乔 申 阎", sur, " ")
  ngiv = split("伟 芳 娜 秀 英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 兰 霞 平 刚 桂 华 建 国 红 志 文 海 燕 玉 梅 春 晓 鹏 辉 林 斌 宇 浩 凯 婷 雪 琳 晨 欣 怡 佳 子 涵 俊 峰 亮 鑫 波 丹 萍 慧 莉 颖 荣 福 贵 生 忠 德 喜 仁 义 金 银 凤 翠 花 彩 云 宏 亚 瑞 振 东 旭 飞 龙 虎 宝 山 水 田 成 喆 泽 朝 阳", giv, " ")
  nrel = split("户主 户主 配偶 配偶 子女 子女 子女 父母 孙子女 兄弟姐妹", rel, " ")
  split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
  split("1 0 X 9 8 7 6 5 4 3 2", chk, " ")
  # Birth days: 29200 days from 1940-01-01 (to the end of 2019).
  split("31 28 31 30 31 30 31 31 30 31 30 31", mdays, " ")
  d = 0
  for (y = 1940; d < 29200; y++) {
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    for (m = 1; m <= 12 && d < 29200; m++) {
      md = mdays[m] + (m == 2 && leap)
      for (dd = 1; dd <= md && d < 29200; dd++) day[d++] = sprintf("%04d%02d%02d", y, m, dd)
    }
  }
  # Which generated field each CSV column gets, from the column's name.
  gsub(/^\xef\xbb\xbf/, "", header)
  gsub(/\r/, "", header)
  ncol = split(header, cols, ",")
  for (c = 1; c <= ncol; c++) {
    h = cols[c]
    if (h ~ /户籍|hukou/) col[c] = "hukou"
    else if (h ~ /关系|relation/) col[c] = "relation"
    else if (h ~ /姓名|name/) col[c] = "name"
    else if (h ~ /性别|sex/) col[c] = "sex"
    else if (h ~ /出生|birth/) col[c] = "birth"
    else if (h ~ /身份证|证件号|id_number|idcard/) col[c] = "id"
    else if (h ~ /电话|手机|phone/) col[c] = "phone"
    else if (h ~ /代码|住址|地址|place|address/) col[c] = "place"
    else col[c] = ""
  }
}
{ gsub(/\r/, ""); if ($1 != "") place[np++] = $1 }
END {
  if (np == 0) { print "gen_people: no places" > "/dev/stderr"; exit 1 }
  print header > csv
  S = 30 * 29200 * 1000
  for (i = 0; i < n; i++) {
    x = (i * 100000007 + 12345) % S            # a bijection of [0, S): gcd(100000007, S) = 1
    pre = 142201 + x % 30; x = int(x / 30)
    bd = day[x % 29200]; x = int(x / 29200)
    id17 = pre bd sprintf("%03d", x)
    s = 0
    for (k = 1; k <= 17; k++) s += substr(id17, k, 1) * w[k]
    f["id"] = id17 chk[s % 11 + 1]
    male = x % 2 == 1
    f["sex"] = male ? "男" : "女"
    f["birth"] = substr(bd, 1, 4) "-" substr(bd, 5, 2) "-" substr(bd, 7, 2)
    f["name"] = sur[int(rand() * nsur) + 1] giv[int(rand() * ngiv) + 1] (rand() < 0.6 ? giv[int(rand() * ngiv) + 1] : "")
    f["phone"] = sprintf("1%d%d%08d", 3 + int(rand() * 7), int(rand() * 10), int(rand() * 100000000))
    f["place"] = place[int(rand() * np)]
    local = rand() < 0.85
    f["hukou"] = local ? "本地" : "外地"
    f["relation"] = rel[int(rand() * nrel) + 1]
    f[""] = ""
    line = f[col[1]]
    for (c = 2; c <= ncol; c++) line = line "," f[col[c]]
    print line > csv
    print f["name"] "\t" (male ? "M" : "F") "\t" f["birth"] "\t" f["id"] "\t" f["phone"] "\t" f["place"] "\t" (local ? 1 : 0) "\t" f["relation"] "\t" now "\t" now > tsv
  }
}
