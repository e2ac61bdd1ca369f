#!/usr/bin/env python3
"""How many bindings one instance keeps current: binds N mailboxes (spread over several admin
accounts, as several tenants' would be), waits for all to reach done, has the simulator change
every mailbox once a minute, and watches the server's own sync-lag gauge (age of the oldest
completed round) and its round and event counters.

Usage (bench/sync.sh calls it): capacity.py SERVER SIM ADMIN_TOKEN USER_TOKEN N ACCOUNTS WATCH_S
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from benchlib import call, ews_accounts

server, sim, admin_token, user_token = sys.argv[1:5]
n, accounts, watch = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])


ews_accounts(server, sim, admin_token, accounts)


def bind(i):
    call(server, "PUT", f"/admin/api/v1/tenants/bench/users/u{i}", admin_token, {})
    call(server, "POST", "/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id", user_token,
         {"admin_account": f"ews{i % accounts}@exchange.test",
          "exchange_account": f"user{i}@exchange.test", "user_id": f"u{i}"})


def metric(text, name, labels=""):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and labels in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def metrics():
    return call(server, "GET", "/actuator/prometheus")


t0 = time.time()
with ThreadPoolExecutor(8) as pool:
    list(pool.map(bind, range(1, n + 1)))
bound = time.time() - t0
while metric(metrics(), "exbridge_bindings{", 'status="done"') < n:
    time.sleep(2)
synced = time.time() - t0
print(f"bound {n} in {bound:.0f} s; all done {synced:.0f} s after the first bind", flush=True)

call(sim, "POST", "/_sim/churn", body={"period_seconds": 60})
time.sleep(60)  # one full period, so that every mailbox has changed once before measuring
m0, t1 = metrics(), time.time()
lags = []
while time.time() - t1 < watch:
    time.sleep(5)
    lags.append(metric(metrics(), "exbridge_sync_lag_seconds"))
m1, t2 = metrics(), time.time()
churn = call(sim, "GET", "/_sim/churn")
call(sim, "DELETE", "/_sim/churn")
seconds = t2 - t1
rounds = metric(m1, "exbridge_sync_rounds_total") - metric(m0, "exbridge_sync_rounds_total")
events = metric(m1, "exbridge_sync_events_total") - metric(m0, "exbridge_sync_events_total")
ok = metric(m1, "exbridge_exchange_requests_total", 'outcome="ok"')
bad = sum(metric(m1, "exbridge_exchange_requests_total", f'outcome="{o}"')
          for o in ("throttled", "retryable", "permanent", "cursor_lost", "calendar_gone"))
print(f"every mailbox changed once a minute ({churn['changes']} changes so far); over {seconds:.0f} s:"
      f" {rounds / seconds:.1f} rounds/s, {events / seconds:.1f} changed events stored/s;"
      f" sync lag (oldest completed round) max {max(lags):.0f} s, last {lags[-1]:.0f} s;"
      f" Exchange requests since start ok {ok:.0f}, failed {bad:.0f}", flush=True)
