-- fleet_api.lua - wrk script of bench/fleet_api.sh: the bearer token from $VIGIL_TOKEN on
-- every request, and a count of the HTTP statuses received, so an error answer (401, 404...)
-- is reported as such and never read as a fast endpoint.  done() prints one line:
--   RESULT requests=N p50_us=X p99_us=Y statuses=200:N,404:M
local token = os.getenv("VIGIL_TOKEN") or ""
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, keys = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do
      if total[k] == nil then table.insert(keys, k) end
      total[k] = (total[k] or 0) + v
    end
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do table.insert(parts, k .. ":" .. total[k]) end
  io.write(string.format("RESULT requests=%d p50_us=%d p99_us=%d errors=%d statuses=%s\n",
    summary.requests, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
