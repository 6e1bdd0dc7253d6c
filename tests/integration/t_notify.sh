# --notify (issue 18): readiness for supervisors. READY=1 (and STOPPING=1 when a --watch ends on a failed check) as a
# datagram to $NOTIFY_SOCKET, systemd's sd_notify(); or, with --notify=fd:N, one newline on descriptor N, then closed,
# as s6 and runit read it. Real sockets: a listener of this test's own (python3) records every datagram it receives,
# its bytes in hex and the sender's PID (SO_PASSCRED). Exact bytes are asserted, never a time.
. "$(dirname "$0")/lib.sh"

# listen.py ADDR RECORD READY: binds a unix datagram socket at ADDR (a path, or @name: abstract) and appends a line per
# datagram to RECORD: "PID HEX" (the sender's PID from SCM_CREDENTIALS, the bytes in hex). Descriptors that come with a
# datagram (systemd-notify's BARRIER=1 sends one) are closed at once, which is the barrier's answer.
cat >"$TMP/hlyq-listen.py" <<'EOF'
import os, socket, struct, sys
addr, record, ready = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
out = open(record, "a")
with open(ready, "w") as f:
    f.write("ok")
while True:
    data, anc, flags, _ = s.recvmsg(65536, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(64))
    pid = "-"
    for level, kind, d in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = str(struct.unpack("iII", d[:12])[0])
        elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for i in range(0, len(d) - len(d) % 4, 4):
                os.close(struct.unpack("i", d[i:i + 4])[0])
    out.write("%s %s\n" % (pid, data.hex() or "-"))
    out.flush()
EOF
# send.py ADDR TEXT: one datagram. send.py ADDR --fill: datagrams until the receiver's queue is full (EAGAIN).
cat >"$TMP/hlyq-send.py" <<'EOF'
import socket, sys
addr = sys.argv[1]
addr = "\0" + addr[1:] if addr.startswith("@") else addr
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if sys.argv[2] != "--fill":
    s.sendto(sys.argv[2].encode(), addr)
    sys.exit(0)
s.setblocking(False)
for n in range(100000):
    try:
        s.sendto(b"hlyq-fill", addr)
    except BlockingIOError:
        print(n)
        sys.exit(0)
sys.exit(1)
EOF
# fdrun.py PIDFILE THEN -- HEALTHY ARGS...: runs healthy with a pipe's write end (its number where an argument holds
# {fd}) and reads the pipe to its end. Then says what came and whether healthy's process still runs; with a PIDFILE
# (not "-"; COMMAND writes its PID there), whether COMMAND runs, holds the pipe, is healthy's own process. THEN:
# "kill" kills healthy's process (--wait: COMMAND in its place), "wait" waits for it; a path is removed first (the
# watch's flag), then healthy is waited for. A wait prints healthy's exit status.
cat >"$TMP/hlyq-fdrun.py" <<'EOF'
import os, select, subprocess, sys, time
pidfile, then, argv = sys.argv[1], sys.argv[2], sys.argv[4:]
r, w = os.pipe()
ino = os.fstat(r).st_ino
p = subprocess.Popen([a.replace("{fd}", str(w)) for a in argv], pass_fds=[w], stdin=subprocess.DEVNULL)
os.close(w)
data = b""
while True:
    # A hang bound, not an assertion: a pipe that never ends is said as such.
    if not select.select([r], [], [], 60)[0]:
        print("no end of the pipe in 60s; got %r" % data)
        p.kill()
        sys.exit(1)
    b = os.read(r, 100)
    if not b:
        break
    data += b
running = p.poll() is None
print("got=%r" % data)
print("healthy_running=%s" % running)
if pidfile != "-":
    for i in range(1000):
        if os.path.exists(pidfile) and os.path.getsize(pidfile):
            break
        time.sleep(0.01)
    cmd = int(open(pidfile).read())
    held = False
    try:
        for f in os.listdir("/proc/%d/fd" % cmd):
            try:
                held |= os.readlink("/proc/%d/fd/%s" % (cmd, f)) == "pipe:[%d]" % ino
            except OSError:
                pass
        print("command_running=True command_holds_pipe=%s command_is_healthy=%s" % (held, cmd == p.pid))
    except OSError:
        print("command_running=False")
