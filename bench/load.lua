-- wrk script for bench/run.ts.
-- Arguments (after "--"): MODE KEY ID_MAX EXPECTED_STATUS [PATH_PREFIX]
--   PATH_PREFIX of a customer's path (default "/api/v2/customers/"; the DRF peer's is "/customers/")
--   MODE "patch": PATCH /api/v2/customers/<random 1..ID_MAX>/ with a valid body that changes the row
--   MODE "bulk": PATCH /api/v2/customers/ with 100 items (distinct random customers 1..ID_MAX), each changing the row
--   MODE "floor": GET /api/v2/bench-floor/ (no route, no D1: the runtime and middleware alone)
-- Prints one line: SUMMARY requests=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… unexpected=… socket_errors=…
-- (socket_errors: connect + read + write + timeout, each also apart as connect=… read=… write=… timeout=…)
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  mode, key, id_max, expected, prefix = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5] or "/api/v2/customers/"
  unexpected, counter = 0, 0
  math.randomseed(os.time() + id * 7919)
  wrk.headers["Authorization"] = "Token " .. key
  if mode == "patch" or mode == "bulk" then
    wrk.method = "PATCH"
    wrk.headers["Content-Type"] = "application/json"
  end
end

function request()
  if mode == "floor" then return wrk.format("GET", "/api/v2/bench-floor/") end
  counter = counter + 1
  if mode == "bulk" then
    -- 100 distinct ids: a random start, then every fifth customer around the demo data.
    local start, items = math.random(0, id_max - 1), {}
    for i = 0, 99 do
      local customer = (start + i * 5) % id_max + 1
      items[#items + 1] = string.format('{"id":%d,"note":"Bulk %d-%d","no_sms":%s}', customer, id, counter, counter % 2 == 0 and "true" or "false")
    end
    return wrk.format(nil, prefix, nil, "[" .. table.concat(items, ",") .. "]")
  end
  local body = string.format('{"note":"Bench %d-%d","no_sms":%s}', id, counter, counter % 2 == 0 and "true" or "false")
  return wrk.format(nil, string.format("%s%d/", prefix, math.random(1, id_max)), nil, body)
end

function response(status)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    "SUMMARY requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f unexpected=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
