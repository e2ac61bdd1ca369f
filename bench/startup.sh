#!/usr/bin/env bash
# First bind after start, with and without the launcher's AOT cache: a 10,000-event mailbox, the
# simulator adding 20 ms to every request, the ews-java-api peer's full read in the same run.
# Plain: EXBRIDGE_AOT=off (the server in the launcher's JVM, as before). AOT: the first start
# records the cache and writes it when the server stops; the second start uses it.
# Usage: bench/startup.sh [events]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000}
SIM_PORT=${BENCH_SIM_PORT:-18491}
PORT=${BENCH_PORT:-18481}
TOKEN=bench-admin-token
S=http://127.0.0.1:$SIM_PORT
U=http://127.0.0.1:$PORT
A="Authorization: Bearer $TOKEN"; J="Content-Type: application/json"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
now() { date +%s.%N; }
source bench/testclasses.sh
bench_classpath
SIM=""; SERVER=""; ROOT=$(mktemp -d)
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$SIM" ] && { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; }
  rm -rf "$ROOT"
}
trap cleanup EXIT
java -Xmx6g -jar exchange-simulator/target/exchange-simulator.jar --port "$SIM_PORT" --mailboxes 4 --events "$EVENTS" \
  --seed 1 --latency-ms 20 > "$ROOT/sim.log" 2>&1 &
SIM=$!
until curl -sf $S/_sim/mailboxes >/dev/null; do sleep 0.2; done

peer() {
  curl -sf -XDELETE $S/_sim/requests >/dev/null
  "$JAVA21" -Xmx1g -cp "$CP" org.exbridge.bench.EwsJavaApiPeer "$S" user1@exchange.test 2>/dev/null | tail -1
}

start_server() { # data-dir aot(on|off); sets UP: seconds until health is UP
  local t0; t0=$(now)
  EXBRIDGE_DATA_DIR="$1" EXBRIDGE_AOT="$2" EXBRIDGE_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT \
  EXBRIDGE_RATE_LIMIT_METHOD_PER_SECOND=100000 EXBRIDGE_RATE_LIMIT_APP_PER_SECOND=100000 \
    java -Xmx1g ${BENCH_SERVER_OPTS:-} -jar server/target/exbridge.jar >> "$1.log" 2>&1 &
  SERVER=$!
  until curl -sf $U/actuator/health >/dev/null; do sleep 0.05; done
  UP=$(python3 -c "print(round($(now)-$t0,2))")
}

stop_server() { # sets DOWN: seconds the stop took (a training run writes its cache then)
  local t0; t0=$(now)
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  while curl -sf $U/actuator/health >/dev/null 2>&1; do sleep 0.05; done
  DOWN=$(python3 -c "print(round($(now)-$t0,2))")
}

first_bind() { # mailbox user -> seconds to done
  curl -sf -XPOST $U/admin/api/v1/tenants -H "$A" -H "$J" -d '{"tenant_key":"bench","name":"Bench"}' >/dev/null || true
  APP=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/apps -H "$A" -H "$J" \
    -d '{"name":"bench","scopes":["calendar:calendar","calendar:calendar:readonly"]}' | field '["app_id"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/boss -H "$A" -H "$J" -d '{"super_admin":true}' >/dev/null
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/$2 -H "$A" -H "$J" -d '{}' >/dev/null
  UT=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/users/boss/access_tokens -H "$A" -H "$J" -d "{\"app_id\":\"$APP\"}" | field '["access_token"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/ews@exchange.test -H "$A" -H "$J" \
    -d "{\"protocol\":\"ews\",\"ews_url\":\"$S/EWS/Exchange.asmx\",\"username\":\"admin@exchange.test\",\"password\":\"secret\",\"auth\":\"ntlm\"}" >/dev/null
  local t0 id st=doing; t0=$(now)
  id=$(curl -sf -XPOST "$U/open-apis/calendar/v4/exchange_bindings?user_id_type=user_id" -H "Authorization: Bearer $UT" -H "$J" \
    -d "{\"admin_account\":\"ews@exchange.test\",\"exchange_account\":\"$1\",\"user_id\":\"$2\"}" | field '["data"]["exchange_binding_id"]')
  while [ "$st" != done ] && [ "$st" != err ]; do
    st=$(curl -sf "$U/open-apis/calendar/v4/exchange_bindings/$id" -H "Authorization: Bearer $UT" | sed -E 's/.*"status":"([a-z_]+)".*/\1/')
    sleep 0.02
  done
  python3 -c "print(round($(now)-$t0,2))"
}

echo "peer (ews-java-api full read): $(peer)"
echo "peer (ews-java-api full read): $(peer)"
start_server "$ROOT/plain" off; bind=$(first_bind user1@exchange.test alice); stop_server
echo "plain (EXBRIDGE_AOT=off): health UP after $UP s; first bind to done $bind s"
start_server "$ROOT/aot" on; bind=$(first_bind user1@exchange.test alice); stop_server
echo "AOT, first start (recording): health UP after $UP s; first bind to done $bind s; stop (cache written) $DOWN s;" \
     "cache $(du -sh "$ROOT"/aot/aot/*/exbridge.aot 2>/dev/null | cut -f1 || echo none)"
start_server "$ROOT/aot" on; bind=$(first_bind user2@exchange.test bob); stop_server
echo "AOT, second start (cache used): health UP after $UP s; first bind to done $bind s"
start_server "$ROOT/plain" off; bind=$(first_bind user2@exchange.test bob); stop_server
echo "plain again, second start: health UP after $UP s; first bind to done $bind s"
echo "peer (ews-java-api full read): $(peer)"
grep -h 'AOT\|aot\]' "$ROOT"/*.log | sort | uniq -c | head -5 || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; JDK $("$JAVA21" -version 2>&1 | head -1)"
