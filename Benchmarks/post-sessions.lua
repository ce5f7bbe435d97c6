-- wrk script of Benchmarks/serve.sh: POST /api/v1/sessions with a new id every request (thread
-- number and a counter make it unique), to the hamlets listed in $HAMLETS, with the bearer token
-- $TOKEN; counts 201 answers and the others, printed at the end.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  hamlets = {}
  for line in io.lines(os.getenv("HAMLETS")) do table.insert(hamlets, line) end
  token = os.getenv("TOKEN"):gsub("%s+", "")
  salt = os.getenv("SALT") or "0000"  -- 4 hex digits: another run on the same workspace posts new ids
  created, other = 0, 0
  answered = io.open(os.getenv("ANSWERED") .. "-" .. tid, "w")
  answered:setvbuf("line")
end

function request()
  counter = counter + 1
  local id = string.format("%08x-%s-4000-8000-%012x", tid, salt, counter)
  local area = hamlets[(counter % #hamlets) + 1]
  local body = string.format('{"id":"%s","date":"2026-11-20","area":"%s","counts":{"eid_l2":%d,"people_reached":%d}}',
    id, area, counter % 7, 10 + counter % 30)
  return wrk.format("POST", "/api/v1/sessions", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local id = body:match('"id":"([0-9a-f-]+)"')
    if id then answered:write((id:gsub("-", "")), "\n") end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  io.write(string.format("created=%d other=%d\n", c, o))
end
