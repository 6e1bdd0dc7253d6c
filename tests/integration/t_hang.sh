# Never a hang: a process whose /proc/PID/cmdline cannot be read, a stopped HTTP server, one that sends 1xx
# answers without end, a blackhole.
# healthy must end by its deadline (plus the watchdog's slack) with an answer and one line.
# Elapsed times are only checked against a hang bound: ten times the deadline.
. "$(dirname "$0")/lib.sh"

# timed NAME WANT_RC BOUND_MS LINES FLAGS... -- CMD...: check, then that it ended in under BOUND_MS (a
# hang bound, not a performance one), then that it printed LINES lines (one per failing check).
timed() {
	local name=$1 want=$2 bound=$3 want_lines=$4 t0 t1 ms lines
	shift 4
	t0=$(date +%s%N)
	check "$name" "$want" "$@"
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	lines=$(cat "$TMP/out" "$TMP/err" | wc -l)
	check "... ended in ${ms}ms (a hang: over ${bound}ms)" 0 -- test "$ms" -lt "$bound"
	check "... in $want_lines line(s) ($lines)" 0 -- test "$lines" = "$want_lines"
}

# A process whose cmdline blocks every reader (see tests/helpers/stuck.c): a FUSE mount, so root.
# (tests/helpers/stuck mounts its FUSE file system in a mount namespace of its own: a chroot may not make one.)
if [ "$(id -u)" != 0 ] || [ ! -c /dev/fuse ] || ! unshare -m true 2>/dev/null; then
	skip "a process whose cmdline read blocks" "needs root, /dev/fuse and mount namespaces"
