-- wrk script for the stateful soak (bench/soak/run.sh stateful): every wrk thread drives its
-- own resources of every vendor through their whole life against keygate-mock with a state
-- store (memory by default), in its default auth mode (presence), and checks every answer
-- against what the thread stored before.
--
--   wrk -t2 -c100 -d900s -s bench/soak/stateful.lua http://127.0.0.1:PORT -- TOTAL THREADS DIR RUN SLOTS
--
-- TOTAL, THREADS and DIR much as in mix.lua: each thread stops once it has TOTAL/THREADS
-- responses and is at the end of a cycle (below), so that the store holds what it held before
-- the run (and the fillers' subscription), and then creates DIR/done-<n>. So a thread answers
-- up to one cycle (about 2,800 requests at SLOTS=80) more than its share. RUN (a number,
-- default 1) keeps the names of separate wrk runs against one mock apart, in case one stopped
-- mid-cycle after all (an answer lost: it stops at 5% + 100 x SLOTS past its share anyway).
-- SLOTS (default 80, a multiple of 5) is how many resources of each kind a thread owns.
--
-- Resources of thread t in run R, for slot i = 1..SLOTS:
--   Huawei:  an AI API key and an AppCode in app 5a<R><t><j>0… (j = 1..SLOTS/5: the quota is 5
--            of each per app; odd AppCode slots are created by POST with a given value,
--            even ones by PUT, generated);
--   Alibaba: secret soak_R_t_i;   Tencent: key named soak_R_t_i;
--   Azure:   subscription s<i> of service soak-R-t (a scope of its own).
-- Quotas: Alibaba (1000) and Tencent (400) count every thread's keys in one account, plus what
-- earlier runs left: THREADS x SLOTS x runs + 2 documented keys must stay within 400 for
-- Tencent (2 threads, 2 runs, SLOTS=80: 322).
--
-- A thread runs cycles of eight waves; a wave is sent, and only when every answer to it is
-- in does the next start, so that what each request expects is known:
--   1 create  every resource (ids, keys and values captured from the answers); the first
--             time, the fillers' subscription too
--   2 read    each one (keys equal to those created), the lists (Huawei's masked), values
--   3 update  Alibaba value v2, Tencent key rotated, Azure PATCH with the exact If-Match;
--             refusal: Tencent delete of an enabled key (5100)
--   4 read    the changes; refusals: Huawei 6th key and 6th AppCode per app (quota),
--             Alibaba duplicate name (409), Azure PATCH with a stale ETag (412)
--   5 rotate  Azure primary key regenerated, Tencent key disabled; Huawei lists again
--   6 read    Azure: primary key changed, secondary not; Tencent: disabled, key kept
--   7 delete  everything (Azure with the ETag last read)
--   8 gone    every read answers the vendor's not-found; Huawei and Azure lists are empty
-- While a wave's last answers are awaited, idle connections send fillers: reads of one
-- Azure subscription of the thread's own, in a service of its own, created (once) by the first
-- wave; until it is, reads of the documented subscription. Azure echoes
-- x-ms-correlation-request-id, which carries the wave's tag (w-<what>-<slot>, or f-<what>-0
-- for a filler), so an Azure answer is known exactly; the other vendors' answers are
-- recognized by status and body within the current wave.
--
-- wrk calls the first thread's request() once before the run, to check what it returns, and
-- never sends that request: so every thread's first request is a filler, whose loss is no
-- matter, and no wave request.
--
-- Counts per kind of request, like mix.lua: each answer must match a kind (else it is
-- unexpected) and pass its checks (else it is wrong); sent and answered per kind must agree,
-- less what was in flight when the thread stopped.

local PROJECT = "77b6a44cba5143ab91d13ab9a8ff44fd"
local INSTANCE = "eddc4d25480b4cd6b512f270a1b8b341"
local AZ_PREFIX = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/"
local AZ_VERSION = "?api-version=2024-05-01"
local TENCENT_AUTH = "Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Signature=x&Nonce=1&Timestamp=1"
local ACS = "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=x"
local DOC_SID = "5931a769d8d14f0ad8ce13b8" -- the documented subscription of apimService1

-- Kinds of request, in report order (the same list in every Lua state wrk makes).
kind_names = {}
local K = {}
local function kind(name)
  table.insert(kind_names, name)
  K[name] = #kind_names
end
for _, name in ipairs({
  "huawei CreateAiApiKey", "huawei CreateAppCodeV2 (POST)", "huawei CreateAppCodeAutoV2 (PUT)",
  "huawei ShowDetailsOfAiApiKey", "huawei ShowDetailsOfAppCodeV2", "huawei ListAiApiKeys",
  "huawei ListAppCodesV2", "huawei 6th key: APIG.3100", "huawei 6th AppCode: APIG.3131",
  "huawei Delete (key or AppCode)", "huawei key gone: APIG.3088", "huawei AppCode gone: APIG.3082",
  "alibaba CreateSecret", "alibaba GetSecret", "alibaba GetSecretValue", "alibaba ListSecrets",
  "alibaba UpdateSecret", "alibaba duplicate name: 409", "alibaba DeleteSecret",
  "alibaba gone: NotFound.SecretNotFound",
  "tencent CreateApiKey", "tencent DescribeApiKey", "tencent DescribeApiKeysStatus",
  "tencent UpdateApiKey", "tencent delete enabled: 5100", "tencent DisableApiKey",
  "tencent DeleteApiKey", "tencent gone: 5000",
  "azure CreateOrUpdate (create)", "azure Get", "azure ListSecrets", "azure List",
  "azure Update (If-Match)", "azure Update stale: 412", "azure RegeneratePrimaryKey",
  "azure Delete (If-Match)", "azure gone: ResourceNotFound",
  "azure CreateOrUpdate (filler's)", "filler azure Get (documented)",
  "filler azure Get", "filler azure ListSecrets", "filler azure List",
}) do kind(name) end

-- Main state: remember the threads for done().
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Thread state (globals are what done() reads).
id = 0
quota = 0
marker = nil
received = 0
unexpected = 0
wrong = 0
cycles = 0
sent = {}
seen = {}
samples = {}

local N, APPS, RUN
local queue, head, qlen = {}, 1, 0 -- the current wave's requests ({ kind, text }), next, count
local outstanding = 0          -- the current wave's requests sent and not answered
local wave = 0                 -- 1..8 once the first wave is built
local matchers = {}            -- the current wave's matchers for non-Azure answers
local filler_turn = 0
local resident = false         -- whether the filler subscription exists
local started = false          -- whether request() was called (see the header)
local stopped = false

-- What the thread stored, per slot.
local hw_apps = {}             -- j -> app id
local hw_key, hw_code = {}, {} -- i -> { id =, value = }
local hw_code_free = {}        -- app id -> even slots whose PUT answer is still due
local ali_name, ali_id, ali_new = {}, {}, {} -- i -> name; i -> id; id -> true (created, name not yet read)
local ali_gen = {}             -- i -> 1 or 2 (the value version expected)
local tc_name, tc = {}, {}     -- i -> name; i -> { id =, key =, status = }
local tc_slot = {}             -- id -> i
local az = {}                  -- i -> { etag =, first_etag =, primary =, secondary = }
local az_service, az_filler_service

local function note(text)
  if #samples < 8 then table.insert(samples, text) end
end
local function bad(text)
  wrong = wrong + 1
  note(text)
end

-- Requests -----------------------------------------------------------------------------------

local function huawei(method, path, body)
  local headers = { ["X-Auth-Token"] = "soak" }
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end
local function hw_path(j, what, id)
  local path = "/v2/" .. PROJECT .. "/apigw/instances/" .. INSTANCE .. "/apps/" .. hw_apps[j] .. "/" .. what
  if id then path = path .. "/" .. id end
  return path
end
local function app_of(i) return math.floor((i - 1) / 5) + 1 end
local function code_value(i) return string.format("c%02d%02d%04d", RUN, id, i) .. string.rep("x", 60) end

local function alibaba(action, method, path, body)
  local headers = { ["x-acs-action"] = action, ["x-acs-version"] = "2024-03-27", ["Authorization"] = ACS }
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end

local function tencent(action, params)
  return wrk.format("GET", "/v2/index.php?Action=" .. action .. (params or "") .. "&" .. TENCENT_AUTH, {}, nil)
end

local function azure(method, service, sid, tail, tag, body, if_match)
  local headers = { ["Authorization"] = "Bearer soak", ["x-ms-correlation-request-id"] = tag }
  if body then headers["Content-Type"] = "application/json" end
  if if_match then headers["If-Match"] = if_match end
  local path = AZ_PREFIX .. service .. "/subscriptions"
  if sid then path = path .. "/" .. sid end
  return wrk.format(method, path .. (tail or "") .. AZ_VERSION, headers, body)
end

local function add(k, text)
  qlen = qlen + 1
  queue[qlen] = { k, text }
end

-- Waves ------------------------------------------------------------------------------------

-- Matchers for the non-Azure answers of each wave (defined below the checks).
local M = {}
local wave_matchers

local function build(w)
  queue, head, qlen = {}, 1, 0
  matchers = wave_matchers[w]
  if w == 1 then
    if not resident then
      add(K["azure CreateOrUpdate (filler's)"], azure("PUT", az_filler_service, "resident", nil, "w-resident-0",
        '{"properties":{"scope":"/apis","displayName":"resident"}}'))
    end
    hw_key, hw_code, hw_code_free, ali_id, ali_new, tc, tc_slot, az = {}, {}, {}, {}, {}, {}, {}, {}
    for j = 1, APPS do hw_code_free[hw_apps[j]] = {} end
    for i = 1, N do
      local j = app_of(i)
      add(K["huawei CreateAiApiKey"], huawei("POST", hw_path(j, "ai-api-keys"), '{"alias":"k' .. i .. '"}'))
      if i % 2 == 1 then
        add(K["huawei CreateAppCodeV2 (POST)"], huawei("POST", hw_path(j, "app-codes"), '{"app_code":"' .. code_value(i) .. '"}'))
      else
        table.insert(hw_code_free[hw_apps[j]], i)
        add(K["huawei CreateAppCodeAutoV2 (PUT)"], huawei("PUT", hw_path(j, "app-codes"), nil))
      end
      ali_gen[i] = 1
      add(K["alibaba CreateSecret"], alibaba("CreateSecret", "POST", "/v1/secrets",
        '{"name":"' .. ali_name[i] .. '","secretData":"v1-' .. ali_name[i] .. '"}'))
      add(K["tencent CreateApiKey"], tencent("CreateApiKey", "&secretName=" .. tc_name[i]))
      az[i] = {}
      add(K["azure CreateOrUpdate (create)"], azure("PUT", az_service, "s" .. i, nil, "w-put-" .. i,
        '{"properties":{"scope":"/apis","displayName":"d' .. i .. '"}}'))
    end
  elseif w == 2 then
    local unread = {}
    for secret in pairs(ali_new) do table.insert(unread, secret) end
    for _, secret in ipairs(unread) do
      add(K["alibaba GetSecret"], alibaba("GetSecret", "GET", "/v1/secrets/" .. secret))
    end
    for i = 1, N do
      local j = app_of(i)
      if hw_key[i] then add(K["huawei ShowDetailsOfAiApiKey"], huawei("GET", hw_path(j, "ai-api-keys", hw_key[i].id))) end
      if hw_code[i] then add(K["huawei ShowDetailsOfAppCodeV2"], huawei("GET", hw_path(j, "app-codes", hw_code[i].id))) end
      add(K["alibaba GetSecretValue"], alibaba("GetSecretValue", "GET", "/v1/secrets/name/" .. ali_name[i] .. "/value"))
      if tc[i] then add(K["tencent DescribeApiKey"], tencent("DescribeApiKey", "&secretID=" .. tc[i].id)) end
      add(K["azure Get"], azure("GET", az_service, "s" .. i, nil, "w-get-" .. i))
      add(K["azure ListSecrets"], azure("POST", az_service, "s" .. i, "/listSecrets", "w-secrets-" .. i))
    end
    for j = 1, APPS do
      add(K["huawei ListAiApiKeys"], huawei("GET", hw_path(j, "ai-api-keys") .. "?limit=20"))
      add(K["huawei ListAppCodesV2"], huawei("GET", hw_path(j, "app-codes") .. "?limit=20"))
    end
    add(K["azure List"], azure("GET", az_service, nil, nil, "w-list-" .. N))
    add(K["alibaba ListSecrets"], alibaba("ListSecrets", "GET", "/v1/secrets?pageSize=100"))
    add(K["tencent DescribeApiKeysStatus"], tencent("DescribeApiKeysStatus", "&limit=100"))
  elseif w == 3 then
    for i = 1, N do
      if ali_id[i] then
        ali_gen[i] = 2
        add(K["alibaba UpdateSecret"], alibaba("UpdateSecret", "PUT", "/v1/secrets/" .. ali_id[i],
          '{"secretData":"v2-' .. ali_name[i] .. '"}'))
      end
      if tc[i] then
        add(K["tencent UpdateApiKey"], tencent("UpdateApiKey", "&secretID=" .. tc[i].id))
        if i % 4 == 1 then add(K["tencent delete enabled: 5100"], tencent("DeleteApiKey", "&secretID=" .. tc[i].id)) end
      end
      if az[i].etag then
        add(K["azure Update (If-Match)"], azure("PATCH", az_service, "s" .. i, nil, "w-patch-" .. i,
          '{"properties":{"displayName":"r' .. i .. '"}}', az[i].etag))
      end
    end
  elseif w == 4 then
    for i = 1, N do
      add(K["alibaba GetSecretValue"], alibaba("GetSecretValue", "GET", "/v1/secrets/name/" .. ali_name[i] .. "/value"))
      if tc[i] then add(K["tencent DescribeApiKey"], tencent("DescribeApiKey", "&secretID=" .. tc[i].id)) end
      add(K["azure Get"], azure("GET", az_service, "s" .. i, nil, "w-get2-" .. i))
      if i % 4 == 1 then
        add(K["alibaba duplicate name: 409"], alibaba("CreateSecret", "POST", "/v1/secrets",
          '{"name":"' .. ali_name[i] .. '","secretData":"dup"}'))
        if az[i].first_etag then
          add(K["azure Update stale: 412"], azure("PATCH", az_service, "s" .. i, nil, "w-stale-" .. i,
            '{"properties":{"displayName":"stale"}}', az[i].first_etag))
        end
      end
    end
    for j = 1, APPS do
      add(K["huawei 6th key: APIG.3100"], huawei("POST", hw_path(j, "ai-api-keys"), '{"alias":"extra"}'))
      add(K["huawei 6th AppCode: APIG.3131"], huawei("PUT", hw_path(j, "app-codes"), nil))
    end
  elseif w == 5 then
    for i = 1, N do
      add(K["azure RegeneratePrimaryKey"], azure("POST", az_service, "s" .. i, "/regeneratePrimaryKey", "w-regen-" .. i))
      if tc[i] then add(K["tencent DisableApiKey"], tencent("DisableApiKey", "&secretID=" .. tc[i].id)) end
    end
    for j = 1, APPS do
      add(K["huawei ListAiApiKeys"], huawei("GET", hw_path(j, "ai-api-keys") .. "?limit=20"))
    end
  elseif w == 6 then
    for i = 1, N do
      if tc[i] then tc[i].status = 0 end -- disabled by wave 5
      add(K["azure ListSecrets"], azure("POST", az_service, "s" .. i, "/listSecrets", "w-secrets2-" .. i))
      if tc[i] then add(K["tencent DescribeApiKey"], tencent("DescribeApiKey", "&secretID=" .. tc[i].id)) end
    end
    add(K["alibaba ListSecrets"], alibaba("ListSecrets", "GET", "/v1/secrets?pageSize=100"))
    add(K["tencent DescribeApiKeysStatus"], tencent("DescribeApiKeysStatus", "&limit=100"))
  elseif w == 7 then
    for i = 1, N do
      local j = app_of(i)
      if hw_key[i] then add(K["huawei Delete (key or AppCode)"], huawei("DELETE", hw_path(j, "ai-api-keys", hw_key[i].id))) end
      if hw_code[i] then add(K["huawei Delete (key or AppCode)"], huawei("DELETE", hw_path(j, "app-codes", hw_code[i].id))) end
      if ali_id[i] then add(K["alibaba DeleteSecret"], alibaba("DeleteSecret", "DELETE", "/v1/secrets/" .. ali_id[i])) end
      if tc[i] then add(K["tencent DeleteApiKey"], tencent("DeleteApiKey", "&secretID=" .. tc[i].id)) end
      add(K["azure Delete (If-Match)"], azure("DELETE", az_service, "s" .. i, nil, "w-delete-" .. i, nil, az[i].etag or "*"))
    end
  elseif w == 8 then
    for i = 1, N do
      local j = app_of(i)
      if hw_key[i] then add(K["huawei key gone: APIG.3088"], huawei("GET", hw_path(j, "ai-api-keys", hw_key[i].id))) end
      if hw_code[i] then add(K["huawei AppCode gone: APIG.3082"], huawei("GET", hw_path(j, "app-codes", hw_code[i].id))) end
      if ali_id[i] then add(K["alibaba gone: NotFound.SecretNotFound"], alibaba("GetSecret", "GET", "/v1/secrets/" .. ali_id[i])) end
      if tc[i] then add(K["tencent gone: 5000"], tencent("DescribeApiKey", "&secretID=" .. tc[i].id)) end
      add(K["azure gone: ResourceNotFound"], azure("GET", az_service, "s" .. i, nil, "w-gone-" .. i))
    end
    for j = 1, APPS do
      add(K["huawei ListAiApiKeys"], huawei("GET", hw_path(j, "ai-api-keys") .. "?limit=20"))
      add(K["huawei ListAppCodesV2"], huawei("GET", hw_path(j, "app-codes") .. "?limit=20"))
    end
    add(K["azure List"], azure("GET", az_service, nil, nil, "w-list-0"))
  end
end

-- What must hold once every answer of wave w is in.
local function finish(w)
  if w == 1 then
    local missing = 0
    for i = 1, N do
      if not (hw_key[i] and hw_code[i] and tc[i] and az[i].etag) then missing = missing + 1 end
    end
    local created = 0
    for _ in pairs(ali_new) do created = created + 1 end
    if missing > 0 or created ~= N then
      bad("wave 1: " .. missing .. " slots without a created resource, " .. created .. " Alibaba secrets of " .. N)
    end
  elseif w == 2 then
    for i = 1, N do
      if not ali_id[i] then
        bad("wave 2: no GetSecret answer named " .. ali_name[i])
        break
      end
    end
  end
end

local function filler()
  if not resident then
    return { K["filler azure Get (documented)"], azure("GET", "apimService1", DOC_SID, nil, "f-doc-0") }
  end
  filler_turn = filler_turn % 3 + 1
  if filler_turn == 1 then
    return { K["filler azure Get"], azure("GET", az_filler_service, "resident", nil, "f-get-0") }
  elseif filler_turn == 2 then
    return { K["filler azure ListSecrets"], azure("POST", az_filler_service, "resident", "/listSecrets", "f-secrets-0") }
  end
  return { K["filler azure List"], azure("GET", az_filler_service, nil, nil, "f-list-0") }
end

-- Checks of the answers ----------------------------------------------------------------------

local function masked(value)
  return string.sub(value, 1, 12) .. "*******" .. string.sub(value, -8)
end

-- Huawei list of an app: every item one of ours (keys masked), as many as stored.
local function hw_list(body, field, store, want_total, show)
  local app = string.match(body, '"app_id":"(%x+)"')
  local total = tonumber(string.match(body, '^{"total":(%d+)'))
  if total ~= want_total then return show .. ": total " .. tostring(total) .. ", want " .. want_total end
  if total == 0 then
    if not string.find(body, '"size":0,', 1, true) then return show .. ": not empty" end
    return nil
  end
  local count = 0
  for item in string.gmatch(string.match(body, "%[(.*)%]") or "", "{(.-)}") do
    local value = string.match(item, '"' .. field .. '":"([^"]*)"')
    local item_id = string.match(item, '"id":"(%x+)"')
    local found = false
    for i = 1, N do
      local s = store[i]
      if s and s.id == item_id and hw_apps[app_of(i)] == app then
        local want = (field == "ai_api_key") and masked(s.value) or s.value
        if value ~= want then return show .. ": value of " .. item_id .. " is " .. tostring(value) .. ", want " .. want end
        found = true
        break
      end
    end
    if not found then return show .. ": unknown item " .. tostring(item_id) .. " in app " .. tostring(app) end
    count = count + 1
  end
  if count ~= total then return show .. ": " .. count .. " items, total " .. total end
  return nil
end

-- Each matcher: nil when the answer is not of its kind, else the kind and an error or nil.
M.hw_create_key = function(status, body)
  if status ~= 200 or not string.find(body, '^{"ai_api_key":"') then return nil end
  local key, alias, app, key_id = string.match(body, '^{"ai_api_key":"(%x+)","alias":"k(%d+)","app_id":"(%x+)",.-"id":"(%x+)"}$')
  local i = tonumber(alias)
  if not i or i > N or hw_apps[app_of(i)] ~= app or #key ~= 64 or #key_id ~= 32 then
    return K["huawei CreateAiApiKey"], "create key: " .. body
  end
  if hw_key[i] then return K["huawei CreateAiApiKey"], "create key: slot " .. i .. " twice" end
  hw_key[i] = { id = key_id, value = key }
  return K["huawei CreateAiApiKey"]
end
M.hw_create_code = function(status, body)
  if status ~= 201 or not string.find(body, '^{"app_code":"') then return nil end
  local value, app, code_id = string.match(body, '^{"app_code":"([^"]+)","app_id":"(%x+)","id":"(%x+)"')
  if not value then return K["huawei CreateAppCodeV2 (POST)"], "create AppCode: " .. body end
  local i = tonumber(string.match(value, string.format("^c%02d%02d(%%d%%d%%d%%d)x+$", RUN, id)))
  if i then
    if i > N or hw_apps[app_of(i)] ~= app or hw_code[i] then return K["huawei CreateAppCodeV2 (POST)"], "create AppCode: " .. body end
    hw_code[i] = { id = code_id, value = value }
    return K["huawei CreateAppCodeV2 (POST)"]
  end
  local free = hw_code_free[app]
  if not free or #free == 0 or #value ~= 64 then return K["huawei CreateAppCodeAutoV2 (PUT)"], "create AppCode (PUT): " .. body end
  hw_code[table.remove(free)] = { id = code_id, value = value }
  return K["huawei CreateAppCodeAutoV2 (PUT)"]
end
M.hw_show_key = function(status, body)
  if status ~= 200 or not string.find(body, '^{"ai_api_key":"') then return nil end
  local key, alias, key_id = string.match(body, '^{"ai_api_key":"(%x+)","alias":"k(%d+)",.-"id":"(%x+)"}$')
  local s = hw_key[tonumber(alias) or 0]
  if not s or s.id ~= key_id or s.value ~= key then return K["huawei ShowDetailsOfAiApiKey"], "show key: " .. body end
  return K["huawei ShowDetailsOfAiApiKey"]
end
M.hw_show_code = function(status, body)
  if status ~= 200 or not string.find(body, '^{"app_code":"') then return nil end
  local value, app, code_id = string.match(body, '^{"app_code":"([^"]+)","app_id":"(%x+)","id":"(%x+)"')
  for j = 1, APPS do
    if hw_apps[j] == app then
      for i = 5 * (j - 1) + 1, 5 * j do
        local s = hw_code[i]
        if s and s.id == code_id then
          if s.value ~= value then break end
          return K["huawei ShowDetailsOfAppCodeV2"]
        end
      end
    end
  end
  return K["huawei ShowDetailsOfAppCodeV2"], "show AppCode: " .. body
end
local function hw_lists(want)
  return function(status, body)
    if status ~= 200 then return nil end
    if string.find(body, '"ai_api_keys":[', 1, true) then
      return K["huawei ListAiApiKeys"], hw_list(body, "ai_api_key", hw_key, want, "list keys")
    elseif string.find(body, '"app_codes":[', 1, true) then
      return K["huawei ListAppCodesV2"], hw_list(body, "app_code", hw_code, want, "list AppCodes")
    end
    return nil
  end
end
M.hw_lists_full = hw_lists(5)
M.hw_lists_empty = hw_lists(0)
M.hw_quota = function(status, body)
  if status ~= 403 then return nil end
  if string.find(body, '"error_code":"APIG.3100"', 1, true) then return K["huawei 6th key: APIG.3100"] end
  if string.find(body, '"error_code":"APIG.3131"', 1, true) then return K["huawei 6th AppCode: APIG.3131"] end
  return nil
end
M.hw_deleted = function(status, body)
  if status == 204 and body == "" then return K["huawei Delete (key or AppCode)"] end
  return nil
end
M.hw_gone = function(status, body)
  if status ~= 404 then return nil end
  if string.find(body, '"error_code":"APIG.3088"', 1, true) then return K["huawei key gone: APIG.3088"] end
  if string.find(body, '"error_code":"APIG.3082"', 1, true) then return K["huawei AppCode gone: APIG.3082"] end
  return nil
end

M.ali_create = function(status, body)
  if status ~= 200 or not string.find(body, '"code":"Ok"', 1, true) then return nil end
  local secret = string.match(body, '"data":{"secretId":"(sec%-[a-z0-9]+)"}}$')
  if not secret then return nil end
  if #secret ~= 24 or ali_new[secret] then return K["alibaba CreateSecret"], "create secret: " .. body end
  ali_new[secret] = true
  return K["alibaba CreateSecret"]
end
M.ali_get = function(status, body)
  if status ~= 200 or not string.find(body, '"data":{"secretId":"', 1, true) then return nil end
  local secret, name = string.match(body, '"data":{"secretId":"([^"]+)","name":"([^"]+)"')
  local i = tonumber(string.match(name or "", string.format("^soak_%d_%d_(%%d+)$", RUN, id)))
  if not i or i > N or not ali_new[secret] or ali_id[i] then return K["alibaba GetSecret"], "get secret: " .. body end
  ali_new[secret] = nil
  ali_id[i] = secret
  return K["alibaba GetSecret"]
end
M.ali_value = function(status, body)
  if status ~= 200 or not string.find(body, '"data":{"secretData":"', 1, true) then return nil end
  local gen, name = string.match(body, '"data":{"secretData":"v(%d)%-([^"]+)"}}$')
  local i = tonumber(string.match(name or "", string.format("^soak_%d_%d_(%%d+)$", RUN, id)))
  if not i or ali_gen[i] ~= tonumber(gen) then return K["alibaba GetSecretValue"], "secret value: " .. body end
  return K["alibaba GetSecretValue"]
end
M.ali_list = function(status, body)
  if status ~= 200 or not string.find(body, '"data":{"totalSize":', 1, true) then return nil end
  local total = tonumber(string.match(body, '"totalSize":(%d+)'))
  -- The account is shared with the other threads: at least this thread's secrets.
  if not total or total < N or total > 1000 then return K["alibaba ListSecrets"], "list secrets: total " .. tostring(total) end
  return K["alibaba ListSecrets"]
end
M.ali_ok = function(k)
  return function(status, body)
    if status == 200 and string.find(body, '"code":"Ok","message":"success"}$') then return k end
    return nil
  end
end
M.ali_updated = M.ali_ok(K["alibaba UpdateSecret"])
M.ali_deleted = M.ali_ok(K["alibaba DeleteSecret"])
M.ali_dup = function(status, body)
  if status == 409 and string.find(body, '"code":"Conflict.SecretNameDuplicate"', 1, true) then return K["alibaba duplicate name: 409"] end
  return nil
end
M.ali_gone = function(status, body)
  if status == 404 and string.find(body, '"code":"NotFound.SecretNotFound"', 1, true) then return K["alibaba gone: NotFound.SecretNotFound"] end
  return nil
end

M.tc_create = function(status, body)
  if status ~= 200 or not string.find(body, '^{"secretName":"') then return nil end
  local name, secret, key = string.match(body, '^{"secretName":"([^"]+)","secretID":"([^"]+)","secretKey":"([^"]+)"')
  local i = tonumber(string.match(name or "", string.format("^soak_%d_%d_(%%d+)$", RUN, id)))
  if not i or i > N or tc[i] or #secret ~= 40 or string.sub(secret, 1, 4) ~= "AKID" or #key ~= 40 then
    return K["tencent CreateApiKey"], "create key: " .. body
  end
  tc[i] = { id = secret, key = key, status = 1 }
  tc_slot[secret] = i
  return K["tencent CreateApiKey"]
end
M.tc_describe = function(status, body)
  if status ~= 200 or not string.find(body, '^{"secretID":"[^"]+","secretKey":"[^"]+","secretName"') then return nil end
  local secret, key, st = string.match(body, '^{"secretID":"([^"]+)","secretKey":"([^"]+)","secretName":"[^"]*","status":(%d)')
  local s = tc[tc_slot[secret or ""] or 0]
  if not s or s.key ~= key or s.status ~= tonumber(st) then return K["tencent DescribeApiKey"], "describe key: " .. body end
  return K["tencent DescribeApiKey"]
end
M.tc_update = function(status, body)
  if status ~= 200 or not string.find(body, '^{"secretID":"[^"]+","secretKey":"[^"]+","type"') then return nil end
  local secret, key = string.match(body, '^{"secretID":"([^"]+)","secretKey":"([^"]+)"')
  local s = tc[tc_slot[secret or ""] or 0]
  if not s or s.key == key or #key ~= 40 then return K["tencent UpdateApiKey"], "update key: " .. body end
  s.key = key
  return K["tencent UpdateApiKey"]
end
M.tc_list = function(status, body)
  if status ~= 200 or not string.find(body, '"apiKeyStatusSet":[', 1, true) then return nil end
  local total = tonumber(string.match(body, '"totalCount":(%d+)'))
  if not total or total < N or total > 400 then return K["tencent DescribeApiKeysStatus"], "list keys: total " .. tostring(total) end
  return K["tencent DescribeApiKeysStatus"]
end
M.tc_success = function(k)
  return function(status, body)
    if status == 200 and body == '{"code":0,"message":"","codeDesc":"Success"}' then return k end
    return nil
  end
end
M.tc_disabled = M.tc_success(K["tencent DisableApiKey"])
M.tc_deleted = M.tc_success(K["tencent DeleteApiKey"])
M.tc_enabled_refused = function(status, body)
  if status == 200 and string.find(body, '^{"code":5100,') then return K["tencent delete enabled: 5100"] end
  return nil
end
M.tc_gone = function(status, body)
  if status == 200 and string.find(body, '^{"code":5000,') then return K["tencent gone: 5000"] end
  return nil
end

wave_matchers = {
  { M.hw_create_key, M.hw_create_code, M.ali_create, M.tc_create },
  { M.hw_show_key, M.hw_show_code, M.hw_lists_full, M.ali_get, M.ali_value, M.ali_list, M.tc_describe, M.tc_list },
  { M.ali_updated, M.tc_update, M.tc_enabled_refused },
  { M.ali_value, M.tc_describe, M.ali_dup, M.hw_quota },
  { M.tc_disabled, M.hw_lists_full },
  { M.tc_describe, M.ali_list, M.tc_list },
  { M.hw_deleted, M.ali_deleted, M.tc_deleted },
  { M.hw_gone, M.ali_gone, M.tc_gone, M.hw_lists_empty },
}

-- Azure answers, known by their tag: { kind, error or nil }.
local function azure_answer(tag, status, headers, body)
  local from, what, n = string.match(tag, "^([wf])%-(%a+%d?)%-(%d+)$")
  if not from then return nil end
  local i = tonumber(n)
  if from == "f" then
    local name_ok = string.find(body, '"name":"resident"', 1, true)
    if what == "doc" then
      if status == 200 and string.find(body, '"name":"' .. DOC_SID .. '"', 1, true) then return K["filler azure Get (documented)"] end
      return K["filler azure Get (documented)"], "documented GET: " .. status .. " " .. body
    elseif what == "get" then
      if status == 200 and name_ok and string.find(body, '"displayName":"resident"', 1, true) then return K["filler azure Get"] end
      return K["filler azure Get"], "filler GET: " .. status .. " " .. body
    elseif what == "secrets" then
      if status == 200 and string.find(body, '^{"primaryKey":"%x+","secondaryKey":"%x+"}$') then return K["filler azure ListSecrets"] end
      return K["filler azure ListSecrets"], "filler listSecrets: " .. status .. " " .. body
    elseif what == "list" then
      if status == 200 and string.find(body, '"count":1,', 1, true) and name_ok then return K["filler azure List"] end
      return K["filler azure List"], "filler list: " .. status .. " " .. body
    end
    return nil
  end
  local etag = headers["etag"] or headers["ETag"]
  if what == "resident" then
    if status == 201 and string.find(body, '"name":"resident"', 1, true) then
      resident = true
      return K["azure CreateOrUpdate (filler's)"]
    end
    return K["azure CreateOrUpdate (filler's)"], "PUT of the filler's subscription: " .. status .. " " .. body
  end
  local s = az[i]
  local name_ok = string.find(body, '"name":"s' .. n .. '"', 1, true)
  if what == "put" then
    if status ~= 201 or not name_ok or not etag then return K["azure CreateOrUpdate (create)"], "PUT: " .. status .. " " .. body end
    s.etag, s.first_etag = etag, etag
    return K["azure CreateOrUpdate (create)"]
  elseif what == "get" or what == "get2" then
    local display = (what == "get") and ('"displayName":"d' .. n .. '"') or ('"displayName":"r' .. n .. '"')
    if status ~= 200 or not name_ok or etag ~= s.etag or not string.find(body, display, 1, true) then
      return K["azure Get"], "GET " .. what .. ": " .. status .. " " .. tostring(etag) .. " " .. body
    end
    return K["azure Get"]
  elseif what == "secrets" or what == "secrets2" then
    local primary, secondary = string.match(body, '^{"primaryKey":"(%x+)","secondaryKey":"(%x+)"}$')
    if status ~= 200 or not primary or #primary ~= 32 then return K["azure ListSecrets"], "listSecrets: " .. status .. " " .. body end
    if what == "secrets" then
      if etag ~= s.etag then return K["azure ListSecrets"], "listSecrets: ETag " .. tostring(etag) .. ", want " .. tostring(s.etag) end
      s.primary, s.secondary = primary, secondary
    else
      if primary == s.primary or secondary ~= s.secondary then
        return K["azure ListSecrets"], "listSecrets after primary regenerated: " .. body
      end
      if not etag or etag == s.etag then return K["azure ListSecrets"], "listSecrets: ETag unchanged by the regeneration" end
      s.etag = etag
    end
    return K["azure ListSecrets"]
  elseif what == "list" then
    if status == 200 and string.find(body, '"count":' .. n .. ',', 1, true) then
      local count = 0
      for sid in string.gmatch(body, '"name":"([^"]+)"') do
        local j = tonumber(string.match(sid, "^s(%d+)$"))
        if not j or j > N then return K["azure List"], "list: unknown " .. sid end
        count = count + 1
      end
      if count == i then return K["azure List"] end
    end
    return K["azure List"], "list: want " .. n .. ": " .. status .. " " .. string.sub(body, 1, 200)
  elseif what == "patch" then
    if status ~= 200 or not name_ok or not etag or etag == s.etag or not string.find(body, '"displayName":"r' .. n .. '"', 1, true) then
      return K["azure Update (If-Match)"], "PATCH: " .. status .. " " .. body
    end
    s.etag = etag
    return K["azure Update (If-Match)"]
  elseif what == "stale" then
    if status == 412 and string.find(body, '"code":"PreconditionFailed"', 1, true) then return K["azure Update stale: 412"] end
    return K["azure Update stale: 412"], "stale PATCH: " .. status .. " " .. body
  elseif what == "regen" then
    if status == 204 then return K["azure RegeneratePrimaryKey"] end
    return K["azure RegeneratePrimaryKey"], "regenerate: " .. status .. " " .. body
  elseif what == "delete" then
    if status == 200 then return K["azure Delete (If-Match)"] end
    return K["azure Delete (If-Match)"], "DELETE: " .. status .. " " .. body
  elseif what == "gone" then
    if status == 404 and string.find(body, '"code":"ResourceNotFound"', 1, true) then return K["azure gone: ResourceNotFound"] end
    return K["azure gone: ResourceNotFound"], "gone: " .. status .. " " .. body
  end
  return nil
end

-- wrk hooks ----------------------------------------------------------------------------------

function init(args)
  local total = tonumber(args[1]) or 1000000
  local thread_count = tonumber(args[2]) or 1
  quota = math.ceil(total / thread_count)
  if args[3] and args[3] ~= "" then marker = args[3] .. "/done-" .. id end
  RUN = tonumber(args[4]) or 1
  N = tonumber(args[5]) or 80
  N = math.max(5, N - N % 5)
  APPS = N / 5
  for k = 1, #kind_names do sent[k] = 0; seen[k] = 0 end
  for j = 1, APPS do
    hw_apps[j] = string.format("5a%02x%02x%04x", RUN % 256, id % 256, j) .. string.rep("0", 22)
  end
  for i = 1, N do
    ali_name[i] = string.format("soak_%d_%d_%d", RUN, id, i)
    tc_name[i] = ali_name[i]
  end
  az_service = string.format("soak-%d-%d", RUN, id)
  az_filler_service = string.format("soakfill-%d-%d", RUN, id)
  matchers = {}
end

function request()
  if not started then
    started = true
    local r = filler()
    sent[r[1]] = sent[r[1]] + 1
    return r[2]
  end
  if head > qlen and outstanding == 0 and not (wave == 8 and received >= quota) then
    if wave > 0 then finish(wave) end
    wave = wave % 8 + 1
    if wave == 1 then cycles = cycles + 1 end
    build(wave)
  end
  local r
  if head <= qlen then
    r = queue[head]
    queue[head] = nil
    head = head + 1
    outstanding = outstanding + 1
  else
    r = filler()
  end
  sent[r[1]] = sent[r[1]] + 1
  return r[2]
end

local function stop()
  wrk.thread:stop()
  if marker then
    local f = io.open(marker, "w")
    if f then f:close() end
  end
end

function response(status, headers, body)
  received = received + 1
  body = body or ""
  local k, err
  local tag = headers["x-ms-correlation-request-id"]
  if tag then
    k, err = azure_answer(tag, status, headers, body)
  else
    for _, m in ipairs(matchers) do
      k, err = m(status, body)
      if k then break end
    end
  end
  if k then
    seen[k] = seen[k] + 1
    if err then bad(err) end
  else
    unexpected = unexpected + 1
    note("wave " .. wave .. ": " .. status .. " " .. string.sub(body, 1, 200))
  end
  -- A wave's answer, or an unexpected one (which may be a wave's: counting it keeps the
  -- thread going; the run fails anyway). Fillers are tagged f-.
  if outstanding > 0 and not (tag and string.sub(tag, 1, 2) == "f-") then
    outstanding = outstanding - 1
  end
  if received >= quota and not stopped then
    -- At the end of a cycle: every resource deleted and its deletion checked.
    if (wave == 8 and outstanding == 0 and head > qlen) or received >= quota * 1.05 + 100 * N then
      stopped = true
      stop()
    end
  end
