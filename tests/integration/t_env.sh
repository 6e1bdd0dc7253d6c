# When healthy cannot see: no /proc, a hidepid /proc, no descriptors, a full stdout.
. "$(dirname "$0")/lib.sh"

as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
start "$NAMED" sleep hly-env; root_pid=$PID
start "${as_nobody[@]}" "$NAMED" sleep hly-envnobody

# ASan reads /proc/self/maps as it starts: a sanitized build cannot run without /proc.
asan=0
if grep -q __asan_init "$HEALTHY" 2>/dev/null; then asan=1; fi

if ! unshare -m true 2>/dev/null; then
	skip "mount namespaces" "unshare -m is not allowed here"
	finish; exit
fi

# No /proc at all: an empty directory or another filesystem where /proc should be.
if [ $asan = 1 ]; then
	skip "/proc unmounted" "the sanitizer runtime needs /proc; the release binary is tested"
else
	check "/proc unmounted is exit 3, never 'not running'" 3 \
		--err "healthy: proc:hly-env: /proc is not mounted (no proc filesystem there)" \
		-- unshare -m sh -c 'umount -l /proc && exec "$0" proc:hly-env' "$HEALTHY"
	check "a tmpfs over /proc is exit 3" 3 --err-has "/proc is not mounted" \
		-- unshare -m sh -c 'mount -t tmpfs none /proc && exec "$0" proc:hly-absent' "$HEALTHY"
	check "pid: without /proc: a pid that exists cannot be told" 3 \
		--err "healthy: pid:1: /proc is not mounted (no proc filesystem there)" \
		-- unshare -m sh -c 'umount -l /proc && exec "$0" pid:1' "$HEALTHY"
	check "pid: without /proc: the shell that runs healthy is its ancestor, not the service" 1 \
		--err-has "is healthy's own ancestor, not the service" \
		-- unshare -m sh -c 'umount -l /proc && "$0" "pid:$$"; exit $?' "$HEALTHY"
	sleep 0 & dead=$!; wait $dead
	check "pid: without /proc: a pid that does not exist is not running" 1 \
		--err "healthy: pid:$dead: not running" \
		-- unshare -m sh -c 'umount -l /proc && exec "$0" pid:'"$dead" "$HEALTHY"
fi

# hidepid: other users' processes are hidden from an unprivileged user.
hide() { # hide OPTIONS CMD...: runs CMD with /proc remounted with OPTIONS
	local opts=$1; shift
	unshare -m sh -c 'mount -t proc -o "$0" proc /proc && exec "$@"' "$opts" "$@"
}
check "hidepid=invisible: no match is 'cannot tell', exit 3" 3 \
	--err "healthy: proc:hly-env: cannot tell: /proc is mounted hidepid=invisible and hides other users' processes from uid 65534; 0 running among those it shows" \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" proc:hly-env
check "hidepid=invisible: an absent name is not 'not running' either" 3 --err-has "cannot tell" \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" proc:hly-absent
check "hidepid=invisible: the user's own process is found" 0 \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" proc:hly-envnobody
check "hidepid=invisible: max= cannot pass on what it cannot see" 3 --err-has "cannot tell" \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" proc:hly-envnobody,max=1
check "hidepid=2 (the old spelling)" 3 --err-has "cannot tell" \
	-- hide hidepid=2 "${as_nobody[@]}" "$HEALTHY" proc:hly-env
check "hidepid=noaccess: unreadable processes make it exit 3" 3 --err-has "cannot tell" \
	-- hide hidepid=noaccess "${as_nobody[@]}" "$HEALTHY" proc:hly-env
check "hidepid=invisible: root still sees everything" 0 \
	-- hide hidepid=invisible "$HEALTHY" proc:hly-env
check "hidepid=invisible,gid=: a member of the group sees everything" 0 \
	-- hide hidepid=invisible,gid=4242 setpriv --reuid 65534 --regid 65534 --groups 4242 "$HEALTHY" proc:hly-env
check "hidepid=invisible: pid: of a hidden process cannot be told" 3 \
	--err "healthy: pid:$root_pid: cannot tell: pid $root_pid exists, but /proc is mounted hidepid=invisible and hides other users' processes from uid 65534" \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" "pid:$root_pid"
check "hidepid=noaccess: pid: of a hidden process cannot be told" 3 --err-has "cannot tell: pid $root_pid exists, but /proc is mounted hidepid=noaccess" \
	-- hide hidepid=noaccess "${as_nobody[@]}" "$HEALTHY" "pid:$root_pid"
check "hidepid=ptraceable,gid=: the group does not help (the kernel ignores gid= there)" 3 --err-has "cannot tell" \
	-- hide hidepid=ptraceable,gid=4242 setpriv --reuid 65534 --regid 65534 --groups 4242 "$HEALTHY" proc:hly-env
check "hidepid=invisible without gid=: gid 0 sees everything, as the kernel lets it" 0 \
	-- hide hidepid=invisible setpriv --reuid 65534 --regid 0 --clear-groups "$HEALTHY" proc:hly-env
start "${as_nobody[@]}" "$NAMED" sleep hly-envnobody
check "hidepid=invisible: too many of the user's own is a plain failure, exit 1" 1 --err-has "2 running, want at most 1" \
	-- hide hidepid=invisible "${as_nobody[@]}" "$HEALTHY" proc:hly-envnobody,max=1
check "subset=pid hides no process" 0 -- hide subset=pid "${as_nobody[@]}" "$HEALTHY" proc:hly-env

