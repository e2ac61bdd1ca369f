# What the benchmark scripts share (sourced): a simulator and a server on loopback, a tenant with
# a super admin (user token $UT, app $APP) and two admin accounts (ews@ NTLM, graph@), and cleanup.
# The caller sets SIM_PORT, PORT and TOKEN first.
SIM=""; SERVER=""; DATA=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$SIM" ] && { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; }
  [ -n "$DATA" ] && { [ -n "${BENCH_KEEP:-}" ] && echo "kept $DATA" || rm -rf "$DATA"; }
  SIM=""; SERVER=""; DATA=""
}
trap cleanup EXIT
S=http://127.0.0.1:$SIM_PORT
U=http://127.0.0.1:$PORT
A="Authorization: Bearer $TOKEN"; J="Content-Type: application/json"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
now() { date +%s.%N; }

start() { # mailboxes events latency interval
  java -Xmx6g ${BENCH_SIM_OPTS:-} -jar exchange-simulator/target/exchange-simulator.jar --port "$SIM_PORT" --mailboxes "$1" --events "$2" \
    --seed 1 --latency-ms "$3" > "${TMPDIR:-/tmp}/exbridge-bench-sim-$SIM_PORT.log" 2>&1 &
  SIM=$!
  DATA=$(mktemp -d)
  EXBRIDGE_DATA_DIR="$DATA" EXBRIDGE_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT EXBRIDGE_SYNC_INTERVAL="$4" \
  EXBRIDGE_SYNC_POLL_INTERVAL=100ms EXBRIDGE_RATE_LIMIT_METHOD_PER_SECOND=100000 \
  EXBRIDGE_RATE_LIMIT_METHOD_PER_MINUTE=10000000 EXBRIDGE_RATE_LIMIT_APP_PER_SECOND=100000 \
    ${BENCH_SERVER_JAVA:-java} -Xmx1g ${BENCH_SERVER_OPTS:-} -jar "${BENCH_SERVER_JAR:-server/target/exbridge.jar}" > "$DATA/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf $U/actuator/health >/dev/null && curl -sf $S/_sim/mailboxes >/dev/null && break; sleep 0.2
  done
  curl -sf -XPOST $U/admin/api/v1/tenants -H "$A" -H "$J" -d '{"tenant_key":"bench","name":"Bench"}' >/dev/null
  APP=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/apps -H "$A" -H "$J" \
    -d '{"name":"bench","scopes":["calendar:calendar","calendar:calendar:readonly"]}' | field '["app_id"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/users/boss -H "$A" -H "$J" -d '{"super_admin":true}' >/dev/null
  UT=$(curl -sf -XPOST $U/admin/api/v1/tenants/bench/users/boss/access_tokens -H "$A" -H "$J" -d "{\"app_id\":\"$APP\"}" | field '["access_token"]')
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/ews@exchange.test -H "$A" -H "$J" \
    -d "{\"protocol\":\"ews\",\"ews_url\":\"$S/EWS/Exchange.asmx\",\"username\":\"admin@exchange.test\",\"password\":\"secret\",\"auth\":\"ntlm\"}" >/dev/null
  curl -sf -XPUT $U/admin/api/v1/tenants/bench/exchange_admin_accounts/graph@exchange.test -H "$A" -H "$J" \
    -d "{\"protocol\":\"graph\",\"graph_url\":\"$S\",\"token_url\":\"$S/t/oauth2/v2.0/token\",\"client_id\":\"sim-client\",\"client_secret\":\"sim-secret\"}" >/dev/null
}


