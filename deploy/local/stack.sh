#!/usr/bin/env bash
# The local Dauntless stack without Docker: Apache Kafka (KRaft, jars from Maven
# Central on this machine's Java), Redis (Debian's redis-server, append-only
# persistence, TLS only, ACL users with the default user off) and a
# Confluent-compatible schema registry (Apicurio Registry from Maven Central),
# all on loopback.
#
#   stack.sh up       install what is missing, start what is not running, wait
#                     until each answers, create topics and register schemas,
#                     write and print the endpoints. Idempotent.
#   stack.sh down     stop exactly what `up` started (by the pid files it wrote).
#   stack.sh status   say what runs, and where.
#   stack.sh start|stop|kill redis|kafka|registry
#                     one server alone: start it (from the data it kept) and
#                     wait until it answers; stop it (SIGTERM); or kill it
#                     (SIGKILL, as a crash would). For fault tests.
#
# Data, logs and pid files live under $DAUNTLESS_STACK_DIR (default .stack/ in
# the repo, git-ignored); downloads are cached under $DAUNTLESS_CACHE_DIR
# (default ~/.cache/dauntless) so a fresh clone on the same machine starts fast.
# Certificates (tls/ca.pem, server.pem, server.key) and one password file per
# Redis user (secrets/redis-<user>.password, mode 600) are made the first time
# and kept; endpoints.env names the CA (DAUNTLESS_CA_FILE).
# Ports: DAUNTLESS_KAFKA_PORT (9092), DAUNTLESS_KAFKA_CONTROLLER_PORT (9093),
# DAUNTLESS_REDIS_PORT (6379), DAUNTLESS_REGISTRY_PORT (8081).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
STACK_DIR="$(mkdir -p "${DAUNTLESS_STACK_DIR:-$REPO/.stack}" && cd "${DAUNTLESS_STACK_DIR:-$REPO/.stack}" && pwd)"
CACHE_DIR="${DAUNTLESS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dauntless}"
RUN_DIR="$STACK_DIR/run"
LOG_DIR="$STACK_DIR/logs"
DATA_DIR="$STACK_DIR/data"
ENDPOINTS_FILE="$STACK_DIR/endpoints.env"

KAFKA_PORT="${DAUNTLESS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${DAUNTLESS_KAFKA_CONTROLLER_PORT:-9093}"
REDIS_PORT="${DAUNTLESS_REDIS_PORT:-6379}"
REGISTRY_PORT="${DAUNTLESS_REGISTRY_PORT:-8081}"
HOST=127.0.0.1

# Versions are pinned in the poms beside this script (deploy/local/kafka, deploy/local/registry).
source "$HERE/versions.env"

