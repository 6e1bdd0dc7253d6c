# pid:N and pidfile:PATH against real processes and hostile files.
. "$(dirname "$0")/lib.sh"

start "$NAMED" sleep hly-pid; live=$PID
check "a live pid" 0 --out "" --err "" -- "$HEALTHY" "pid:$live"
check "-v shows its state and name" 0 --out "healthy: pid:$live: ok: running (pid $live S, hly-pid)" -- "$HEALTHY" -v "pid:$live"
check "pid 1" 0 -- "$HEALTHY" pid:1
sleep 0 & dead=$!; wait $dead
check "a pid that exited" 1 --err "healthy: pid:$dead: not running" -- "$HEALTHY" "pid:$dead"
start "$NAMED" zombie hly-pidz
check "a zombie pid" 1 --err "healthy: pid:$PID: not running (zombie, hly-pidz)" -- "$HEALTHY" "pid:$PID"
kill -STOP "$live"; wait_state "$live" T
check "a stopped pid" 1 --err "healthy: pid:$live: not running (stopped, hly-pid)" -- "$HEALTHY" "pid:$live"
kill -CONT "$live"
start "$NAMED" traced hly-pidt
check "a traced pid" 1 --err "healthy: pid:$PID: not running (traced, hly-pidt)" -- "$HEALTHY" "pid:$PID"
start "$NAMED" threads hly-pidth
tid=$(ls "/proc/$PID/task" | grep -vx "$PID" | head -n 1)
check "a thread id is not a process" 1 --err "healthy: pid:$tid: is a thread of process $PID, not a process" \
	-- "$HEALTHY" "pid:$tid"

# ,name=NAME: the process must also have the name, by proc:'s rules.
check "name= that matches" 0 -- "$HEALTHY" "pid:$live,name=hly-pid"
check "name= as a glob" 0 -- "$HEALTHY" "pid:$live,name=hly-p*"
check "name= that does not match says what runs there" 1 --err "healthy: pid:$live,name=nginx: is hly-pid, not nginx" \
	-- "$HEALTHY" "pid:$live,name=nginx"
check "name= is matched whole, not as a prefix" 1 -- "$HEALTHY" "pid:$live,name=hly-pi"

# healthy itself and its ancestors are never the service.
cp /bin/sh "$TMP/hly-ancsh"
check "pid: of the shell that runs healthy is not the service" 1 \
	--err-has "is healthy's own ancestor (hly-ancsh), not the service" \
	-- "$TMP/hly-ancsh" -c '"$0" "pid:$$"; exit $?' "$HEALTHY"
if unshare -pf --mount-proc true 2>/dev/null; then
	check "as PID 1, pid:1 is healthy itself" 1 --err "healthy: pid:1: is healthy itself (${HEALTHY##*/}), not the service" \
		-- timeout 20 unshare -pf --mount-proc "$HEALTHY" pid:1
else
	skip "healthy as PID 1" "unshare -p is not allowed here"
fi

# pidfile:
f=$TMP/pidfiles; mkdir -p "$f"
printf '%s\n' "$live" > "$f/good"
check "a pidfile of a live process" 0 --out "healthy: pidfile:$f/good: ok: running (pid $live S, hly-pid)" \
	-- "$HEALTHY" -v "pidfile:$f/good"
printf '%s' "$live" > "$f/nonl"
check "a pidfile without a trailing newline" 0 -- "$HEALTHY" "pidfile:$f/nonl"
printf '  %s \r\nsomething else\n' "$live" > "$f/blanks"
check "blanks around the pid and a second line" 0 -- "$HEALTHY" "pidfile:$f/blanks"
check "a missing pidfile" 1 --err "healthy: pidfile:$f/missing: no pid file at $f/missing" \
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
check "the pid of a zombie" 1 --err "healthy: pidfile:$f/zombie: pid $PID not running (zombie, hly-pfz)" \
	-- "$HEALTHY" "pidfile:$f/zombie"
check "pidfile: with name= that matches" 0 -- "$HEALTHY" "pidfile:$f/good,name=hly-pid"
check "pidfile: with name=: a PID now another process's" 1 --err "healthy: pidfile:$f/good,name=nginx: pid $live is hly-pid, not nginx" \
	-- "$HEALTHY" "pidfile:$f/good,name=nginx"
# A dead container's pid file read from the host: its PID 1 is the host's init now.
printf '1\n' > "$f/one"
init=$(cat /proc/1/comm)
check "pidfile: holding 1 names what runs there now" 0 --out "healthy: pidfile:$f/one: ok: running (pid 1 $(sed 's/.*) \(.\).*/\1/' /proc/1/stat), $init)" \
	-- "$HEALTHY" -v "pidfile:$f/one"
check "... and name= tells it from the service" 1 --err "healthy: pidfile:$f/one,name=hly-svc: pid 1 is $init, not hly-svc" \
	-- "$HEALTHY" "pidfile:$f/one,name=hly-svc"
check "a path with a comma before name=" 0 -- sh -c 'cp "$1" "$1,x" && exec "$0" "pidfile:$1,x,name=hly-pid"' "$HEALTHY" "$f/good"
# A stale pid file whose PID is healthy's own now: a new PID namespace, where ns_last_pid hands it over.
if unshare -pf --mount-proc true 2>/dev/null; then
	printf '42\n' > "$f/self"
	check "a stale pidfile holding healthy's own PID fails, and says why" 1 \
		--err "healthy: pidfile:$f/self: pid 42 is healthy itself (${HEALTHY##*/}), not the service" \
		-- timeout 20 unshare -pf --mount-proc sh -c 'echo 41 > /proc/sys/kernel/ns_last_pid; "$0" "pidfile:$1"; exit $?' \
		"$HEALTHY" "$f/self"
	printf '1\n' > "$f/pid1"
	check "as PID 1, --wait --watch on a pidfile holding 1 never starts COMMAND" 1 \
		--err-has "pid 1 is healthy itself" \
		-- timeout 20 unshare -pf --mount-proc "$HEALTHY" --wait=300ms --watch "pidfile:$f/pid1" -- sh -c "touch $TMP/started"
	check "... COMMAND did not run" 1 -- test -e "$TMP/started"
else
	skip "a pidfile holding healthy's own PID" "unshare -p is not allowed here"
fi
mkfifo "$f/fifo"
check "a FIFO is no pidfile, and does not hang" 1 --err "healthy: pidfile:$f/fifo: not a regular file" \
	-- timeout 10 "$HEALTHY" "pidfile:$f/fifo"
check "a directory is no pidfile" 1 --err "healthy: pidfile:$f: not a regular file" -- "$HEALTHY" "pidfile:$f"
chmod 600 "$f/good"
check "a pidfile this user cannot read cannot be checked" 3 \
	--err "healthy: pidfile:$f/good: open $f/good: permission denied" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" "pidfile:$f/good"

finish
