-- Request script for wrk, used by bench/run.py. Arguments after "--":
--   plain                          the URL as given, every time
--   bust <nonce>                   the URL plus _bench=<nonce>-<thread>-<n>: a URL no
--                                  request had before, so the page cache never answers
--   rotate <nonce> <file> <threads>  each request the next path of <file> (one per
--                                  line; threads take turns), busted as above

local mode, nonce, paths, threads = "plain", "0", nil, 1
local counter = 0
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function init(args)
  mode = args[1] or "plain"
  nonce = args[2] or "0"
  if mode == "rotate" then
    paths = {}
    for line in io.lines(args[3]) do
      if line ~= "" then
        paths[#paths + 1] = line
      end
    end
    threads = tonumber(args[4]) or 1
  end
end

function request()
  if mode == "plain" then
    return wrk.request()
  end
  counter = counter + 1
  local path = wrk.path
  if paths then
    path = paths[((counter - 1) * threads + thread_id) % #paths + 1]
  end
  local separator = "?"
  if string.find(path, "?", 1, true) then
    separator = "&"
  end
  return wrk.format(nil, path .. separator .. "_bench=" .. nonce .. "-" .. thread_id .. "-" .. counter)
end
