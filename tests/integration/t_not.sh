# not:CHECK (issue 18): it passes when CHECK fails and fails when it passes; a CHECK that could not be
# checked (3) stays 3, never 0; a probe that timed out failed (1), so not: of it passes. Over every kind,
# against real processes, sockets, files and servers; with --wait (until a port is free, a process gone) and
# --watch (it ends when what not: forbids appears, and holds no pidfd on what a not: check finds). Every
# line exact.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets
# Process names of this run's own (comm holds 15 bytes): "hlyn12345-proc".
N=hlyn$(($$ % 100000))
as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)

# runs PID K: until the watch PID has made K runs or more (each ends in a poll that sleeps, a voluntary context
# switch: 2K more are K runs or more; t_watch.sh counts them so). A FAIL after 10 s, or when PID is gone.
switches() { sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
runs() {
	local v i
	v=$(switches "$1")
	for i in $(seq 1000); do
		[ -n "$v" ] && [ "$(switches "$1")" -ge $((v + 2 * $2)) ] 2>/dev/null && return 0
		[ -e "/proc/$1" ] || break
		sleep 0.01
	done
	fail "the watch (pid $1) makes $2 runs" "it made none in 10s, or is gone"
	return 1
}
# pidfds PID: how many pidfds PID holds.
pidfds() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c "anon_inode:\[pidfd\]"; }
# wait_line FILE PATTERN: up to 10 s for a line of FILE to match the extended regex PATTERN; a FAIL after that.
wait_line() {
	local i
	for i in $(seq 1000); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	fail "a line matching '$2' in ${1##*/}" "none after 10s"
	return 1
}
# child_of PID: up to 10 s for PID's first child; CHILD is its PID. A FAIL after that.
child_of() {
	local i
	for i in $(seq 1000); do
		CHILD=$(pgrep -P "$1" | head -n 1)
		[ -n "$CHILD" ] && return 0
		sleep 0.01
	done
	fail "healthy (pid $1) starts COMMAND" "no child after 10s"
	return 1
}

# ---------------------------------------------------------------------------------------------------------
# 1. Over every kind: what passes makes not: fail, with the inner evidence less its "ok: "; what fails makes
# it pass, silent, and -v says "ok: " and the inner reason.

# proc:
start "$NAMED" sleep "$N-proc"; live=$PID
check "not:proc: of a running process fails, with what proc: found" 1 --out "" \
	--err "healthy: not:proc:$N-proc: 1 running (pid $live S)" -- "$HEALTHY" "not:proc:$N-proc"
check "not:proc: of a name nothing runs as passes, silently" 0 --out "" --err "" -- "$HEALTHY" "not:proc:$N-none"
check "... -v: ok: and proc:'s reason" 0 --err "" --out "healthy: not:proc:$N-none: ok: not running" \
	-- "$HEALTHY" -v "not:proc:$N-none"
check "not:proc:NAME,min=2 with one running passes" 0 \
	--out "healthy: not:proc:$N-proc,min=2: ok: 1 running, want at least 2 (pid $live S)" -- "$HEALTHY" -v "not:proc:$N-proc,min=2"
start "$NAMED" zombie "$N-zomb"
check "not:proc: of a zombie passes (a zombie is not running)" 0 --out "healthy: not:proc:$N-zomb: ok: not running (1 zombie)" \
	-- "$HEALTHY" -v "not:proc:$N-zomb"

# pid:
check "not:pid: of a live process fails" 1 --out "" --err "healthy: not:pid:$live: running (pid $live S, $N-proc)" \
	-- "$HEALTHY" "not:pid:$live"
sleep 0 & dead=$!; wait "$dead"
check "not:pid: of a process that exited passes" 0 --out "" --err "" -- "$HEALTHY" "not:pid:$dead"
check "... -v" 0 --out "healthy: not:pid:$dead: ok: not running" -- "$HEALTHY" -v "not:pid:$dead"
check "not:pid:N,name= of a live process with another name passes" 0 \
	--out "healthy: not:pid:$live,name=$N-other: ok: is $N-proc, not $N-other" -- "$HEALTHY" -v "not:pid:$live,name=$N-other"

# pidfile:
mkdir -p "$TMP/pf"
echo "$live" > "$TMP/pf/live"; echo "$dead" > "$TMP/pf/dead"
check "not:pidfile: of a live process fails" 1 --err "healthy: not:pidfile:$TMP/pf/live: running (pid $live S, $N-proc)" \
	-- "$HEALTHY" "not:pidfile:$TMP/pf/live"
check "not:pidfile: of a process that exited passes" 0 --out "healthy: not:pidfile:$TMP/pf/dead: ok: pid $dead not running" \
	-- "$HEALTHY" -v "not:pidfile:$TMP/pf/dead"
check "not:pidfile: of no pid file passes" 0 --out "healthy: not:pidfile:$TMP/pf/none: ok: no pid file at $TMP/pf/none" \
	-- "$HEALTHY" -v "not:pidfile:$TMP/pf/none"

