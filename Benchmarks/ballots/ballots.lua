-- wrk script: each request submits one complete ballot with the next unused code (POST /api/v1/ballots).
-- CODES: a file of codes, one per line; ANSWERS: the JSON members of a complete ballot ("team": "好", …).
local codes = {}
for line in io.lines(os.getenv("CODES")) do codes[#codes + 1] = line end
local answers = io.open(os.getenv("ANSWERS")):read("*a")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  next_code = id + 1
  stride = tonumber(os.getenv("THREADS") or "2")
  accepted, refused, spare = 0, 0, 0
end

function request()
  local code = codes[next_code]
  next_code = next_code + stride
  if code == nil then
    spare = spare + 1
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", "/api/v1/ballots", { ["Content-Type"] = "application/json" },
    '{"code":"' .. code .. '","answers":{' .. answers .. '}}')
end

function response(status, headers, body)
  if status == 201 then accepted = accepted + 1 elseif status ~= 200 then refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r, s = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted"); r = r + t:get("refused"); s = s + t:get("spare")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("accepted %d ballots in %.1f s: %.0f ballots/s; refused %d; codes ran out for %d requests\n",
    a, seconds, a / seconds, r, s))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("ACCEPTED=%d\n", a))
end