# A /proc that is not this PID namespace's (unshare -p without a new /proc): healthy still knows itself.
if unshare -pf true 2>/dev/null; then
	cp "$HEALTHY" "$TMP/hly-nsself"
	check "in a new PID namespace, healthy does not count itself in the old /proc" 1 \
		-- unshare -pf "$TMP/hly-nsself" proc:hly-nsself
	check "... nor the shell that runs it" 1 --err-has "not counting healthy's own ancestor" \
		-- unshare -pf bash -c "cp /bin/sh \"$TMP/hly-nsshell\" && \"$TMP/hly-nsshell\" -c '\"$HEALTHY\" proc:hly-nsshell; exit \$?'"
else
	skip "PID namespaces" "unshare -p is not allowed here"
fi

# A tmpfs where /proc should be could fake any process: pid: checks refuse it too.
if [ $asan = 1 ]; then
	skip "pid: on a fake /proc" "the sanitizer runtime needs /proc"
else
	# A PID the test owns: one that merely happens to exist (77) is not there on a fresh machine.
	check "pid: on a fake /proc is exit 3" 3 --err "healthy: pid:$root_pid: /proc is not mounted (no proc filesystem there)" \
		-- unshare -m sh -c 'mount -t tmpfs none /proc && mkdir /proc/$1 && echo "State:	S" > /proc/$1/status && exec "$0" pid:$1' "$HEALTHY" "$root_pid"
fi

# A reader that goes away: exit 3, not death by SIGPIPE (141).
check "stdout closed under it is exit 3" 0 -- bash -c '(sleep 0.3; "$0" -v pid:1) | true; test "${PIPESTATUS[0]}" = 3' "$HEALTHY"

# Out of descriptors: exit 3 with the reason, not a false answer.
if [ $asan = 1 ]; then
	skip "RLIMIT_NOFILE" "the sanitizer runtime needs descriptors of its own"
else
	check "too few descriptors to read /proc is exit 3" 3 --err-has "healthy: proc:hly-absent: open /proc/" \
		-- bash -c 'ulimit -n 4; exec "$0" proc:hly-absent' "$HEALTHY"
	check "but with the three a pid: check needs, it passes" 0 \
		-- bash -c 'ulimit -n 6; exec "$0" pid:1' "$HEALTHY"
	check "no descriptor for sock_diag: the line names sock_diag's socket, not /proc/net" 3 \
		--err "healthy: tcp:1: open a sock_diag socket: no file descriptors available" \
		-- bash -c 'ulimit -n 3; exec "$0" tcp:1' "$HEALTHY"
fi

# A pipe that is full and that nobody reads: no write waits past the deadline.
check "stderr on a full pipe: the failure is still 1, and healthy does not hang" 0 --out "1" \
	-- "$HELPERS/fullpipe" 2 20 "$HEALTHY" proc:hly-absent
check "stdout on a full pipe with -v: exit 3, the line could not be written" 0 --out "3" \
	-- "$HELPERS/fullpipe" 1 20 "$HEALTHY" -v pid:1
check "--help on a full pipe: exit 3" 0 --out "3" -- "$HELPERS/fullpipe" 1 20 "$HEALTHY" --help
check "a usage error on a full stderr: still 2" 0 --out "2" -- "$HELPERS/fullpipe" 2 20 "$HEALTHY" -t bogus pid:1
check "--wait: its lines on a full stderr do not hold the wait" 0 --out "1" \
	-- "$HELPERS/fullpipe" 2 20 "$HEALTHY" --wait=500ms proc:hly-absent

# Started with fds 0, 1 or 2 closed, healthy's own descriptors must not take their numbers.
if command -v strace >/dev/null; then
	check "stderr closed: the sock_diag socket is not fd 2, and the line goes nowhere (/dev/null)" 0 -- bash -c \
		'timeout 20 strace -o "$1" -e trace=socket "$0" tcp:1 2>&-; [ $? = 1 ] && grep -q "NETLINK_SOCK_DIAG) = 3$" "$1"' \
		"$HEALTHY" "$TMP/fds.trace"
	check "0, 1 and 2 closed: the same" 0 -- bash -c \
		'timeout 20 strace -o "$1" -e trace=socket "$0" tcp:1 <&- >&- 2>&-; [ $? = 1 ] && grep -q "NETLINK_SOCK_DIAG) = 3$" "$1"' \
		"$HEALTHY" "$TMP/fds.trace"
else
	skip "closed fds 0-2" "strace is not installed"
fi
check "stdout closed with -v: the line goes to /dev/null, exit 0" 0 -- bash -c 'exec "$0" -v pid:1 >&-' "$HEALTHY"

# stdout that cannot be written: exit 3, as pgrep does.
check "-v into /dev/full is exit 3" 3 -- bash -c 'exec "$0" -v pid:1 >/dev/full' "$HEALTHY"

# Docker keeps 4 KiB of a probe's output: healthy stays under it.
args=()
for i in $(seq 64); do args+=("proc:hly-absent-with-a-long-name-to-fill-the-output-$i"); done
bounded "$HEALTHY" "${args[@]}" 2>"$TMP/long"; rc=$?
bytes=$(wc -c < "$TMP/long")
check "64 failing checks: exit 1" 1 -- "$HEALTHY" "${args[@]}"
check "... in under 4096 bytes of output ($bytes), and says what it left out" 0 -- \
	sh -c '[ "$0" -lt 4096 ] && tail -n 1 "$1" | grep -q "more lines not shown"' "$bytes" "$TMP/long"

finish
