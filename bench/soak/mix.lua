-- wrk script for bench/soak/run.sh: rotates through request templates covering every
-- operation of every vendor, success and error paths, against keygate-mock in its default
-- auth mode (presence), and checks that every response is one a template expects.
--
-- It expects replay answers: CreateSecret answering the documented id every time, reads the
-- documented samples. So run.sh runs its mock with --state off (pure replay), as the mock was
-- before it kept state; bench/soak/stateful.lua is the soak of the stateful mock.
--
--   wrk -t2 -c100 -d900s -s bench/soak/mix.lua http://127.0.0.1:PORT -- TOTAL THREADS DIR
--
-- Each thread stops by itself after its share of TOTAL responses and then creates the file
-- DIR/done-<n>; wrk's main thread only wakes at -d or on SIGINT, so run.sh sends SIGINT
-- once every thread's file is there, and wrk reports.
--
-- wrk does not say which request a response answers (a thread's connections interleave),
-- so each template's expected response is made recognizable by itself: its status plus a
-- piece of body text no other expected response has. A response that matches no template
-- is unexpected. Per template, the responses seen must equal the requests sent, less those
-- still in flight when the thread stopped (at most one per connection).

local huawei = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys"
local azure = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8/listSecrets"
local refs = "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references"
local tencent_auth = "Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Signature=x&Nonce=1&Timestamp=1"

local acs = "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=x"
local function ali(action, extra)
  local h = { ["x-acs-action"] = action, ["x-acs-version"] = "2024-03-27", ["Authorization"] = acs }
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end
local token = { ["X-Auth-Token"] = "soak" }
local bearer = { ["Authorization"] = "Bearer soak" }
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local json = { ["Content-Type"] = "application/json" }

-- name, method, path, headers, body, expected status, body text only that answer has
templates = {
  { "alibaba CreateSecret ok", "POST", "/v1/secrets", ali("CreateSecret", json), '{"name":"my_secret"}', 200, '"secretId":"sec-d5e6shmm1hkoxxxxxxxx"' },
  { "alibaba CreateSecret body not JSON", "POST", "/v1/secrets", ali("CreateSecret", json), '{', 400, 'parameter body is invalid' },
  { "alibaba ListSecretReferences ok", "GET", refs .. "?pageNumber=1&pageSize=10", ali("ListSecretReferences"), nil, 200, '"pageNumber":1,"pageSize":10' },
  { "alibaba ListSecretReferences page 2", "GET", refs .. "?pageNumber=2", ali("ListSecretReferences"), nil, 200, '"pageNumber":2,"pageSize":10,"items":[]' },
  { "alibaba invalid pageSize", "GET", refs .. "?pageSize=0", ali("ListSecretReferences"), nil, 400, 'parameter pageSize is invalid' },
  { "alibaba no auth", "GET", refs, { ["x-acs-action"] = "ListSecretReferences", ["x-acs-version"] = "2024-03-27" }, nil, 400, '"Code":"IncompleteSignature"' },
  { "alibaba Prefer 503", "GET", refs, ali("ListSecretReferences", { Prefer = "code=503" }), nil, 503, '"Code":"ServiceUnavailable"' },
  { "alibaba Prefer 404", "GET", refs, ali("ListSecretReferences", { Prefer = "code=404" }), nil, 404, '"Code":"InvalidAccessKeyId.NotFound"' },
  { "tencent GET ok", "GET", "/v2/index.php?Action=DescribeApiKeysStatus&" .. tencent_auth, {}, nil, 200, '"totalCount":2,"apiKeyStatusSet":[{"secretID":"AKIDXXXXWKipDlK"' },
  { "tencent POST form window", "POST", "/v2/index.php", form, "Action=DescribeApiKeysStatus&limit=1&offset=1&" .. tencent_auth, 200, '"totalCount":2,"apiKeyStatusSet":[{"secretID":"AKIDXXXXAVd3EuW"' },
  { "tencent invalid limit", "GET", "/v2/index.php?Action=DescribeApiKeysStatus&limit=0&" .. tencent_auth, {}, nil, 200, 'Invalid parameter value: limit' },
  { "tencent unknown action", "GET", "/v2/index.php?Action=Nope&" .. tencent_auth, {}, nil, 200, 'The action Nope does not exist' },
  { "tencent no signature", "GET", "/v2/index.php?Action=DescribeApiKeysStatus&Region=gz", {}, nil, 200, '"code":4100' },
  { "tencent Prefer InternalError", "GET", "/v2/index.php?Action=DescribeApiKeysStatus&__example=InternalError&" .. tencent_auth, {}, nil, 200, '"code":6000' },
  { "huawei ok", "GET", huawei .. "?limit=20", token, nil, 200, '"total":2,"size":2' },
  { "huawei window", "GET", huawei .. "?limit=1&offset=1", token, nil, 200, '"total":2,"size":1,"ai_api_keys":[{"ai_api_key":"fdc8' },
  { "huawei invalid limit", "GET", huawei .. "?limit=x", token, nil, 400, 'parameterName:limit' },
  { "huawei no auth", "GET", huawei, {}, nil, 401, '"APIG.1002"' },
  { "huawei Prefer 404", "GET", huawei, { ["X-Auth-Token"] = "soak", Prefer = "code=404" }, nil, 404, '"APIG.3004"' },
  -- Not huawei .. "/nope": since ShowDetailsOfAiApiKey, that is a key id, refused as invalid.
  { "huawei unknown path", "GET", huawei .. "/32dc8ca22d1b4b9cb94022186880576b/nope", token, nil, 404, '"APIG.0101"' },
  { "azure ok", "POST", azure .. "?api-version=2024-05-01", bearer, nil, 200, '"primaryKey"' },
  { "azure missing api-version", "POST", azure, bearer, nil, 400, 'MissingApiVersionParameter' },
  { "azure no auth", "POST", azure .. "?api-version=2024-05-01", {}, nil, 401, '"AuthenticationFailed"' },
  { "azure wrong method", "GET", azure .. "?api-version=2024-05-01", bearer, nil, 405, 'MethodNotAllowed' },
  { "azure Prefer 403", "POST", azure .. "?api-version=2024-05-01", { ["Authorization"] = "Bearer soak", Prefer = "code=403" }, nil, 403, 'AuthorizationFailed' },
  { "no vendor's path", "GET", "/nothing/here", {}, nil, 404, '"code":"route-not-found"' },
}

-- Main state: remember the threads for done().
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Thread state.
local requests = {}
local by_status = {}
local next_template = 1
id = 0
quota = 0
marker = nil
received = 0
unexpected = 0
sent = {}
seen = {}
samples = {}

function init(args)
  local total = tonumber(args[1]) or 1000000
  local thread_count = tonumber(args[2]) or 1
  quota = math.ceil(total / thread_count)
  if args[3] then
    marker = args[3] .. "/done-" .. id
  end
  for i, t in ipairs(templates) do
    requests[i] = wrk.format(t[2], t[3], t[4], t[5])
    sent[i] = 0
    seen[i] = 0
    by_status[t[6]] = by_status[t[6]] or {}
    table.insert(by_status[t[6]], i)
  end
end

function request()
  local i = next_template
  next_template = i % #templates + 1
  sent[i] = sent[i] + 1
  return requests[i]
end

function response(status, headers, body)
  received = received + 1
  local match = nil
  for _, i in ipairs(by_status[status] or {}) do
    if string.find(body, templates[i][7], 1, true) then
      match = i
      break
    end
  end
  if match then
    seen[match] = seen[match] + 1
  else
    unexpected = unexpected + 1
    if #samples < 5 then
      table.insert(samples, status .. " " .. string.sub(body, 1, 200))
    end
  end
  if received == quota then
    wrk.thread:stop()
    if marker then
      local f = io.open(marker, "w")
      if f then f:close() end
    end
  end
end

function done(summary, latency, reqs)
  local total_sent, total_seen, total_received, total_unexpected = 0, 0, 0, 0
  local sent_by, seen_by = {}, {}
  for i = 1, #templates do sent_by[i] = 0; seen_by[i] = 0 end
  for _, thread in ipairs(threads) do
    local s, z = thread:get("sent"), thread:get("seen")
    for i = 1, #templates do
      sent_by[i] = sent_by[i] + s[i]
      seen_by[i] = seen_by[i] + z[i]
    end
    total_received = total_received + thread:get("received")
    total_unexpected = total_unexpected + thread:get("unexpected")
    for _, line in ipairs(thread:get("samples")) do
      io.write("unexpected response: ", line, "\n")
    end
  end
  for i = 1, #templates do total_sent = total_sent + sent_by[i] end
  local in_flight = total_sent - total_received
  local failed = total_unexpected > 0
  io.write(string.format("\n%-38s %6s %10s %10s\n", "template", "status", "sent", "answered"))
  for i, t in ipairs(templates) do
    local missing = sent_by[i] - seen_by[i]
    local mark = ""
    if missing < 0 or missing > in_flight then
      failed = true
      mark = "  <-- mismatch"
    end
    io.write(string.format("%-38s %6d %10d %10d%s\n", t[1], t[6], sent_by[i], seen_by[i], mark))
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  if socket_errors > 0 then failed = true end
  io.write(string.format(
    "\nresponses %d, unexpected %d, in flight at stop %d, socket errors %d (connect %d, read %d, write %d, timeout %d)\n",
    total_received, total_unexpected, in_flight, socket_errors, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("SOAK_RESPONSES=%d\nSOAK_UNEXPECTED=%d\nSOAK_RESULT=%s\n",
    total_received, total_unexpected, failed and "FAIL" or "PASS"))
end