if then == "kill":
    p.kill()
    p.wait()
    sys.exit(0)
if then != "wait":
    os.remove(then)
try:
    print("rc=%d" % p.wait(60))
except subprocess.TimeoutExpired:
    p.kill()
    print("healthy did not end in 60s")
EOF
LISTEN=$TMP/hlyq-listen.py SEND=$TMP/hlyq-send.py FDRUN=$TMP/hlyq-fdrun.py

# hx TEXT: TEXT's bytes in hex, as the record has them.
hx() { printf %s "$1" | od -An -tx1 -v | tr -d ' \n'; }
HX_READY=$(hx READY=1) HX_STOPPING=$(hx STOPPING=1) MARK=$(hx hlyq-mark-)
HX_BARRIER=$(hx BARRIER=1)

# listen ADDR: a listener on ADDR; SOCK is ADDR, REC its record, LPID its PID.
nrec=0
listen() {
	SOCK=$1 REC=$TMP/hlyq-rec.$((nrec += 1))
	start python3 "$LISTEN" "$SOCK" "$REC"
	LPID=$PID
}
send() { bounded python3 "$SEND" "$@"; }
# heard: the datagrams the listener got since the last heard, one "PID HEX" line each. A mark of this test's own is
# sent and waited for: the socket's queue is in order, so every datagram sent before it is in the record by then.
# (Each mark is unique without a counter: heard runs in $(...).)
heard() {
	local t="hlyq-mark-$EPOCHREALTIME-$RANDOM" m i
	m=$(hx "$t")
	send "$SOCK" "$t"
	for i in $(seq 1000); do grep -q " $m\$" "$REC" && break; sleep 0.01; done
	awk -v m="$m" -v mark="$MARK" '$2 == m { exit } index($2, mark) == 1 { n = 0; next } { l[n++] = $0 }
		END { for (i = 0; i < n; i++) print l[i] }' "$REC"
}
# wait_heard HEX: up to 10 s for the record to hold a datagram of bytes HEX.
wait_heard() {
	local i
	for i in $(seq 1000); do grep -q " $1\$" "$REC" && return 0; sleep 0.01; done
	echo "timed out waiting for $1 in $REC" >&2
	return 1
}
# notify_lines FILE: healthy's lines about --notify in FILE.
notify_lines() { grep -e '--notify' "$1"; }

# 1. The reference: systemd's own client. Only its first datagram counts (a BARRIER=1 may follow).
listen "$TMP/hlyq-ref.sock"
NOTIFY_SOCKET=$SOCK bounded systemd-notify --ready >/dev/null 2>&1
refs=$(heard | awk '{ print $2 }')
ref=${refs%%$'\n'*}
check "systemd-notify --ready sends READY=1, 7 bytes, no newline (the reference)" 0 -- test "$ref" = "$HX_READY"
NOTIFY_SOCKET=$SOCK "$HEALTHY" -q --wait --notify pid:1 & hp=$!
wait_bounded "--wait --notify ends" "$hp"; rc=$?
got=$(heard)
# Exiting at once, healthy then waits, as systemd-notify does, for the supervisor to have read it: BARRIER=1.
check "--wait --notify: exit 0, READY=1 then BARRIER=1, byte for byte systemd-notify's, from healthy's process" 0 -- \
	test "$rc:$got" = "0:$hp $ref"$'\n'"$hp $HX_BARRIER"
check "... the datagrams systemd-notify --ready sends" 0 -- test "$(awk '{ print $2 }' <<<"$got")" = "$refs"