# tcp:, udp:, connect: (a port this test holds with an established connection is a port no one listens on)
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; p4=$PORT
start_port "$SOCKETS" tcp-established 127.0.0.1; pest=$PORT
check "not:tcp: of a listener fails, naming it" 1 --out "" --err "healthy: not:tcp:$p4: listening on 127.0.0.1:$p4" \
	-- "$HEALTHY" "not:tcp:$p4"
check "not:tcp:ADDR:PORT of a listener fails" 1 --err "healthy: not:tcp:127.0.0.1:$p4: listening on 127.0.0.1:$p4" \
	-- "$HEALTHY" "not:tcp:127.0.0.1:$p4"
check "not:tcp: of a port no one listens on passes" 0 --out "" --err "" -- "$HEALTHY" "not:tcp:$pest"
check "... -v" 0 --out "healthy: not:tcp:$pest: ok: not listening on port $pest" -- "$HEALTHY" -v "not:tcp:$pest"
start_port "$SOCKETS" udp-bind 0.0.0.0 0 -; pu=$PORT
start_port "$SOCKETS" udp-connect 127.0.0.1 9; pc=$PORT
check "not:udp: of a bound socket fails" 1 --err "healthy: not:udp:$pu: bound on 0.0.0.0:$pu" -- "$HEALTHY" "not:udp:$pu"
check "not:udp: of a port only a UDP client has passes" 0 --out "healthy: not:udp:$pc: ok: nothing bound on port $pc" \
	-- "$HEALTHY" -v "not:udp:$pc"
check "not:connect: to a listener fails" 1 --err "healthy: not:connect:127.0.0.1:$p4: connected to 127.0.0.1:$p4" \
	-- "$HEALTHY" "not:connect:127.0.0.1:$p4"
check "not:connect: refused passes" 0 --out "healthy: not:connect:127.0.0.1:$pest: ok: connection refused (127.0.0.1:$pest)" \
	-- "$HEALTHY" -v "not:connect:127.0.0.1:$pest"

# unix:
U="$TMP/unix dir"; mkdir -p "$U"
start "$SOCKETS" unix-listen "$U/listen.sock"
start "$SOCKETS" unix-bound "$U/bound.sock"
check "not:unix: of a listening socket fails" 1 --err "healthy: not:unix:$U/listen.sock: listening" \
	-- "$HEALTHY" "not:unix:$U/listen.sock"
check "not:unix: of a socket bound but not listening passes" 0 \
	--out "healthy: not:unix:$U/bound.sock: ok: bound, but not listening" -- "$HEALTHY" -v "not:unix:$U/bound.sock"
check "not:unix: of no socket file passes" 0 --out "healthy: not:unix:$U/none.sock: ok: no socket file at $U/none.sock" \
	-- "$HEALTHY" -v "not:unix:$U/none.sock"
start "$SOCKETS" unix-listen "@$N-abs"
check "not:unix:@NAME of a listening abstract socket fails" 1 --err "healthy: not:unix:@$N-abs: listening" \
	-- "$HEALTHY" "not:unix:@$N-abs"
check "not:unix:@NAME of none passes" 0 --out "healthy: not:unix:@$N-none: ok: not listening" -- "$HEALTHY" -v "not:unix:@$N-none"

# http://
start_port "$HELPERS/httpd"; hp=$PORT
h=http://127.0.0.1:$hp
check "not:http:// of a 200 fails, with the status" 1 --out "" --err "healthy: not:$h/200: 200 OK from 127.0.0.1:$hp" \
	-- "$HEALTHY" "not:$h/200"
check "not:http:// of a 301 fails (a 3xx passes http://)" 1 --err "healthy: not:$h/301: 301 Moved Permanently from 127.0.0.1:$hp" \
	-- "$HEALTHY" "not:$h/301"
check "not:http:// of a 503 passes, silently" 0 --out "" --err "" -- "$HEALTHY" "not:$h/503"
check "... -v" 0 --out "healthy: not:$h/503: ok: 503 Service Unavailable" -- "$HEALTHY" -v "not:$h/503"
check "not:http:// of a server that closes without a word passes" 0 \
	--out "healthy: not:$h/close: ok: connection closed without an answer by 127.0.0.1:$hp" -- "$HEALTHY" -v "not:$h/close"
check "not:http:// refused passes" 0 --out "healthy: not:http://127.0.0.1:$pest/: ok: connection refused (127.0.0.1:$pest)" \
	-- "$HEALTHY" -v "not:http://127.0.0.1:$pest/"

