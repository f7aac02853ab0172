#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft) for development and tests, from the real broker
# jars on Maven Central (version pinned in pom.xml next to this script).
#
#   kafka.sh [start]   fetch jars if needed, format storage once, start, wait until it answers
#   kafka.sh stop      stop the broker this script started
#   kafka.sh status    running or not (exit 0/1)
#   kafka.sh logs      follow the broker log
#
# Environment: KAFKA_BROKERS (set: use that cluster, start nothing), KAFKA_NODE_ID (1),
# KAFKA_QUORUM_VOTERS (this node alone; "1@127.0.0.1:p1,2@…" for one node of a cluster),
# KAFKA_CLUSTER_ID (random; every node of a cluster formats with the same one),
# KAFKA_REPLICATION_FACTOR (1; 3 also sets min.insync.replicas=2), KAFKA_VERSION (the pom's
# pin; a 3.x value runs the oldest supported line instead), KAFKA_PORT (9092),
# KAFKA_CONTROLLER_PORT (9093), HOOKSTREAM_LOCAL_DIR (<repo>/.local), KAFKA_HEAP_OPTS,
# KAFKA_START_TIMEOUT (seconds, 90), KAFKA_SASL_SSL_DIR (set: the client listener is SASL_SSL with
# SCRAM-SHA-512 and ACLs enforced; the directory holds broker.pem, the broker's key and certificate,
# and ca.crt; KAFKA_SCRAM_USERS, "name=password,…" with an `admin` super user, are created when
# storage is formatted), KAFKA_LIB_DIR (the jars; <state>/lib-<version>: a private
# broker elsewhere, such as the chaos suite's, shares the checkout's jars instead of fetching).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
state="${HOOKSTREAM_LOCAL_DIR:-$repo/.local}/kafka"
port="${KAFKA_PORT:-9092}"
ctrl_port="${KAFKA_CONTROLLER_PORT:-9093}"
version="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")}"
[[ "$version" =~ ^[34]\.[0-9]+\.[0-9]+$ ]] || { echo "[kafka] KAFKA_VERSION=$version is not a 3.x or 4.x release" >&2; exit 1; }
line="${version%%.*}"
lib="${KAFKA_LIB_DIR:-$state/lib-$version}"
pidfile="$state/broker.pid"
log="$state/broker.log"
timeout_s="${KAFKA_START_TIMEOUT:-90}"

