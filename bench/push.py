#!/usr/bin/env python3
"""Push benchmark: N bindings (EWS over several admin accounts, and a Graph share), every mailbox
changed once a minute by the simulator; probes (8 at a time) rename an event of a sampled mailbox and
poll the calendar API every 200 ms until the new name shows: time from the change to its visibility, p50/p99. Then the
churn stops and the Exchange requests of an idle period are counted, per binding per hour.

Usage (bench/push.sh calls it):
  push.py SERVER SIM ADMIN_TOKEN USER_TOKEN APP_ID N ACCOUNTS GRAPH_SHARE WATCH_S IDLE_S PUSH(0|1)
"""
import random
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from benchlib import call, ews_accounts

server, sim, admin_token, user_token, app_id = sys.argv[1:6]
n, accounts = int(sys.argv[6]), int(sys.argv[7])
graph_share, watch, idle, push = float(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10]), sys.argv[11] == "1"
graph_n = int(n * graph_share)

ews_accounts(server, sim, admin_token, accounts)


def admin_of(i):
    return "graph@exchange.test" if i <= graph_n else f"ews{i % accounts}@exchange.test"


def bind(i):
    call(server, "PUT", f"/admin/api/v1/tenants/bench/users/u{i}", admin_token, {})
    call(server, "POST", "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id", user_token,
         {"admin_account": admin_of(i), "exchange_account": f"user{i}@exchange.test", "user_id": f"u{i}"})


def metric(name, labels=""):
    total = 0.0
    for line in call(server, "GET", "/actuator/prometheus").splitlines():
        if line.startswith(name) and labels in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


t0 = time.time()
with ThreadPoolExecutor(8) as pool:
    list(pool.map(bind, range(1, n + 1)))
while metric("exbridge_bindings{", 'status="done"') < n:
    time.sleep(2)
print(f"{n} bindings ({n - graph_n} EWS over {accounts} admin accounts, {graph_n} Graph) done"
      f" {time.time() - t0:.0f} s after the first bind", flush=True)
if push:
    t1 = time.time()
    while metric("exbridge_push_subscriptions{", 'state="active"') < n and time.time() - t1 < 900:
        time.sleep(2)
    active = metric("exbridge_push_subscriptions{", 'state="active"')
    print(f"push subscriptions active: {active:.0f} of {n}, {time.time() - t1:.0f} s after all were done",
          flush=True)

# Probes: a sample of mailboxes, each with an event of its own to rename.
sample = random.Random(1).sample(range(1, n + 1), 100)
probes = []


def prepare(i):
    token = call(server, "POST", f"/admin/api/v1/tenants/bench/users/u{i}/access_tokens", admin_token,
                 {"app_id": app_id})["access_token"]
    cals = call(server, "GET", "/open-apis/calendar/v4/calendars", token)["data"]["calendar_list"]
    cal = [c for c in cals if c["summary"] == "Calendar"][0]["calendar_id"]
    subject = "Probe " + uuid.uuid4().hex[:8]
    sim_id = call(sim, "POST", f"/_sim/mailboxes/user{i}@exchange.test/events", body={
        "subject": subject, "start": "2027-05-03T10:00", "end": "2027-05-03T11:00", "time_zone": "UTC"})["id"]
    deadline = time.time() + 300
    while time.time() < deadline:
        items = call(server, "GET", f"/open-apis/calendar/v4/calendars/{cal}/events?page_size=500", token)
        for e in items["data"].get("items") or []:
            if e["summary"] == subject:
                return (i, token, cal, e["event_id"], sim_id)
        time.sleep(0.5)
    return None


with ThreadPoolExecutor(len(sample)) as pool:  # with polling, each waits up to a round
    probes = [p for p in pool.map(prepare, sample) if p]
print(f"{len(probes)} probe mailboxes ready", flush=True)

call(sim, "POST", "/_sim/churn", body={"period_seconds": 60})
time.sleep(60)  # one full period of churn before measuring
lags, lock, free = [], threading.Lock(), list(probes)


def probe_loop(stop_at):
    while time.time() < stop_at:
        with lock:
            if not free:
                p = None
            else:
                p = free.pop(random.randrange(len(free)))
        if p is None:
            time.sleep(0.1)
            continue
        i, token, cal, event_id, sim_id = p
        subject = "Probe " + uuid.uuid4().hex[:8]
        call(sim, "PATCH", f"/_sim/mailboxes/user{i}@exchange.test/events/{sim_id}", body={"subject": subject})
        changed = time.time()
        while time.time() - changed < 180:
            e = call(server, "GET", f"/open-apis/calendar/v4/calendars/{cal}/events/{event_id}", token)
            if e["data"]["event"]["summary"] == subject:
                with lock:
                    lags.append(time.time() - changed)
                break
            time.sleep(0.2)
        with lock:
            free.append(p)


stop_at = time.time() + watch
threads = [threading.Thread(target=probe_loop, args=(stop_at,)) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
call(sim, "DELETE", "/_sim/churn")
lags.sort()


def pct(q):
    return lags[min(len(lags) - 1, int(q * len(lags)))]


print(f"change -> visible through the calendar API, {len(lags)} probes over {watch} s while every mailbox"
      f" changed once a minute: p50 {pct(0.5):.2f} s, p90 {pct(0.9):.2f} s, p99 {pct(0.99):.2f} s,"
      f" max {lags[-1]:.2f} s", flush=True)
by_push = metric("exbridge_sync_rounds_total{", 'trigger="push"')
by_timer = metric("exbridge_sync_rounds_total{", 'trigger="timer"')
print(f"rounds by trigger since start: push {by_push:.0f}, timer {by_timer:.0f}", flush=True)

# Idle: nothing changes; count what exbridge still asks Exchange.
time.sleep(30)
call(sim, "DELETE", "/_sim/requests")
time.sleep(idle)
r = call(sim, "GET", "/_sim/requests")
per_hour = r["total"] / n / (idle / 3600)
print(f"idle {idle} s: {r['total']} Exchange requests = {per_hour:.1f} per binding per hour;"
      f" by operation {r['by_operation']}", flush=True)
