# --wait and --watch: waiting for dependencies, watching them, supervising COMMAND.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets

# A free port: one the kernel picked, then let go.
"$SOCKETS" tcp-listen 127.0.0.1 0 - "$TMP/free.ready" >/dev/null 2>&1 & fp=$!
wait_file "$TMP/free.ready"; port=$(cat "$TMP/free.ready"); kill "$fp"; wait "$fp" 2>/dev/null

# --wait: a listener that comes up after a while; COMMAND then runs in healthy's place, with its PID.
( sleep 0.3; exec "$SOCKETS" tcp-listen 127.0.0.1 "$port" - "$TMP/late.ready" ) >/dev/null 2>&1 &
own $!
"$HEALTHY" --wait=10s "tcp:$port" -- sh -c 'echo $$ > "$0"' "$TMP/cmd.pid" 2>"$TMP/wait.err" & hp=$!
wait_bounded "--wait for a listener that comes up ends" "$hp"; rc=$?
check "--wait: the listener comes up, COMMAND runs (exit 0)" 0 -- test "$rc" = 0
check "--wait: COMMAND has healthy's PID (exec, not a child)" 0 -- test "$(cat "$TMP/cmd.pid" 2>/dev/null)" = "$hp"
check "--wait: a line when the wait starts, one when the check passes, no more" 0 -- sh -c '
	[ "$(wc -l < "$0")" = 2 ] && head -n 1 "$0" | grep -qx "healthy: waiting up to 10s for 1 check" &&
	tail -n 1 "$0" | grep -q "^healthy: tcp:$1: ok after "' "$TMP/wait.err" "$port"
echo "   (the listener came up 300ms in; $(tail -n 1 "$TMP/wait.err"))"
( sleep 0.3; exec "$NAMED" sleep hly-later "$TMP/later.ready" ) >/dev/null 2>&1 &
own $!
check "--wait for a process that starts later (every run walks /proc anew)" 0 -- "$HEALTHY" -q --wait=10s proc:hly-later
check "--wait without COMMAND: exit 0 once all pass" 0 -- "$HEALTHY" -q --wait=5s "tcp:$port" pid:1
check "--wait that times out: exit 1, each check that never passed with its last reason" 1 \
	--err-has "healthy: tcp:1: gave up after 300ms: not listening on port 1" -- "$HEALTHY" --wait=300ms "tcp:$port" tcp:1
check "--wait=0 waits for ever (here: until it passes)" 0 -- "$HEALTHY" -q --wait=0 "tcp:$port"
check "--wait: COMMAND's own exit status" 7 -- "$HEALTHY" -q --wait "tcp:$port" -- sh -c 'exit 7'
check "--wait: COMMAND not found is 127" 127 --err "healthy: exec /hly/nonexistent: no such file or directory" \
	-- "$HEALTHY" -q --wait "tcp:$port" -- /hly/nonexistent
# COMMAND is looked for in $PATH as execvp does: a directory where it may not run is passed over for the next,
# and says so when no other has it; an empty entry is the working directory; no PATH, musl's default.
mkdir -p "$TMP/pa" "$TMP/pb"
printf '#!/bin/sh\necho "$0"\n' >"$TMP/pa/hly-cmd"; chmod 644 "$TMP/pa/hly-cmd"
printf '#!/bin/sh\necho "$0"\n' >"$TMP/pb/hly-cmd"; chmod 755 "$TMP/pb/hly-cmd"
check "--wait: COMMAND from \$PATH, past a directory where it may not run" 0 --out "$TMP/pb/hly-cmd" \
	-- env "PATH=$TMP/none:$TMP/pa:$TMP/pb" "$HEALTHY" -q --wait pid:1 -- hly-cmd
check "--wait: COMMAND found only where it may not run is 126, permission denied" 126 \
	--err "healthy: exec hly-cmd: permission denied" -- env "PATH=$TMP/pa:$TMP/none" "$HEALTHY" -q --wait pid:1 -- hly-cmd
check "--wait: COMMAND in no directory of \$PATH is 127" 127 --err "healthy: exec hly-cmd: no such file or directory" \
	-- env "PATH=$TMP/none" "$HEALTHY" -q --wait pid:1 -- hly-cmd