# grpc:// against Debian's python3-grpcio (tests/helpers/grpcd.py), as t_grpc.sh starts it.
PY=/usr/bin/python3
GRPCD=$(cd "$(dirname "$0")/../helpers" && pwd)/grpcd.py
export PYTHONDONTWRITEBYTECODE=1
if [ -x "$PY" ] && "$PY" -c 'import grpc' 2>/dev/null; then
	start_port "$PY" "$GRPCD" health tcp4; g4=$PORT
	g=grpc://127.0.0.1:$g4
	check "not:grpc:// of a SERVING server fails" 1 --out "" --err "healthy: not:$g: SERVING from 127.0.0.1:$g4" -- "$HEALTHY" "not:$g"
	check "not:grpc://,service= NOT_SERVING passes" 0 --err "" \
		--out "healthy: not:$g,service=hly-down: ok: NOT_SERVING from 127.0.0.1:$g4" -- "$HEALTHY" -v "not:$g,service=hly-down"
	check "not:grpc://,service= a service the server does not know passes" 0 \
		--out "healthy: not:$g,service=hly-nope: ok: grpc-status 5 NOT_FOUND from 127.0.0.1:$g4: \"unknown service\"" \
		-- "$HEALTHY" -v "not:$g,service=hly-nope"
	start_port "$PY" "$GRPCD" silent tcp4; gs=$PORT
	check "not:grpc:// of a server that never answers: timed out, a failure, so not: passes" 0 \
		--out "healthy: not:grpc://127.0.0.1:$gs: ok: timed out after 300ms waiting for the health answer from 127.0.0.1:$gs" \
		-- "$HEALTHY" -v -t 300ms "not:grpc://127.0.0.1:$gs"
else
	skip "not:grpc://" "python3-grpcio is not installed (make deps)"
fi