say() { printf '%s\n' "$*"; }
fail() { printf 'stack: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- processes

# A pid file names a process of ours only while that process is alive and
# still has the start time recorded with it (a recycled pid does not; and
# Redis rewrites its command line, so that cannot be the test).
start_time_of() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

pid_of() {
  local file="$RUN_DIR/$1.pid" pid started
  [ -f "$file" ] || return 1
  read -r pid started < "$file" || true
  [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(start_time_of "$pid")" = "${started:-}" ] || return 1
  printf '%s' "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# start NAME LOGFILE CMD...: detached from this shell's session so Ctrl-C on
# the caller does not take the servers down; `down` stops them by pid.
start_detached() {
  local name="$1" log="$2"; shift 2
  setsid "$@" >>"$log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid $(start_time_of "$pid")" > "$RUN_DIR/$name.pid"
}

# wait_until NAME SECONDS CHECK...: polls CHECK until it succeeds; on time-out
# or if the process died, shows the end of its log.
wait_until() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if ! pid_of "$name" >/dev/null; then
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      fail "$name exited during start-up; its log is $LOG_DIR/$name.log (last lines above)."
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      fail "$name did not answer within ${seconds}s; its log is $LOG_DIR/$name.log (last lines above)."
    fi
    sleep 0.2
  done
}

stop_one() {
  local name="$1" pid
  if ! pid="$(pid_of "$name")"; then
    rm -f "$RUN_DIR/$name.pid"
    say "  $name: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "  $name: did not stop within 30s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$RUN_DIR/$name.pid"
  say "  $name: stopped (pid $pid)"
}

# ------------------------------------------------------------ prerequisites

need_java() {
  command -v java >/dev/null || fail "Java 17 or newer is needed for Kafka and the schema registry: install it with 'apt-get install -y openjdk-17-jre-headless' (or any JDK 17+ on PATH)."
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || fail "Java 17 or newer is needed; 'java' on PATH is version $major. Install openjdk-17-jre-headless or put a newer java first on PATH."
}

need_maven() {
  command -v mvn >/dev/null || fail "Maven is needed to fetch the Kafka and registry jars from Maven Central: install it with 'apt-get install -y maven'."
}

# Debian packages: redis-server (with redis-cli), kcat (readiness checks,
# and the independent client the tests use) and openssl (the certificates).
need_debian_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v kcat >/dev/null || missing+=(kcat)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "Missing ${missing[*]} and no apt-get here: install Redis 7 (redis-server, redis-cli) and kcat with your package manager."
  if [ "$(id -u)" -ne 0 ]; then
    fail "Missing ${missing[*]}: install them with 'sudo apt-get install -y ${missing[*]}', then run this again."
  fi
  say "  installing ${missing[*]} from Debian's packages"
  apt-get update -qq >/dev/null
  # Debian's postinst would start its own redis service; policy-rc.d 101 says
  # "don't" for the length of this install, so only our Redis runs.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  [ "$created_policy" -eq 1 ] && rm -f "$policy"
  return 0
}

# ---------------------------------------------------------------------- tls

TLS_DIR="$STACK_DIR/tls"

# A local CA and a server certificate signed by it, for every server of the
# stack: $TLS_DIR/ca.pem (the CA's key beside it, ca.key), server.pem and
# server.key, for 127.0.0.1 and localhost. Kept once made, so clients that
# trust ca.pem keep trusting the servers across restarts; delete the folder
# (or `stack.sh reset`) for new ones. Keys are mode 600.
tls_up() {
  command -v openssl >/dev/null || fail "openssl is needed to make the stack's certificates: install it with 'apt-get install -y openssl'."
  mkdir -p "$TLS_DIR"; chmod 700 "$TLS_DIR"
  if [ ! -f "$TLS_DIR/ca.pem" ] || [ ! -f "$TLS_DIR/ca.key" ]; then
    rm -f "$TLS_DIR/server.pem" "$TLS_DIR/server.key"
    ( umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Dauntless local stack CA" \
        -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1 ) \
      || fail "openssl could not make the stack's CA in $TLS_DIR."
    say "  tls: made a local CA, $TLS_DIR/ca.pem"
  fi
  if [ ! -f "$TLS_DIR/server.pem" ] || [ ! -f "$TLS_DIR/server.key" ]; then
    local ext; ext="$(mktemp)"
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth,clientAuth" > "$ext"
    ( umask 077
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" >/dev/null 2>&1 \
      && openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 825 -extfile "$ext" -out "$TLS_DIR/server.pem" >/dev/null 2>&1 ) \
      || { rm -f "$ext"; fail "openssl could not make the server certificate in $TLS_DIR."; }
    rm -f "$ext" "$TLS_DIR/server.csr"
    say "  tls: made the server certificate for 127.0.0.1 and localhost, $TLS_DIR/server.pem"
  fi
  chmod 600 "$TLS_DIR/ca.key" "$TLS_DIR/server.key"
  chmod 644 "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem"
}

# -------------------------------------------------------------------- redis

# Redis listens with TLS only and knows its users from an ACL file (the
# default user off): deploy/redis-acl.ts declares them, writes each one's
# password under $STACK_DIR/secrets the first time, and renders the file.
REDIS_ACL_FILE="$STACK_DIR/redis/users.acl"
REDIS_ADMIN=dauntless-admin

# redis-cli as the admin, over TLS; the password goes through the environment, never the command line.
redis_cli() {
  REDISCLI_AUTH="$(cat "$STACK_DIR/secrets/redis-$REDIS_ADMIN.password" 2>/dev/null)" \
    redis-cli -h "$HOST" -p "$REDIS_PORT" --tls --cacert "$TLS_DIR/ca.pem" --user "$REDIS_ADMIN" --no-auth-warning "$@"
}

redis_ready() { [ "$(redis_cli ping 2>/dev/null)" = PONG ]; }

redis_acl_write() {
  ( cd "$REPO" && node --import tsx deploy/redis-acl.ts "$STACK_DIR" >/dev/null ) \
    || fail "could not write the Redis users (deploy/redis-acl.ts; is npm install done?)."
}

# A Redis started by an older stack.sh keeps its settings until it is
# restarted; the services would refuse it, so say how to restart it.
redis_durability_note() {
  local fsync policy
  if ! redis_ready; then
    say "  redis: does not answer over TLS as $REDIS_ADMIN (started by an older stack.sh, without TLS and users?): restart it with npm run stack:down && npm run stack:up (the graph is kept)"
    return 0
  fi
  fsync="$(redis_cli config get appendfsync 2>/dev/null | sed -n 2p)"
  policy="$(redis_cli config get maxmemory-policy 2>/dev/null | sed -n 2p)"
  if [ "$fsync" != always ] || [ "$policy" != noeviction ]; then
    say "  redis: runs with appendfsync $fsync, maxmemory-policy $policy; the services need always and noeviction: restart it with npm run stack:down && npm run stack:up (the graph is kept)"
  fi
}

redis_up() {
  tls_up
  if pid="$(pid_of redis)"; then
    say "  redis: already running (pid $pid) on $HOST:$REDIS_PORT"
    redis_durability_note
    return 0
  fi
  port_in_use "$REDIS_PORT" && fail "port $REDIS_PORT is taken by another process: stop it, or choose another with DAUNTLESS_REDIS_PORT."
  mkdir -p "$DATA_DIR/redis"
  redis_acl_write
  # Append-only file on, fsynced before each write is acknowledged, nothing
  # evicted: the services commit Kafka offsets once Redis acknowledges, and
  # refuse a weaker Redis. Rewritten only past 1 GB. The same as REDIS_COMMAND
  # in deploy/servers.ts, which says why. No plaintext port (--port 0);
  # clients need no certificate of their own: they authenticate as ACL users.
  start_detached redis "$LOG_DIR/redis.log" redis-server \
    --bind "$HOST" --port 0 --tls-port "$REDIS_PORT" --protected-mode yes \
    --tls-cert-file "$TLS_DIR/server.pem" --tls-key-file "$TLS_DIR/server.key" \
    --tls-ca-cert-file "$TLS_DIR/ca.pem" --tls-auth-clients no \
    --aclfile "$REDIS_ACL_FILE" \
    --dir "$DATA_DIR/redis" --appendonly yes --appendfsync always --no-appendfsync-on-rewrite no \
    --maxmemory-policy noeviction --auto-aof-rewrite-min-size 1gb \
    --save "" --daemonize no --logfile ""
  wait_until redis 30 redis_ready
  say "  redis: started (pid $(pid_of redis)) on $HOST:$REDIS_PORT (TLS only, users in $REDIS_ACL_FILE), append-only file in $DATA_DIR/redis"
}

# -------------------------------------------------------------------- kafka

KAFKA_LIB="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_DATA="$DATA_DIR/kafka"

# The broker's runtime classpath, gathered once from Maven Central by the pom
# beside this script, then reused (a stamp file records a complete copy).
kafka_install() {
  [ -f "$KAFKA_LIB/.complete" ] && return 0
  need_maven
  say "  kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIB"
  rm -rf "$KAFKA_LIB"; mkdir -p "$KAFKA_LIB"
  mvn -q -B -f "$HERE/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB" >"$LOG_DIR/kafka-install.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/kafka-install.log" >&2; fail "could not fetch the Kafka jars with Maven (log: $LOG_DIR/kafka-install.log). Maven must reach Maven Central."; }
  touch "$KAFKA_LIB/.complete"
}

kafka_ready() { kcat -b "$HOST:$KAFKA_PORT" -L -m 2 >/dev/null 2>&1; }

kafka_java_log_opts() { printf '%s\n' "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.xml" "-Dkafka.logs.dir=$LOG_DIR/kafka"; }

kafka_up() {
  if pid="$(pid_of kafka)"; then say "  kafka: already running (pid $pid) on $HOST:$KAFKA_PORT"; return 0; fi
  port_in_use "$KAFKA_PORT" && fail "port $KAFKA_PORT is taken by another process: stop it, or choose another with DAUNTLESS_KAFKA_PORT."
  port_in_use "$KAFKA_CONTROLLER_PORT" && fail "port $KAFKA_CONTROLLER_PORT (Kafka controller) is taken by another process: choose another with DAUNTLESS_KAFKA_CONTROLLER_PORT."
  need_java
  kafka_install
  mkdir -p "$KAFKA_DATA" "$LOG_DIR/kafka"
  local props="$KAFKA_DATA/server.properties"
  sed -e "s|\${KAFKA_PORT}|$KAFKA_PORT|g" -e "s|\${KAFKA_CONTROLLER_PORT}|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|\${KAFKA_DATA_DIR}|$KAFKA_DATA/log|g" "$HERE/kafka/server.properties.template" > "$props"
  mapfile -t log_opts < <(kafka_java_log_opts)
  # Format the KRaft storage once; later starts keep the topics and offsets.
  if [ ! -f "$KAFKA_DATA/log/meta.properties" ]; then
    local cluster_id
    # 16 random bytes, URL-safe base64 without padding (as `kafka-storage random-uuid`);
    # a leading '-' would read as an option to the storage tool.
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    case "$cluster_id" in -*) cluster_id="A${cluster_id#?}";; esac
    java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$KAFKA_LIB/*" "${log_opts[@]}" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$props" >"$LOG_DIR/kafka-format.log" 2>&1 \
      || { cat "$LOG_DIR/kafka-format.log" >&2; fail "formatting Kafka storage failed (log: $LOG_DIR/kafka-format.log)."; }
  fi
  # The broker log is $LOG_DIR/kafka/server.log; stdout/stderr (JVM errors) go to kafka.log.
  start_detached kafka "$LOG_DIR/kafka.log" java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true "${log_opts[@]}" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$props"
  # A restart after a kill waits out the old broker session (about 10 s).
  wait_until kafka 90 kafka_ready
  say "  kafka: started Apache Kafka $KAFKA_VERSION (pid $(pid_of kafka)) on $HOST:$KAFKA_PORT, KRaft, data in $KAFKA_DATA"
}

# ----------------------------------------------------------------- registry

REGISTRY_MGMT_PORT="${DAUNTLESS_REGISTRY_MANAGEMENT_PORT:-$((REGISTRY_PORT + 1))}"
REGISTRY_DATA="$DATA_DIR/registry"

registry_url() { printf 'http://%s:%s/apis/ccompat/v7' "$HOST" "$REGISTRY_PORT"; }

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# Apicurio Registry 3.3 is built for Java 21. Take the first Java >= 21 we can
# find (DAUNTLESS_REGISTRY_JAVA, JAVA_HOME, the JDKs under /usr/lib/jvm, PATH);
# with only Java 17, fall back to 3.0.9, the last release that runs on it.
registry_choose() {
  local candidate major
  REGISTRY_JAVA=""
  for candidate in "${DAUNTLESS_REGISTRY_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then REGISTRY_JAVA="$candidate"; REGISTRY_VERSION="$APICURIO_VERSION"; return 0; fi
  done
  need_java
  REGISTRY_JAVA="$(command -v java)"
  REGISTRY_VERSION="$APICURIO_VERSION_JAVA17"
  say "  registry: no Java 21+ found, using Apicurio Registry $REGISTRY_VERSION on Java 17 (install a JDK 21+ or set DAUNTLESS_REGISTRY_JAVA for $APICURIO_VERSION)"
}

registry_home() { printf '%s/apicurio-registry-%s' "$CACHE_DIR/registry" "$REGISTRY_VERSION"; }

registry_install() {
  local home; home="$(registry_home)"
  [ -f "$home/.complete" ] && return 0
  need_maven
  say "  registry: fetching Apicurio Registry $REGISTRY_VERSION from Maven Central into $home"
  rm -rf "$home"
  mvn -q -B -f "$HERE/registry/pom.xml" -Dapicurio.version="$REGISTRY_VERSION" -Dregistry.cache="$CACHE_DIR/registry" \
    dependency:unpack >"$LOG_DIR/registry-install.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/registry-install.log" >&2; fail "could not fetch Apicurio Registry with Maven (log: $LOG_DIR/registry-install.log). Maven must reach Maven Central."; }
  touch "$home/.complete"
}

registry_ready() { curl -fsS -o /dev/null --max-time 2 "$(registry_url)/subjects"; }

registry_up() {
  if pid="$(pid_of registry)"; then say "  registry: already running (pid $pid) at $(registry_url)"; return 0; fi
  port_in_use "$REGISTRY_PORT" && fail "port $REGISTRY_PORT is taken by another process: stop it, or choose another with DAUNTLESS_REGISTRY_PORT."
  registry_choose
  registry_install
  local home jar; home="$(registry_home)"
  jar="$home/quarkus-run.jar"; [ -f "$jar" ] || jar="$(ls "$home"/*-runner.jar 2>/dev/null | head -n 1)"
  [ -f "$jar" ] || fail "no runnable jar in $home; delete that folder and run again."
  [ "$REGISTRY_VERSION" = "$APICURIO_VERSION" ] && port_in_use "$REGISTRY_MGMT_PORT" \
    && fail "port $REGISTRY_MGMT_PORT (registry health) is taken: choose another with DAUNTLESS_REGISTRY_MANAGEMENT_PORT."
  mkdir -p "$REGISTRY_DATA"
  # SQL storage in an H2 file: schema ids survive a restart. WRITE_DELAY=0
  # makes every registration durable at once: without it a kill -9 right after
  # registering lost the schema, and its id was later given to another one.
  start_detached registry "$LOG_DIR/registry.log" "$REGISTRY_JAVA" \
    -Xms32m -Xmx192m -XX:MaxMetaspaceSize=192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$REGISTRY_MGMT_PORT" \
    -Dquarkus.http.access-log.enabled=false \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.datasource.url="jdbc:h2:file:$REGISTRY_DATA/registry;WRITE_DELAY=0" \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 -Dapicurio.datasource.jdbc.max-size=20 \
    -jar "$jar"
  wait_until registry 120 registry_ready
  say "  registry: started Apicurio Registry $REGISTRY_VERSION (pid $(pid_of registry)) at $(registry_url), H2 file in $REGISTRY_DATA"
}

# ---------------------------------------------------------------- commands

write_endpoints() {
  cat > "$ENDPOINTS_FILE" <<ENV
# Written by \`npm run stack:up\`; read by the services, scripts and tests
# (variables of the same names in the environment win).
KAFKA_BROKERS=$HOST:$KAFKA_PORT
REDIS_URL=rediss://$HOST:$REDIS_PORT
DAUNTLESS_CA_FILE=$TLS_DIR/ca.pem
SCHEMA_REGISTRY_URL=$(registry_url)
ENV
}

cmd_up() {
  local started_ms; started_ms="$(now_ms)"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  say "Dauntless local stack ($STACK_DIR)"
  need_debian_packages
  redis_up
  kafka_up
  registry_up
  write_endpoints
  say "  provisioning topics and schemas"
  ( cd "$REPO" && set -a && . "$ENDPOINTS_FILE" && set +a && node --import tsx deploy/provision.ts ) \
    || fail "provisioning topics and schemas failed (see above)."
  say ""
  say "Endpoints (also in $ENDPOINTS_FILE):"
  sed -n 's/^\([A-Z_]*=\)/  \1/p' "$ENDPOINTS_FILE"
  say "Ready in $(( ($(now_ms) - started_ms) ))ms. Stop with: npm run stack:down"
}

cmd_down() {
  say "Stopping the Dauntless local stack ($STACK_DIR)"
  # Reverse order of start: nothing is left talking to a stopped dependency.
  stop_one registry
  stop_one kafka
  stop_one redis
  rm -f "$ENDPOINTS_FILE"
}

cmd_status() {
  local name pid running=0
  say "Dauntless local stack ($STACK_DIR)"
  for name in redis kafka registry; do
    if pid="$(pid_of "$name")"; then
      running=$((running + 1))
      local answers=no
      case "$name" in
        redis) redis_ready && answers=yes ;;
        kafka) kafka_ready && answers=yes ;;
        registry) registry_ready && answers=yes ;;
      esac
      say "  $name: running (pid $pid), answering: $answers"
    else
      say "  $name: not running"
    fi
  done
  [ -f "$ENDPOINTS_FILE" ] && { say "Endpoints ($ENDPOINTS_FILE):"; sed -n 's/^\([A-Z_]*=\)/  \1/p' "$ENDPOINTS_FILE"; }
  # Exit 0 only when all three run, so scripts can ask `stack.sh status`.
  [ "$running" -eq 3 ]
}

# Removes the stack's data (topics, graph, schemas) after stopping it; caches stay.
cmd_reset() {
  cmd_down
  rm -rf "$DATA_DIR" "$LOG_DIR"
  say "Data and logs removed; downloads stay cached in $CACHE_DIR."
}

server_name() {
  case "${1:-}" in
    redis|kafka|registry) printf '%s' "$1" ;;
    *) say "Usage: $0 start|stop|kill redis|kafka|registry"; exit 2 ;;
  esac
}

cmd_start_one() {
  local name; name="$(server_name "${1:-}")"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  "${name}_up"
}

# No clean shutdown: Redis loses nothing its append-only file did not already
# hold, and Kafka must recover its logs, as after a power cut.
cmd_kill_one() {
  local name pid; name="$(server_name "${1:-}")"
  if ! pid="$(pid_of "$name")"; then say "  $name: not running"; return 0; fi
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$RUN_DIR/$name.pid"
  say "  $name: killed (pid $pid)"
}

case "${1:-}" in
  up) cmd_up ;;
  start) cmd_start_one "${2:-}" ;;
  stop) stop_one "$(server_name "${2:-}")" ;;
  kill) cmd_kill_one "${2:-}" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *) say "Usage: $0 up|down|status|reset, or start|stop|kill redis|kafka|registry"; exit 2 ;;
esac
