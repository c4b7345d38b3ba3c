-- wrk script: POST /api/v1/orders as a community worker (bearer token in
-- BENCH_TOKEN), filing a 路灯 order by visit for a household of the file
-- BENCH_PLACES (one code per line, households in the worker's scope), rotating
-- so that the orders spread over the community. Every answer must be 201
-- Created: at the end it prints "non201 N" (N answers that were not), which
-- bench/run.sh checks.
local places, n, i = {}, 0, 0
for line in io.lines(os.getenv("BENCH_PLACES")) do
  if line ~= "" then n = n + 1; places[n] = line end
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread) table.insert(threads, thread) end

non201 = 0
request = function()
  i = i % n + 1
  return wrk.format(nil, "/api/v1/orders", nil,
    '{"category_code":"streetlight","place_code":"' .. places[i] ..
    '","channel":"visit","title":"楼道灯不亮","description":"单元楼道灯不亮，夜间出行不便，请尽快维修。"}')
end

response = function(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non201") or 0) end
  io.write(string.format("non201 %d\n", bad))
end
