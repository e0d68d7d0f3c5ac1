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
# DAUNTLESS_KAFKA_TLS_PORT (the Kafka port + 2: mutual TLS, for kcat),
# DAUNTLESS_REDIS_PORT (6379), DAUNTLESS_REGISTRY_PORT (8081),
# DAUNTLESS_KEYCLOAK_PORT (8180; 8080 is the web app's). DAUNTLESS_KEYCLOAK_JAVA_OPTS adds JVM
# options to Keycloak's (heap 64-512 MB).
#
# Kafka is secured as a real deployment is: TLS from the stack's own CA
# ($STACK_DIR/tls/, made by tls_up), SCRAM-SHA-512 for every client, and ACLs
# per principal (deploy/principals.ts).
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
TLS_DIR="$STACK_DIR/tls"
SECRETS_DIR="$STACK_DIR/secrets"

KAFKA_PORT="${DAUNTLESS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${DAUNTLESS_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_TLS_PORT="${DAUNTLESS_KAFKA_TLS_PORT:-$((KAFKA_PORT + 2))}"
REDIS_PORT="${DAUNTLESS_REDIS_PORT:-6379}"
REGISTRY_PORT="${DAUNTLESS_REGISTRY_PORT:-8081}"
KEYCLOAK_PORT="${DAUNTLESS_KEYCLOAK_PORT:-8180}"
HOST=127.0.0.1
USERS_FILE="$STACK_DIR/users.json"

# Versions are pinned here; the poms beside this script (deploy/local/kafka,
# deploy/local/registry, deploy/local/keycloak) take them on the command line.
source "$HERE/versions.env"

