# grpc:// against real gRPC servers: Debian's python3-grpcio serving grpc.health.v1.Health (SERVING,
# NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN, a missing service, no health service at all) on TCP v4 and v6 and
# on unix sockets; and tests/helpers/grpcd.py's hand-written HTTP/2 servers that misbehave (GOAWAY, silence,
# CONTINUATION, a tiny window, Huffman and the dynamic table, RST_STREAM, HTTP/1.1). Every line exact.
. "$(dirname "$0")/lib.sh"

GRPCD=$(cd "$(dirname "$0")/../helpers" && pwd)/grpcd.py
# Debian's python3 and its python3-grpcio (make deps), not another python3 first on PATH.
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

if ! "$PY" -c 'import grpc' 2>/dev/null; then
	skip "grpc:// against python3-grpcio" "python3-grpcio is not installed (make deps)"
	finish
fi

start_port "$PY" "$GRPCD" health tcp4; g4=$PORT
start_port "$PY" "$GRPCD" health tcp6; g6=$PORT
u=grpc://127.0.0.1:$g4

check "SERVING passes" 0 --out "healthy: $u: ok: SERVING from 127.0.0.1:$g4" -- "$HEALTHY" -v "$u"
check "service=: SERVING" 0 --out "healthy: $u,service=hly-up: ok: SERVING from 127.0.0.1:$g4" \
	-- "$HEALTHY" -v "$u,service=hly-up"
check "service=: NOT_SERVING fails" 1 --err "healthy: $u,service=hly-down: NOT_SERVING from 127.0.0.1:$g4" \
	-- "$HEALTHY" "$u,service=hly-down"
check "service=: UNKNOWN (an empty answer: proto3 leaves 0 out) fails" 1 \
	--err "healthy: $u,service=hly-unknown-status: UNKNOWN from 127.0.0.1:$g4" -- "$HEALTHY" "$u,service=hly-unknown-status"
check "service=: SERVICE_UNKNOWN fails" 1 \
	--err "healthy: $u,service=hly-service-unknown: SERVICE_UNKNOWN from 127.0.0.1:$g4" \
	-- "$HEALTHY" "$u,service=hly-service-unknown"
check "service=: a service the server does not know: NOT_FOUND and its message" 1 \
	--err "healthy: $u,service=hly-nope: grpc-status 5 NOT_FOUND from 127.0.0.1:$g4: \"unknown service\"" \
	-- "$HEALTHY" "$u,service=hly-nope"
long=$(printf 'x%.0s' {1..200})
check "service=: a 200-byte name (a two-byte length)" 1 --err-has "grpc-status 5 NOT_FOUND from 127.0.0.1:$g4" \
	-- "$HEALTHY" "$u,service=$long"
check "header= and host=: sent, and the call still answered" 0 \
	-- "$HEALTHY" "$u,header=Authorization: Bearer t0k,header=X-Hly: a,b,host=api.example:443"
if command -v strace >/dev/null; then
	check "header= and host=, under strace" 0 -- env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -s 400 -o "$TMP/trace.grpc" -e trace=sendto "$HEALTHY" "$u,header=X-Hly-Probe: v1,host=api.example:443"
	check "... go out as :authority and a header in lower case, and no Host" 0 -- bash -c '
		grep -qF "api.example:443" "$0" && grep -qF "x-hly-probe\\2v1" "$0" && ! grep -qiF "127.0.0.1:$1" "$0"' \
		"$TMP/trace.grpc" "$g4"
else
	skip "header= and host= as sent" "strace is not installed"
fi
check "IPv6" 0 --out "healthy: grpc://[::1]:$g6: ok: SERVING from [::1]:$g6" -- "$HEALTHY" -v "grpc://[::1]:$g6"
check "localhost: ::1 answers, 127.0.0.1 refuses, one is enough" 0 \
	--out "healthy: grpc://localhost:$g6: ok: SERVING from [::1]:$g6" -- "$HEALTHY" -v "grpc://localhost:$g6"

# unix=: the same call over a unix socket; HOST is only :authority's.
sock=$TMP/hly-grpc.sock
start "$PY" "$GRPCD" health "unix:$sock"
check "unix=PATH" 0 --out "healthy: grpc://localhost,unix=$sock: ok: SERVING from $sock" \
	-- "$HEALTHY" -v "grpc://localhost,unix=$sock"
check "unix=PATH, service=" 1 --err "healthy: grpc://localhost,unix=$sock,service=hly-down: NOT_SERVING from $sock" \
	-- "$HEALTHY" "grpc://localhost,unix=$sock,service=hly-down"
start "$PY" "$GRPCD" health "unix-abstract:hly-grpc-$$"
check "unix=@NAME: an abstract socket" 0 --out "healthy: grpc://localhost,unix=@hly-grpc-$$: ok: SERVING from @hly-grpc-$$" \
	-- "$HEALTHY" -v "grpc://localhost,unix=@hly-grpc-$$"
check "unix=: no such socket" 1 --err "healthy: grpc://localhost,unix=$TMP/none.sock: no such socket ($TMP/none.sock)" \
	-- "$HEALTHY" "grpc://localhost,unix=$TMP/none.sock"

start_port "$PY" "$GRPCD" nohealth tcp4; p=$PORT
check "a server without the health service: UNIMPLEMENTED, said in words" 1 \
	--err "healthy: grpc://127.0.0.1:$p: grpc-status 12 UNIMPLEMENTED from 127.0.0.1:$p: the server has no health service, \"Method not found!\"" \
	-- "$HEALTHY" "grpc://127.0.0.1:$p"
