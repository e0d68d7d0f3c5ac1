#!/usr/bin/env bash
# The local Dauntless stack without Docker: Apache Kafka (KRaft, jars from Maven
# Central on this machine's Java), Redis (Debian's redis-server, append-only
# persistence, TLS only, ACL users with the default user off), Keycloak (the
# OpenID Connect provider, realm `dauntless`, from Maven Central) and a
# Confluent-compatible schema registry (Apicurio Registry from Maven Central)
# that admits only principals Keycloak vouches for, all on loopback.
#
#   stack.sh up       install what is missing, start what is not running, wait
#                     until each answers, create topics and register schemas,
#                     write and print the endpoints. Idempotent.
#   stack.sh down     stop exactly what `up` started (by the pid files it wrote).
#   stack.sh status   say what runs, and where.
#   stack.sh start|stop|kill redis|kafka|keycloak|registry
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
# DAUNTLESS_REDIS_PORT (6379), DAUNTLESS_REGISTRY_PORT (8081),
# DAUNTLESS_KEYCLOAK_PORT (8180; 8080 is the web app's). DAUNTLESS_KEYCLOAK_JAVA_OPTS adds JVM
# options to Keycloak's (heap 64-512 MB).
#
# Secrets: one file per principal, $DAUNTLESS_STACK_DIR/secrets/<name>.password
# (32 characters [A-Za-z0-9], mode 600), made once by stack_secret and read by
# Keycloak's realm (client secrets), Kafka (SCRAM) and the clients
# (shared/config/credentials.ts). The seeded people and their passwords are in
# $DAUNTLESS_STACK_DIR/users.json (mode 600).
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
KEYCLOAK_PORT="${DAUNTLESS_KEYCLOAK_PORT:-8180}"
HOST=127.0.0.1
SECRETS_DIR="$STACK_DIR/secrets"
USERS_FILE="$STACK_DIR/users.json"

# Versions are pinned here; the poms beside this script (deploy/local/kafka,
# deploy/local/registry, deploy/local/keycloak) take them on the command line.
source "$HERE/versions.env"

