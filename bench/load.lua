-- wrk script for bench/load.py: logged-in GETs of pair pages and the HR dashboard at a fixed rate.
--
--   wrk -t N -c N -d 30s -s bench/load.lua URL -- TARGETS RATE SHARE SEED ARRIVALS N OUT_DIR
--
-- TARGETS is a file of lines "kind path cookie" (kind: pair or dashboard; cookie: the
-- session cookie, name=value), written by
-- bench/load.py. Each request picks the dashboard with probability SHARE, else a random
-- participant's own pair page, and sends that user's session cookie.
--
-- Pacing: wrk has no fixed-rate mode. Each thread has exactly one connection (-t N -c N)
-- and its own timetable of RATE / N requests a second: slot k is at start + k * N / RATE
-- (ARRIVALS "uniform", threads staggered), or each gap is drawn from an exponential law
-- (ARRIVALS "poisson"). delay() waits until the next slot; when a response comes back after
-- the next slot is due, the next request goes at once and the timetable does not slip.
--
-- Latency: wrk's own histogram (from the request's write to its response) gives the
-- headline percentiles, printed by done() as one line "LOAD_RESULT {json}". Because a thread
-- has a single connection, response() also knows which request it answers: each thread
-- writes one line a response to OUT_DIR/thread-ID.tsv, "kind status latency_ms from_slot_ms",
-- the latency from the write and from the slot the request was due in (which also counts
-- the time it waited for its connection: what a fixed-rate client such as wrk2 reports).
-- bench/load.py reads these for the per-endpoint figures. (Files, because wrk's thread:get
-- cannot copy nested tables between Lua states.)

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clk_id, load_timespec *tp);
]]
local clock = ffi.new("load_timespec")

local function now_ms()
   ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC: the same clock in every thread
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

-- Main state: keep the threads to read their counters in done().

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

-- Thread states.

local targets = { pair = {}, dashboard = {} }
local share, interval, poisson, out
local next_slot, sent_at, slot_of, kind_of
late = 0 -- requests sent more than 10 ms after their slot (the connection was still busy)
non2xx = 0

function init(args)
   local path, rate = args[1], tonumber(args[2])
   share, poisson = tonumber(args[3]), args[5] == "poisson"
   math.randomseed(tonumber(args[4]) * 1000 + id)
   for line in io.lines(path) do
      local kind, target, cookie = line:match("^(%S+)%s+(%S+)%s+(%S+)$")
      if kind then
         table.insert(targets[kind], wrk.format("GET", target, {
            ["Cookie"] = cookie,
            ["Accept-Language"] = "fr-FR,fr;q=0.9,en;q=0.8",
            ["Accept"] = "text/html",
         }))
      end
   end
   if #targets.pair == 0 then
      error("no pair page in " .. path)
   end
   local n = tonumber(args[6])
   out = assert(io.open(args[7] .. "/thread-" .. id .. ".tsv", "w"))
   out:setvbuf("line")
   interval = 1000 * n / rate -- ms between two requests of this thread
   -- Stagger the threads over one interval so that the total is evenly spread.
   next_slot = now_ms() + interval * (id + math.random()) / n
end

local function gap()
   if poisson then
      return -interval * math.log(1 - math.random())
   end
   return interval
end

function delay()
   local wait = next_slot - now_ms()
   if wait < 0 then
      return 0
   end
   return math.ceil(wait)
end

function request()
   local now = now_ms()
   local slot = next_slot
   next_slot = next_slot + gap()
   if now - slot > 10 then
      late = late + 1
   end
   local kind = "pair"
   if #targets.dashboard > 0 and math.random() < share then
      kind = "dashboard"
   end
   local list = targets[kind]
   sent_at, slot_of, kind_of = now, math.min(slot, now), kind
   return list[math.random(#list)]
end

function response(status, headers, body)
   if not kind_of then
      return
   end
   local now = now_ms()
   out:write(string.format("%s\t%d\t%.3f\t%.3f\n", kind_of, status, now - sent_at, now - slot_of))
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
   kind_of = nil
end

-- Main state again: wrk's summary, and the counters of the threads (numbers only).

local function encode(value)
   local t = type(value)
   if t == "table" then
      local parts = {}
      for k, v in pairs(value) do
         table.insert(parts, string.format("%q:%s", tostring(k), encode(v)))
      end
      table.sort(parts)
      return "{" .. table.concat(parts, ",") .. "}"
   elseif t == "number" then
      if value ~= value or value == math.huge or value == -math.huge then
         return "null"
      end
      return string.format("%.3f", value)
   end
   return string.format("%q", tostring(value))
end

function done(summary, latency, requests)
   local late_total, non2xx_total = 0, 0
   for _, thread in ipairs(threads) do
      late_total = late_total + (thread:get("late") or 0)
      non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
   end
   local e = summary.errors
   io.write("LOAD_RESULT " .. encode({
      duration_s = summary.duration / 1e6,
      requests = summary.requests,
      bytes = summary.bytes,
      -- wrk's histogram, from each request's write to its response (microseconds -> ms)
      p50_ms = latency:percentile(50) / 1000,
      p95_ms = latency:percentile(95) / 1000,
      p99_ms = latency:percentile(99) / 1000,
      max_ms = latency.max / 1000,
      mean_ms = latency.mean / 1000,
      late_requests = late_total,
      non2xx = non2xx_total,
      socket_errors = { connect = e.connect, read = e.read, write = e.write, timeout = e.timeout },
   }) .. "\n")
end