end

function done(summary, latency, reqs)
  local sent_by, seen_by = {}, {}
  for k = 1, #kind_names do sent_by[k] = 0; seen_by[k] = 0 end
  local total_received, total_unexpected, total_wrong, total_cycles = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    local s, z = thread:get("sent"), thread:get("seen")
    for k = 1, #kind_names do
      sent_by[k] = sent_by[k] + (s[k] or 0)
      seen_by[k] = seen_by[k] + (z[k] or 0)
    end
    total_received = total_received + thread:get("received")
    total_unexpected = total_unexpected + thread:get("unexpected")
    total_wrong = total_wrong + thread:get("wrong")
    total_cycles = total_cycles + thread:get("cycles")
    for _, line in ipairs(thread:get("samples")) do
      io.write("unexpected response: ", line, "\n")
    end
  end
  local total_sent, fillers = 0, 0
  for k = 1, #kind_names do
    total_sent = total_sent + sent_by[k]
    if string.sub(kind_names[k], 1, 7) == "filler " then fillers = fillers + sent_by[k] end
  end
  local in_flight = total_sent - total_received
  local failed = total_unexpected > 0 or total_wrong > 0
  io.write(string.format("\n%-40s %10s %10s\n", "template", "sent", "answered"))
  for k, name in ipairs(kind_names) do
    local missing = sent_by[k] - seen_by[k]
    local mark = ""
    if missing < 0 or missing > in_flight then
      failed = true
      mark = "  <-- mismatch"
    end
    io.write(string.format("%-40s %10d %10d%s\n", name, sent_by[k], seen_by[k], mark))
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  if socket_errors > 0 then failed = true end
  io.write(string.format(
    "\nresponses %d, unexpected %d, wrong %d, cycles begun %d, in flight at stop %d, socket errors %d (connect %d, read %d, write %d, timeout %d)\n",
    total_received, total_unexpected, total_wrong, total_cycles, in_flight, socket_errors, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("SOAK_RESPONSES=%d\nSOAK_UNEXPECTED=%d\nSOAK_WRONG=%d\nSOAK_FILLERS=%d\nSOAK_RESULT=%s\n",
    total_received, total_unexpected, total_wrong, fillers, failed and "FAIL" or "PASS"))
end
