-- wrk script: a JSON POST load (bearer token in BENCH_TOKEN) to the path
-- BENCH_POST_PATH with the body BENCH_POST_BODY, in which
--   {item} is the next line of the file BENCH_ITEMS, rotating (a household,
--          a person … so that the writes spread over the community), and
--   {seq}  is a number no other request of this run or of a later run takes
--          (BENCH_SEQ_BASE, a clock reading in µs from bench/run.sh, else a
--          random base; each thread 2^40 above the last, then its own
--          counter).
-- Every answer must be BENCH_POST_STATUS (201 Created): at the end it prints
-- "bad N" (N answers that were not), which bench/run.sh checks.
local items, n, i = {}, 0, 0
for line in io.lines(os.getenv("BENCH_ITEMS")) do
  if line ~= "" then n = n + 1; items[n] = line end
end
local path, body = os.getenv("BENCH_POST_PATH"), os.getenv("BENCH_POST_BODY")
local want = tonumber(os.getenv("BENCH_POST_STATUS") or "201")
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads - 1)
end

local seq = 0
function init(args)
  local base = tonumber(os.getenv("BENCH_SEQ_BASE") or "")
  if not base then
    math.randomseed(os.time())
    base = math.random(1, 2 ^ 30) * 2 ^ 20
  end
  seq = base + tid * 2 ^ 40 -- tid: set by setup(), which runs before init()
end

bad = 0
request = function()
  i = i % n + 1
  seq = seq + 1
  local b = body:gsub("{item}", items[i]):gsub("{seq}", string.format("%.0f", seq))
  return wrk.format(nil, path, nil, b)
end

response = function(status, headers, body)
  if status ~= want then bad = bad + 1 end
end

done = function(summary, latency, requests)
  local k = 0
  for _, t in ipairs(threads) do k = k + (t:get("bad") or 0) end
  io.write(string.format("bad %d\n", k))
end