say() { printf '%s\n' "$*"; }
fail() { printf 'stack: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

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

# maven_fetch WHAT LOG MVN-ARGS...: fetches a server's jars or distribution
# with Maven (a pom beside this script says what), its output in LOG; on
# failure the log's tail and one sentence naming WHAT.
maven_fetch() {
  local what="$1" log="$2"; shift 2
  need_maven
  mvn -q -B "$@" >"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; fail "could not fetch $what with Maven (log: $log). Maven must reach Maven Central."; }
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

# --------------------------------------------------------- tls and secrets

# tls_up: the stack's own CA and one server certificate for the loopback
# servers, made once per stack dir with openssl and shared by every server
# that speaks TLS (Kafka; Redis and the registry use the same files):
#   $TLS_DIR/ca.pem, ca.key        the CA (key mode 600), 10 years
#   $TLS_DIR/server.pem, server.key  CN=localhost, SAN IP:127.0.0.1 and
#                                  DNS:localhost, for servers and, on Kafka's
#                                  controller link, as the broker's client
#                                  certificate (hence clientAuth too)
# Clients trust ca.pem (DAUNTLESS_CA_FILE in the endpoints file).
tls_up() {
  command -v openssl >/dev/null || fail "openssl is needed to make the stack's certificates: install it with 'apt-get install -y openssl'."
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  if [ ! -f "$TLS_DIR/ca.pem" ] || [ ! -f "$TLS_DIR/ca.key" ]; then
    rm -f "$TLS_DIR/server.pem" "$TLS_DIR/server.key"
    ( umask 077
      openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
        -subj "/CN=Dauntless local stack CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" >/dev/null 2>&1 ) \
      || fail "openssl could not make the stack's CA in $TLS_DIR."
    chmod 644 "$TLS_DIR/ca.pem"
    say "  tls: made a CA for this stack ($TLS_DIR/ca.pem)"
  fi
  if [ ! -f "$TLS_DIR/server.pem" ] || [ ! -f "$TLS_DIR/server.key" ]; then
    local ext="$TLS_DIR/server.ext"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" > "$ext"
    ( umask 077
      openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
        -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" >/dev/null 2>&1 \
      && openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
        -CAcreateserial -days 825 -sha256 -extfile "$ext" -out "$TLS_DIR/server.pem" >/dev/null 2>&1 ) \
      || fail "openssl could not make the server certificate in $TLS_DIR."
    rm -f "$TLS_DIR/server.csr" "$ext"
    chmod 644 "$TLS_DIR/server.pem"
    say "  tls: made the server certificate for 127.0.0.1/localhost ($TLS_DIR/server.pem)"
  fi
}

# tls_client_up NAME: a client certificate for principal NAME (CN=NAME),
# signed by the stack's CA: $TLS_DIR/clients/NAME.pem and NAME.key (mode
# 600). Kafka's mutual-TLS listener takes the CN as the principal.
tls_client_up() {
  local name="$1" dir="$TLS_DIR/clients"
  [ -f "$dir/$name.pem" ] && [ -f "$dir/$name.key" ] && return 0
  mkdir -p "$dir"; chmod 700 "$dir"
  local ext="$dir/$name.ext"
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=clientAuth" > "$ext"
  ( umask 077
    openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name" \
      -keyout "$dir/$name.key" -out "$dir/$name.csr" >/dev/null 2>&1 \
    && openssl x509 -req -in "$dir/$name.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
      -CAcreateserial -days 825 -sha256 -extfile "$ext" -out "$dir/$name.pem" >/dev/null 2>&1 ) \
    || fail "openssl could not make the client certificate of $name in $dir."
  rm -f "$dir/$name.csr" "$ext"
}

# stack_secret NAME: prints the secret of principal NAME, making it first if
# the stack has none: 32 characters [A-Za-z0-9], in $SECRETS_DIR/NAME.password
# (mode 600). One password per principal, for Kafka and the registry alike.
stack_secret() {
  local name="$1" file="$SECRETS_DIR/$1.password" secret
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || fail "stack_secret: \"$name\" is not a principal name ([A-Za-z0-9._-])."
  if [ ! -s "$file" ]; then
    mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
    # 64 random bytes give about 86 base64 characters, some 80 of them alphanumeric: always 32 or more.
    secret="$(openssl rand -base64 64 | tr -dc 'A-Za-z0-9')"
    ( umask 077; printf '%s\n' "${secret:0:32}" > "$file" )
  fi
  tr -d '\n' < "$file"
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
    --maxmemory-policy noeviction --auto-aof-rewrite-min-size 1gb --hash-max-listpack-value 8192 \
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
  say "  kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIB"
  rm -rf "$KAFKA_LIB"; mkdir -p "$KAFKA_LIB"
  maven_fetch "the Kafka jars" "$LOG_DIR/kafka-install.log" -f "$HERE/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB"
  touch "$KAFKA_LIB/.complete"
}

# The Kafka principals, each with a SCRAM-SHA-512 user made at format time.
# Their rights are declared in deploy/principals.ts (deploy/principals.test.ts
# checks this list is the same). The first is the super user.
KAFKA_ADMIN=dauntless-admin
KAFKA_PRINCIPALS=(dauntless-admin dauntless-resolver dauntless-scorer dauntless-web dauntless-operator cad-writer dispatch-reader)
KAFKA_SASL_MECHANISM=SCRAM-SHA-512
# Marks a data dir formatted by this script with the users above: "<name> <sha256 of password>" a line.
KAFKA_USERS_FILE="$KAFKA_DATA/scram-users"
KAFKA_KCAT_CONFIG="$SECRETS_DIR/$KAFKA_ADMIN.kcat.properties"

sha256_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

kafka_users_wanted() {
  local name
  for name in "${KAFKA_PRINCIPALS[@]}"; do printf '%s %s\n' "$name" "$(sha256_of "$(stack_secret "$name")")"; done
}

# kcat as the admin, on the mutual-TLS listener with the admin's client
# certificate: Debian's kcat (librdkafka 2.0) cannot log in with SCRAM to
# Kafka 4 (librdkafka before 2.6.1 sends a nonce Kafka 4 refuses), so it
# proves who it is with a certificate instead.
kafka_kcat_config() {
  tls_client_up "$KAFKA_ADMIN"
  mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
  ( umask 077
    printf '%s\n' "security.protocol=SSL" "ssl.ca.location=$TLS_DIR/ca.pem" \
      "ssl.certificate.location=$TLS_DIR/clients/$KAFKA_ADMIN.pem" "ssl.key.location=$TLS_DIR/clients/$KAFKA_ADMIN.key" > "$KAFKA_KCAT_CONFIG" )
}

kafka_ready() { kcat -F "$KAFKA_KCAT_CONFIG" -b "$HOST:$KAFKA_TLS_PORT" -L -m 2 >/dev/null 2>&1; }

# A data dir formatted by an older stack.sh is a plaintext cluster with no
# SCRAM users: nothing could log in to it. A user whose password file changed
# since formatting could not either. Both need a fresh format.
kafka_check_users() {
  [ -f "$KAFKA_DATA/log/meta.properties" ] || return 0
  if [ ! -f "$KAFKA_USERS_FILE" ]; then
    fail "Kafka's data in $KAFKA_DATA was made by an older stack.sh (plaintext, no SCRAM users); the broker is now TLS + SCRAM + ACLs only. Run \`npm run stack:reset\` (it removes the stack's topics, graph and schemas) and then \`npm run stack:up\`."
  fi
  if [ "$(cat "$KAFKA_USERS_FILE")" != "$(kafka_users_wanted)" ]; then
    fail "Kafka's SCRAM users in $KAFKA_DATA do not match $SECRETS_DIR (a principal was added or a password file changed since the storage was formatted). Run \`npm run stack:reset\` and then \`npm run stack:up\`."
  fi
}

kafka_java_log_opts() { printf '%s\n' "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.xml" "-Dkafka.logs.dir=$LOG_DIR/kafka"; }

kafka_up() {
  tls_up
  kafka_kcat_config
  if pid="$(pid_of kafka)"; then
    kafka_check_users
    say "  kafka: already running (pid $pid) on $HOST:$KAFKA_PORT"
    return 0
  fi
  port_in_use "$KAFKA_PORT" && fail "port $KAFKA_PORT is taken by another process: stop it, or choose another with DAUNTLESS_KAFKA_PORT."
  port_in_use "$KAFKA_TLS_PORT" && fail "port $KAFKA_TLS_PORT (Kafka, mutual TLS) is taken by another process: choose another with DAUNTLESS_KAFKA_TLS_PORT."
  port_in_use "$KAFKA_CONTROLLER_PORT" && fail "port $KAFKA_CONTROLLER_PORT (Kafka controller) is taken by another process: choose another with DAUNTLESS_KAFKA_CONTROLLER_PORT."
  need_java
  kafka_install
  kafka_check_users
  mkdir -p "$KAFKA_DATA" "$LOG_DIR/kafka"
  chmod 700 "$KAFKA_DATA"
  local props="$KAFKA_DATA/server.properties" keystore="$KAFKA_DATA/keystore.pem"
  # Kafka's PEM keystore is the key (PKCS#8) and its certificate chain in one file.
  ( umask 077; cat "$TLS_DIR/server.key" "$TLS_DIR/server.pem" > "$keystore" )
  ( umask 077
    sed -e "s|\${KAFKA_PORT}|$KAFKA_PORT|g" -e "s|\${KAFKA_CONTROLLER_PORT}|$KAFKA_CONTROLLER_PORT|g" \
        -e "s|\${KAFKA_TLS_PORT}|$KAFKA_TLS_PORT|g" -e "s|\${KAFKA_DATA_DIR}|$KAFKA_DATA/log|g" -e "s|\${KAFKA_KEYSTORE}|$keystore|g" \
        -e "s|\${KAFKA_TRUSTSTORE}|$TLS_DIR/ca.pem|g" -e "s|\${KAFKA_ADMIN_USER}|$KAFKA_ADMIN|g" \
        -e "s|\${KAFKA_ADMIN_PASSWORD}|$(stack_secret "$KAFKA_ADMIN")|g" \
        "$HERE/kafka/server.properties.template" > "$props" )
  mapfile -t log_opts < <(kafka_java_log_opts)
  # Format the KRaft storage once; later starts keep the topics and offsets.
  if [ ! -f "$KAFKA_DATA/log/meta.properties" ]; then
    local cluster_id
    # 16 random bytes, URL-safe base64 without padding (as `kafka-storage random-uuid`);
    # a leading '-' would read as an option to the storage tool.
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    case "$cluster_id" in -*) cluster_id="A${cluster_id#?}";; esac
    # Every principal's SCRAM user is written into the metadata at format time
    # (kafkajs cannot alter SCRAM credentials, and Kafka's own tool is not among these jars).
    local scram=() name
    for name in "${KAFKA_PRINCIPALS[@]}"; do
      scram+=(--add-scram "$KAFKA_SASL_MECHANISM=[name=$name,password=$(stack_secret "$name")]")
    done
    java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$KAFKA_LIB/*" "${log_opts[@]}" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$props" "${scram[@]}" >"$LOG_DIR/kafka-format.log" 2>&1 \
      || { cat "$LOG_DIR/kafka-format.log" >&2; fail "formatting Kafka storage failed (log: $LOG_DIR/kafka-format.log)."; }
    kafka_users_wanted > "$KAFKA_USERS_FILE"
  fi
  # The broker log is $LOG_DIR/kafka/server.log; stdout/stderr (JVM errors) go to kafka.log.
  start_detached kafka "$LOG_DIR/kafka.log" java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true "${log_opts[@]}" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$props"
  # A restart after a kill waits out the old broker session (about 10 s).
  wait_until kafka 90 kafka_ready
  say "  kafka: started Apache Kafka $KAFKA_VERSION (pid $(pid_of kafka)) on $HOST:$KAFKA_PORT, KRaft, SASL_SSL ($KAFKA_SASL_MECHANISM) with ACLs, data in $KAFKA_DATA"
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
      say "  keycloak: fetching Keycloak $KEYCLOAK_VERSION from Maven Central into $KEYCLOAK_DIST"
      rm -rf "$KEYCLOAK_DIST"
      maven_fetch Keycloak "$LOG_DIR/keycloak-install.log" -f "$HERE/keycloak/pom.xml" -Dkeycloak.version="$KEYCLOAK_VERSION" -Dkeycloak.cache="$KEYCLOAK_CACHE" \
        dependency:unpack
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
  say "  registry: fetching Apicurio Registry $REGISTRY_VERSION from Maven Central into $home"
  rm -rf "$home"
  maven_fetch "Apicurio Registry" "$LOG_DIR/registry-install.log" -f "$HERE/registry/pom.xml" -Dapicurio.version="$REGISTRY_VERSION" -Dregistry.cache="$CACHE_DIR/registry" \
    dependency:unpack
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

# Mode 600: it holds the outside principals' passwords. Each service's own
# password is read from $SECRETS_DIR, never from here.
write_endpoints() {
  ( umask 077; cat > "$ENDPOINTS_FILE" <<ENV
# Written by \`npm run stack:up\`; read by the services, scripts and tests
# (variables of the same names in the environment win).
KAFKA_BROKERS=$HOST:$KAFKA_PORT
KAFKA_TLS_BROKERS=$HOST:$KAFKA_TLS_PORT
KAFKA_SASL_MECHANISM=$KAFKA_SASL_MECHANISM
DAUNTLESS_CA_FILE=$TLS_DIR/ca.pem
REDIS_URL=rediss://$HOST:$REDIS_PORT
SCHEMA_REGISTRY_URL=$(registry_url)
KEYCLOAK_URL=$(keycloak_url)
OIDC_ISSUER=$(oidc_issuer)
DAUNTLESS_WEB_CLIENT_ID=dauntless-web
# Where \`npm start\` (or \`npm run web\`) serves the web app and its API (/api, described at /api/docs).
DAUNTLESS_WEB_URL=http://$HOST:${DAUNTLESS_WEB_PORT:-8080}
DAUNTLESS_TEST_CLIENT_ID=dauntless-test
DAUNTLESS_TEST_CLIENT_SECRET=$(stack_secret dauntless-test)
DAUNTLESS_CAD_WRITER_USER=cad-writer
DAUNTLESS_CAD_WRITER_PASSWORD=$(stack_secret cad-writer)
DAUNTLESS_DISPATCH_READER_USER=dispatch-reader
DAUNTLESS_DISPATCH_READER_PASSWORD=$(stack_secret dispatch-reader)
ENV
  )
}

# The endpoints file without its passwords: a terminal is read over shoulders and pasted into tickets.
show_endpoints() { sed -n -E -e 's/^([A-Z_]*(PASSWORD|SECRET)=).*/  \1(in the endpoints file)/p' -e '/(PASSWORD|SECRET)=/!s/^([A-Z_]*=)/  \1/p' "$ENDPOINTS_FILE"; }

cmd_up() {
  local started_ms; started_ms="$(now_ms)"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  say "Dauntless local stack ($STACK_DIR)"
  need_debian_packages
  # Before any server: each that speaks TLS uses the same CA and server certificate.
  tls_up
  # Every principal's secret before any server starts: Keycloak's realm (in the background) and Kafka's SCRAM
  # users read the same files, and two makers of one file at once would give them different passwords.
  for name in "${KAFKA_PRINCIPALS[@]}" dauntless-test keycloak-admin; do stack_secret "$name" >/dev/null; done
  # Keycloak is the slowest to start: it starts first and the others meanwhile;
  # the registry needs it answering, to authenticate.
  keycloak_start
  redis_up
  kafka_up
  keycloak_wait
  registry_up
  write_endpoints
  say "  provisioning topics, ACLs and schemas (as dauntless-admin)"
  ( cd "$REPO" && set -a && . "$ENDPOINTS_FILE" && set +a && node --import tsx deploy/provision.ts ) \
    || fail "provisioning topics, ACLs and schemas failed (see above)."
  say ""
  say "Endpoints (also in $ENDPOINTS_FILE; passwords in $SECRETS_DIR):"
  show_endpoints
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
  [ -f "$ENDPOINTS_FILE" ] && { say "Endpoints ($ENDPOINTS_FILE):"; show_endpoints; }
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