# https:// against openssl s_server -www, with a PKI made at run time (tests/helpers/mkcerts.sh, as t_tls.sh).
if command -v openssl >/dev/null && C=$TMP/certs && mkdir -m 755 "$C" && bounded sh "$(dirname "$0")/../helpers/mkcerts.sh" "$C"; then
	chmod 644 "$C"/*.pem
	(cd "$C" && exec openssl s_server -accept 0 -cert srv-rsa.pem -key srv-rsa.key.pem -www) </dev/null >"$TMP/s_server.log" 2>&1 &
	own $!
	wait_line "$TMP/s_server.log" '^ACCEPT '
	ps=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$TMP/s_server.log")
	bounded "$HEALTHY" -q --wait=10s "tcp:$ps"
	su=https://127.0.0.1:$ps/
	check "not:https:// of a verified 200 fails" 1 --out "" \
		--err "healthy: not:$su,ca=$C/ca-rsa.pem,servername=localhost: 200 ok from 127.0.0.1:$ps (TLS, certificate verified)" \
		-- "$HEALTHY" "not:$su,ca=$C/ca-rsa.pem,servername=localhost"
	check "not:https:// of a certificate no ca= root signed passes (a failed handshake is a failure)" 0 --err "" \
		--out "healthy: not:$su,ca=$C/ca-wrong.pem,servername=localhost: ok: TLS handshake with 127.0.0.1:$ps failed: unknown certificate authority" \
		-- "$HEALTHY" -v "not:$su,ca=$C/ca-wrong.pem,servername=localhost"
	cp "$C/ca-rsa.pem" "$C/ca-secret.pem"; chmod 600 "$C/ca-secret.pem"
	check "not:https:// with a ca= file this user may not read: 3" 3 --out "" \
		--err "healthy: not:$su,ca=$C/ca-secret.pem,servername=localhost: ca=$C/ca-secret.pem: permission denied" \
		-- "${as_nobody[@]}" "$HEALTHY" -v "not:$su,ca=$C/ca-secret.pem,servername=localhost"
	check "usage: not:https:// with a ca= file that is none: 2, the whole argument named" 2 \
		--err "healthy: not:$su,ca=$C/none.pem,servername=localhost: ca=$C/none.pem: no such file or directory" \
		-- "$HEALTHY" "not:$su,ca=$C/none.pem,servername=localhost"
else
	skip "not:https://" "openssl is not installed, or the test PKI could not be made"
fi

# file:
: > "$TMP/flagfile"
check "not:file: of a file that exists fails" 1 --out "" --err "healthy: not:file:$TMP/flagfile: exists" -- "$HEALTHY" "not:file:$TMP/flagfile"
check "not:file: of no file passes" 0 --out "" --err "" -- "$HEALTHY" "not:file:$TMP/none"
check "... -v" 0 --out "healthy: not:file:$TMP/none: ok: no file at $TMP/none" -- "$HEALTHY" -v "not:file:$TMP/none"
touch -d '10 minutes ago' "$TMP/old"
check "not:file:,maxage= of a stale file passes" 0 --out "healthy: not:file:$TMP/old,maxage=1m: ok: modified 10m ago, more than maxage=1m" \
	-- "$HEALTHY" -v "not:file:$TMP/old,maxage=1m"
touch -d '10 minutes ago' "$TMP/old"
check "not:file:,maxage= of a fresh enough one fails" 1 --err "healthy: not:file:$TMP/old,maxage=1h: modified 10m ago" \
	-- "$HEALTHY" "not:file:$TMP/old,maxage=1h"

# Several in one run: each judged on its own, in the order given, next to plain checks of the same kinds (which
# share one walk of /proc, one socket dump, one poll loop).
check "not: and plain checks of one kind in one run, all passing: -v, a line each, in order" 0 --err "" \
	--out "healthy: tcp:$p4: ok: listening on 127.0.0.1:$p4
healthy: not:tcp:$pest: ok: not listening on port $pest
healthy: proc:$N-proc: ok: 1 running (pid $live S)
healthy: not:proc:$N-none: ok: not running
healthy: not:$h/503: ok: 503 Service Unavailable
healthy: $h/200: ok: 200 OK from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v "tcp:$p4" "not:tcp:$pest" "proc:$N-proc" "not:proc:$N-none" "not:$h/503" "$h/200"
check "CHECK and not:CHECK side by side: one passes, the other fails" 1 \
	--out "healthy: tcp:$p4: ok: listening on 127.0.0.1:$p4" --err "healthy: not:tcp:$p4: listening on 127.0.0.1:$p4" \
	-- "$HEALTHY" -v "tcp:$p4" "not:tcp:$p4"
check "... and the other way round" 1 \
	--out "healthy: not:proc:$N-none: ok: not running" --err "healthy: proc:$N-none: not running" \
	-- "$HEALTHY" -v "not:proc:$N-none" "proc:$N-none"
check "every kind's not: failing at once: a line each, in order" 1 --out "" \
	--err "healthy: not:proc:$N-proc: 1 running (pid $live S)
healthy: not:pid:$live: running (pid $live S, $N-proc)
healthy: not:tcp:$p4: listening on 127.0.0.1:$p4
healthy: not:unix:$U/listen.sock: listening
healthy: not:$h/200: 200 OK from 127.0.0.1:$hp
healthy: not:file:$TMP/flagfile: exists" \
	-- "$HEALTHY" "not:proc:$N-proc" "not:pid:$live" "not:tcp:$p4" "not:unix:$U/listen.sock" "not:$h/200" "not:file:$TMP/flagfile"

# ---------------------------------------------------------------------------------------------------------
# 2. A check that could not be made stays 3: not knowing is no evidence either way.
mkdir -m 700 "$TMP/closed"; : > "$TMP/closed/x"
check "not:file: under a directory this user may not search: 3, never 0" 3 --out "" \
	--err "healthy: not:file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" "not:file:$TMP/closed/x"
check "... -v: the same line, on stderr" 3 --out "" \
	--err "healthy: not:file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" -v "not:file:$TMP/closed/x"
check "... the plain check is 3 with the same reason" 3 --err "healthy: file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" "file:$TMP/closed/x"
check "... next to a not: that passes: still 3" 3 --out "" \
	--err "healthy: not:file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" "not:tcp:$pest" "not:file:$TMP/closed/x"
check "... next to a failure: the failure decides (1), both said" 1 \
	--err "healthy: not:tcp:$p4: listening on 127.0.0.1:$p4
healthy: not:file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" "not:tcp:$p4" "not:file:$TMP/closed/x"
echo "$live" > "$TMP/pf/secret"; chmod 600 "$TMP/pf/secret"
check "not:pidfile: this user may not read: 3" 3 --err "healthy: not:pidfile:$TMP/pf/secret: open $TMP/pf/secret: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" "not:pidfile:$TMP/pf/secret"
# /proc/net cannot tell whether a dual-stack [::] socket takes IPv4 (t_sock.sh).
if [ -e /proc/net/if_inet6 ]; then
	start_port "$SOCKETS" tcp-listen :: 0 0; pdual=$PORT
	HEALTHY_PROCNET=1 check "not:tcp:127.0.0.1:PORT that /proc/net cannot tell: 3" 3 \
		--err "healthy: not:tcp:127.0.0.1:$pdual: cannot tell: a socket on [::]:$pdual may take IPv4, but /proc/net does not show IPV6_V6ONLY" \
		-- "$HEALTHY" "not:tcp:127.0.0.1:$pdual"
else
	skip "not:tcp: that /proc/net cannot tell" "no IPv6 here"
fi
# A name server that never answers says nothing of the service: 3, though it is a timeout (t_probe.sh, t_dns.sh).
if unshare -nm true 2>/dev/null && command -v ip >/dev/null && [ -e /etc/resolv.conf ]; then
	printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:2\n' > "$TMP/resolv.conf"
	check "not:connect: and not:http:// of a name no server answers for: 3, each said" 3 --out "" \
		--err "healthy: not:connect:$N.test:80: timed out after 300ms resolving the host
healthy: not:http://$N.test/: timed out after 300ms resolving the host" \
		-- unshare -nm sh -c '
			ip link set lo up && mount --bind "$1" /etc/resolv.conf || exit 99
			"$2" udp-bind 127.0.0.1 53 - "$3" >/dev/null 2>&1 & dns=$!
			for i in $(seq 1000); do [ -s "$3" ] && break; sleep 0.01; done
			"$0" -t 300ms "not:connect:$4.test:80" "not:http://$4.test/"; r=$?
			kill $dns; exit $r' \
			"$HEALTHY" "$TMP/resolv.conf" "$SOCKETS" "$TMP/dns.ready" "$N"
else
	skip "not: of a name no server answers for" "unshare -nm, ip or /etc/resolv.conf is missing"
fi

# ---------------------------------------------------------------------------------------------------------
# 3. A probe that timed out failed: not: of it passes.
check "not:http:// of a server that never answers: passes" 0 --out "" --err "" -- "$HEALTHY" -t 300ms "not:$h/hang"
check "... -v: ok: timed out" 0 --err "" \
	--out "healthy: not:$h/hang: ok: timed out after 300ms waiting for the status line from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v -t 300ms "not:$h/hang"
check "not:http:// of a listener that never accepts nor answers: passes" 0 \
	--out "healthy: not:http://127.0.0.1:$p4/: ok: timed out after 300ms waiting for the status line from 127.0.0.1:$p4" \
	-- "$HEALTHY" -v -t 300ms "not:http://127.0.0.1:$p4/"
start_port "$SOCKETS" tcp-full 127.0.0.1; full=$PORT
check "not:connect: of a SYN never answered: passes" 0 \
	--out "healthy: not:connect:127.0.0.1:$full: ok: timed out after 300ms connecting (127.0.0.1:$full)" \
	-- "$HEALTHY" -v -t 300ms "not:connect:127.0.0.1:$full"
check "not: and plain probes share the deadline: the plain one that timed out fails, its not: passes" 1 \
	--out "healthy: not:$h/hang: ok: timed out after 300ms waiting for the status line from 127.0.0.1:$hp" \
	--err "healthy: connect:127.0.0.1:$full: timed out after 300ms connecting (127.0.0.1:$full)" \
	-- "$HEALTHY" -v -t 300ms "not:$h/hang" "connect:127.0.0.1:$full"

# ---------------------------------------------------------------------------------------------------------
# 4. --wait: until a port is free, a process gone.
# The listener goes once healthy has said it still waits for it (HEALTHY_WAIT_REPORT_MS, as t_watch.sh): so the
# wait has seen it listening, and then sees it go.
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; pw=$PORT; lw=$HELPER_PID
HEALTHY_WAIT_REPORT_MS=100 "$HEALTHY" --wait=10s -i 50ms "not:tcp:$pw" -- sh -c 'echo $$ > "$0"' "$TMP/wait.pid" \
	2>"$TMP/wait.err" & hw=$!
own "$hw"
wait_line "$TMP/wait.err" "still waiting"
kill "$lw"
wait_bounded "--wait not:tcp: ends once the listener is gone" "$hw"; rc=$?
check "--wait=10s not:tcp:PORT: the listener goes, COMMAND runs in healthy's place: exit 0" 0 -- bash -c '
	[ "$0" = 0 ] && [ "$(cat "$1")" = "$2" ]' "$rc" "$TMP/wait.pid" "$hw"
check "... the lines: waiting, still waiting while it listens, ok once it is free" 0 -- bash -c '
	mapfile -t l < "$0"; n=${#l[@]}; [ "$n" -ge 3 ] || exit 1
	[ "${l[0]}" = "healthy: waiting up to 10s for 1 check" ] || exit 1
	for ((i = 1; i < n - 1; i++)); do
		[[ ${l[i]} =~ ^"healthy: still waiting ("[0-9.]+m?s"): not:tcp:$1: listening on 127.0.0.1:$1"$ ]] || exit 1
	done
	[[ ${l[n - 1]} =~ ^"healthy: not:tcp:$1: ok after "[0-9.]+m?s$ ]]' "$TMP/wait.err" "$pw"
echo "   ($(tail -n 1 "$TMP/wait.err"))"
check "--wait=300ms not:tcp:PORT while it listens: exit 1, gave up, with what listens" 1 --out "" \
	--err "healthy: waiting up to 300ms for 1 check
healthy: not:tcp:$p4: gave up after 300ms: listening on 127.0.0.1:$p4" -- "$HEALTHY" --wait=300ms "not:tcp:$p4"
check "... and COMMAND never runs" 1 --out "" -- "$HEALTHY" -q --wait=300ms "not:tcp:$p4" -- echo ran
check "--wait not:tcp: of a free port: COMMAND runs; the lines: waiting, then ok" 0 --out "ran" -- bash -c '
	"$0" --wait=5s "not:tcp:$1" -- echo ran 2>"$2" || exit 1
	mapfile -t l < "$2"; [ ${#l[@]} = 2 ] && [ "${l[0]}" = "healthy: waiting up to 5s for 1 check" ] &&
	[[ ${l[1]} =~ ^"healthy: not:tcp:$1: ok after "[0-9.]+m?s$ ]]' "$HEALTHY" "$pest" "$TMP/wfree.err"
# A process that is gone: this shell reaps it (a zombie is not running either).
start "$NAMED" sleep "$N-gone"; gone=$PID
HEALTHY_WAIT_REPORT_MS=100 "$HEALTHY" --wait=10s -i 50ms "not:proc:$N-gone" "not:pid:$gone" -- echo ran \
	>"$TMP/wproc.out" 2>"$TMP/wproc.err" & hw=$!
own "$hw"
wait_line "$TMP/wproc.err" "still waiting .*not:pid:"
kill "$gone"
wait_bounded "--wait not:proc: ends once the process is gone" "$hw"; rc=$?
check "--wait=10s not:proc:NAME not:pid:PID: the process exits, COMMAND runs: exit 0" 0 -- bash -c '
	[ "$0" = 0 ] && [ "$(cat "$1")" = ran ]' "$rc" "$TMP/wproc.out"
check "... the lines: both still waited for with what runs, then each ok" 0 -- bash -c '
	grep -qxE "healthy: still waiting \([0-9.]+m?s\): not:proc:$1: 1 running \(pid $2 S\)" "$0" &&
	grep -qxE "healthy: still waiting \([0-9.]+m?s\): not:pid:$2: running \(pid $2 S, $1\)" "$0" &&
	grep -qxE "healthy: not:proc:$1: ok after [0-9.]+m?s" "$0" && grep -qxE "healthy: not:pid:$2: ok after [0-9.]+m?s" "$0" &&
	head -n 1 "$0" | grep -qx "healthy: waiting up to 10s for 2 checks"' "$TMP/wproc.err" "$N-gone" "$gone"
check "--wait=300ms not:proc: of a process that stays: exit 1, gave up" 1 \
	--err "healthy: waiting up to 300ms for 1 check
healthy: not:proc:$N-proc: gave up after 300ms: 1 running (pid $live S)" -- "$HEALTHY" --wait=300ms "not:proc:$N-proc"
check "--wait not: of a check that cannot be made: gave up, 3" 3 \
	--err "healthy: waiting up to 300ms for 1 check
healthy: not:file:$TMP/closed/x: gave up after 300ms: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" --wait=300ms "not:file:$TMP/closed/x"

# ---------------------------------------------------------------------------------------------------------
# 5. --watch: it ends, exit 1, when what not: forbids appears; with -- COMMAND, COMMAND gets SIGTERM.
rm -f "$TMP/flag"
"$HEALTHY" --watch -i 100ms "not:file:$TMP/flag" -- sleep 30 2>"$TMP/watch.err" & hw=$!
own "$hw"
child_of "$hw" && own "$CHILD"; cmd=$CHILD
runs "$hw" 3
touch "$TMP/flag"
wait_bounded "--watch not:file: ends when the file appears" "$hw"; rc=$?
check "--watch not:file: -- sleep: the file appears: exit 1" 0 -- test "$rc" = 1
check "... the line says which check and why, then that COMMAND is stopped" 0 -- bash -c '
	mapfile -t l < "$0"; [ ${#l[@]} = 2 ] && [ "${l[0]}" = "healthy: not:file:$1: exists" ] &&
	[[ ${l[1]} =~ ^"healthy: stopping sleep (pid "[1-9][0-9]*"): SIGTERM"$ ]] &&
	[ "${l[1]}" = "healthy: stopping sleep (pid $2): SIGTERM" ]' "$TMP/watch.err" "$TMP/flag" "$cmd"
check "... and COMMAND is gone" 0 -- bash -c 'for i in $(seq 1000); do
	[ "$(cat "/proc/$0/comm" 2>/dev/null)" = sleep ] || exit 0; sleep 0.01; done; exit 1' "$cmd"

# A port this test let go of (the kernel picked it); a listener comes up on it during the watch.
"$SOCKETS" tcp-listen 127.0.0.1 0 - "$TMP/free.ready" >/dev/null 2>&1 & fp=$!
wait_file "$TMP/free.ready"; pf=$(cat "$TMP/free.ready"); kill "$fp"; wait "$fp" 2>/dev/null
"$HEALTHY" --watch -i 100ms "not:tcp:$pf" 2>"$TMP/wtcp.err" & hw=$!
own "$hw"
runs "$hw" 3
check "--watch not:tcp: of a free port goes on" 0 -- kill -0 "$hw"
start_port "$SOCKETS" tcp-listen 127.0.0.1 "$pf" -
wait_bounded "--watch not:tcp: ends when a listener comes up" "$hw"; rc=$?
check "--watch not:tcp:PORT: a listener comes up: exit 1, and what listens" 0 -- bash -c '
	[ "$0" = 1 ] && [ "$(cat "$1")" = "healthy: not:tcp:$2: listening on 127.0.0.1:$2" ]' "$rc" "$TMP/wtcp.err" "$pf"
check "--watch: a not: check that fails at first is a plain failure" 1 --out "" \
	--err "healthy: not:tcp:$p4: listening on 127.0.0.1:$p4" -- "$HEALTHY" --watch "not:tcp:$p4" -- sleep 30

# No pidfd on what a not: check finds: one process of the name, where not:...,min=2 wants fewer than two, and
# a live PID whose name not:pid:...,name= does not want. Its death is no news to them; a second process is.
start "$NAMED" sleep "$N-w"; w=$PID
"$HEALTHY" --watch -i 100ms "not:proc:$N-w,min=2" "not:pid:$w,name=$N-other" 2>"$TMP/wpfd.err" & hw=$!
own "$hw"
runs "$hw" 3
check "--watch over not: checks that found a process: no pidfd held" 0 -- test "$(pidfds "$hw")" = 0
"$HEALTHY" --watch -i 100ms "proc:$N-w" "pid:$w" 2>/dev/null & hc=$!
own "$hc"
runs "$hc" 3
check "... (the same watch without not: holds them: the count is seen)" 0 -- test "$(pidfds "$hc")" -ge 1
kill "$w"
wait_bounded "--watch proc:NAME ends when the process dies" "$hc"
runs "$hw" 3
check "... the process dies: the not: watch goes on, silent" 0 -- bash -c 'kill -0 "$0" && ! [ -s "$1" ]' "$hw" "$TMP/wpfd.err"
start "$NAMED" sleep "$N-w"; w1=$PID
start "$NAMED" sleep "$N-w"; w2=$PID
wait_bounded "--watch not:proc:NAME,min=2 ends when two run" "$hw"; rc=$?
lo=$((w1 < w2 ? w1 : w2)) hi=$((w1 < w2 ? w2 : w1))
check "... two run: exit 1, with both" 0 -- bash -c '
	[ "$0" = 1 ] && [ "$(cat "$1")" = "healthy: not:proc:$2,min=2: 2 running (pids $3 S, $4 S)" ]' \
	"$rc" "$TMP/wpfd.err" "$N-w" "$lo" "$hi"

# A not: check that cannot be made (3) leaves COMMAND running, said once, and once more when it can be made again;
# then what it forbids appears, and the watch ends. The watch runs as uid 65534, the directory closed to it, then opened.
mkdir -m 755 "$TMP/lk"; mkfifo "$TMP/lk.fifo"
"${as_nobody[@]}" "$HEALTHY" --watch -i 50ms "not:file:$TMP/lk/flag" -- \
	sh -c 'echo $$ > "$0"; exec sleep 300 2>/dev/null' "$TMP/lk.pid" 2>"$TMP/lk.fifo" & hw=$!
own "$hw"
exec 3<"$TMP/lk.fifo"
wait_file "$TMP/lk.pid"; own "$(cat "$TMP/lk.pid")"
chmod 700 "$TMP/lk"; read -t 10 -r l1 <&3
runs "$hw" 3
chmod 755 "$TMP/lk"; read -t 10 -r l2 <&3
check "--watch not: of a check it cannot make (3): COMMAND runs on" 0 -- kill -0 "$(cat "$TMP/lk.pid")" "$hw"
check "... said once, not every run, and once more when it can be made again" 0 -- bash -c '
	[ "$0" = "healthy: not:file:$2/lk/flag: cannot check, still watching: stat $2/lk/flag: permission denied" ] &&
	[[ $1 =~ ^"healthy: not:file:$2/lk/flag: ok again after "[0-9.]+m?s$ ]]' "$l1" "$l2" "$TMP"
touch "$TMP/lk/flag"
wait_bounded "--watch not:file: ends when the file appears, after a check it could not make" "$hw"; rc=$?
timeout 10 cat <&3 > "$TMP/lk.rest"; exec 3<&-
check "... then the file appears: COMMAND stopped, exit 1" 0 -- bash -c '
	mapfile -t l < "$0"; [ "$1" = 1 ] && [ ${#l[@]} = 2 ] && [ "${l[0]}" = "healthy: not:file:$2/lk/flag: exists" ] &&
	[ "${l[1]}" = "healthy: stopping sh (pid $3): SIGTERM" ]' "$TMP/lk.rest" "$rc" "$TMP" "$(cat "$TMP/lk.pid")"
check "--watch not: of a check it cannot make at first: 3, as a single run" 3 \
	--err "healthy: not:file:$TMP/closed/x: stat $TMP/closed/x: permission denied" \
	-- "${as_nobody[@]}" "$HEALTHY" --watch "not:file:$TMP/closed/x" -- true

# ---------------------------------------------------------------------------------------------------------
# 6. Usage errors (2), each with its line; the inner check's own errors name the whole argument.
usage() {
	check "usage: $1" 2 --out "" --err "healthy: $1: $2" -- "$HEALTHY" "$1"
}
usage "not:" "needs a CHECK after it (not:tcp:8080)"
usage "not:not:tcp:1" "not: of not: is the check itself (drop both)"
usage "not:not:not:tcp:1" "not: of not: is the check itself (drop both)"
usage "not:nginx" "not a check (did you mean not:proc:nginx?)"
usage "not:tcp:99999" "port out of range"
usage "not:tcp:" "not a port (1-65535)"
usage "not:proc:x,foo=1" "unknown option 'foo' (proc: takes min=, max=, user=, args=)"
usage "not:pid:1,name=x,foo=1" "unknown option 'foo' (pid: takes name=)"
usage "not:file:" "empty path"
usage "not:file:$TMP/x,maxage=soon" "maxage= takes a DURATION (500ms, 5s, 2m)"
usage "not:https://127.0.0.1/,ca=/ca.pem" "ca= verifies a name, and an address is none: give it with servername=NAME"
usage "not:NOT:tcp:1" "unknown check kind 'NOT' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)"
check "usage: a control byte in not:WORD is escaped" 2 --err 'healthy: not:\x01x: not a check (did you mean not:proc:\x01x?)' \
	-- "$HEALTHY" "not:"$'\x01'"x"
check "usage: (for comparison: the plain check's line)" 2 --err "healthy: tcp:99999: port out of range" -- "$HEALTHY" tcp:99999
check "usage: a bad not: among good checks: 2, nothing run" 2 --out "" --err "healthy: not:: needs a CHECK after it (not:tcp:8080)" \
	-- "$HEALTHY" -v "not:tcp:$pest" "not:"
check "usage: -q does not hide a usage error, as for other checks" 2 --err "healthy: not:tcp:99999: port out of range" \
	-- "$HEALTHY" -q not:tcp:99999
check "usage: -v with --wait is refused, as for other checks" 2 --err "healthy: -v does not go with --wait or --watch (they print what they see)" \
	-- "$HEALTHY" -v --wait=300ms "not:tcp:$pest"
check "--help lists not:CHECK" 0 --out-has "  not:CHECK        passes when CHECK fails and fails when it passes; one that" -- "$HEALTHY" --help

# -q and -v, as for other checks: -q says nothing, the exit code all; -v adds the passing lines on stdout.
check "-q: not: that fails: exit 1, silent" 1 --out "" --err "" -- "$HEALTHY" -q "not:tcp:$p4"
check "-q: not: that passes: exit 0, silent" 0 --out "" --err "" -- "$HEALTHY" -q "not:tcp:$pest"
check "-q: not: that cannot check: exit 3, silent" 3 --out "" --err "" -- "${as_nobody[@]}" "$HEALTHY" -q "not:file:$TMP/closed/x"
check "-q: a plain check that fails is as silent" 1 --out "" --err "" -- "$HEALTHY" -q "tcp:$pest"
check "-v: a failing not: on stderr, a passing one on stdout" 1 \
	--out "healthy: not:file:$TMP/none: ok: no file at $TMP/none" --err "healthy: not:file:$TMP/flagfile: exists" \
	-- "$HEALTHY" -v "not:file:$TMP/flagfile" "not:file:$TMP/none"

# ---------------------------------------------------------------------------------------------------------
# What not: must never take for absence. A process healthy cannot see (a PID namespace it does not share) is no
# evidence that none runs: cannot tell (3), never a pass.
if unshare -pf --mount-proc true 2>/dev/null; then
	check "not:proc: alone in an unshared PID namespace: cannot tell (3), not a pass" 3 \
		--err "healthy: not:proc:$N-ns: cannot tell: not running (this PID namespace shows 1 process: is it shared?)" \
		-- unshare -pf --mount-proc "$HEALTHY" "not:proc:$N-ns"
	check "... where it shows many: a pass" 0 -- "$HEALTHY" "not:proc:$N-ns"
else
	skip "not:proc: in an unshared PID namespace" "unshare -pf --mount-proc is not allowed here"
fi

# --watch does not pin a not:pidfile: check to the first process it saw: another one in its place, as a
# supervisor's restart makes, is still a process running, a failure, never "ok again".
pfw=$TMP/pf/watched
"$HEALTHY" --watch --retries 1000 -i 100ms "not:pidfile:$pfw" -- sleep 60 2>"$TMP/pfw.err" & hpw=$!
own "$hpw"
start "$NAMED" sleep "$N-first"; first=$PID
echo "$first" >"$pfw"
wait_line "$TMP/pfw.err" "^healthy: not:pidfile:$pfw: failure 1 of 1000: running \(pid $first "
kill "$first"
start "$NAMED" sleep "$N-second"; second=$PID
echo "$second" >"$pfw"
wait_line "$TMP/pfw.err" "failure [0-9]+ of 1000: running \(pid $second "
check "--watch: a not:pidfile: process replaced by another is still a failure, never ok again" 1 \
	-- grep -q "ok again" "$TMP/pfw.err"
kill "$hpw" 2>/dev/null
wait "$hpw" 2>/dev/null

finish