start_port "$PY" "$GRPCD" slow tcp4; p=$PORT
check "a server that answers too late: the deadline" 1 \
	--err "healthy: grpc://127.0.0.1:$p: timed out after 300ms waiting for the health answer from 127.0.0.1:$p" \
	-- "$HEALTHY" -t 300ms "grpc://127.0.0.1:$p"

# The raw servers: HTTP/2 as grpcd.py writes it by hand.
raw() {
	start_port "$PY" "$GRPCD" "$1" tcp4
	p=$PORT
}
raw goaway
check "GOAWAY: its code and its debug data" 1 \
	--err "healthy: grpc://127.0.0.1:$p: GOAWAY from 127.0.0.1:$p: ENHANCE_YOUR_CALM, \"too many pings\"" \
	-- "$HEALTHY" "grpc://127.0.0.1:$p"
raw silent
check "a server that never answers: the deadline" 1 \
	--err "healthy: grpc://127.0.0.1:$p: timed out after 300ms waiting for the health answer from 127.0.0.1:$p" \
	-- "$HEALTHY" -t 300ms "grpc://127.0.0.1:$p"
raw continuation
check "trailers in HEADERS and a CONTINUATION, split inside a name" 0 \
	--out "healthy: grpc://127.0.0.1:$p: ok: SERVING from 127.0.0.1:$p" -- "$HEALTHY" -v "grpc://127.0.0.1:$p"
raw tinywindow
check "a server that sets a 1-byte initial window" 0 -- "$HEALTHY" "grpc://127.0.0.1:$p"
check "... and with a service name longer than that window" 0 -- "$HEALTHY" "grpc://127.0.0.1:$p,service=hly-any"
raw huffman-dyn
check "Huffman strings and the dynamic table" 0 -- "$HEALTHY" "grpc://127.0.0.1:$p"
raw notserving-trailers-only
check "grpc-status 0 without an answer message fails" 1 \
	--err "healthy: grpc://127.0.0.1:$p: grpc-status 0 OK from 127.0.0.1:$p: no health answer" \
	-- "$HEALTHY" "grpc://127.0.0.1:$p"
raw http1
check "an HTTP/1.1 server: not HTTP/2, and what it said" 1 \
	--err "healthy: grpc://127.0.0.1:$p: not HTTP/2 from 127.0.0.1:$p: \"HTTP/1.1 400 Bad Request\"" \
	-- "$HEALTHY" "grpc://127.0.0.1:$p"
raw rst
check "RST_STREAM: its code" 1 --err "healthy: grpc://127.0.0.1:$p: stream reset from 127.0.0.1:$p: REFUSED_STREAM" \
	-- "$HEALTHY" "grpc://127.0.0.1:$p"
http=$p

start_port "$HELPERS/sockets" tcp-established 127.0.0.1; closed=$PORT
check "a refused connection" 1 --err "healthy: grpc://127.0.0.1:$closed: connection refused (127.0.0.1:$closed)" \
	-- "$HEALTHY" "grpc://127.0.0.1:$closed"

# One poll loop: a silent server does not hold up the others, and every probe has its line.
raw silent
check "gRPC probes at once, with a silent one, under one deadline" 1 \
	--err "healthy: grpc://127.0.0.1:$p: timed out after 500ms waiting for the health answer from 127.0.0.1:$p" \
	--out "healthy: $u: ok: SERVING from 127.0.0.1:$g4
healthy: grpc://localhost,unix=$sock: ok: SERVING from $sock" \
	-- "$HEALTHY" -v -t 500ms "$u" "grpc://127.0.0.1:$p" "grpc://localhost,unix=$sock"

if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	check "as nobody, under the seccomp filter" 0 \
		-- setpriv --reuid=65534 --regid=65534 --clear-groups "$HEALTHY" "$u" "grpc://localhost,unix=@hly-grpc-$$"
else
	skip "grpc:// as nobody" "needs root and setpriv"
fi

# What a user can get wrong: each a usage error (2) with its line.
usage() {
	check "usage: $1" 2 --err "healthy: $1: $2" -- "$HEALTHY" "$1"
}
usage "grpc:x" "write grpc://HOST:PORT"
usage "grpc://localhost" "needs HOST:PORT"
usage "grpc://localhost:99999" "port out of range"
usage "grpc://localhost:50051/grpc.health.v1.Health" "grpc:// takes no path: the service is service=NAME"
usage "grpc://localhost:50051,status=200" "unknown option 'status' (grpc:// takes header=, host=, service=, unix=)"
usage "grpc://localhost:50051,body=x" "unknown option 'body' (grpc:// takes header=, host=, service=, unix=)"
usage "grpc://localhost:50051,header=Host: a" "gRPC has no Host header: its :authority is host=NAME"
usage "grpc://localhost:50051,service=" "empty service="
usage "grpc://localhost:50051,service=a,service=b" "service= given twice"
long=$(printf 'x%.0s' {1..256})
check "usage: service= longer than 255 bytes" 2 --err-has ": service= longer than 255 bytes" \
	-- "$HEALTHY" "grpc://localhost:50051,service=$long"
usage "http://localhost/,service=x" "unknown option 'service' (http:// takes header=, method=, host=, status=, body=, unix=)"

finish