else
	# comm is cut at 15 bytes; healthy reads cmdline only for a longer NAME that starts with comm.
	name=$(printf 'hly-stuck-%05d' $(($$ % 100000)))
	long=$name-longname
	# Every reader of its cmdline (ps, pgrep -f, the oracle tests) waits while it lives: keep it short.
	start "$HELPERS/stuck" "$TMP/fuse" "$name"; stuck=$PID; server=$HELPER_PID
	check "the helper works: a plain read of its cmdline blocks (timeout 2 ends it)" 124 \
		-- timeout 2 cat "/proc/$stuck/cmdline"
	check "... while its stat still answers" 0 -- timeout 2 grep -q "($name)" "/proc/$stuck/stat"

	# What needs no cmdline answers as always.
	check "pid: of it: passes" 0 -- timeout 10 "$HEALTHY" "pid:$stuck"
	check "an absent name with another 15-byte start: fails, not stuck" 1 \
		--err "healthy: proc:hly-stucj-00000-longname: not running" -- timeout 10 "$HEALTHY" proc:hly-stucj-00000-longname

	# A 15-byte comm may be cut from a longer name: the whole name decides, for an exact 15-byte NAME and
	# a glob as for a longer NAME, and reading it blocks.
	timed "its 15-byte comm as NAME: exit 3 at the deadline" 3 8000 1 --err-has "timed out" \
		-- timeout 10 "$HEALTHY" "proc:$name"
	timed "a glob its comm matches: the same" 3 8000 1 --err-has "timed out" -- timeout 10 "$HEALTHY" "proc:${name%?????}?????"
	# A glob that ends in '*' and matches comm matches whatever comm was cut from: nothing to read.
	timed "a glob that ends in * and matches its comm: found, without the read that blocks" 0 8000 0 \
		-- timeout 10 "$HEALTHY" "proc:${name%?????}*"
	timed "the long name: exit 3 at the deadline, saying what was stuck" 3 8000 1 \
		--out "" --err-has "healthy: proc:$long: " --err-has "timed out" -- timeout 10 "$HEALTHY" "proc:$long"
	timed "the long name with -t 300ms" 3 3000 1 \
		--out "" --err-has "healthy: proc:$long: " --err-has "timed out" -- timeout 10 "$HEALTHY" -t 300ms "proc:$long"
	timed "a glob that needs argv[0] (longer than comm) too" 3 8000 1 \
		--err-has "timed out" -- timeout 10 "$HEALTHY" "proc:$name?*"
	timed "with other checks in the run: still exit 3, one line" 3 8000 1 \
		--err-has "timed out" -- timeout 10 "$HEALTHY" "pid:$stuck" "proc:$long" "file:$TMP"
	timed "-v: the same" 3 8000 1 --err-has "timed out" -- timeout 10 "$HEALTHY" -v "proc:$long"
	# --wait runs checks again and again: a stuck try must not outlive the wait. (It catches SIGTERM,
	# which then cannot end a read the kernel holds: -k sends SIGKILL after it.)
	timed "--wait=1s on the long name ends: exit 3, it never could tell" 3 10000 2 \
		--err-has "healthy: proc:$long: " -- timeout -k 1 10 "$HEALTHY" --wait=1s "proc:$long"

	# A pid file on that FUSE mount (in the helper's mount namespace): its read is never answered. The
	# watchdog's line says what was stuck, but the kernel waits for a request already sent to the server
	# uninterruptibly: healthy can exit only once the server dies (SECURITY.md says so).
	nsenter -t "$stuck" -m "$HEALTHY" "pidfile:$TMP/fuse/f" >/dev/null 2>"$TMP/fuse.err" & fz=$!
	for i in $(seq 500); do [ -s "$TMP/fuse.err" ] && break; sleep 0.01; done
	check "a pid file whose read a FUSE server never answers: the line names the pid file" 0 \
		--out "healthy: pidfile:$TMP/fuse/f: timed out after 1s reading the pid file" -- cat "$TMP/fuse.err"

	# A probe's unix= socket whose path lookup the server never answers: connect() waits where only a fatal
	# signal reaches. The probes start the watchdog only for such a call (a path, a name read from /etc).
	nsenter -t "$stuck" -m "$HEALTHY" "http://localhost/,unix=$TMP/fuse/hang" >/dev/null 2>"$TMP/fuse-unix.err" & fu=$!
	for i in $(seq 500); do [ -s "$TMP/fuse-unix.err" ] && break; sleep 0.01; done
	check "http://...,unix= on a path whose lookup is never answered: the watchdog's line" 0 \
		--out "healthy: http://localhost/,unix=$TMP/fuse/hang: timed out after 1s probing" -- cat "$TMP/fuse-unix.err"

	# The FUSE server first: its death aborts the pending reads, and the stuck process dies with it.
	kill -KILL "$server"; wait_bounded "the FUSE server dies of SIGKILL" "$server"
	for i in $(seq 500); do [ -e "/proc/$stuck" ] || break; sleep 0.01; done
	timeout 10 tail --pid="$fz" -f /dev/null; wait "$fz"; rc=$?
	check "... and once the server is gone, healthy exits 3" 0 -- test "$rc" = 3
	timeout 10 tail --pid="$fu" -f /dev/null; wait "$fu"; rc=$?
	check "... the probe too" 0 -- test "$rc" = 3
	check "the helper is gone and took the block with it: healthy answers again" 1 \
		--err "healthy: proc:$long: not running" -- timeout 10 "$HEALTHY" "proc:$long"
fi

# An HTTP server that is SIGSTOPped: the kernel completes the handshake, nobody reads the request.
start_port "$HELPERS/httpd"; hp=$PORT; httpd=$HELPER_PID
check "the server answers before it is stopped" 0 -- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/200"
kill -STOP "$httpd"; wait_state "$httpd" T
timed "a stopped server: the probe times out, exit 1 (a probe that timed out has failed)" 1 3000 1 \
	--err-has "healthy: http://127.0.0.1:$hp/200: timed out after 300ms" \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$hp/200"
timed "... with the default deadline" 1 8000 1 --err-has "timed out after 800ms" \
	-- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/200"
check "connect: to it passes: the kernel completed the handshake" 0 -- timeout 10 "$HEALTHY" -t 300ms "connect:127.0.0.1:$hp"
timed "several probes of it at once end together" 1 3000 3 \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$hp/200" "http://127.0.0.1:$hp/204" "http://[::1]:$hp/200"
kill -CONT "$httpd"

