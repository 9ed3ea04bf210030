-- Session variants (/sessions/authkit, /sessions/framework-session, /sessions/framework-cookie).
-- Each wrk thread signs in once (GET <path>/login), keeps the first session cookie it is given, then sends every request with
-- it, so all the connections of a thread share ONE session. Each response body is the counter after this request's increment;
-- at the end the script compares increments answered with the counter reached: the difference is lost increments
-- (not printed for framework-cookie, whose counter lives in the client's cookie: every request replays the first one).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local base = nil
local cookie = nil
answered = 0
highest = 0
logins = 0

function init(args)
  base = wrk.path
end

-- done() runs in the main state, where init() never ran.
base = wrk.path

function request()
  if cookie == nil then
    logins = logins + 1
    return wrk.format("GET", base .. "/login")
  end
  return wrk.format("GET", base, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if cookie == nil then
    local set = headers["Set-Cookie"] or headers["set-cookie"]
    if set ~= nil and status == 200 then
      cookie = string.match(set, "^([^;]+)")
    end
    return
  end
  if status == 200 then
    local n = tonumber(body)
    if n ~= nil then
      answered = answered + 1
      if n > highest then highest = n end
    end
  end
end

function done(summary, latency, requests)
  local total, reached = 0, 0
  for _, t in ipairs(threads) do
    total = total + (t:get("answered") or 0)
    reached = reached + (t:get("highest") or 0)
  end
  if total > 0 and not string.find(base or "", "cookie") then
    io.write(string.format("increments answered %d, counters reached %d, lost %d (%.2f%%), sessions %d\n",
      total, reached, total - reached, 100 * (total - reached) / total, #threads))
  end
end
