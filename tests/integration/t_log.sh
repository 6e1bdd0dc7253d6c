# --log=PATH (issue 18): each failure line, after its RFC 3339 UTC time in milliseconds and a space, appended to
# PATH as well as said on stderr, one write(2) a line. To a file; to pipes and FIFOs nobody reads, a full disk, a
# full pipe; to PID 1's stderr in a PID namespace of its own (/proc/1/fd/2, what it is for); where it may not be
# opened (as nobody); in --wait and --watch (the changes, not the reminders); under the seccomp filter of a check
# run. Lines are asserted whole; each stamp must be a real UTC time within a minute of `date -u`.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# unstamp FILE [T]: FILE's lines less their stamps, once each is checked: "YYYY-MM-DDThh:mm:ss.mmmZ " first, a real
# time in UTC (date reads it back the same), within a minute of now; and FILE ends in a newline. With T, the
# duration a line ends in after "ok after " or "ok again after " is printed as T: it is measured, not asserted.
unstamp() {
	local l s t now re='^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z) (.*)$'
	[ -f "$1" ] || { echo "no file $1" >&2; return 1; }
	if [ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" != 0a ]; then
		echo "$1 does not end in a newline" >&2; return 1
	fi
	now=$(date -u +%s)
	while IFS= read -r l; do
		[[ $l =~ $re ]] || { echo "no stamp: $l" >&2; return 1; }
		s=${BASH_REMATCH[1]} l=${BASH_REMATCH[2]}
		t=$(date -u -d "$s" +%s 2>/dev/null) || { echo "not a time: $s" >&2; return 1; }
		[ "$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%S)" = "${s%.*}" ] || { echo "not a real UTC time: $s" >&2; return 1; }
		if [ "$t" -lt $((now - 60)) ] || [ "$t" -gt $((now + 60)) ]; then
			echo "$s is not within a minute of $(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)" >&2; return 1
		fi
		if [ "${2:-}" = T ] && [[ $l =~ ^(.*\ ok(\ again)?\ after\ )[0-9][0-9a-z.]*$ ]]; then
			l=${BASH_REMATCH[1]}T
		fi
		printf '%s\n' "$l"
	done <"$1"
}

export -f unstamp

# tally FILE: FILE's lines less their stamps (checked as unstamp does), sorted, each with its count first.
tally() {
	set -o pipefail
	unstamp "$1" | sort | uniq -c | sed 's/^ *//'
}

export -f tally

# lines LINE...: the lines, one a line, as --out and --err want them.
lines() {
	local IFS=$'\n'
	printf '%s' "$*"
}

# until_has FILE TEXT: up to 10 s for TEXT to be in FILE.
until_has() {
	local i
	for i in $(seq 1000); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	echo "timed out waiting for '$2' in $1" >&2
	return 1
}

# A process of this run's own name (runs of this file at once must not count each other's).
svc=$(printf 'hlyl-s%05d' $(($$ % 100000)))
start "$NAMED" sleep "$svc"; svcpid=$PID
nf=$TMP/hlyl-none

# 1. A file: made when missing, appended to, each failing line in order; -q too; passes never, -v or not.
L=$TMP/hlyl-a.log
check "a file: three failing checks, exit 1, stderr as without --log" 1 \
	--err "$(lines "healthy: tcp:1: not listening on port 1" "healthy: file:$nf: no file at $nf" \
		"healthy: proc:hlyl-absent: not running")" \
	-- bash -c 'umask 022; exec "$0" "$@"' "$HEALTHY" --log="$L" tcp:1 "file:$nf" proc:hlyl-absent
check "... the file is made, mode 0644 under umask 022" 0 --out "644 $(id -u)" -- stat -c '%a %u' "$L"
check "... and holds the three lines, in order, each after its time" 0 \
	--out "$(lines "healthy: tcp:1: not listening on port 1" "healthy: file:$nf: no file at $nf" \
		"healthy: proc:hlyl-absent: not running")" -- unstamp "$L"
check "-q, and --log PATH as two arguments: nothing on stderr, exit 1" 1 --err "" \
	-- "$HEALTHY" -q --log "$L" pid:1 tcp:2 "proc:$svc"
check "-v: the passes on stdout, the failure on stderr" 1 --out-has "healthy: proc:$svc: ok: 1 running (pid $svcpid " \
	--out-has "healthy: pid:1: ok: running (pid 1 " --err "healthy: tcp:3: not listening on port 3" \
	-- "$HEALTHY" -v --log="$L" "proc:$svc" tcp:3 pid:1
check "... the file has been appended to: the failures of -q and of -v, no pass" 0 \
	--out "$(lines "healthy: tcp:1: not listening on port 1" "healthy: file:$nf: no file at $nf" \
		"healthy: proc:hlyl-absent: not running" "healthy: tcp:2: not listening on port 2" \
		"healthy: tcp:3: not listening on port 3")" -- unstamp "$L"
cp -p "$L" "$TMP/hlyl-a.before"; before=$(stat -c '%s %y' "$L")
check "a run that passes, with -v: exit 0" 0 --err "" -- "$HEALTHY" -v --log="$L" pid:1 "proc:$svc" "file:$L"
check "... leaves the file as it was (content, size, mtime)" 0 --out "$before" \
	-- bash -c 'cmp -s "$0" "$1" && stat -c "%s %y" "$1"' "$TMP/hlyl-a.before" "$L"
check "under umask 000 too the file is made 0644" 0 --out "644" \
	-- bash -c 'umask 000; "$0" --log="$1" tcp:1 2>/dev/null; [ $? = 1 ] && stat -c %a "$1"' "$HEALTHY" "$TMP/hlyl-m.log"
printf 'hlyl-before\n' >"$TMP/hlyl-b.log"
check "a file that has lines: kept, the new one after them" 0 \
	--out "$(lines "hlyl-before" "healthy: tcp:1: not listening on port 1")" -- bash -c '
	"$0" -q --log="$1" tcp:1; [ $? = 1 ] || exit 1
	head -n 1 "$1"; tail -n +2 "$1" > "$1.rest"; unstamp "$1.rest"' "$HEALTHY" "$TMP/hlyl-b.log"
mkdir "$TMP/hlyl-cwd"
check "a relative PATH: from the working directory" 0 --out "healthy: tcp:1: not listening on port 1" -- bash -c '
	cd "$1" && "$0" -q --log=hlyl-rel.log tcp:1; [ $? = 1 ] && unstamp "$1/hlyl-rel.log"' "$HEALTHY" "$TMP/hlyl-cwd"
# Past the 4 KiB stderr budget (Docker keeps 4 KiB), stderr says "and N more lines not shown": the log has them all.
many=(); want=(); pad=$TMP/hlyl-none-$(printf '%040d' 0)
for i in $(seq -w 1 60); do
	many+=("file:$pad-$i"); want+=("healthy: file:$pad-$i: no file at $pad-$i")
done
check "60 failing checks, over 4 KiB: stderr stops at its budget" 1 --err-has "more lines not shown" \
	-- "$HEALTHY" --log="$TMP/hlyl-many.log" "${many[@]}"
shown=$(grep -c "no file at" "$TMP/err"); untold=$(sed -n 's/^healthy: and \([0-9]*\) more lines not shown$/\1/p' "$TMP/err")
check "... ($shown lines shown, $untold untold: 60 in all)" 0 -- test "$((shown + ${untold:-0}))" = 60
check "... the log has all 60, in order" 0 --out "$(lines "${want[@]}")" -- unstamp "$TMP/hlyl-many.log"
# O_APPEND and one write a line: runs at once never tear or mix their lines.
check "20 runs at once into one log, 3 failing checks each: exit 0 (the loop)" 0 -- bash -c '
	for i in $(seq 20); do "$0" --log="$1" tcp:1 "file:$2" proc:hlyl-absent 2>/dev/null & done; wait' \
	"$HEALTHY" "$TMP/hlyl-many2.log" "$nf"
check "... 60 lines, each whole" 0 --out "$(lines "20 healthy: file:$nf: no file at $nf" \
	"20 healthy: proc:hlyl-absent: not running" "20 healthy: tcp:1: not listening on port 1")" \
	-- tally "$TMP/hlyl-many2.log"
# A check that cannot be made (3) is logged as a failure is. As nobody, in the sticky $TMP.
mkdir -m 700 "$TMP/hlyl-locked"; echo 1 >"$TMP/hlyl-locked/p"
check "cannot check (exit 3): logged too" 3 \
	--err "healthy: pidfile:$TMP/hlyl-locked/p: open $TMP/hlyl-locked/p: permission denied" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-3.log" pid:1 "pidfile:$TMP/hlyl-locked/p"
check "... in a file nobody made, 0644" 0 --out "644 nobody" -- stat -c '%a %U' "$TMP/hlyl-3.log"
check "... the line" 0 --out "healthy: pidfile:$TMP/hlyl-locked/p: open $TMP/hlyl-locked/p: permission denied" \
	-- unstamp "$TMP/hlyl-3.log"

# Usage: a parse error (2) comes before the log is opened; an error of preparing the checks comes after, and is logged.
check "an unknown option with --log: exit 2" 2 --err "healthy: --hlyl-nope: unknown option" \
	-- "$HEALTHY" --log="$TMP/hlyl-u.log" --hlyl-nope tcp:1
check "a bad -t with --log: exit 2" 2 --err "healthy: -t bogus: not a duration (500ms, 5s, 2m)" \
	-- "$HEALTHY" --log="$TMP/hlyl-u.log" -t bogus tcp:1
check "... neither made the file" 1 -- test -e "$TMP/hlyl-u.log"
check "a user that does not exist (prepare): exit 2" 2 \
	--err "healthy: proc:x,user=nosuchuser: no such user 'nosuchuser' in /etc/passwd" \
	-- "$HEALTHY" --log="$TMP/hlyl-p.log" proc:x,user=nosuchuser
check "... logged" 0 --out "healthy: proc:x,user=nosuchuser: no such user 'nosuchuser' in /etc/passwd" \
	-- unstamp "$TMP/hlyl-p.log"
check "--log= (empty)" 2 --err "healthy: --log: needs a PATH to append to (--log=/proc/1/fd/2)" \
	-- "$HEALTHY" --log= tcp:1
check "--log last, without PATH" 2 --err "healthy: --log: needs a PATH to append to (--log=/proc/1/fd/2)" \
	-- "$HEALTHY" --log
check "--pause with --log" 2 --err "healthy: --pause takes no other option but -q" \
	-- "$HEALTHY" --pause --log="$TMP/hlyl-u.log"
check "--install with --log" 2 --err "healthy: --install takes no other option but -q" \
	-- "$HEALTHY" --install "$TMP/hlyl-inst" --log "$TMP/hlyl-u.log"
check "... made nothing" 0 --out "" -- find "$TMP" -maxdepth 1 '(' -name hlyl-u.log -o -name hlyl-inst ')'

# 2. Pipes and other logs that cannot be opened or written: one more line on stderr, never another exit code.
if command -v python3 >/dev/null; then
	# A process that holds the write end of a pipe whose read end it closed, as fd 9.
	start python3 -c '
import os, sys, time
r, w = os.pipe()
os.close(r)
os.dup2(w, 9)
os.close(w)
with open(sys.argv[1], "w") as f:
    f.write("%d" % os.getpid())
time.sleep(300)'
	bp=/proc/$PID/fd/9
	check "(the helper holds a pipe as fd 9)" 0 -- bash -c '[[ $(readlink "$0") == pipe:* ]]' "$bp"
	check "a pipe whose reader went away: exit 1, write: broken pipe once, then the failures" 1 \
		--err "$(lines "healthy: --log $bp: write: broken pipe" "healthy: tcp:1: not listening on port 1" \
			"healthy: tcp:2: not listening on port 2" "healthy: file:$nf: no file at $nf")" \
		-- "$HEALTHY" --log="$bp" tcp:1 tcp:2 "file:$nf"
	check "... with -q: the broken pipe alone" 1 --err "healthy: --log $bp: write: broken pipe" \
		-- "$HEALTHY" -q --log="$bp" tcp:1 tcp:2
	check "... a run that passes writes nothing: exit 0, nothing said" 0 --err "" -- "$HEALTHY" --log="$bp" pid:1
	check "... --wait: exit 1, the broken pipe said once" 1 \
		--err "$(lines "healthy: waiting up to 300ms for 1 check" "healthy: --log $bp: write: broken pipe" \
			"healthy: tcp:1: gave up after 300ms: not listening on port 1")" \
		-- "$HEALTHY" --log="$bp" --wait=300ms -i 50ms tcp:1
else
	skip "a pipe whose reader went away" "python3 is not installed"
fi
F=$TMP/hlyl.fifo
mkfifo "$F"
check "a FIFO nobody reads: exit 1, open: nobody reads it" 1 \
	--err "$(lines "healthy: --log $F: open: nobody reads it" "healthy: tcp:1: not listening on port 1")" \
	-- "$HEALTHY" --log="$F" tcp:1
check "... a run that passes: still exit 0" 0 --err "healthy: --log $F: open: nobody reads it" -- "$HEALTHY" --log="$F" pid:1
# This shell reads it (opened read-write, its open does not wait for a writer).
exec 3<>"$F"
check "a FIFO somebody reads: exit 1" 1 --err "" -- "$HEALTHY" -q --log="$F" tcp:1 "file:$nf"
: >"$TMP/hlyl-fifo.got"
for i in 1 2; do IFS= read -t 10 -r l <&3 && printf '%s\n' "$l" >>"$TMP/hlyl-fifo.got"; done
read -t 0 <&3; more=$?
exec 3<&-
check "... the reader got the two lines, each whole, and nothing more" 0 \
	--out "$(lines "healthy: tcp:1: not listening on port 1" "healthy: file:$nf: no file at $nf")" \
	-- bash -c '[ "$1" != 0 ] && unstamp "$0"' "$TMP/hlyl-fifo.got" "$more"
check "a full disk (/dev/full): exit 1, the reason once" 1 \
	--err "$(lines "healthy: --log /dev/full: write: no space left on device" "healthy: tcp:1: not listening on port 1" \
		"healthy: tcp:2: not listening on port 2")" -- "$HEALTHY" --log=/dev/full tcp:1 tcp:2
check "... a run that passes: exit 0, nothing said" 0 --err "" -- "$HEALTHY" --log=/dev/full pid:1
check "a full pipe nobody reads (its own stdout, reopened): exit 1 once -t is up, said once" 0 --out "1" \
	--err "$(lines "healthy: --log /proc/self/fd/1: write: full, and nobody reads it" \
		"healthy: tcp:1: not listening on port 1")" \
	-- "$HELPERS/fullpipe" 1 20 "$HEALTHY" -t 300ms --log=/proc/self/fd/1 tcp:1
# A log never holds the run up: a line it has no room for is one write that fails at once, never a wait for
# room (a pipe of the log's own, not stdout or stderr: their waits are bounded by -t, this one has none).
if command -v strace >/dev/null; then
	check "a full pipe nobody reads: no poll on the log's descriptor, one write a line" 0 --out "1" \
		-- "$HELPERS/fullpipe" 1 20 strace -f -o "$TMP/hlyl-full.trace" -e trace=open,openat,poll,ppoll,write \
		"$HEALTHY" -q -t 10s --log=/proc/self/fd/1 tcp:1 tcp:2 tcp:3
	check "... three writes to the log refused at once (EAGAIN), none waited for" 0 \
		-- bash -c 'fd=$(sed -n "s|.*\"/proc/self/fd/1\", .*) = \([0-9]*\)$|\1|p" "$0")
			[ -n "$fd" ] && [ "$(grep -c "^[0-9]* *write($fd, .*EAGAIN" "$0")" = 3 ] &&
			! grep -q "poll(\[{fd=$fd," "$0"' "$TMP/hlyl-full.trace"
else
	skip "a full pipe nobody reads, under strace" "strace is not installed"
fi
if command -v python3 >/dev/null; then
	# A socket (journald's stream is one) cannot be reopened through /proc: ENXIO, as a FIFO without a reader.
	start python3 -c '
import os, socket, sys, time
a, b = socket.socketpair()
os.dup2(a.fileno(), 9)
with open(sys.argv[1], "w") as f:
    f.write("%d" % os.getpid())
time.sleep(300)'
	sp=/proc/$PID/fd/9
	check "a socket: open: a socket cannot be opened, exit 1" 1 \
		--err "$(lines "healthy: --log $sp: open: a socket cannot be opened" "healthy: tcp:1: not listening on port 1")" \
		-- "$HEALTHY" --log="$sp" tcp:1
fi
check "a directory: open: is a directory, exit 0" 0 --err "healthy: --log $TMP: open: is a directory" \
	-- "$HEALTHY" --log="$TMP" pid:1
check "a missing directory: open: no such file or directory, exit 1" 1 \
	--err "$(lines "healthy: --log $TMP/hlyl-nodir/x.log: open: no such file or directory" \
		"healthy: tcp:1: not listening on port 1")" -- "$HEALTHY" --log="$TMP/hlyl-nodir/x.log" tcp:1
check "a /proc path that names nothing is not made: open: no such file or directory" 1 \
	--err "$(lines "healthy: --log /proc/self/fd/77: open: no such file or directory" \
		"healthy: tcp:1: not listening on port 1")" -- "$HEALTHY" --log=/proc/self/fd/77 tcp:1
check "a /proc path that names a descriptor: its file, appended to" 0 --out "healthy: tcp:1: not listening on port 1" \
	-- bash -c '"$0" -q --log=/proc/self/fd/1 tcp:1 >>"$1"; [ $? = 1 ] && unstamp "$1"' "$HEALTHY" "$TMP/hlyl-self.log"

# 3. /proc/1/fd/2 in a PID namespace of its own: PID 1's stderr, as docker logs and kubectl logs read it.
if unshare -pf --mount-proc true 2>/dev/null && command -v nsenter >/dev/null; then
	# PID 1 writes a line of its own, then sleeps; its stderr is a pipe (a FIFO) that cat copies to a file.
	mkfifo "$TMP/hlyl-ns.fifo"
	timeout -k 5 "$HANG_BOUND" cat "$TMP/hlyl-ns.fifo" >"$TMP/hlyl-ns.out" & nscat=$!; own "$nscat"
	# (PID 1's stderr alone: unshare's own, which may say things as the namespace ends, goes elsewhere.)
	unshare -pf --mount-proc --kill-child sh -c 'exec 2>"$0"; echo "hlyl-main: up" >&2; exec sleep 300' \
		"$TMP/hlyl-ns.fifo" >>"$TMP/helpers.log" 2>&1 & u=$!
	own "$u"
	wait_file "$TMP/hlyl-ns.out" || exit 1
	ns1=""
	for i in $(seq 1000); do ns1=$(pgrep -P "$u"); [ -n "$ns1" ] && break; sleep 0.01; done
	own "$ns1"
	check "(the namespace's PID 1 is the sleep)" 0 --out "$(printf 'NSpid:\t%s\t1' "$ns1")" -- grep '^NSpid:' "/proc/$ns1/status"
	check "in the namespace (nsenter -p -m, as docker exec), --log=/proc/1/fd/2: exit 1, stderr as without it" 1 \
		--err "healthy: tcp:1: not listening on port 1" \
		-- nsenter -t "$ns1" -p -m "$HEALTHY" --log=/proc/1/fd/2 tcp:1
	check "... -q: nothing on stderr" 1 --err "" -- nsenter -t "$ns1" -p -m "$HEALTHY" -q --log=/proc/1/fd/2 "file:/hlyl-none"
	check "... a run that passes (pid:1 there is the sleep): nothing" 0 --err "" \
		-- nsenter -t "$ns1" -p -m "$HEALTHY" -v --log=/proc/1/fd/2 pid:1
	check "... as nobody, PID 1 being root's: open: permission denied, still exit 1" 1 \
		--err "$(lines "healthy: --log /proc/1/fd/2: open: permission denied" "healthy: tcp:1: not listening on port 1")" \
		-- nsenter -t "$ns1" -p -m "${NOBODY[@]}" "$HEALTHY" --log=/proc/1/fd/2 tcp:1
	kill -KILL "$ns1"; wait_bounded "the namespace ends with its PID 1" "$u"
	wait_bounded "the namespace's log reader ends at EOF" "$nscat"
	check "PID 1's stderr: its own line, then the two failures, each after its time" 0 \
		--out "$(lines "hlyl-main: up" "healthy: tcp:1: not listening on port 1" "healthy: file:/hlyl-none: no file at /hlyl-none")" \
		-- bash -c 'head -n 1 "$0"; tail -n +2 "$0" > "$0.rest"; unstamp "$0.rest"' "$TMP/hlyl-ns.out"
	# healthy as a child of PID 1, whose stderr is a file opened to append. (bash: dash may apply a command's
	# redirection in the parent, PID 1 itself, for the time it runs.)
	pid1='echo "hlyl-main: up" >&2; "$0" --log=/proc/1/fd/2 tcp:1 2>/dev/null; echo "hlyl-main: $?" >&2'
	check "healthy as PID 1's child, PID 1's stderr a file" 0 --out "" --err "" \
		-- bash -c 'unshare -pf --mount-proc bash -c "$2" "$0" 2>>"$1"' "$HEALTHY" "$TMP/hlyl-ns2.err" "$pid1"
	check "... the file: PID 1's line, healthy's, PID 1's" 0 \
		--out "$(lines "hlyl-main: up" "healthy: tcp:1: not listening on port 1" "hlyl-main: 1")" -- bash -c '
		head -n 1 "$0"; sed -n 2p "$0" > "$0.mid"; unstamp "$0.mid"; tail -n +3 "$0"' "$TMP/hlyl-ns2.err"
else
	skip "/proc/1/fd/2 in a PID namespace" "unshare -p --mount-proc or nsenter is not available here"
fi

# 4. As nobody, a PATH it may not open: the answer unchanged, one more line, the file untouched.
printf 'hlyl-root\n' >"$TMP/hlyl-root.log"; chmod 600 "$TMP/hlyl-root.log"
before=$(stat -c '%s %a %U %y' "$TMP/hlyl-root.log")
check "nobody, a root 0600 file, a check that passes: exit 0, open: permission denied" 0 \
	--err "healthy: --log $TMP/hlyl-root.log: open: permission denied" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-root.log" pid:1
check "... a check that fails: exit 1, the same line first" 1 \
	--err "$(lines "healthy: --log $TMP/hlyl-root.log: open: permission denied" "healthy: tcp:1: not listening on port 1")" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-root.log" tcp:1
check "... -q: the open line is all" 1 --err "healthy: --log $TMP/hlyl-root.log: open: permission denied" \
	-- "${NOBODY[@]}" "$HEALTHY" -q --log="$TMP/hlyl-root.log" tcp:1
check "... a check that cannot be made: exit 3" 3 \
	--err "$(lines "healthy: --log $TMP/hlyl-root.log: open: permission denied" \
		"healthy: pidfile:$TMP/hlyl-locked/p: open $TMP/hlyl-locked/p: permission denied")" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-root.log" "pidfile:$TMP/hlyl-locked/p"
check "... --wait: exit 1" 1 \
	--err "$(lines "healthy: --log $TMP/hlyl-root.log: open: permission denied" "healthy: waiting up to 200ms for 1 check" \
		"healthy: tcp:1: gave up after 200ms: not listening on port 1")" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-root.log" --wait=200ms -i 50ms tcp:1
check "... the file untouched" 0 --out "hlyl-root|$before" \
	-- bash -c 'echo "$(cat "$0")|$(stat -c "%s %a %U %y" "$0")"' "$TMP/hlyl-root.log"
mkdir -m 700 "$TMP/hlyl-rootdir"
check "nobody, in a root 0700 directory: exit 0, open: permission denied" 0 \
	--err "healthy: --log $TMP/hlyl-rootdir/x.log: open: permission denied" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-rootdir/x.log" pid:1
check "... exit 1" 1 \
	--err "$(lines "healthy: --log $TMP/hlyl-rootdir/x.log: open: permission denied" "healthy: tcp:1: not listening on port 1")" \
	-- "${NOBODY[@]}" "$HEALTHY" --log="$TMP/hlyl-rootdir/x.log" tcp:1
check "... nothing made there" 0 --out "" -- ls -A "$TMP/hlyl-rootdir"

# 5. --wait and --watch: the changes, as said on stderr, without the reminders (every 50ms here).
"$SOCKETS" tcp-listen 127.0.0.1 0 - "$TMP/hlyl-free.ready" >/dev/null 2>&1 & fp=$!
wait_file "$TMP/hlyl-free.ready" || exit 1
port=$(cat "$TMP/hlyl-free.ready"); kill "$fp"; wait "$fp" 2>/dev/null
WL=$TMP/hlyl-wait.log
HEALTHY_WAIT_REPORT_MS=50 "$HEALTHY" --log="$WL" --wait=60s -i 50ms "tcp:$port" 2>"$TMP/hlyl-wait.err" & hp=$!
# The listener comes up once a reminder has been said.
until_has "$TMP/hlyl-wait.err" "healthy: still waiting (" || exit 1
start_port "$SOCKETS" tcp-listen 127.0.0.1 "$port" -
wait_bounded "--wait for a listener that comes up ends" "$hp"; rc=$?
check "--wait, a listener that comes up: exit 0" 0 -- test "$rc" = 0
check "... stderr had a reminder" 0 \
	-- grep -qE "^healthy: still waiting \([0-9.]+m?s\): tcp:$port: not listening on port $port\$" "$TMP/hlyl-wait.err"
check "... the log: the start, the check that passed" 0 \
	--out "$(lines "healthy: waiting up to 1m for 1 check" "healthy: tcp:$port: ok after T")" -- unstamp "$WL" T
check "... the log is stderr less its reminders" 0 --out "$(grep -v '^healthy: still waiting (' "$TMP/hlyl-wait.err")" \
	-- unstamp "$WL"
WL=$TMP/hlyl-gaveup.log
check "--wait that gives up: exit 1" 1 --err-has "healthy: tcp:1: gave up after 400ms: not listening on port 1" \
	-- env HEALTHY_WAIT_REPORT_MS=50 "$HEALTHY" --log="$WL" --wait=400ms -i 50ms pid:1 tcp:1
cp "$TMP/err" "$TMP/hlyl-gaveup.err"
echo "   ($(grep -c '^healthy: still waiting (' "$TMP/hlyl-gaveup.err") reminders on stderr)"
check "... the log: the start, the check that passed, the one given up on" 0 \
	--out "$(lines "healthy: waiting up to 400ms for 2 checks" "healthy: pid:1: ok after T" \
		"healthy: tcp:1: gave up after 400ms: not listening on port 1")" -- unstamp "$WL" T
check "... the log is stderr less its reminders" 0 \
	--out "$(grep -v '^healthy: still waiting (' "$TMP/hlyl-gaveup.err")" -- unstamp "$WL"
check "--wait -q that gives up: nothing on stderr" 1 --err "" \
	-- env HEALTHY_WAIT_REPORT_MS=50 "$HEALTHY" -q --log="$TMP/hlyl-waitq.log" --wait=300ms -i 50ms tcp:1
check "... all in the log" 0 --out "$(lines "healthy: waiting up to 300ms for 1 check" \
	"healthy: tcp:1: gave up after 300ms: not listening on port 1")" -- unstamp "$TMP/hlyl-waitq.log"
# SIGTERM during a wait: what it still waited for is said on stderr (a reminder: not logged), then why it ends.
WL=$TMP/hlyl-int.log
"$HEALTHY" --log="$WL" --wait=60s -i 50ms pid:1 tcp:1 2>"$TMP/hlyl-int.err" & hp=$!
until_has "$TMP/hlyl-int.err" "healthy: pid:1: ok after " || exit 1
kill -TERM "$hp"; wait_bounded "--wait ends on SIGTERM" "$hp"; rc=$?
check "--wait, SIGTERM: exit 143, with a reminder on stderr" 0 --out "143 1" \
	-- echo "$rc $(grep -c '^healthy: still waiting ([0-9.]*m\{0,1\}s): tcp:1: not listening on port 1$' "$TMP/hlyl-int.err")"
check "... the log: the start, the check that passed, the interruption" 0 \
	--out "$(lines "healthy: waiting up to 1m for 2 checks" "healthy: pid:1: ok after T" \
		"healthy: wait: interrupted by SIGTERM")" -- unstamp "$WL" T
check "... the log is stderr less the reminder" 0 --out "$(grep -v '^healthy: still waiting (' "$TMP/hlyl-int.err")" \
	-- unstamp "$WL"
check "--wait, COMMAND not found: 127" 127 --err-has "healthy: exec /hlyl/nonexistent: no such file or directory" \
	-- "$HEALTHY" --log="$TMP/hlyl-exec.log" --wait pid:1 -- /hlyl/nonexistent
check "... logged" 0 --out "$(lines "healthy: waiting up to 1m for 1 check" "healthy: pid:1: ok after T" \
	"healthy: exec /hlyl/nonexistent: no such file or directory")" -- unstamp "$TMP/hlyl-exec.log" T
check "--watch, COMMAND not found: 127" 127 --err "healthy: exec /hlyl/nonexistent: no such file or directory" \
	-- "$HEALTHY" --log="$TMP/hlyl-exec2.log" --watch pid:1 -- /hlyl/nonexistent
check "... logged" 0 --out "healthy: exec /hlyl/nonexistent: no such file or directory" -- unstamp "$TMP/hlyl-exec2.log"
# The log's descriptor is healthy's alone (O_CLOEXEC): not COMMAND's, exec'd or forked.
check "(a descriptor on the log would be found)" 0 --out-has "/proc/self/fd/3" \
	-- bash -c 'exec find /proc/self/fd/ -lname "$0" 3>>"$0"' "$TMP/hlyl-a.log"
check "--wait: COMMAND has no descriptor on the log" 0 --out "" \
	-- "$HEALTHY" --log="$TMP/hlyl-a.log" --wait pid:1 -- find /proc/self/fd/ -lname "$TMP/hlyl-a.log"
check "--watch: COMMAND has none either" 0 --out "" \
	-- "$HEALTHY" --log="$TMP/hlyl-a.log" --watch pid:1 -- find /proc/self/fd/ -lname "$TMP/hlyl-a.log"
check "--watch, a check that fails at first: exit 1, logged" 1 --err "healthy: tcp:1: not listening on port 1" \
	-- "$HEALTHY" --log="$TMP/hlyl-watch1.log" --watch tcp:1
check "... logged" 0 --out "healthy: tcp:1: not listening on port 1" -- unstamp "$TMP/hlyl-watch1.log"

# A watch that cannot start COMMAND (fork fails: a full pids cgroup) ends with exit 3 and a line: a failing line of
# a run, which the log must have too. (tests/helpers/deny fails the call; the release binary alone, as t_confine.)
if [ "$(basename "$HEALTHY")" = healthy ]; then
	check "--watch, fork fails: exit 3, the line on stderr" 3 --err "healthy: fork: function not implemented" \
		-- "$HELPERS/deny" fork,clone "$HEALTHY" --log="$TMP/hlyl-fork.log" --watch pid:1 -- true
	check "... and in the log" 0 --out "healthy: fork: function not implemented" -- unstamp "$TMP/hlyl-fork.log"
else
	skip "--watch, fork fails" "the sanitizer runtime needs the calls denied; the release binary is tested"
fi

# --watch -- sleep 300: the watched file goes; the failure and COMMAND's stop are logged.
touch "$TMP/hlyl-watched"
WL=$TMP/hlyl-watch.log
"$HEALTHY" --log="$WL" --watch -i 50ms "file:$TMP/hlyl-watched" -- sleep 300 2>"$TMP/hlyl-watch.err" & hp=$!
c=""
for i in $(seq 1000); do c=$(pgrep -P "$hp" -x sleep); [ -n "$c" ] && break; sleep 0.01; done
own "$c"
rm "$TMP/hlyl-watched"
wait_bounded "--watch ends when the file goes" "$hp"; rc=$?
check "--watch -- sleep 300, the file goes: exit 1" 0 -- test "$rc" = 1
check "... the log: the failure, then COMMAND stopped" 0 \
	--out "$(lines "healthy: file:$TMP/hlyl-watched: no file at $TMP/hlyl-watched" "healthy: stopping sleep (pid $c): SIGTERM")" \
	-- unstamp "$WL"
check "... as stderr said" 0 --out "$(cat "$TMP/hlyl-watch.err")" -- unstamp "$WL"
# --retries: a failure, then the check passes again.
touch "$TMP/hlyl-blip"
WL=$TMP/hlyl-blip.log
"$HEALTHY" --log="$WL" --watch --retries 1000 -i 50ms "file:$TMP/hlyl-blip" -- sleep 300 2>"$TMP/hlyl-blip.err" & hp=$!
for i in $(seq 1000); do c=$(pgrep -P "$hp" -x sleep); [ -n "$c" ] && break; sleep 0.01; done
own "$c"
rm "$TMP/hlyl-blip"
until_has "$TMP/hlyl-blip.err" ": failure 1 of 1000: " || exit 1
: >"$TMP/hlyl-blip"
until_has "$TMP/hlyl-blip.err" ": ok again after " || exit 1
kill -TERM "$hp"; wait_bounded "--watch --retries ends on SIGTERM" "$hp"; rc=$?
check "--watch --retries 1000, the file goes and comes back, then SIGTERM: 143 (COMMAND's)" 0 -- test "$rc" = 143
check "... the log: failure 1 of 1000 first, ok again last" 0 \
	--out "$(lines "healthy: file:$TMP/hlyl-blip: failure 1 of 1000: no file at $TMP/hlyl-blip" \
		"healthy: file:$TMP/hlyl-blip: ok again after T")" -- bash -c 'unstamp "$0" T | sed -n "1p;\$p"' "$WL"
check "... and each line stderr said, no other" 0 --out "$(cat "$TMP/hlyl-blip.err")" -- unstamp "$WL"

# 6. The seccomp filter of a check run lets write() reach the log's descriptor: strace sees it open, the filter
# go on, and every line written whole, one write a line; no call fails with ENOSYS.
# strace_log TRACE PATH: the log's open (flags sorted, less O_LARGEFILE; the mode), then each write to it.
strace_log() {
	local l fd="" confined=0 enosys=0 rest re
	re='^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (.*)\\n", ([0-9]+)\) += ([0-9]+)$'
	while IFS= read -r l; do
		[[ $l =~ ^[0-9]+\ +(.*)$ ]] && l=${BASH_REMATCH[1]}
		[[ $l == *ENOSYS* ]] && enosys=$((enosys + 1))
		if [ -z "$fd" ] && { [[ $l == "open(\"$2\", "* ]] || [[ $l == "openat(AT_FDCWD, \"$2\", "* ]]; }; then
			rest=${l#*\"$2\", }
			[[ $rest =~ ^([A-Z_|]+)(,\ (0[0-7]+))?\)\ +=\ ([0-9]+)$ ]] || { echo "open: $l"; continue; }
			fd=${BASH_REMATCH[4]}
			echo "open $(tr '|' '\n' <<<"${BASH_REMATCH[1]}" | grep -vx O_LARGEFILE | sort | paste -sd ' ') ${BASH_REMATCH[3]:-(no mode)}"
		elif [[ $l =~ ^prctl\(PR_SET_SECCOMP,\ SECCOMP_MODE_FILTER,.*\)\ +=\ 0$ ]]; then
			confined=1
		elif [ -n "$fd" ] && [[ $l == "write($fd, "* ]]; then
			rest=${l#"write($fd, "}
			if [[ $rest =~ $re ]] && [ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[3]}" ]; then
				echo "write$([ "$confined" = 1 ] && echo ", confined"): ${BASH_REMATCH[1]}"
			else
				echo "write: $rest"
			fi
		fi
	done <"$1"
	echo "ENOSYS: $enosys"
}
if ! command -v strace >/dev/null; then
	skip "strace: the log under the filter" "strace is not installed"
else
	# (LeakSanitizer cannot run under ptrace: the sanitized build's leak check is off here.)
	bounded env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 512 -o "$TMP/hlyl-strace" \
		-e trace=open,openat,write,prctl "$HEALTHY" --log="$TMP/hlyl-st.log" "file:$nf" tcp:1 pid:1 >/dev/null 2>&1
	check "strace: the log opened once, to append; the filter on; a write a line, whole; no ENOSYS" 0 \
		--out "$(lines "open O_APPEND O_CLOEXEC O_CREAT O_NOCTTY O_NONBLOCK O_WRONLY 0644" \
			"write, confined: healthy: file:$nf: no file at $nf" \
			"write, confined: healthy: tcp:1: not listening on port 1" "ENOSYS: 0")" \
		-- strace_log "$TMP/hlyl-strace" "$TMP/hlyl-st.log"
	check "... and the file has the lines" 0 \
		--out "$(lines "healthy: file:$nf: no file at $nf" "healthy: tcp:1: not listening on port 1")" \
		-- unstamp "$TMP/hlyl-st.log"
	bounded env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -s 512 -o "$TMP/hlyl-strace2" \
		-e trace=open,openat,write,prctl "$HEALTHY" --log=/proc/self/fd/1 tcp:1 >>"$TMP/hlyl-st2.log" 2>/dev/null
	check "strace: a /proc PATH is opened without O_CREAT" 0 \
		--out "$(lines "open O_APPEND O_CLOEXEC O_NOCTTY O_NONBLOCK O_WRONLY (no mode)" \
			"write, confined: healthy: tcp:1: not listening on port 1" "ENOSYS: 0")" \
		-- strace_log "$TMP/hlyl-strace2" /proc/self/fd/1
fi
# The filter is in force (Seccomp: 2) with the log open, while a probe waits on a server that never answers.
start_port "$HELPERS/httpd"; hport=$PORT
"$HEALTHY" -t 2s --log="$TMP/hlyl-hang.log" "http://127.0.0.1:$hport/hang" 2>/dev/null & hpid=$!
seen=$(confined_status "$hpid")
held=$(find "/proc/$hpid/fd/" -lname "$TMP/hlyl-hang.log" 2>/dev/null | wc -l)
wait_bounded "the run under the filter ends at its deadline" "$hpid"; rc=$?
check "a run with --log is under the filter, the log held" 0 --out "NoNewPrivs: 1 Seccomp: 2 |1" -- echo "$seen|$held"
check "... it ends as the probe times out: exit 1" 0 -- test "$rc" = 1
check "... and the line is in the log" 0 \
	--out "healthy: http://127.0.0.1:$hport/hang: timed out after 2s waiting for the status line from 127.0.0.1:$hport" \
	-- unstamp "$TMP/hlyl-hang.log"
# The watchdog's line (exit 3, from its own thread, under the filter) is logged too: a process whose cmdline read
# blocks (tests/helpers/stuck.c: root, FUSE). Every reader of its cmdline on the machine waits while it lives: short.
if [ "$(id -u)" != 0 ] || [ ! -c /dev/fuse ] || ! unshare -m true 2>/dev/null; then
	skip "the watchdog's line in the log" "needs root, /dev/fuse and mount namespaces"
else
	name=$(printf 'hlyl-stuck-%04d' $(($$ % 10000)))
	start "$HELPERS/stuck" "$TMP/hlyl-fuse" "$name"; server=$HELPER_PID
	check "a run the watchdog ends: exit 3" 3 --err "healthy: proc:$name-long: timed out after 500ms reading /proc" \
		-- timeout 10 "$HEALTHY" -t 300ms --log="$TMP/hlyl-wd.log" "proc:$name-long"
	kill -KILL "$server"; wait_bounded "the FUSE server dies of SIGKILL" "$server"
	check "... the watchdog's line is in the log" 0 --out "healthy: proc:$name-long: timed out after 500ms reading /proc" \
		-- unstamp "$TMP/hlyl-wd.log"
fi

finish
