#!/usr/bin/env python3
"""Two-way write benchmark: N users bound to N small mailboxes, then events created through the
calendar API. (1) Latency: an open-loop load of RATE creates a second for SECONDS, each from a
random user; the latency of a write is from the API call to the moment Exchange answered its
create (the write's created_at to delivered_at, as the operator API reports them), p50 and p99.
(2) Sustained: CLIENTS callers create as fast as they can for SECONDS; writes accepted per second
and writes delivered to Exchange per second over the same time.

Usage (bench/writes.sh calls it): writes.py SERVER SIM ADMIN_TOKEN APP_ID BOSS_TOKEN N RATE SECONDS CLIENTS
"""
import base64
import random
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from datetime import datetime

from benchlib import call, ews_accounts

server, sim, admin_token, app_id, boss = sys.argv[1:6]
n, rate, seconds, clients = (int(x) for x in sys.argv[6:10])
accounts = 10


ews_accounts(server, sim, admin_token, accounts)


def bind(i):
    call(server, "PUT", f"/admin/api/v1/tenants/bench/users/u{i}", admin_token, {})
    call(server, "POST", "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id", boss,
         {"admin_account": f"ews{i % accounts}@exchange.test",
          "exchange_account": f"user{i}@exchange.test", "user_id": f"u{i}"})


def ready(i):
    token = call(server, "POST", f"/admin/api/v1/tenants/bench/users/u{i}/access_tokens", admin_token,
                 {"app_id": app_id})["access_token"]
    while True:
        cals = call(server, "GET", "/open-apis/calendar/v4/calendars", token)["data"]["calendar_list"]
        if cals:
            return token, cals[0]["calendar_id"], f"ews{i % accounts}@exchange.test user{i}@exchange.test"
        time.sleep(0.5)


def exchange_items():
    return sum(m["events"] for m in call(sim, "GET", "/_sim/mailboxes"))


def duplicates():
    seen = Counter()
    for i in range(1, n + 1):
        for e in call(sim, "GET", f"/_sim/mailboxes/user{i}@exchange.test/events"):
            seen[e["subject"]] += 1
    return sum(c - 1 for s, c in seen.items() if c > 1 and s.startswith(("latency ", "sustained ")))


items_before = exchange_items()
t0 = time.time()
with ThreadPoolExecutor(8) as pool:
    list(pool.map(bind, range(1, n + 1)))
    users = list(pool.map(ready, range(1, n + 1)))
print(f"{n} users bound, each with its calendar, in {time.time() - t0:.0f} s", flush=True)


def create(user, label):
    token, calendar, _ = user
    start = int(time.time()) + random.randint(1, 30) * 86400
    # Every write its own key and subject: a call retried on a dropped connection stays one write,
    # and any duplicate in Exchange is found by its subject.
    key = uuid.uuid4().hex
    t = time.time()
    call(server, "POST", f"/open-apis/calendar/v4/calendars/{calendar}/events?idempotency_key={key}",
         token,
         {"summary": f"{label} {key}", "start_time": {"timestamp": str(start), "timezone": "Asia/Shanghai"},
          "end_time": {"timestamp": str(start + 1800), "timezone": "Asia/Shanghai"}})
    return time.time() - t


def writes(binding):
    ident = base64.b64encode(binding.encode()).decode()
    return call(server, "GET", f"/admin/api/v1/bindings/{ident}", admin_token)["writes"]


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def drain(deadline=120):
    t = time.time()
    while time.time() - t < deadline:
        pending = sum(w["pending"] for w in pool_map(lambda u: writes(u[2])))
        if pending == 0:
            return time.time() - t
        time.sleep(1)
    return None


def pool_map(fn):
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(fn, users))


# (1) open loop at RATE writes/s
api = []
lock = threading.Lock()
with ThreadPoolExecutor(64) as pool:
    futures = []
    t0 = time.time()
    for k in range(rate * seconds):
        due = t0 + k / rate
        delay = due - time.time()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(create, random.choice(users), f"latency {k}"))
    api = [f.result() for f in futures]
sent_for = time.time() - t0
drained = drain()
latencies = []
for w in pool_map(lambda u: writes(u[2])):
    for x in w["latest"]:
        if x["op"] == "create" and x["delivered_at"]:
            latencies.append(parse(x["delivered_at"]) - parse(x["created_at"]))
print(f"open loop: {len(api)} creates at {len(api) / sent_for:.0f}/s over {sent_for:.0f} s;"
      f" API answer p50 {pct(api, 50) * 1000:.0f} ms, p99 {pct(api, 99) * 1000:.0f} ms;"
      f" API call to item in Exchange p50 {pct(latencies, 50) * 1000:.0f} ms,"
      f" p99 {pct(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
      f" ({len(latencies)} writes); backlog drained {drained:.1f} s after the last call", flush=True)

# (2) closed loop: as fast as CLIENTS callers can
before = sum(w["delivered"] for w in pool_map(lambda u: writes(u[2])))
stop = time.time() + seconds
done = [0]


def caller(_):
    while time.time() < stop:
        create(random.choice(users), "sustained")
        with lock:
            done[0] += 1


t0 = time.time()
with ThreadPoolExecutor(clients) as pool:
    list(pool.map(caller, range(clients)))
elapsed = time.time() - t0
delivered_during = sum(w["delivered"] for w in pool_map(lambda u: writes(u[2]))) - before
drained = drain(300)
print(f"closed loop, {clients} callers: {done[0] / elapsed:.0f} writes accepted/s,"
      f" {delivered_during / elapsed:.0f} delivered to Exchange/s over the same {elapsed:.0f} s;"
      f" backlog drained {drained if drained is None else round(drained, 1)} s after", flush=True)
accepted = len(api) + done[0]
print(f"items in Exchange: {exchange_items() - items_before} new for {accepted} creates accepted"
      f" (exactly once: they must be equal); subjects in Exchange more than once: {duplicates()}",
      flush=True)