# 2. --wait to a path and to an abstract name: one READY=1, then COMMAND, in healthy's place (its PID sent it).
for addr in "$TMP/hlyq-path.sock" "@hlyq-$$-$RANDOM-abstract"; do
	kind=path; [ "${addr:0:1}" = @ ] && kind=abstract
	listen "$addr"
	rm -f "$TMP/cmd.pid"
	NOTIFY_SOCKET=$SOCK "$HEALTHY" --wait=10s --notify pid:1 -- \
		sh -c 'echo $$ > "$0"; exec python3 "$1" "$2" hlyq-cmd' "$TMP/cmd.pid" "$SEND" "$SOCK" 2>"$TMP/w.err" & hp=$!
	wait_bounded "--wait --notify ($kind) ends" "$hp"; rc=$?
	got=$(heard)
	check "--wait --notify, $kind socket: exit 0 (COMMAND's)" 0 -- test "$rc" = 0
	check "... READY=1 exactly once, then COMMAND's own datagram: READY came before COMMAND ran" 0 -- \
		test "$got" = "$hp $HX_READY"$'\n'"$hp $(hx hlyq-cmd)"
	check "... sent by the process that became COMMAND (healthy execs it)" 0 -- test "$(cat "$TMP/cmd.pid")" = "$hp"
	check "... and nothing said about --notify" 1 -- notify_lines "$TMP/w.err"