say() { printf '%s\n' "$*"; }
fail() { printf 'stack: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# stack_secret NAME: prints the principal's secret, making it first if missing
# (32 characters [A-Za-z0-9], mode 600). Kafka's SCRAM users and Keycloak's
# clients read the same file, so a principal has one password for both.
stack_secret() {
  local name="$1" file="$SECRETS_DIR/$1.password" secret
  case "$name" in ''|*/*|.*) fail "stack_secret: '$name' is not a principal name." ;; esac
  if [ ! -s "$file" ]; then
    mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
    secret="$(LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32 || true)"
    [ "${#secret}" -eq 32 ] || fail "stack_secret: could not read 32 random characters."
    ( umask 077; printf '%s\n' "$secret" > "$file.tmp.$$" ) && mv -f "$file.tmp.$$" "$file"
  fi
  chmod 600 "$file"
  head -n 1 "$file"
}

# The first four characters only: enough to tell two apart, never the secret.
redacted() { printf '%s...(%s chars)' "${1:0:4}" "${#1}"; }

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
# and the independent client the tests use), openssl (the certificates) and
# chromium (the web service's PDF briefings; the browser tests).
need_debian_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v kcat >/dev/null || missing+=(kcat)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  # The web service prints briefings to PDF with it, and the browser tests drive it (playwright-core, no download).
  command -v chromium >/dev/null || missing+=(chromium)
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

# ----------------------------------------------------------------- keycloak

# Keycloak 26 (the OpenID Connect provider) from Maven Central. The
# distribution is unpacked and built (`kc.sh build`, the Quarkus augmentation,
# ~45 s) once into the download cache; each stack gets a small home of its own
# under $DATA_DIR/keycloak (its conf, its H2 dev-file database in data/h2, the
# realm to import in data/import, the build output copied), with the jars and
# themes linked from the cache, so two stacks never share state and start
# without building again.
KEYCLOAK_CACHE="$CACHE_DIR/keycloak"
KEYCLOAK_DIST="$KEYCLOAK_CACHE/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_HOME="$DATA_DIR/keycloak"
KEYCLOAK_REALM=dauntless
KEYCLOAK_ADMIN_USER=keycloak-admin
# Build-time options: changing them means building again (the stamp says which were built).
KEYCLOAK_BUILD_OPTS=(--db=dev-file --health-enabled=false --metrics-enabled=false)

keycloak_url() { printf 'http://%s:%s' "$HOST" "$KEYCLOAK_PORT"; }
oidc_issuer() { printf '%s/realms/%s' "$(keycloak_url)" "$KEYCLOAK_REALM"; }

# Keycloak 26 needs Java 21 or newer, as Apicurio 3.3 does.
keycloak_java() {
  local candidate major
  for candidate in "${DAUNTLESS_KEYCLOAK_JAVA:-}" "${DAUNTLESS_REGISTRY_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then printf '%s' "$candidate"; return 0; fi
  done
  fail "Keycloak $KEYCLOAK_VERSION (the sign-in provider the registry authenticates through) needs Java 21 or newer, and none was found (DAUNTLESS_KEYCLOAK_JAVA, JAVA_HOME, /usr/lib/jvm, PATH). Install a JDK 21+ (e.g. Temurin) or point DAUNTLESS_KEYCLOAK_JAVA at its java. The Java 17 fallback registry (Apicurio $APICURIO_VERSION_JAVA17) cannot run without it in this stack."
}

keycloak_install() {
  local java_home="$1" stamp="$KEYCLOAK_DIST/.built" wanted
  wanted="${KEYCLOAK_BUILD_OPTS[*]}"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && return 0
  mkdir -p "$KEYCLOAK_CACHE"
  # One stack at a time fetches and builds into the shared cache; the others wait for it.
  exec 9>"$KEYCLOAK_CACHE/.lock"
  flock 9
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    if [ ! -x "$KEYCLOAK_DIST/bin/kc.sh" ]; then
      need_maven
      say "  keycloak: fetching Keycloak $KEYCLOAK_VERSION from Maven Central into $KEYCLOAK_DIST"
      rm -rf "$KEYCLOAK_DIST"
      mvn -q -B -f "$HERE/keycloak/pom.xml" -Dkeycloak.version="$KEYCLOAK_VERSION" -Dkeycloak.cache="$KEYCLOAK_CACHE" \
        dependency:unpack >"$LOG_DIR/keycloak-install.log" 2>&1 \
        || { tail -n 20 "$LOG_DIR/keycloak-install.log" >&2; fail "could not fetch Keycloak with Maven (log: $LOG_DIR/keycloak-install.log). Maven must reach Maven Central."; }
    fi
    say "  keycloak: building the server once (${KEYCLOAK_BUILD_OPTS[*]}), about a minute"
    JAVA_HOME="$java_home" "$KEYCLOAK_DIST/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTS[@]}" >"$LOG_DIR/keycloak-build.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/keycloak-build.log" >&2; fail "kc.sh build failed (log: $LOG_DIR/keycloak-build.log)."; }
    printf '%s\n' "$wanted" > "$stamp"
  fi
  flock -u 9
  exec 9>&-
}

# The stack's own Keycloak home (see above). Links and the build output are
# made again at every start, so a rebuilt cache is picked up; data/ is kept.
keycloak_home() {
  mkdir -p "$KEYCLOAK_HOME/lib" "$KEYCLOAK_HOME/data/import" "$KEYCLOAK_HOME/providers" "$KEYCLOAK_HOME/conf"
  rm -rf "$KEYCLOAK_HOME/bin" "$KEYCLOAK_HOME/lib/quarkus" "$KEYCLOAK_HOME/lib/quarkus-run.jar" "$KEYCLOAK_HOME/lib/lib" "$KEYCLOAK_HOME/lib/app" "$KEYCLOAK_HOME/themes"
  # kc.sh finds its home from its own path, so it is a copy, not a link.
  cp -a "$KEYCLOAK_DIST/bin" "$KEYCLOAK_HOME/bin"
  cp -a "$KEYCLOAK_DIST/lib/quarkus" "$KEYCLOAK_DIST/lib/quarkus-run.jar" "$KEYCLOAK_HOME/lib/"
  ln -s "$KEYCLOAK_DIST/lib/lib" "$KEYCLOAK_HOME/lib/lib"
  ln -s "$KEYCLOAK_DIST/lib/app" "$KEYCLOAK_HOME/lib/app"
  ln -s "$KEYCLOAK_DIST/themes" "$KEYCLOAK_HOME/themes"
  [ -f "$KEYCLOAK_HOME/conf/keycloak.conf" ] || cp -a "$KEYCLOAK_DIST/conf/." "$KEYCLOAK_HOME/conf/"
}

# The realm file from deploy/realm.ts, with the principals' secrets; users.json beside it.
keycloak_realm() {
  local name
  for name in dauntless-admin dauntless-resolver dauntless-scorer dauntless-web dauntless-operator cad-writer dispatch-reader dauntless-test; do
    stack_secret "$name" >/dev/null
  done
  ( cd "$REPO" && node --import tsx deploy/realm.ts "$KEYCLOAK_HOME/data/import/$KEYCLOAK_REALM-realm.json" "$USERS_FILE" ) \
    || fail "could not write the realm file (deploy/realm.ts, see above)."
}

keycloak_ready() { curl -fsS -o /dev/null --max-time 2 "$(oidc_issuer)/.well-known/openid-configuration"; }

# Fetch and build if the cache lacks them, give the stack its home and realm,
# and start the server detached. Run in the background by keycloak_start.
keycloak_launch() {
  local java_home="$1" admin_password
  keycloak_install "$java_home"
  keycloak_home
  keycloak_realm
  admin_password="$(stack_secret "$KEYCLOAK_ADMIN_USER")"
  # Exported, not passed as arguments (which any local user can read in ps);
  # this runs in keycloak_start's subshell, so nothing leaks into the caller.
  export JAVA_HOME="$java_home" JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" JAVA_OPTS_APPEND="${DAUNTLESS_KEYCLOAK_JAVA_OPTS:-}"
  export KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_password"
  # Production mode on the build above (start --optimized: no build at start),
  # plain HTTP on loopback only, one fixed issuer whatever name a client
  # used, local caches (no cluster discovery), the realm imported if absent.
  # The bootstrap admin is for the master realm's console only.
  start_detached keycloak "$LOG_DIR/keycloak.log" "$KEYCLOAK_HOME/bin/kc.sh" start --optimized \
    --http-enabled=true --http-host="$HOST" --http-port="$KEYCLOAK_PORT" --hostname="$(keycloak_url)" \
    --cache=local --import-realm --log-console-output=default
  say "  keycloak: starting Keycloak $KEYCLOAK_VERSION (pid $(pid_of keycloak)) at $(keycloak_url), data in $KEYCLOAK_HOME/data; admin $KEYCLOAK_ADMIN_USER, password $(redacted "$admin_password") in $SECRETS_DIR/$KEYCLOAK_ADMIN_USER.password"
}

# Starts Keycloak without waiting for it: it is the slowest server (and on a
# cold cache its fetch and build come first), so Redis and Kafka start
# meanwhile. What the background part says is shown by keycloak_wait.
keycloak_start() {
  KEYCLOAK_LAUNCH_PID=""
  if pid="$(pid_of keycloak)"; then say "  keycloak: already running (pid $pid) at $(keycloak_url)"; return 0; fi
  port_in_use "$KEYCLOAK_PORT" && fail "port $KEYCLOAK_PORT (Keycloak) is taken by another process: stop it, or choose another with DAUNTLESS_KEYCLOAK_PORT."
  local java java_home
  java="$(keycloak_java)"; java_home="$(dirname "$(dirname "$(readlink -f "$java")")")"
  KEYCLOAK_STARTED_MS="$(now_ms)"
  ( keycloak_launch "$java_home" ) >"$LOG_DIR/keycloak-launch.log" 2>&1 &
  KEYCLOAK_LAUNCH_PID=$!
  say "  keycloak: preparing and starting in the background (log $LOG_DIR/keycloak-launch.log)"
}

keycloak_wait() {
  if [ -n "${KEYCLOAK_LAUNCH_PID:-}" ]; then
    local launched=0
    wait "$KEYCLOAK_LAUNCH_PID" || launched=$?
    KEYCLOAK_LAUNCH_PID=""
    cat "$LOG_DIR/keycloak-launch.log"
    [ "$launched" -eq 0 ] || fail "Keycloak could not be prepared or started (see above; log $LOG_DIR/keycloak-launch.log)."
  fi
  pid_of keycloak >/dev/null || fail "keycloak is not running."
  # A first start creates the database and imports the realm: 40-80 s on 2 cores.
  wait_until keycloak 240 keycloak_ready
  if [ -n "${KEYCLOAK_STARTED_MS:-}" ]; then
    say "  keycloak: realm $KEYCLOAK_REALM answers at $(oidc_issuer) ($(( $(now_ms) - KEYCLOAK_STARTED_MS ))ms after stack.sh began preparing it)"
  else
    say "  keycloak: realm $KEYCLOAK_REALM answers at $(oidc_issuer)"
  fi
}

keycloak_up() { keycloak_start; keycloak_wait; }

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

# Ready when it answers provisioning's principal: the first call also proves
# the registry reaches Keycloak and accepts the principal's client credentials.
# The credentials go to curl on standard input (-K -), not as an argument ps would show.
registry_ready() {
  printf 'user = "dauntless-admin:%s"\n' "$(stack_secret dauntless-admin)" \
    | curl -fsS -o /dev/null --max-time 5 -K - "$(registry_url)/subjects"
}

# A registry started by an older stack.sh admits anyone until it is restarted.
registry_auth_note() {
  if curl -fsS -o /dev/null --max-time 2 "$(registry_url)/subjects" 2>/dev/null; then
    say "  registry: answers without credentials (started before it required them): restart it with npm run stack:down && npm run stack:up (the schemas are kept)"
  fi
}

registry_up() {
  if pid="$(pid_of registry)"; then say "  registry: already running (pid $pid) at $(registry_url)"; registry_auth_note; return 0; fi
  port_in_use "$REGISTRY_PORT" && fail "port $REGISTRY_PORT is taken by another process: stop it, or choose another with DAUNTLESS_REGISTRY_PORT."
  registry_choose
  registry_install
  local home jar; home="$(registry_home)"
  jar="$home/quarkus-run.jar"; [ -f "$jar" ] || jar="$(ls "$home"/*-runner.jar 2>/dev/null | head -n 1)"
  [ -f "$jar" ] || fail "no runnable jar in $home; delete that folder and run again."
  [ "$REGISTRY_VERSION" = "$APICURIO_VERSION" ] && port_in_use "$REGISTRY_MGMT_PORT" \
    && fail "port $REGISTRY_MGMT_PORT (registry health) is taken: choose another with DAUNTLESS_REGISTRY_MANAGEMENT_PORT."
  mkdir -p "$REGISTRY_DATA"
  pid_of keycloak >/dev/null || fail "the registry authenticates through Keycloak, which is not running: start it first (stack.sh start keycloak)."
  # Authentication through Keycloak (OIDC bearer tokens); HTTP Basic with a
  # client id and secret is also taken, and exchanged for a token by the
  # client-credentials grant, so Confluent-style clients need only a user and
  # password. No anonymous access; roles from the token's realm roles:
  # sr-readonly reads, sr-developer and sr-admin write.
  local issuer; issuer="$(oidc_issuer)"
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
    -Dquarkus.oidc.tenant-enabled=true -Dquarkus.oidc.auth-server-url="$issuer" \
    -Dquarkus.oidc.token-path="$issuer/protocol/openid-connect/token" -Dquarkus.oidc.client-id=registry-api \
    -Dapicurio.authn.basic-client-credentials.enabled=true \
    -Dapicurio.auth.role-based-authorization=true -Dapicurio.auth.role-source=token \
    -Dapicurio.auth.anonymous-read-access.enabled=false -Dapicurio.auth.authenticated-read-access.enabled=false \
    -jar "$jar"
  wait_until registry 120 registry_ready
  say "  registry: started Apicurio Registry $REGISTRY_VERSION (pid $(pid_of registry)) at $(registry_url), H2 file in $REGISTRY_DATA, sign-in through $issuer"
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
KEYCLOAK_URL=$(keycloak_url)
OIDC_ISSUER=$(oidc_issuer)
DAUNTLESS_WEB_CLIENT_ID=dauntless-web
DAUNTLESS_TEST_CLIENT_ID=dauntless-test
DAUNTLESS_TEST_CLIENT_SECRET=$(stack_secret dauntless-test)
ENV
  chmod 600 "$ENDPOINTS_FILE"
}

# The endpoints as printed: the test client's secret shortened.
print_endpoints() {
  sed -n -e 's/^\(DAUNTLESS_TEST_CLIENT_SECRET=\)\(....\).*/  \1\2... (in the file)/p' -e '/^DAUNTLESS_TEST_CLIENT_SECRET=/d' -e 's/^\([A-Z_]*=\)/  \1/p' "$ENDPOINTS_FILE"
}

cmd_up() {
  local started_ms; started_ms="$(now_ms)"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  say "Dauntless local stack ($STACK_DIR)"
  need_debian_packages
  # Keycloak is the slowest to start: it starts first and the others meanwhile;
  # the registry needs it answering, to authenticate.
  keycloak_start
  redis_up
  kafka_up
  keycloak_wait
  registry_up
  write_endpoints
  say "  provisioning topics and schemas (as dauntless-admin)"
  ( cd "$REPO" && set -a && . "$ENDPOINTS_FILE" && set +a && node --import tsx deploy/provision.ts ) \
    || fail "provisioning topics and schemas failed (see above)."
  say ""
  say "Endpoints (also in $ENDPOINTS_FILE):"
  print_endpoints
  say "Sign in at $(oidc_issuer) as one of the users in $USERS_FILE (username and password each)."
  say "Ready in $(( ($(now_ms) - started_ms) ))ms. Stop with: npm run stack:down"
}

cmd_down() {
  say "Stopping the Dauntless local stack ($STACK_DIR)"
  # Reverse order of start: nothing is left talking to a stopped dependency.
  stop_one registry
  stop_one keycloak
  stop_one kafka
  stop_one redis
  rm -f "$ENDPOINTS_FILE"
}

cmd_status() {
  local name pid running=0
  say "Dauntless local stack ($STACK_DIR)"
  for name in redis kafka keycloak registry; do
    if pid="$(pid_of "$name")"; then
      running=$((running + 1))
      local answers=no
      case "$name" in
        redis) redis_ready && answers=yes ;;
        kafka) kafka_ready && answers=yes ;;
        keycloak) keycloak_ready && answers=yes ;;
        registry) registry_ready && answers=yes ;;
      esac
      say "  $name: running (pid $pid), answering: $answers"
    else
      say "  $name: not running"
    fi
  done
  [ -f "$ENDPOINTS_FILE" ] && { say "Endpoints ($ENDPOINTS_FILE):"; print_endpoints; }
  # Exit 0 only when all four run, so scripts can ask `stack.sh status`.
  [ "$running" -eq 4 ]
}

# Removes the stack's data (topics, graph, schemas) after stopping it; caches stay.
cmd_reset() {
  cmd_down
  rm -rf "$DATA_DIR" "$LOG_DIR"
  say "Data and logs removed; downloads stay cached in $CACHE_DIR."
}

server_name() {
  case "${1:-}" in
    redis|kafka|keycloak|registry) printf '%s' "$1" ;;
    *) say "Usage: $0 start|stop|kill redis|kafka|keycloak|registry"; exit 2 ;;
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
  # Keycloak's pid is kc.sh, which runs the JVM as its child: kill its process
  # group (setsid made it the leader), or the JVM would live on.
  if [ "$name" = keycloak ]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
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
  *) say "Usage: $0 up|down|status|reset, or start|stop|kill redis|kafka|keycloak|registry"; exit 2 ;;
esac
