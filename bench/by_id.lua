-- wrk script: GET /api/v1/residents/{id} with the bearer token in BENCH_TOKEN,
-- rotating through the ids in the file BENCH_IDS (one per line, picked through
-- the API by bench/run.sh) so the run is not one cached row.
local ids, n, i = {}, 0, 0
for line in io.lines(os.getenv("BENCH_IDS")) do
  if line ~= "" then n = n + 1; ids[n] = line end
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

request = function()
  i = i % n + 1
  return wrk.format("GET", "/api/v1/residents/" .. ids[i])
end
