# pid:N and pidfile:PATH against real processes and hostile files.
. "$(dirname "$0")/lib.sh"

start "$NAMED" sleep hly-pid; live=$PID
check "a live pid" 0 --out "" --err "" -- "$HEALTHY" "pid:$live"
check "-v shows its state" 0 --out "healthy: pid:$live: ok: running (pid $live S)" -- "$HEALTHY" -v "pid:$live"
check "pid 1" 0 -- "$HEALTHY" pid:1
sleep 0 & dead=$!; wait $dead
check "a pid that exited" 1 --err "healthy: pid:$dead: not running" -- "$HEALTHY" "pid:$dead"
start "$NAMED" zombie hly-pidz
check "a zombie pid" 1 --err "healthy: pid:$PID: not running (zombie)" -- "$HEALTHY" "pid:$PID"
kill -STOP "$live"; wait_state "$live" T
check "a stopped pid" 1 --err "healthy: pid:$live: not running (stopped)" -- "$HEALTHY" "pid:$live"
kill -CONT "$live"
start "$NAMED" traced hly-pidt
check "a traced pid" 1 --err "healthy: pid:$PID: not running (traced)" -- "$HEALTHY" "pid:$PID"
start "$NAMED" threads hly-pidth
tid=$(ls "/proc/$PID/task" | grep -vx "$PID" | head -n 1)
check "a thread id is not a process" 1 --err "healthy: pid:$tid: is a thread of process $PID, not a process" \
	-- "$HEALTHY" "pid:$tid"

# pidfile:
f=$TMP/pidfiles; mkdir -p "$f"
printf '%s\n' "$live" > "$f/good"
check "a pidfile of a live process" 0 --out "healthy: pidfile:$f/good: ok: running (pid $live S)" \
	-- "$HEALTHY" -v "pidfile:$f/good"
printf '%s' "$live" > "$f/nonl"
check "a pidfile without a trailing newline" 0 -- "$HEALTHY" "pidfile:$f/nonl"
printf '  %s \r\nsomething else\n' "$live" > "$f/blanks"
check "blanks around the pid and a second line" 0 -- "$HEALTHY" "pidfile:$f/blanks"
check "a missing pidfile" 1 --err "healthy: pidfile:$f/missing: No such file or directory" \
	-- "$HEALTHY" "pidfile:$f/missing"
check "a pidfile under a missing directory" 1 -- "$HEALTHY" "pidfile:$f/nodir/x.pid"
: > "$f/empty"
check "an empty pidfile" 1 --err "healthy: pidfile:$f/empty: empty file" -- "$HEALTHY" "pidfile:$f/empty"
printf '\n%s\n' "$live" > "$f/blankfirst"
check "a blank first line" 1 --err "healthy: pidfile:$f/blankfirst: no pid on the first line" \
	-- "$HEALTHY" "pidfile:$f/blankfirst"
printf 'hello\n' > "$f/garbage"
check "garbage in a pidfile" 1 --err "healthy: pidfile:$f/garbage: not a pid: \"hello\"" \
	-- "$HEALTHY" "pidfile:$f/garbage"
printf '\x01\xff%s\n' "$(head -c 100 /dev/zero | tr '\0' a)" > "$f/binary"
check "binary garbage is escaped and cut short" 1 --err "healthy: pidfile:$f/binary: not a pid: \"\\x01\\xffaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"" \
	-- "$HEALTHY" "pidfile:$f/binary"
{ printf '%125s' ''; echo 1999999; } > "$f/longline"
check "a first line too long for the buffer is not cut into a pid" 1 --err "healthy: pidfile:$f/longline: first line too long for a pid" \
	-- "$HEALTHY" "pidfile:$f/longline"
printf '0\n' > "$f/zero"
check "pid 0" 1 --err "healthy: pidfile:$f/zero: pid out of range (1-4194304): \"0\"" -- "$HEALTHY" "pidfile:$f/zero"
printf -- '-5\n' > "$f/negative"
check "a negative pid" 1 --err "healthy: pidfile:$f/negative: pid out of range (1-4194304): \"-5\"" \
	-- "$HEALTHY" "pidfile:$f/negative"
printf '99999999999999999999999\n' > "$f/huge"
check "a pid past every limit" 1 --err-has "pid out of range" -- "$HEALTHY" "pidfile:$f/huge"
printf '%s\n' "$dead" > "$f/dead"
check "the pid of a process that exited" 1 --err "healthy: pidfile:$f/dead: pid $dead not running" \
	-- "$HEALTHY" "pidfile:$f/dead"
max=$(cat /proc/sys/kernel/pid_max)
if [ "$max" -lt 4194304 ]; then
	printf '%s\n' $((max + 1)) > "$f/beyond"
	check "a pid beyond pid_max" 1 --err "healthy: pidfile:$f/beyond: pid $((max + 1)) not running (beyond pid_max $max)" \
		-- "$HEALTHY" "pidfile:$f/beyond"
else
	skip "a pid beyond pid_max" "pid_max is already the kernel's limit"
fi
start "$NAMED" zombie hly-pfz
printf '%s\n' "$PID" > "$f/zombie"
check "the pid of a zombie" 1 --err "healthy: pidfile:$f/zombie: pid $PID not running (zombie)" \
	-- "$HEALTHY" "pidfile:$f/zombie"
mkfifo "$f/fifo"
check "a FIFO is no pidfile, and does not hang" 1 --err "healthy: pidfile:$f/fifo: not a regular file" \
	-- timeout 10 "$HEALTHY" "pidfile:$f/fifo"
check "a directory is no pidfile" 1 --err "healthy: pidfile:$f: not a regular file" -- "$HEALTHY" "pidfile:$f"
chmod 600 "$f/good"
check "a pidfile this user cannot read cannot be checked" 3 \
	--err "healthy: pidfile:$f/good: Permission denied" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" "pidfile:$f/good"

finish
