-- wrk script for bench/http.py: orientation requests, each thread walking through the file of
-- distinct bodies given after `--` (bench/bodies.py writes it), from its own starting line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

local bodies = {}
local next_body = 1

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  assert(#bodies > 0, "no request body in " .. tostring(args[1]))
  -- Threads start far apart in the file, so that each body is seldom sent twice.
  next_body = 1 + (number or 0) * math.floor(#bodies / 2) % #bodies
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end
