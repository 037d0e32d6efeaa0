#!/usr/bin/env bash
# A federation over NATS on this host: keys for two servers and a user node, a 3-node NATS cluster
# (n1.conf, n2.conf, n3.conf), server alpha on n1 and server beta on n3, each serving user nodes
# by UDP. Ctrl-C (or SECONDS) stops everything. Run it with the project's Node (npm ci brings it):
#   PATH="$PWD/node_modules/.bin:$PATH" bash examples/nats/start.sh [SECONDS]
# Then chat through either server, or from a node on NATS alone:
#   node bin/chat-proto.js user --alias ann --port 0 --server 127.0.0.1:8001
#   node bin/chat-proto.js user --alias bob --port 0 --server 127.0.0.1:8002
#   node bin/chat-proto.js user --alias carol --port 7001 --server 127.0.0.1:8001 \
#     --nats nats://127.0.0.1:14222 --nats-nkey examples/nats/keys/carol.nk
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli=(node "$here/../../bin/chat-proto.js")
command -v nats-server >/dev/null || { echo "nats-server is not installed (apt-get install nats-server)" >&2; exit 1; }

# One key per node; a node may publish only as the endpoint named here. Kept if already there.
"${cli[@]}" nats-auth --dir "$here/keys" alpha=127.0.0.1:8001 beta=127.0.0.1:8002 --user carol=127.0.0.1:7001

nats=()
servers=()
# Servers first, so none of them sees its NATS node go.
stop() {
  kill "${servers[@]}" 2>/dev/null || true
  wait "${servers[@]}" 2>/dev/null || true
  kill "${nats[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM
for n in 1 2 3; do
  nats-server -c "$here/n$n.conf" -l "$here/keys/n$n.log" &
  nats+=($!)
done
# The cluster is up when every node answers; routes follow within tens of milliseconds.
for port in 14221 14222 14223; do
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done

"${cli[@]}" server --alias alpha --port 8001 --nats nats://127.0.0.1:14221 --nats nats://127.0.0.1:14222 \
  --nats-nkey "$here/keys/alpha.nk" &
servers+=($!)
"${cli[@]}" server --alias beta --port 8002 --nats nats://127.0.0.1:14223 --nats nats://127.0.0.1:14222 \
  --nats-nkey "$here/keys/beta.nk" &
servers+=($!)
if [ $# -gt 0 ]; then sleep "$1"; else wait; fi
