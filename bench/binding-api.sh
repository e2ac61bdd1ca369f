#!/usr/bin/env bash
# GET-binding throughput and p99 next to a trivial endpoint (/actuator/info) of the same server,
# in the same run, with wrk on loopback, in alternating rounds (BENCH_ROUNDS, default 3). Limits
# are raised by configuration so that they do not cap the measurement. Usage: bench/binding-api.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
CONNECTIONS=${2:-32}
PORT=${BENCH_PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f server/target/exbridge.jar ] || ./mvnw -q -B package -DskipTests

DATA=$(mktemp -d)
TOKEN=bench-admin-token
LOG="$DATA/server.log"
EXBRIDGE_DATA_DIR="$DATA" EXBRIDGE_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT \
EXBRIDGE_RATE_LIMIT_METHOD_PER_SECOND=10000000 EXBRIDGE_RATE_LIMIT_METHOD_PER_MINUTE=100000000 \
EXBRIDGE_RATE_LIMIT_APP_PER_SECOND=10000000 \
  java ${BENCH_SERVER_OPTS:-} -jar server/target/exbridge.jar >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
U=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do curl -sf $U/actuator/health >/dev/null && break; sleep 0.5; done

A="Authorization: Bearer $TOKEN"; J="Content-Type: application/json"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
curl -sf -XPOST $U/admin/api/v1/tenants -H "$A" -H "$J" -d '{"tenant_key":"bench","name":"Bench"}' >/dev/null
APP=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/apps -H "$A" -H "$J" \
  -d '{"name":"bench","scopes":["calendar:calendar","calendar:calendar:readonly","contact:user.email:readonly"]}' | field '["app_id"]')
curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/boss -H "$A" -H "$J" -d '{"super_admin":true}' >/dev/null
OPEN_ID=$(curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/alice -H "$A" -H "$J" -d '{}' | field "[\"open_ids\"][\"$APP\"]")
UT=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/users/boss/access_tokens -H "$A" -H "$J" -d "{\"app_id\":\"$APP\"}" | field '["access_token"]')
curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/admin@exchange.test -H "$A" -H "$J" \
  -d '{"protocol":"ews","ews_url":"http://127.0.0.1:1/EWS/Exchange.asmx","username":"admin@exchange.test","password":"secret","auth":"basic"}' >/dev/null
ID=$(curl -sf -XPOST $U/open-apis/calendar/v4/exchange_bindings -H "Authorization: Bearer $UT" -H "$J" \
  -d "{\"admin_account\":\"admin@exchange.test\",\"exchange_account\":\"user1@exchange.test\",\"user_id\":\"$OPEN_ID\"}" | field '["data"]["exchange_binding_id"]')
GET_URL="$U/open-apis/calendar/v4/exchange_bindings/$ID"
curl -sf "$GET_URL" -H "Authorization: Bearer $UT" | grep -q '"code":0' || { echo "GET binding failed" >&2; exit 1; }

run() { wrk -t2 -c"$CONNECTIONS" -d"$1"s --latency "${@:2}"; }
echo "warming up" >&2
# Long enough for the JIT on two cores: a 10 s warm-up left the first round at half speed.
run 30 -H "Authorization: Bearer $UT" "$GET_URL" >/dev/null
run 15 "$U/actuator/info" >/dev/null
# Alternating rounds: this machine's speed drifts between consecutive runs (2x seen), so the GET
# and the trivial endpoint take turns and the ratio is taken within each round.
ROUNDS=${BENCH_ROUNDS:-3}
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1=="99%" {print $2}'; }
errors() { echo "$1" | awk '/Non-2xx|Socket errors/ {print}'; }
RATIOS=""
for round in $(seq 1 "$ROUNDS"); do
  GET_OUT=$(run "$SECONDS_PER_RUN" -H "Authorization: Bearer $UT" "$GET_URL")
  INFO_OUT=$(run "$SECONDS_PER_RUN" "$U/actuator/info")
  GET_RPS=$(rps "$GET_OUT"); INFO_RPS=$(rps "$INFO_OUT")
  RATIO=$(python3 -c "print(round($GET_RPS/$INFO_RPS, 2))")
  RATIOS="$RATIOS $RATIO"
  echo "round $round: GET binding $GET_RPS req/s, p99 $(p99 "$GET_OUT") $(errors "$GET_OUT");" \
       "trivial (info) $INFO_RPS req/s, p99 $(p99 "$INFO_OUT") $(errors "$INFO_OUT"); ratio $RATIO"
done
echo "ratios:          $RATIOS (median $(python3 -c "import statistics; print(statistics.median([$(echo $RATIOS | tr ' ' ',')]))"))"
echo "machine:         $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, server $(grep -o 'using Java [0-9.]*' "$LOG" | head -1), H2 embedded, wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s on the same machine"
