-- wrk script for the "create" runs of bench/mock/run.sh: a write per request that stays within
-- every quota. Each request is either an Azure Subscription_CreateOrUpdate (PUT) of a new sid,
-- which creates a subscription (201), or the Subscription_Delete (DELETE, If-Match: *) of one
-- this thread created, once its PUT is answered (200). So about half the requests create and
-- half delete, and the store holds about one subscription per connection at most.
--
--   wrk -t2 -c50 -d10s -s bench/mock/create.lua http://127.0.0.1:PORT -- RUN
--
-- RUN (a number) gives each run against one mock a service of its own (bench-create-RUN, not
-- the documented one): a run stops with subscriptions still there (created, and not deleted
-- yet or their answer unread), and they must neither meet the next run's sids nor add up to
-- the service's quota (1000) over many runs. Azure echoes x-ms-correlation-request-id, which
-- carries the sid, so an answer names the subscription it is about. Prints
-- CREATE_RESULT=PASS when every answer was a 201 to a PUT or a 200 to a DELETE and no socket
-- error occurred.

local PREFIX -- the run's service's subscriptions, set by init()
local VERSION = "?api-version=2024-05-01"
local BODY = '{"properties":{"scope":"/apis","displayName":"bench"}}'

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

id = 0
created = 0
deleted = 0
unexpected = 0
samples = {}
local run = 1
local next_sid = 0
local to_delete, first, last = {}, 1, 0

function init(args)
  run = tonumber(args[1]) or 1
  PREFIX = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/bench-create-" .. run .. "/subscriptions/"
end

function request()
  if first <= last then
    local sid = to_delete[first]
    to_delete[first] = nil
    first = first + 1
    return wrk.format("DELETE", PREFIX .. sid .. VERSION,
      { ["Authorization"] = "Bearer bench", ["If-Match"] = "*", ["x-ms-correlation-request-id"] = "d-" .. sid }, nil)
  end
  next_sid = next_sid + 1
  local sid = string.format("t%d-%d", id, next_sid)
  return wrk.format("PUT", PREFIX .. sid .. VERSION,
    { ["Authorization"] = "Bearer bench", ["Content-Type"] = "application/json", ["x-ms-correlation-request-id"] = "c-" .. sid }, BODY)
end

function response(status, headers, body)
  local tag = headers["x-ms-correlation-request-id"] or ""
  local what, sid = string.match(tag, "^([cd])%-(.+)$")
  if what == "c" and status == 201 then
    created = created + 1
    last = last + 1
    to_delete[last] = sid
  elseif what == "d" and status == 200 then
    deleted = deleted + 1
  else
    unexpected = unexpected + 1
    if #samples < 5 then table.insert(samples, status .. " " .. tag .. " " .. string.sub(body or "", 1, 200)) end
  end
end

function done(summary, latency, reqs)
  local c, d, u = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    d = d + thread:get("deleted")
    u = u + thread:get("unexpected")
    for _, line in ipairs(thread:get("samples")) do io.write("unexpected response: ", line, "\n") end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format("created %d, deleted %d, unexpected %d, socket errors %d\n", c, d, u, socket_errors))
  io.write("CREATE_RESULT=", (u == 0 and socket_errors == 0 and c > 0) and "PASS" or "FAIL", "\n")
end