# A server that keeps sending 1xx interim answers: the deadline holds whatever poll says, and what is
# skipped is bounded. The answer is the probe's own (1, one line), never the watchdog's exit 3.
timed "endless 100 Continue: exit 1, one line, before the deadline" 1 3000 1 --out "" \
	--err "healthy: http://127.0.0.1:$hp/continue-endless: more than 64 KiB of 1xx interim answers from 127.0.0.1:$hp" \
	-- timeout 10 "$HEALTHY" -t 1s "http://127.0.0.1:$hp/continue-endless"
timed "100 Continue, then endless header lines: the same" 1 3000 1 --out "" \
	--err "healthy: http://127.0.0.1:$hp/continue-endless-header: more than 64 KiB of 1xx interim answers from 127.0.0.1:$hp" \
	-- timeout 10 "$HEALTHY" -t 1s "http://127.0.0.1:$hp/continue-endless-header"
timed "100 Continue every 50ms: exit 1 at the deadline, saying so" 1 3000 1 --out "" \
	--err-has "healthy: http://127.0.0.1:$hp/continue-drip: timed out after 300ms waiting for the status line from 127.0.0.1:$hp (after " \
	--err-has " interim 1xx answers)" -- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$hp/continue-drip"
timed "... with other probes in the run: each says its own" 1 3000 2 --err-has "more than 64 KiB" --err-has "(after " \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$hp/continue-endless" "http://127.0.0.1:$hp/continue-drip" \
	"http://127.0.0.1:$hp/200"
# --watch: no probe holds the watch loop, where signals are read. The server answers the first run
# (COMMAND starts), then streams 1xx; SIGTERM goes to healthy once it does. Endless answers fail at
# once (the bound), a drip at the deadline: either way the watch stops COMMAND and answers 1.
# (timeout --foreground passes a signal to healthy alone, as docker stop sends it to PID 1 alone; its
# SIGKILL 4s later would end a watch that never looks at its signals, with 137.)
for mode in continue-endless continue-drip; do
	start_port "$HELPERS/httpd"; wp=$PORT; again=$TMP/ready.$nready.again
	timeout --foreground -k 4 10 "$HEALTHY" --watch -i 200ms -t 500ms "http://127.0.0.1:$wp/once-200/$mode" \
		-- "$NAMED" sleep hlyP-watchcmd "$TMP/cmd.$mode" 2>"$TMP/watch.err" & w=$!
	wait_file "$again"
	t0=$(date +%s%N)
	kill -TERM "$w" 2>/dev/null     # it may have ended already
	wait "$w"; rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	check "--watch, a server that turns to $mode, SIGTERM: exit 1 (not timeout's 124 or 137)" 0 -- test "$rc" = 1
	check "... within 4s of the SIGTERM (${ms}ms)" 0 -- test "$ms" -lt 4000
	check "... one line, the probe's" 0 -- grep -c "^healthy: http://127.0.0.1:$wp/once-200/$mode: " "$TMP/watch.err"
	check "... and nothing else, but that it stops COMMAND" 0 -- test "$(grep -vc "^healthy: stopping " "$TMP/watch.err")" = 1
	# [d]: check runs pgrep under timeout, whose own command line holds the pattern as typed.
	check "... COMMAND is gone" 1 -- pgrep -f "hlyP-watchcm[d] $TMP/cmd.$mode"
done

# A blackhole: the backlog is full, SYNs are dropped, connect() never completes.
start_port "$HELPERS/sockets" tcp-full 127.0.0.1; full=$PORT
timed "a blackhole http://: exit 1 at the deadline" 1 3000 1 --err-has "timed out after 300ms" \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$full/"
timed "a blackhole connect:: exit 1 at the deadline" 1 3000 1 --err-has "timed out after 300ms" \
	-- timeout 10 "$HEALTHY" -t 300ms "connect:127.0.0.1:$full"

finish