say() { echo "[kafka] $*"; }
die() { echo "[kafka] $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

fetch_jars() {
  if [[ -f "$lib/.complete" ]]; then return; fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch the Kafka jars"
  command -v java >/dev/null || die "Java 17+ is required to run the broker"
  say "fetching Apache Kafka $version from Maven Central"
  rm -rf "$lib"
  local profile=()
  [[ "$line" == 3 ]] && profile=(-Dkafka.line=3)
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -Dkafka.version="$version" "${profile[@]}" \
    -DoutputDirectory="$lib" \
    || die "mvn could not fetch the Kafka jars"
  touch "$lib/.complete"
}

secure="${KAFKA_SASL_SSL_DIR:-}"
node_id="${KAFKA_NODE_ID:-1}"
voters="${KAFKA_QUORUM_VOTERS:-$node_id@127.0.0.1:$ctrl_port}"
replication="${KAFKA_REPLICATION_FACTOR:-1}"
[[ "$node_id" =~ ^[0-9]+$ && "$replication" =~ ^[1-9]$ ]] || die "KAFKA_NODE_ID and KAFKA_REPLICATION_FACTOR take whole numbers"
# One replica may be lost without refusing writes (acks=all needs this many in sync).
min_isr=$(( replication >= 3 ? 2 : 1 ))

scram_password() { tr ',' '\n' <<<"${KAFKA_SCRAM_USERS:-}" | sed -n "s/^$1=//p" | head -n1; }

listener_config() {
  if [[ -z "$secure" ]]; then
    cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctrl_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
PROPS
    return
  fi
  [[ -f "$secure/broker.pem" && -f "$secure/ca.crt" ]] || die "KAFKA_SASL_SSL_DIR=$secure needs broker.pem and ca.crt"
  local admin_password
  admin_password="$(scram_password admin)"
  [[ "$admin_password" =~ ^[A-Za-z0-9_-]+$ ]] || die "KAFKA_SCRAM_USERS needs admin=<password> (letters, digits, _ and -)"
  local authorizer=org.apache.kafka.metadata.authorizer.StandardAuthorizer
  # Clients reach only the SASL_SSL listener, and nothing is allowed without an ACL. The
  # controller listener stays on loopback in plain text for this single node's own quorum; its
  # anonymous principal is the node itself talking to itself, hence a super user.
  cat <<PROPS
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctrl_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_password";
ssl.keystore.type=PEM
ssl.keystore.location=$secure/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$secure/ca.crt
ssl.client.auth=none
authorizer.class.name=$authorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
PROPS
}

write_config() {
  mkdir -p "$state/data"
  local listeners
  listeners="$(listener_config)"
  cat >"$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=$node_id
controller.quorum.voters=$voters
controller.listener.names=CONTROLLER
$listeners
log.dirs=$state/data
num.partitions=1
default.replication.factor=$replication
min.insync.replicas=$min_isr
unclean.leader.election.enable=false
offsets.topic.replication.factor=$replication
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=24
log.segment.bytes=67108864
PROPS
  # Kafka 4 logs through Log4j 2, Kafka 3 through reload4j: one config per line, same levels.
  if [[ "$line" == 4 ]]; then
    cat >"$state/log4j2.properties" <<'PROPS'
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.state.name=state.change.logger
logger.state.level=WARN
logger.controller.name=kafka.controller
logger.controller.level=WARN
logger.kcontroller.name=org.apache.kafka.controller
logger.kcontroller.level=WARN
logger.cleaner.name=kafka.log.LogCleaner
logger.cleaner.level=WARN
logger.storage.name=org.apache.kafka.storage
logger.storage.level=WARN
logger.coordinator.name=kafka.coordinator
logger.coordinator.level=WARN
logger.kcoordinator.name=org.apache.kafka.coordinator
logger.kcoordinator.level=WARN
PROPS
    return
  fi
  cat >"$state/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.controller=WARN
log4j.logger.org.apache.kafka.controller=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage=WARN
log4j.logger.kafka.coordinator=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
PROPS
}

format_storage() {
  [[ -f "$state/data/meta.properties" ]] && return
  if [[ -n "${KAFKA_CLUSTER_ID:-}" ]]; then
    # Kafka's ids are 16 bytes in base64url (22 characters); one that starts with "-" reads as an
    # option to the storage tool, so Kafka never makes one and we refuse it here, by name.
    [[ "$KAFKA_CLUSTER_ID" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]] \
      || die "KAFKA_CLUSTER_ID: \"$KAFKA_CLUSTER_ID\" is not a Kafka cluster id (22 base64url characters, not starting with -; make one with: kafka-storage.sh random-uuid)"
    echo "$KAFKA_CLUSTER_ID" >"$state/cluster.id"
  elif [[ ! -f "$state/cluster.id" ]]; then
    java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 >"$state/cluster.id"
    [[ -s "$state/cluster.id" ]] || { rm -f "$state/cluster.id"; die "kafka-storage random-uuid printed no cluster id"; }
  fi
  local scram=() entry
  if [[ -n "$secure" ]]; then
    for entry in ${KAFKA_SCRAM_USERS//,/ }; do
      [[ "$entry" =~ ^([A-Za-z0-9_.-]+)=([A-Za-z0-9_-]+)$ ]] || die "KAFKA_SCRAM_USERS: \"${entry%%=*}=…\" is not name=password (letters, digits, _ and -)"
      scram+=(--add-scram "SCRAM-SHA-512=[name=${BASH_REMATCH[1]},password=${BASH_REMATCH[2]}]")
    done
  fi
  java -cp "$lib/*" kafka.tools.StorageTool format -t "$(cat "$state/cluster.id")" -c "$state/server.properties" "${scram[@]}" >"$state/format.log" 2>&1 \
    || { cat "$state/format.log" >&2; die "could not format $state/data"; }
}

start() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    local first="${KAFKA_BROKERS%%,*}"
    port_open "${first%%:*}" "${first##*:}" || die "KAFKA_BROKERS=$KAFKA_BROKERS does not accept connections"
    say "using KAFKA_BROKERS=$KAFKA_BROKERS; no local broker started"
    return
  fi
  mkdir -p "$state"
  local pid
  if pid="$(running_pid)"; then
    if port_open 127.0.0.1 "$port"; then say "already running (pid $pid) on 127.0.0.1:$port"; return; fi
    say "pid $pid is not answering; restarting it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  fetch_jars
  if port_open 127.0.0.1 "$port"; then
    # Another checkout's broker (or one you started) is fine to share: topics are created per
    # prefix and tests use their own. Anything that is not a Kafka broker is not.
    local api_versions=org.apache.kafka.tools.BrokerApiVersionsCommand
    [[ "$line" == 3 ]] && api_versions=kafka.admin.BrokerApiVersionsCommand
    if timeout 30 java -cp "$lib/*" "$api_versions" --bootstrap-server "127.0.0.1:$port" >/dev/null 2>&1; then
      say "a Kafka broker not started from this checkout answers on 127.0.0.1:$port; using it"
      return
    fi
    die "something that is not a Kafka broker listens on 127.0.0.1:$port; stop it, or set KAFKA_PORT / KAFKA_BROKERS"
  fi
  write_config
  format_storage
  local started=$SECONDS
  say "starting Apache Kafka $version on 127.0.0.1:$port (log: $log)"
  local logging="-Dlog4j2.configurationFile=$state/log4j2.properties"
  [[ "$line" == 3 ]] && logging="-Dlog4j.configuration=file:$state/log4j.properties"
  # shellcheck disable=SC2086
  setsid nohup java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true "$logging" \
    -cp "$lib/*" kafka.Kafka "$state/server.properties" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  pid="$(cat "$pidfile")"
  # The port opens before the broker serves requests; "Kafka Server started" marks readiness.
  local mark
  mark="$(wc -l <"$log")"
  while (( SECONDS - started < timeout_s )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2
      rm -f "$pidfile"
      die "the broker exited during start-up (log above)"
    fi
    if tail -n +"$((mark + 1))" "$log" | grep -q "Kafka Server started" && port_open 127.0.0.1 "$port"; then
      say "ready in $((SECONDS - started)) s (pid $pid)"
      return
    fi
    sleep 0.5
  done
  tail -n 40 "$log" >&2
  die "the broker did not become ready within ${timeout_s} s"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then rm -f "$pidfile"; say "not running"; return; fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; say "stopped"; return; }
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  say "killed after 30 s"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then say "running (pid $pid) on 127.0.0.1:$port"; else say "not running"; exit 1; fi ;;
  logs) exec tail -n 100 -f "$log" ;;
  *) die "usage: kafka.sh [start|stop|status|logs]" ;;
esac