done
listen "@hlyq-$$-$RANDOM-nocmd"
check "--wait --notify without COMMAND, abstract socket: exit 0" 0 --err "" -- env NOTIFY_SOCKET="$SOCK" "$HEALTHY" -q --wait --notify pid:1
check "... READY=1, then BARRIER=1" 0 -- test "$(heard | awk '{ print $2 }')" = "$HX_READY"$'\n'"$HX_BARRIER"
# The longest path a sun_path holds (107 bytes and its NUL).
long=$TMP/hlyq-; long=$long$(printf '%*s' $((107 - ${#long})) '' | tr ' ' x)
listen "$long"
check "--notify to a path of 107 bytes (the most sun_path holds): exit 0" 0 -- env NOTIFY_SOCKET="$SOCK" "$HEALTHY" -q --wait --notify pid:1
check "... READY=1, then BARRIER=1" 0 -- test "$(heard | awk '{ print $2 }')" = "$HX_READY"$'\n'"$HX_BARRIER"

# 3. A --wait that gives up sends nothing; nor does a --watch whose first run fails.
listen "$TMP/hlyq-giveup.sock"
check "--wait --notify that gives up: exit 1" 1 -- env NOTIFY_SOCKET="$SOCK" "$HEALTHY" -q --wait=300ms -i 50ms --notify tcp:1 -- touch "$TMP/hlyq-ran"
check "... nothing sent" 0 -- test -z "$(heard)"
check "... and COMMAND never ran" 1 -- test -e "$TMP/hlyq-ran"
check "--watch --notify whose first run fails: exit 1" 1 -- env NOTIFY_SOCKET="$SOCK" "$HEALTHY" -q --watch --notify tcp:1 -- touch "$TMP/hlyq-ran"
check "... nothing sent" 0 -- test -z "$(heard)"

# 4. --watch: READY=1 after the first run, before COMMAND starts; STOPPING=1 when a check fails, before COMMAND is stopped.
listen "$TMP/hlyq-watch.sock"
touch "$TMP/flag"
NOTIFY_SOCKET=$SOCK "$HEALTHY" --watch -i 100ms --notify "file:$TMP/flag" -- sleep 30 2>"$TMP/watch.err" & hp=$!
wait_heard "$HX_READY"
for i in $(seq 1000); do c=$(pgrep -P "$hp" -x sleep) && break; sleep 0.01; done
got=$(heard)
check "--watch --notify: READY=1 once the first run passes, sent by healthy" 0 -- test "$got" = "$hp $HX_READY"
check "... COMMAND runs, as healthy's child" 0 -- test -n "$c"
rm "$TMP/flag"
wait_bounded "--watch --notify ends when the flag goes" "$hp"; rc=$?
got=$(heard)
check "the flag removed: exit 1, STOPPING=1 exactly once" 0 -- test "$rc:$got" = "1:$hp $HX_STOPPING"
check "... COMMAND stopped: the failure, then the SIGTERM line, no more" 0 -- bash -c '
	mapfile -t l < "$0"; [ ${#l[@]} = 2 ] && [[ ${l[0]} == "healthy: file:$1/flag: "* ]] &&
	[ "${l[1]}" = "healthy: stopping sleep (pid $2): SIGTERM" ]' "$TMP/watch.err" "$TMP" "$c"
check "... and gone" 1 -- kill -0 "$c"
# The order, as COMMAND itself sees it: its first datagram after READY=1, the one its SIGTERM trap sends after STOPPING=1.
listen "$TMP/hlyq-watch2.sock"
touch "$TMP/flag"; rm -f "$TMP/cmd.pid"
NOTIFY_SOCKET=$SOCK "$HEALTHY" --watch -i 100ms -g 10s --notify "file:$TMP/flag" -- sh -c '
	trap "python3 \"\$1\" \"\$2\" hlyq-term; exit 0" TERM
	echo $$ > "$0"; python3 "$1" "$2" hlyq-cmd; while :; do sleep 0.05; done' "$TMP/cmd.pid" "$SEND" "$SOCK" 2>"$TMP/watch2.err" & hp=$!
wait_heard "$(hx hlyq-cmd)"; c=$(cat "$TMP/cmd.pid")
rm "$TMP/flag"
wait_bounded "--watch --notify ends, COMMAND trapping SIGTERM" "$hp"; rc=$?
got=$(heard | awk '{ print $2 }' | tr '\n' ' ')
check "--watch --notify: READY=1, COMMAND starts, STOPPING=1, COMMAND gets SIGTERM: in that order, exit 1" 0 -- \
	test "$rc:$got" = "1:$HX_READY $(hx hlyq-cmd) $HX_STOPPING $(hx hlyq-term) "
check "... the SIGTERM line names COMMAND" 0 -- test "$(tail -n 1 "$TMP/watch2.err")" = "healthy: stopping sh (pid $c): SIGTERM"
# --wait and --watch: the wait's success is the READY; the watch's first run sends no second one.
listen "$TMP/hlyq-watch3.sock"
touch "$TMP/flag"
NOTIFY_SOCKET=$SOCK "$HEALTHY" -q --wait=10s --watch -i 100ms --notify "file:$TMP/flag" -- sleep 30 & hp=$!
wait_heard "$HX_READY"
for i in $(seq 1000); do c=$(pgrep -P "$hp" -x sleep) && break; sleep 0.01; done
# The watch's first run comes before COMMAND starts: a second READY=1 would be in the queue by now.
check "--wait --watch --notify: COMMAND runs" 0 -- test -n "$c"
got=$(heard)
check "... READY=1 exactly once" 0 -- test "$got" = "$hp $HX_READY"
rm "$TMP/flag"
wait_bounded "--wait --watch --notify ends" "$hp"; rc=$?
check "... then STOPPING=1 once when the flag goes, exit 1" 0 -- test "$rc:$(heard)" = "1:$hp $HX_STOPPING"

# 5. --notify=fd:N: a newline, then the descriptor closed, while COMMAND runs (COMMAND does not get it).
check "--wait --notify=fd:N: \"\\n\", then the end of the pipe, while COMMAND (healthy's process) runs without it" 0 \
	--out "got=b'\\n'"$'\n'"healthy_running=True"$'\n'"command_running=True command_holds_pipe=False command_is_healthy=True" -- \
	python3 "$FDRUN" "$TMP/fd1.pid" kill -- "$HEALTHY" -q --wait=10s '--notify=fd:{fd}' pid:1 -- \
	sh -c 'echo $$ > "$0"; exec sleep 300' "$TMP/fd1.pid"
check "--wait --notify=fd:N without COMMAND: \"\\n\", the end of the pipe, exit 0" 0 --out-has "got=b'\\n'" --out-has "rc=0" -- \
	python3 "$FDRUN" - wait -- "$HEALTHY" -q --wait=10s '--notify=fd:{fd}' pid:1
touch "$TMP/flag"
check "--watch --notify=fd:N: the newline, the pipe ends while COMMAND runs without it; nothing at STOPPING; exit 1" 0 \
	--out "got=b'\\n'"$'\n'"healthy_running=True"$'\n'"command_running=True command_holds_pipe=False command_is_healthy=False"$'\n'"rc=1" -- \
	bash -c '"$@" 2>"$0"' "$TMP/fd2.err" python3 "$FDRUN" "$TMP/fd2.pid" "$TMP/flag" -- "$HEALTHY" --watch -i 100ms \
	'--notify=fd:{fd}' "file:$TMP/flag" -- sh -c 'echo $$ > "$0"; exec sleep 300' "$TMP/fd2.pid"
check "... its lines: the failure, COMMAND stopped, nothing about --notify" 0 -- bash -c '
	mapfile -t l < "$0"; [ ${#l[@]} = 2 ] && [[ ${l[0]} == "healthy: file:$1/flag: "* ]] &&
	[ "${l[1]}" = "healthy: stopping sh (pid $2): SIGTERM" ]' "$TMP/fd2.err" "$TMP" "$(cat "$TMP/fd2.pid")"
# (Whether healthy's process is still there when the pipe ends, as it exits, is a race: not asserted.)
check "--wait --notify=fd:N that gives up: the pipe ends with nothing on it, exit 1" 0 --out-has "got=b''" --out-has "rc=1" -- \
	python3 "$FDRUN" - wait -- "$HEALTHY" -q --wait=300ms -i 50ms '--notify=fd:{fd}' tcp:1
check "--watch --notify=fd:N whose first run fails: nothing on the pipe, exit 1" 0 --out-has "got=b''" --out-has "rc=1" -- \
	python3 "$FDRUN" - wait -- "$HEALTHY" -q --watch '--notify=fd:{fd}' tcp:1 -- true
check "--notify=fd:N to a pipe nobody reads: one line (broken pipe), COMMAND still runs" 7 -- python3 -c '
import os, subprocess, sys
r, w = os.pipe(); os.close(r)
p = subprocess.run([sys.argv[1], "--wait", "--notify=fd:%d" % w, "pid:1", "--", "sh", "-c", "exit 7"], pass_fds=[w],
	stderr=subprocess.PIPE)
sys.stderr.write(p.stderr.decode())
l = [x for x in p.stderr.decode().splitlines() if "--notify" in x]
sys.exit(p.returncode if l == ["healthy: --notify: cannot send READY=1 to fd %d: broken pipe" % w] else 100)' "$HEALTHY"

# 6. Usage errors: exit 2, and the exact line.
check "--notify without --wait or --watch" 2 --err "healthy: --notify needs --wait or --watch (it says when the checks first pass)" \
	-- env NOTIFY_SOCKET="$TMP/hlyq-path.sock" "$HEALTHY" --notify pid:1
check "--notify=fd:N without --wait or --watch" 2 --err "healthy: --notify needs --wait or --watch (it says when the checks first pass)" \
	-- "$HEALTHY" --notify=fd:7 pid:1
check "--notify=fd:1: stdout is no supervisor's descriptor" 2 \
	--err "healthy: --notify=fd:1: 0, 1 and 2 are stdin, stdout and stderr: give the supervisor's descriptor" \
	-- "$HEALTHY" --wait --notify=fd:1 pid:1
# fd:N is looked at before --log opens its file, which would otherwise take N's number and pass for it.
check "--notify=fd:3 with no fd 3 and --log: the usage error, not the log's descriptor" 2 \
	--err "healthy: --notify=fd:3: that descriptor is not open" \
	-- bash -c 'exec 3>&-; exec "$0" --log="$1" --wait --notify=fd:3 pid:1' "$HEALTHY" "$TMP/hlyq-fd3.log"
check "... and the log got no newline" 0 -- bash -c '! [ -s "$0" ]' "$TMP/hlyq-fd3.log"
unset_msg='healthy: --notify: NOTIFY_SOCKET is not set (systemd sets it for Type=notify; s6 and runit: --notify=fd:N)'
check "--wait --notify, NOTIFY_SOCKET unset" 2 --err "$unset_msg" -- env -u NOTIFY_SOCKET "$HEALTHY" --wait --notify pid:1 -- touch "$TMP/hlyq-ran"
check "... COMMAND not run" 1 -- test -e "$TMP/hlyq-ran"
check "--watch --notify, NOTIFY_SOCKET unset" 2 --err "$unset_msg" -- env -u NOTIFY_SOCKET "$HEALTHY" --watch --notify pid:1 -- touch "$TMP/hlyq-ran"
check "--wait=1m --notify on a check that fails, NOTIFY_SOCKET unset: said before any wait" 2 --err "$unset_msg" \
	-- env -u NOTIFY_SOCKET "$HEALTHY" --wait=1m --notify tcp:1
check "... COMMAND not run" 1 -- test -e "$TMP/hlyq-ran"
for v in relative vsock:2:1 "hlyq/x.sock"; do
	check "NOTIFY_SOCKET=$v" 2 --err "healthy: --notify: NOTIFY_SOCKET is not a unix socket's path or @name" \
		-- env NOTIFY_SOCKET="$v" "$HEALTHY" --wait --notify pid:1
done
long108=/$(printf '%*s' 107 '' | tr ' ' x)
check "NOTIFY_SOCKET of 108 bytes (a path)" 2 --err "healthy: --notify: NOTIFY_SOCKET is too long for a unix socket's address" \
	-- env NOTIFY_SOCKET="$long108" "$HEALTHY" --wait --notify pid:1
# An abstract name has no NUL of its own: '@' and 107 bytes fill sun_path, as systemd takes them; one more does not fit.
check "NOTIFY_SOCKET of 109 bytes (@name)" 2 --err "healthy: --notify: NOTIFY_SOCKET is too long for a unix socket's address" \
	-- env NOTIFY_SOCKET="@${long108:1}x" "$HEALTHY" --watch --notify pid:1
check "NOTIFY_SOCKET of 108 bytes (@name) is taken: nobody holds it, refused, exit 0" 0 \
	--err-has "healthy: --notify: cannot send READY=1 to @${long108:1}: connection refused" \
	-- env NOTIFY_SOCKET="@${long108:1}" "$HEALTHY" --wait --notify pid:1
check "NOTIFY_SOCKET of 300 bytes" 2 --err "healthy: --notify: NOTIFY_SOCKET is too long for a unix socket's address" \
	-- env NOTIFY_SOCKET="$long108$long108$long108" "$HEALTHY" --wait --notify pid:1
check "--notify=fd:9, 9 not open" 2 --err "healthy: --notify=fd:9: that descriptor is not open" \
	-- bash -c 'exec 9>&-; exec "$0" --wait --notify=fd:9 pid:1 -- touch "$1"' "$HEALTHY" "$TMP/hlyq-ran"
check "... COMMAND not run" 1 -- test -e "$TMP/hlyq-ran"
check "--notify=fd:9 with --watch, 9 not open" 2 --err "healthy: --notify=fd:9: that descriptor is not open" \
	-- bash -c 'exec 9>&-; exec "$0" --watch --notify=fd:9 pid:1' "$HEALTHY"
for v in xyz fd: fd:x fd:-1 fd:99999999999 ""; do
	check "--notify=$v" 2 --err "healthy: --notify=$v: not fd:N (a descriptor's number); --notify alone uses \$NOTIFY_SOCKET" \
		-- "$HEALTHY" --wait "--notify=$v" pid:1
done

# Sends that fail: one line, and the run goes on (exit 0, or COMMAND's status: it ran). (-q, "print nothing", is not
# used: the wait's own lines come too, and the --notify line must be among them, once.)
# fails_once LINE ADDR CMD...: CMD with NOTIFY_SOCKET=ADDR; its one line about --notify must be LINE. CMD's status.
fails_once() {
	local want=$1 addr=$2 err rc
	shift 2
	err=$(NOTIFY_SOCKET=$addr "$@" 2>&1 >/dev/null); rc=$?
	printf '%s\n' "$err" >&2
	[ "$(grep -e --notify <<<"$err")" = "$want" ] || return 100
	return "$rc"
}
cannot="healthy: --notify: cannot send READY=1 to"
check "--wait --notify, no socket at the path: one line (no such file), COMMAND still runs" 7 -- fails_once \
	"$cannot $TMP/hlyq-none.sock: no such file or directory" "$TMP/hlyq-none.sock" "$HEALTHY" --wait --notify pid:1 -- sh -c 'exit 7'
check "--wait --notify, no socket at the path, no COMMAND: exit 0" 0 -- fails_once \
	"$cannot $TMP/hlyq-none.sock: no such file or directory" "$TMP/hlyq-none.sock" "$HEALTHY" --wait --notify pid:1
check "--watch --notify, no socket at the path: one line, COMMAND still runs" 7 -- fails_once \
	"$cannot $TMP/hlyq-none.sock: no such file or directory" "$TMP/hlyq-none.sock" "$HEALTHY" --watch --notify pid:1 -- sh -c 'exit 7'
# A socket file its listener left: connection refused.
listen "$TMP/hlyq-dead.sock"; kill "$LPID"; wait_bounded "the listener ends" "$LPID"
check "--wait --notify, a socket nobody listens on: one line (connection refused), COMMAND still runs" 7 -- fails_once \
	"$cannot $TMP/hlyq-dead.sock: connection refused" "$TMP/hlyq-dead.sock" "$HEALTHY" --wait --notify pid:1 -- sh -c 'exit 7'
check "--wait --notify, a socket nobody listens on, no COMMAND: exit 0" 0 -- fails_once \
	"$cannot $TMP/hlyq-dead.sock: connection refused" "$TMP/hlyq-dead.sock" "$HEALTHY" --wait --notify pid:1
check "--watch --notify, a socket nobody listens on: one line, COMMAND still runs" 7 -- fails_once \
	"$cannot $TMP/hlyq-dead.sock: connection refused" "$TMP/hlyq-dead.sock" "$HEALTHY" --watch --notify pid:1 -- sh -c 'exit 7'
check "--wait --notify, an abstract name nobody has: one line (connection refused), COMMAND still runs" 7 -- fails_once \
	"$cannot @hlyq-$$-nobody: connection refused" "@hlyq-$$-nobody" "$HEALTHY" --wait --notify pid:1 -- sh -c 'exit 7'
# A listener that does not read: its queue full, the send fails at once (EAGAIN), it does not wait.
cat >"$TMP/hlyq-deaf.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2], "w").write("ok")
time.sleep(600)
EOF
start python3 "$TMP/hlyq-deaf.py" "$TMP/hlyq-deaf.sock"
n=$(send "$TMP/hlyq-deaf.sock" --fill)
check "a listener that does not read: its queue filled ($n datagrams)" 0 -- test "$n" -gt 0
check "--wait --notify, a full queue: one line (resource temporarily unavailable), no wait, COMMAND still runs" 7 -- \
	fails_once "$cannot $TMP/hlyq-deaf.sock: resource temporarily unavailable" "$TMP/hlyq-deaf.sock" \
	"$HEALTHY" --wait --notify pid:1 -- sh -c 'exit 7'
check "--watch --notify, a full queue: the same, COMMAND still runs" 7 -- \
	fails_once "$cannot $TMP/hlyq-deaf.sock: resource temporarily unavailable" "$TMP/hlyq-deaf.sock" \
	"$HEALTHY" --watch --notify pid:1 -- sh -c 'exit 7'
# The listener gone between READY=1 and STOPPING=1: that send fails, said once; COMMAND is stopped all the same.
listen "$TMP/hlyq-gone.sock"
touch "$TMP/flag"
NOTIFY_SOCKET=$SOCK "$HEALTHY" --watch -i 100ms --notify "file:$TMP/flag" -- sleep 30 2>"$TMP/gone.err" & hp=$!
wait_heard "$HX_READY"
for i in $(seq 1000); do c=$(pgrep -P "$hp" -x sleep) && break; sleep 0.01; done
kill "$LPID"; wait_bounded "the listener ends" "$LPID"
rm "$TMP/flag"
wait_bounded "--watch --notify ends, its listener gone" "$hp"; rc=$?
check "--watch --notify, the listener gone before STOPPING=1: exit 1, one line for it, COMMAND still stopped" 0 -- bash -c '
	mapfile -t l < "$0"; [ ${#l[@]} = 3 ] && [ "$1" = 1 ] && [[ ${l[0]} == "healthy: file:$2/flag: "* ]] &&
	[ "${l[1]}" = "healthy: --notify: cannot send STOPPING=1 to $2/hlyq-gone.sock: connection refused" ] &&
	[ "${l[2]}" = "healthy: stopping sleep (pid $3): SIGTERM" ]' "$TMP/gone.err" "$rc" "$TMP" "$c"

finish
