#!/usr/bin/env bash
# Starts (or stops) a local Redis Cluster for the tests: 3 primaries + 3 replicas of Debian's redis-server on loopback,
# no persistence, a short node timeout so a failover completes in seconds.
#   cluster.sh start [first-port]   ports first-port … first-port+5 (default 7000); prints the configuration string
#   cluster.sh stop  [first-port]
# Then: AUTHKIT_TEST_REDIS_CLUSTER=127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002 dotnet test --project tests/AuthKit.Sessions.Redis.Tests
set -euo pipefail
action=${1:-start}
first=${2:-7000}
ports=$(seq "$first" $((first + 5)))
dir=${AUTHKIT_CLUSTER_DIR:-${TMPDIR:-/tmp}/authkit-redis-cluster-$first}

stop() {
  for port in $ports; do
    if [ -f "$dir/$port/redis.pid" ]; then
      kill "$(cat "$dir/$port/redis.pid")" 2>/dev/null || true
    fi
  done
  for port in $ports; do
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 || break; sleep 0.1; done
  done
  rm -rf "$dir"
}

case "$action" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop [first-port]" >&2; exit 2 ;;
esac

stop
for port in $ports; do
  mkdir -p "$dir/$port"
  (cd "$dir/$port" && redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --daemonize yes --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log" --dir "$dir/$port")
done
for port in $ports; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
nodes=()
for port in $ports; do nodes+=("127.0.0.1:$port"); done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
  || { cat "$dir/create.log" >&2; exit 1; }

# Ready when every node agrees the cluster is ok and every replica has synchronised.
for _ in $(seq 1 300); do
  ok=1
  for port in $ports; do
    redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
    if redis-cli -p "$port" role 2>/dev/null | head -1 | grep -q slave; then
      redis-cli -p "$port" info replication 2>/dev/null | grep -q 'master_link_status:up' || ok=0
    fi
  done
  [ $ok -eq 1 ] && break
  sleep 0.1
done
[ $ok -eq 1 ] || { echo "the cluster did not become ready" >&2; exit 1; }
echo "127.0.0.1:$first,127.0.0.1:$((first + 1)),127.0.0.1:$((first + 2))"