check "--wait: an empty \$PATH entry is the working directory" 0 --out "hly-cmd" \
	-- bash -c 'cd "$1" && PATH=":$2" exec "$0" -q --wait pid:1 -- hly-cmd' "$HEALTHY" "$TMP/pb" "$TMP/none"
check "--wait: without \$PATH, /usr/local/bin:/bin:/usr/bin" 0 -- env -u PATH "$HEALTHY" -q --wait pid:1 -- true
check "--wait: COMMAND does not inherit healthy's ignored SIGPIPE" 0 -- "$HEALTHY" -q --wait "tcp:$port" -- \
	bash -c 'ign=$(awk "/^SigIgn/ {print \$2}" /proc/$$/status); [ $(( 0x$ign & 0x1000 )) = 0 ]'
"$HEALTHY" -q --wait=30s tcp:1 -- touch "$TMP/ran" & hp=$!
sleep 0.2; kill -TERM "$hp"; wait_bounded "--wait ends on SIGTERM" "$hp"; rc=$?
check "SIGTERM during --wait ends it at once: exit 143" 0 -- test "$rc" = 143
check "... and COMMAND never ran" 1 -- test -e "$TMP/ran"
# --wait says what it still waits for: every minute, here every 200ms (HEALTHY_WAIT_REPORT_MS), one line per check
# the last run did not pass, at a multiple of the interval; pid:1 passes and has none.
check "--wait: every interval, a line per pending check with its last reason" 0 -- bash -c '
	HEALTHY_WAIT_REPORT_MS=200 "$0" --wait=2s -i 50ms pid:1 tcp:1 2>"$1"; [ $? = 1 ] || exit 1
	mapfile -t l < <(grep "still waiting" "$1"); [ ${#l[@]} -ge 1 ] || exit 1
	[ "$(printf "%s\n" "${l[@]}" | sort -u | wc -l)" = ${#l[@]} ] || exit 1
	for x in "${l[@]}"; do
		[[ $x =~ ^"healthy: still waiting ("(200ms|400ms|600ms|800ms|1s|1\.2s|1\.4s|1\.6s|1\.8s)"): tcp:1: not listening on port 1"$ ]] || exit 1
	done' "$HEALTHY" "$TMP/report.err"
echo "   ($(grep -c "still waiting" "$TMP/report.err") lines in 2s: $(grep "still waiting" "$TMP/report.err" | head -n 1))"
check "HEALTHY_WAIT_REPORT_MS that is not a number: every minute, as without it" 1 \
	--err "healthy: waiting up to 300ms for 1 check"$'\n'"healthy: tcp:1: gave up after 300ms: not listening on port 1" \
	-- env HEALTHY_WAIT_REPORT_MS=0x10 "$HEALTHY" --wait=300ms -i 10ms tcp:1
wait_signal() { # wait_signal SIG: a wait interrupted by SIG after its first run; sets rc, its lines in $TMP/sig.err
	rm -f "$TMP/ran"
	"$HEALTHY" --wait=30s pid:1 tcp:1 -- touch "$TMP/ran" 2>"$TMP/sig.err" & hp=$!
	for i in $(seq 1000); do grep -q "ok after" "$TMP/sig.err" && break; sleep 0.01; done
	kill -"$1" "$hp"; wait_bounded "--wait ends on $1" "$hp"; rc=$?
}
for sig in TERM INT; do
	wait_signal "$sig"
	check "SIG$sig during --wait: exit $((128 + $(kill -l "$sig"))), what it waited for, then why it ends" 0 -- bash -c '
		mapfile -t l < "$0"; [ "$1" = "$2" ] && [ ${#l[@]} = 4 ] &&
		[[ ${l[2]} =~ ^"healthy: still waiting ("[0-9.]+m?s"): tcp:1: not listening on port 1"$ ]] &&
		[ "${l[3]}" = "healthy: wait: interrupted by SIG$3" ] && ! [ -e "$4" ]' \
		"$TMP/sig.err" "$rc" $((128 + $(kill -l "$sig"))) "$sig" "$TMP/ran"
done

# --watch: a watched process killed; the time from kill to exit is reported, not asserted.
watch_kill() { # watch_kill ENV: sets rc and ms
	local w hp t0
	start "$NAMED" sleep hly-watched; w=$PID
	env $1 "$HEALTHY" --watch -i 2s proc:hly-watched "pid:$w" 2>"$TMP/watch.err" & hp=$!
	sleep 0.3
	ls -l "/proc/$hp/fd" 2>/dev/null | grep -c "anon_inode:\[pidfd\]" > "$TMP/pidfds"
	t0=$(date +%s%N); kill "$w"; wait_bounded "--watch ($1) ends when the watched process dies" "$hp"; rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
watch_kill HEALTHY_NO_PIDFD=0
check "--watch: the watched process dies: exit 1" 0 -- test "$rc" = 1
check "... seen through pidfds (the process holds some while it watches)" 0 -- test "$(cat "$TMP/pidfds")" -ge 1
# The pid: check's pidfd fired: that check alone decides, without a walk of /proc for the proc: one.
check "... with the line that says which and why" 0 -- grep -qE "^healthy: pid:[0-9]+: not running" "$TMP/watch.err"
echo "   (pidfd: from kill to exit ${ms}ms, with -i 2s)"
watch_kill HEALTHY_NO_PIDFD=1
check "--watch, polling forced (HEALTHY_NO_PIDFD=1): the death is seen at the next interval" 0 -- test "$rc" = 1
check "... and no pidfd is held" 0 -- test "$(cat "$TMP/pidfds")" = 0
echo "   (polling: from kill to exit ${ms}ms, with -i 2s)"

start "$NAMED" sleep hly-pair; start "$NAMED" sleep hly-pair; pair=$PID
"$HEALTHY" --watch proc:hly-pair,min=2 2>"$TMP/pair.err" & hp=$!
sleep 0.3; kill "$pair"; wait_bounded "--watch ends when the count drops" "$hp"; rc=$?
check "--watch proc:NAME,min=2 notices the count drop below 2" 0 -- test "$rc" = 1
check "... and says so" 0 -- grep -q "1 running, want at least 2" "$TMP/pair.err"
check "--watch: a check that fails at first is a plain failure" 1 --err "healthy: tcp:1: not listening on port 1" \
	-- "$HEALTHY" --watch tcp:1
start "$NAMED" sleep hly-sock
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; wl=$HELPER_PID
"$HEALTHY" --watch -i 200ms "tcp:$PORT" 2>"$TMP/sock.err" & hp=$!
sleep 0.3; kill "$wl"; wait_bounded "--watch ends when the socket goes" "$hp"; rc=$?
check "--watch: a socket check is run again every interval, and its loss ends the watch" 0 -- test "$rc" = 1

# --retries: a pre-fork server's blip. Three workers; one is killed, and once the watch has seen the gap (its first
# line, read from a FIFO), the "master" starts another at once, as nginx does. COMMAND's stderr is not the FIFO.
pre_watch() { # pre_watch NAME RETRIES: a watch of three NAME workers, its lines on fd 3; sets hp, w (a worker), spare
	local i
	# The next worker waits stopped (a stopped process is not running): a SIGCONT starts it in one system call, where
	# a fork and an exec might take longer than the 100ms to the retry on a loaded machine.
	start "$NAMED" sleep "$1"; spare=$PID; kill -STOP "$spare"; wait_state "$spare" T || exit 1
	for i in 1 2 3; do start "$NAMED" sleep "$1"; done; w=$PID
	rm -f "$TMP/$1.fifo" "$TMP/$1.pid"; mkfifo "$TMP/$1.fifo"
	"$HEALTHY" --watch --retries "$2" -i 5s "proc:$1,min=3" -- \
		sh -c 'echo $$ > "$0"; exec sleep 300 2>/dev/null' "$TMP/$1.pid" 2>"$TMP/$1.fifo" & hp=$!
	exec 3<"$TMP/$1.fifo"
	wait_file "$TMP/$1.pid"
}
pre_watch hlyW-pre 2
kill "$w"; read -t 10 -r l1 <&3
kill -CONT "$spare"; read -t 10 -r l2 <&3
check "--retries 2: a worker killed and at once replaced does not stop COMMAND" 0 -- \
	kill -0 "$(cat "$TMP/hlyW-pre.pid")" "$hp"
check "... and the watch says so: the failure, then that the check passed again" 0 -- bash -c '
	[[ $0 == "healthy: proc:hlyW-pre,min=3: failure 1 of 2: 2 running, want at least 3 "* ]] &&
	[[ $1 =~ ^"healthy: proc:hlyW-pre,min=3: ok again after "[0-9.]+m?s$ ]]' "$l1" "$l2"
echo "   ($l2: the first retry comes 100ms after a failure)"
kill "$spare"; wait_bounded "--retries 2 ends when a worker is gone for good" "$hp"; rc=$?
timeout 10 cat <&3 > "$TMP/hlyW-pre.rest"; exec 3<&-
check "... but a worker gone for good stops it after two failing runs: exit 1" 0 -- bash -c '
	mapfile -t l < "$0"; [ "$1" = 1 ] && [ ${#l[@]} = 3 ] &&
	[[ ${l[0]} == "healthy: proc:hlyW-pre,min=3: failure 1 of 2: 2 running, want at least 3 "* ]] &&
	[[ ${l[1]} == "healthy: proc:hlyW-pre,min=3: 2 running, want at least 3 "* ]] &&
	[ "${l[2]}" = "healthy: stopping sh (pid $2): SIGTERM" ]' "$TMP/hlyW-pre.rest" "$rc" "$(cat "$TMP/hlyW-pre.pid")"
pre_watch hlyW-pre1 1
kill "$w"; read -t 10 -r l1 <&3
kill -CONT "$spare"
wait_bounded "--retries 1 ends on a blip" "$hp"; rc=$?
timeout 10 cat <&3 > "$TMP/hlyW-pre1.rest"; exec 3<&-
check "--retries 1: the same blip stops COMMAND, as --watch always did" 0 -- bash -c '
	[ "$1" = 1 ] && [[ $0 == "healthy: proc:hlyW-pre1,min=3: 2 running, want at least 3 "* ]] &&
	[ "$(cat "$2")" = "healthy: stopping sh (pid $3): SIGTERM" ]' "$l1" "$rc" "$TMP/hlyW-pre1.rest" "$(cat "$TMP/hlyW-pre1.pid")"

# A check healthy cannot make (3) never stops COMMAND: it is said once, not every run, and once more when it can be
# made again; a real failure still ends the watch. The watch runs as uid 65534, the pid file's directory is closed
# to it, then opened again.
switches() { sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
pidfd_held() { # pidfd_held PID: up to 10 s for PID to hold a pidfd (a watch holds them once a run passed)
	local i
	for i in $(seq 1000); do ls -l "/proc/$1/fd" 2>/dev/null | grep -q "anon_inode:\[pidfd\]" && return 0; sleep 0.01; done
	return 1
}
mkdir -m 755 "$TMP/lk"; start "$NAMED" sleep hlyW-unsure; w=$PID; echo "$w" > "$TMP/lk/p"; mkfifo "$TMP/lk.fifo"
setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" --watch -i 50ms "pidfile:$TMP/lk/p" -- \
	sh -c 'echo $$ > "$0"; exec sleep 300 2>/dev/null' "$TMP/lk.pid" 2>"$TMP/lk.fifo" & hp=$!
exec 3<"$TMP/lk.fifo"
wait_file "$TMP/lk.pid"; chmod 700 "$TMP/lk"; read -t 10 -r l1 <&3
# Each run ends in a poll that sleeps, a voluntary context switch: six more are three runs or more.
v=$(switches "$hp"); for i in $(seq 1000); do [ "$(switches "$hp")" -lt $((v + 6)) ] 2>/dev/null || break; sleep 0.01; done
chmod 755 "$TMP/lk"; read -t 10 -r l2 <&3
check "--watch: a check that cannot be made (3) leaves COMMAND running" 0 -- kill -0 "$(cat "$TMP/lk.pid")" "$hp"
check "... said once, not every run, and once more when it can be made again" 0 -- bash -c '
	[ "$0" = "healthy: pidfile:$2/lk/p: cannot check, still watching: open $2/lk/p: permission denied" ] &&
	[[ $1 =~ ^"healthy: pidfile:$2/lk/p: ok again after "[0-9.]+m?s$ ]]' "$l1" "$l2" "$TMP"
kill "$w"; wait_bounded "--watch ends on a failure after a check it could not make" "$hp"; rc=$?
timeout 10 cat <&3 > "$TMP/lk.rest"; exec 3<&-
check "... a failure after it still stops COMMAND: exit 1" 0 -- bash -c '
	mapfile -t l < "$0"; [ "$1" = 1 ] && [ ${#l[@]} = 2 ] && [[ ${l[0]} == "healthy: pidfile:$2/lk/p: pid $3 not running"* ]] &&
	[ "${l[1]}" = "healthy: stopping sh (pid $4): SIGTERM" ]' "$TMP/lk.rest" "$rc" "$TMP" "$w" "$(cat "$TMP/lk.pid")"
# Without COMMAND too, the watch goes on: only a failure or a signal ends it.
start "$NAMED" sleep hlyW-unsure2; echo "$PID" > "$TMP/lk/p2"
setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" --watch -i 50ms "pidfile:$TMP/lk/p2" 2>"$TMP/lk2.err" & hp=$!
pidfd_held "$hp"; chmod 700 "$TMP/lk"
for i in $(seq 1000); do [ -s "$TMP/lk2.err" ] && break; sleep 0.01; done
kill -TERM "$hp"; wait_bounded "--watch without COMMAND goes on while it cannot check" "$hp"; rc=$?
check "--watch without COMMAND: a check it cannot make does not end it; SIGTERM does (143)" 0 -- test "$rc:$(cat "$TMP/lk2.err")" = \
	"143:healthy: pidfile:$TMP/lk/p2: cannot check, still watching: open $TMP/lk/p2: permission denied"
check "--watch: a check it cannot make at first is 3, as a single run answers" 3 \
	--err "healthy: pidfile:$TMP/lk/p2: open $TMP/lk/p2: permission denied" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" --watch "pidfile:$TMP/lk/p2" -- true
chmod 755 "$TMP/lk"

# A /proc of another PID namespace than healthy's (unshare -p without its own /proc): the walk sees
# processes by numbers pidfd_open() cannot find. The watch falls back to the interval; it does not spin,
# and SIGTERM ends it.
if unshare -pf true 2>/dev/null; then
	start "$NAMED" sleep hlyW-nsother
	unshare -pf --kill-child "$HEALTHY" --watch -i 300ms proc:hlyW-nsother 2>/dev/null & u=$!; own $u
	for i in $(seq 200); do w=$(pgrep -P "$u"); [ -n "$w" ] && break; sleep 0.01; done
	sleep 0.5
	# (Not bounded's wait, which a builtin runs unbounded: a watch that ignores SIGTERM would hang the test.)
	kill -TERM "$w" 2>/dev/null
	timeout 20 tail --pid="$u" -f /dev/null || kill -KILL "$w" "$u" 2>/dev/null
	wait "$u"; rc=$?
	check "--watch over a /proc of another PID namespace: SIGTERM ends it, 143 (it does not spin past it)" 0 \
		-- test "$rc" = 143
else
	skip "--watch over another PID namespace's /proc" "unshare -p is not allowed here"
fi

# PID reuse: in a PID namespace of its own, ns_last_pid hands the watched PID to a new process.
if unshare -pf --mount-proc true 2>/dev/null; then
	check "--watch never takes a new process with a reused PID for the one it watched" 0 -- \
		unshare -pf --mount-proc sh -c '
		sleep 60 & w=$!
		HEALTHY_NO_PIDFD=1 "$0" --watch -i 300ms "pid:$w" 2>"$1" & h=$!
		sleep 0.2; kill $w; wait $w
		echo $((w - 1)) > /proc/sys/kernel/ns_last_pid; sleep 60 & n=$!
		[ "$n" = "$w" ] || { echo "pid $n, not $w: cannot test" >&2; exit 2; }
		wait $h; r=$?; kill $n; [ $r = 1 ] && grep -q "is another process now" "$1"' "$HEALTHY" "$TMP/reuse.err"
else
	skip "PID reuse" "unshare -p is not allowed here"
fi

# --watch -- COMMAND: supervision.
check "--watch: COMMAND's exit status is healthy's" 7 -- "$HEALTHY" --watch pid:1 -- sh -c 'exit 7'
check "--watch: COMMAND killed by a signal: 128+signal" 137 -- "$HEALTHY" --watch pid:1 -- sh -c 'kill -9 $$'
start "$NAMED" sleep hly-dep; dep=$PID
"$HEALTHY" --watch -g 5s proc:hly-dep -- sh -c 'trap "echo term > $0; exit 0" TERM; while :; do sleep 0.05; done' "$TMP/term" 2>"$TMP/dep.err" & hp=$!
sleep 0.4; kill "$dep"; wait_bounded "--watch -- COMMAND ends when the dependency dies" "$hp"; rc=$?
check "--watch: the dependency dies while COMMAND runs: exit 1" 0 -- test "$rc" = 1
check "... COMMAND got SIGTERM" 0 -- grep -qx term "$TMP/term"
check "... and the line says which check failed" 0 -- grep -q "^healthy: proc:hly-dep: not running" "$TMP/dep.err"
start "$NAMED" sleep hly-dep2; dep=$PID
"$HEALTHY" --watch -g 300ms proc:hly-dep2 -- sh -c 'trap "" TERM; echo $$ > "$0"; while :; do sleep 0.05; done' "$TMP/stubborn" 2>/dev/null & hp=$!
wait_file "$TMP/stubborn"; sleep 0.2; kill "$dep"; wait_bounded "--watch ends a COMMAND that ignores SIGTERM" "$hp"; rc=$?
check "--watch: a COMMAND that ignores SIGTERM is killed after the grace" 0 -- test "$rc" = 1
check "... and is gone" 1 -- kill -0 "$(cat "$TMP/stubborn")"
# Stopping COMMAND is said: SIGTERM, and SIGKILL when the grace runs out. (The first line may add "(1 zombie)":
# this shell reaps the helper it killed when it gets to it.)
start "$NAMED" sleep hlyW-stop; dep=$PID
"$HEALTHY" --watch -g 5s proc:hlyW-stop -- sh -c 'trap "exit 0" TERM; echo $$ > "$0"; while :; do sleep 0.05; done' "$TMP/stop.pid" 2>"$TMP/stop.err" & hp=$!
wait_file "$TMP/stop.pid"; kill "$dep"; wait_bounded "--watch stops a COMMAND that exits on SIGTERM" "$hp"; rc=$?
check "--watch: stopping COMMAND is said, SIGTERM only when it ends on it" 0 -- test "$rc:$(head -c 36 "$TMP/stop.err"):$(tail -n +2 "$TMP/stop.err")" = \
	"1:healthy: proc:hlyW-stop: not running:healthy: stopping sh (pid $(cat "$TMP/stop.pid")): SIGTERM"
start "$NAMED" sleep hlyW-stop2; dep=$PID
"$HEALTHY" --watch -g 300ms proc:hlyW-stop2 -- sh -c 'trap "" TERM; echo $$ > "$0"; while :; do sleep 0.05; done' "$TMP/stop2.pid" 2>"$TMP/stop2.err" & hp=$!
wait_file "$TMP/stop2.pid"; kill "$dep"; wait_bounded "--watch kills a COMMAND that ignores SIGTERM" "$hp"; rc=$?
w=$(cat "$TMP/stop2.pid")
check "--watch: ... and SIGKILL when it outlives the grace" 0 -- test "$rc:$(head -c 37 "$TMP/stop2.err"):$(tail -n +2 "$TMP/stop2.err")" = \
	"1:healthy: proc:hlyW-stop2: not running:healthy: stopping sh (pid $w): SIGTERM"$'\n'"healthy: stopping sh (pid $w): still running after 300ms: SIGKILL"
# COMMAND removes the file the watch checks, and ignores SIGTERM: the SIGKILL is not said either.
touch "$TMP/stopq"
check "--watch -q: no stopping lines either" 1 --err "" -- \
	"$HEALTHY" -q --watch -i 100ms -g 100ms "file:$TMP/stopq" -- sh -c 'trap "" TERM; rm "$0"; while :; do sleep 0.05; done' "$TMP/stopq"
check "... (COMMAND ran)" 1 -- test -e "$TMP/stopq"
"$HEALTHY" --watch pid:1 -- sh -c 'trap "echo usr1 >> $0" USR1; trap "exit 5" TERM; echo ready >> $0; while :; do sleep 0.05; done' "$TMP/sig" & hp=$!
for i in $(seq 200); do grep -q ready "$TMP/sig" 2>/dev/null && break; sleep 0.01; done
kill -USR1 "$hp"; sleep 0.3; kill -TERM "$hp"; wait_bounded "--watch -- COMMAND ends on a forwarded SIGTERM" "$hp"; rc=$?
check "--watch: SIGUSR1 is forwarded to COMMAND" 0 -- grep -qx usr1 "$TMP/sig"
check "--watch: SIGTERM is forwarded, and COMMAND's status comes back" 0 -- test "$rc" = 5
"$HEALTHY" --watch pid:1 2>/dev/null & hp=$!
sleep 0.2; kill -TERM "$hp"; wait_bounded "--watch without COMMAND ends on SIGTERM" "$hp"; rc=$?
check "--watch without COMMAND: SIGTERM ends it, 143" 0 -- test "$rc" = 143

# As PID 1, healthy reaps the orphans it adopts, as tini does.
if unshare -pf --mount-proc true 2>/dev/null; then
	# (file:/, not pid:1: as PID 1, pid:1 is healthy itself, never the service.)
	check "--watch as PID 1 reaps adopted orphans" 0 -- unshare -pf --mount-proc "$HEALTHY" --watch file:/ -- sh -c '
		sh -c "sleep 0.2 & exit 0"; sleep 1
		for s in /proc/[0-9]*/status; do grep -q "^State:.Z" "$s" 2>/dev/null && { echo "zombie: $s" >&2; exit 1; }; done; exit 0'
fi

# A steady stream of forwarded signals does not put the checks off.
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; sl=$HELPER_PID
"$HEALTHY" --watch -i 300ms "tcp:$PORT" -- sh -c 'trap "" USR1; while :; do sleep 0.05; done' 2>/dev/null & hp=$!
sleep 0.3; kill "$sl"
for i in $(seq 30); do kill -USR1 "$hp" 2>/dev/null || break; sleep 0.1; done
wait_bounded "--watch ends under a stream of signals" "$hp"; rc=$?
check "--watch: signals every 100ms do not stop a 300ms interval from finding the loss" 0 -- test "$rc" = 1 -a "$i" -lt 30

# --wait that cannot check is 3, as a single run would answer.
mkdir -p "$TMP/locked"; echo 1 > "$TMP/locked/p"; chmod 700 "$TMP/locked"
check "--wait: a check healthy cannot make is exit 3, not 1" 3 --err-has "gave up after 200ms: open $TMP/locked/p: permission denied" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" --wait=200ms "pidfile:$TMP/locked/p"

# Usage.
check "-v does not go with --wait" 2 --err-has "healthy: -v does not go with --wait or --watch" -- "$HEALTHY" -v --wait pid:1
check "-- COMMAND needs --wait or --watch" 2 --err "healthy: -- COMMAND needs --wait or --watch" -- "$HEALTHY" pid:1 -- true
check "-- needs a COMMAND" 2 --err "healthy: --: needs a COMMAND after it" -- "$HEALTHY" --wait pid:1 --
check "-i needs --wait or --watch" 2 --err "healthy: -i needs --wait or --watch" -- "$HEALTHY" -i 1s pid:1
check "-g needs --watch" 2 --err "healthy: -g needs --watch" -- "$HEALTHY" --wait -g 1s pid:1
check "--retries needs --watch" 2 --err "healthy: --retries needs --watch" -- "$HEALTHY" --wait --retries 2 pid:1
check "--retries takes 1 to 1000" 2 --err "healthy: --retries 0: not a whole number from 1 to 1000" -- "$HEALTHY" --watch --retries 0 pid:1
check "--retries=1000 is taken" 7 -- "$HEALTHY" --watch --retries=1000 pid:1 -- sh -c 'exit 7'
check "--wait=DURATION must be a duration" 2 --err "healthy: --wait 5x: not a duration (500ms, 5s, 2m)" -- "$HEALTHY" --wait=5x pid:1

finish
