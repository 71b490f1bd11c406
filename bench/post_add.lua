-- wrk script for bench/run: every request is the add-to-basket form of one book, posted by
-- one visitor (their session and CSRF cookies, and the form's CSRF token).
--
--   wrk -t2 -c8 -d10s --latency -s bench/post_add.lua \
--       http://127.0.0.1:PORT/basket/add/ -- BOOK_ID CSRF_TOKEN "sessionid=...; csrftoken=..."
--
-- The shop answers each POST with a redirect (302), whether it added the copy or refused
-- it with a message; anything else (403 for a bad token, 500) counts as an error in wrk's
-- "Non-2xx or 3xx responses".

local request_text

function init(args)
  local book, token, cookie = args[1], args[2], args[3]
  if not (book and token and cookie) then
    error("usage: wrk ... -s post_add.lua URL -- BOOK_ID CSRF_TOKEN COOKIE")
  end
  local body = "csrfmiddlewaretoken=" .. token .. "&book=" .. book .. "&quantity=1"
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }
  request_text = wrk.format("POST", nil, headers, body)
end

function request()
  return request_text
end
