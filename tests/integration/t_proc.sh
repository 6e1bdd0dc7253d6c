# proc:NAME against real processes: states, counts, names that fight back.
. "$(dirname "$0")/lib.sh"

start "$NAMED" sleep hly-one
one=$PID
check "a running process passes, silently" 0 --out "" --err "" -- "$HEALTHY" proc:hly-one
check "-v shows the pid and state" 0 --out "healthy: proc:hly-one: ok: 1 running (pid $one S)" --err "" \
	-- "$HEALTHY" -v proc:hly-one
check "an absent name fails with one line" 1 --out "" --err "healthy: proc:hly-absent: not running" \
	-- "$HEALTHY" proc:hly-absent
check "-q prints nothing" 1 --out "" --err "" -- "$HEALTHY" -q proc:hly-absent
check "every check runs: one failure fails the run" 1 --err "healthy: proc:hly-absent: not running" \
	-- "$HEALTHY" proc:hly-one proc:hly-absent
check "-v prints passes on stdout and failures on stderr" 1 \
	--out "healthy: proc:hly-one: ok: 1 running (pid $one S)" --err "healthy: proc:hly-absent: not running" \
	-- "$HEALTHY" -v proc:hly-one proc:hly-absent
check "the name is matched exactly, not as a prefix" 1 -- "$HEALTHY" proc:hly-on
check "the name is matched exactly, not as a substring" 1 -- "$HEALTHY" proc:one

# Several instances.
start "$NAMED" sleep hly-many; m1=$PID
start "$NAMED" sleep hly-many; m2=$PID
start "$NAMED" sleep hly-many; m3=$PID
check "min=3 with three running" 0 -- "$HEALTHY" proc:hly-many,min=3
check "min=4 with three running" 1 \
	--err "healthy: proc:hly-many,min=4: 3 running, want at least 4 (pids $m1 S, $m2 S, $m3 S)" \
	-- "$HEALTHY" proc:hly-many,min=4
check "max=3 with three running" 0 -- "$HEALTHY" proc:hly-many,max=3
check "max=2 with three running" 1 \
	--err "healthy: proc:hly-many,max=2: 3 running, want at most 2 (pids $m1 S, $m2 S, $m3 S)" \
	-- "$HEALTHY" proc:hly-many,max=2
check "min=3,max=3" 0 -- "$HEALTHY" proc:hly-many,min=3,max=3
check "max=0 alone asks that none run" 0 --out "healthy: proc:hly-absent,max=0: ok: none running" \
	-- "$HEALTHY" -v proc:hly-absent,max=0
check "max=0 fails while one runs" 1 --err-has "1 running, want at most 0" -- "$HEALTHY" proc:hly-one,max=0
check "min=0 always passes" 0 -- "$HEALTHY" proc:hly-absent,min=0

# States that are not running.
start "$NAMED" zombie hly-zombie
check "a zombie is not running" 1 --err "healthy: proc:hly-zombie: not running (1 zombie)" \
	-- "$HEALTHY" proc:hly-zombie
start "$NAMED" sleep hly-stopped
stopped=$PID
kill -STOP "$stopped"; wait_state "$stopped" T
check "a stopped process is not running" 1 --err "healthy: proc:hly-stopped: not running (stopped, pid $stopped)" \
	-- "$HEALTHY" proc:hly-stopped
kill -CONT "$stopped"; wait_state "$stopped" S
check "it runs again after SIGCONT" 0 -- "$HEALTHY" proc:hly-stopped
start "$NAMED" traced hly-traced
check "a process stopped under ptrace is not running" 1 --err "healthy: proc:hly-traced: not running (traced, pid $PID)" \
	-- "$HEALTHY" proc:hly-traced
start "$NAMED" sleep hly-mixed; mixed_live=$PID
start "$NAMED" zombie hly-mixed
check "zombies beside a live one do not fail it" 0 --out "healthy: proc:hly-mixed: ok: 1 running (pid $mixed_live S)" \
	-- "$HEALTHY" -v proc:hly-mixed
check "but they are not counted" 1 --err "healthy: proc:hly-mixed,min=2: 1 running, want at least 2 (pid $mixed_live S) (1 zombie)" \
	-- "$HEALTHY" proc:hly-mixed,min=2

# Threads are not processes; a zombie leader whose threads run is a process.
start "$NAMED" threads hly-thread
check "threads named NAME do not count" 1 --err "healthy: proc:hly-thread: not running" -- "$HEALTHY" proc:hly-thread
start "$NAMED" leader-exit hly-leaderexit
wait_state "$PID" Z
check "a process whose main thread exited still runs (the state shown is its threads')" 0 \
	--out "healthy: proc:hly-leaderexit: ok: 1 running (pid $PID S)" -- "$HEALTHY" -v proc:hly-leaderexit
check "pid: of it too" 0 -- "$HEALTHY" "pid:$PID"
kill -STOP "$PID"
for i in $(seq 200); do grep -q "^State:.*T" "/proc/$PID/task/$(ls "/proc/$PID/task" | grep -vx "$PID" | head -n 1)/status" && break; sleep 0.01; done
check "but when its threads are stopped, it is stopped" 1 --err "healthy: proc:hly-leaderexit: not running (stopped, pid $PID)" \
	-- "$HEALTHY" proc:hly-leaderexit
check "pid: of it too" 1 --err "healthy: pid:$PID: not running (stopped, hly-leaderexit)" -- "$HEALTHY" "pid:$PID"
kill -CONT "$PID"
# The process is what its threads are: running if any runs, whatever the others are.
start "$NAMED" leader-exit-traced hly-zl-traced
check "a zombie leader with a ptrace-stopped thread listed first and a running one: running" 0 \
	--out "healthy: proc:hly-zl-traced: ok: 1 running (pid $PID S)" -- "$HEALTHY" -v proc:hly-zl-traced
check "pid: of it too" 0 -- "$HEALTHY" "pid:$PID"
start "$NAMED" leader-exit-dead hly-zl-dead
check "a zombie leader whose every thread exited (one unreaped by its tracer, Threads 2): not running" 1 \
	--err "healthy: proc:hly-zl-dead: not running (1 zombie)" -- "$HEALTHY" proc:hly-zl-dead
check "pid: of it too" 1 --err "healthy: pid:$PID: not running (zombie, hly-zl-dead)" -- "$HEALTHY" "pid:$PID"

# Names that fight back: parens, spaces, newlines, field look-alikes, non-UTF-8.
for name in 'a)b' 'x) Z 1 2' 'sp ace' $'nl\nx' $'\xff\xfe' '(paren' ')' 'a,b' 'tab	t'; do
	start "$NAMED" sleep "$name"
	check "hostile name $(printf %q "$name") is found" 0 -- "$HEALTHY" "proc:$name"
done
check "a newline in a name is escaped when printed" 1 --err 'healthy: proc:hly\nabsent: not running' \
	-- "$HEALTHY" $'proc:hly\nabsent'
check "non-UTF-8 bytes are escaped when printed" 1 --err 'healthy: proc:hly\xffabsent: not running' \
	-- "$HEALTHY" $'proc:hly\xffabsent'
start "$NAMED" sleep $'hly-\e[31mred'
check "terminal escapes in a found name are escaped" 0 --out "healthy: proc:hly-\\x1b[31mred: ok: 1 running (pid $PID S)" \
	-- "$HEALTHY" -v $'proc:hly-\e[31mred'
start "$NAMED" sleep $'hly-rlo\xe2\x80\xaex'
check "a right-to-left override (U+202E) in a name is escaped" 0 --out "healthy: proc:hly-rlo\\xe2\\x80\\xaex: ok: 1 running (pid $PID S)" \
	-- "$HEALTHY" -v $'proc:hly-rlo\xe2\x80\xaex'
start "$NAMED" sleep $'\xef\xbb\xbfhly-bom'
check "a byte order mark (U+FEFF) in a name is escaped" 0 --out "healthy: proc:\\xef\\xbb\\xbfhly-bom: ok: 1 running (pid $PID S)" \
	-- "$HEALTHY" -v $'proc:\xef\xbb\xbfhly-bom'
start "$NAMED" sleep 'hly-x) Z 1 2'
check "a name that fakes a zombie state is running" 0 --out "healthy: proc:hly-x) Z 1 2: ok: 1 running (pid $PID S)" \
	-- "$HEALTHY" -v 'proc:hly-x) Z 1 2'

# Globs.
check "a * glob" 0 -- "$HEALTHY" 'proc:hly-m*'
check "a ? glob" 0 -- "$HEALTHY" 'proc:hly-?ne'
check "a [] glob" 0 -- "$HEALTHY" 'proc:hly-[mn]any,min=3'
check "a glob that matches nothing" 1 --err "healthy: proc:hly-q*: not running" -- "$HEALTHY" 'proc:hly-q*'
# (Globs that start "hly-" and go on with a letter: no other test's 15-byte "hly-stuck-NNNNN" could be cut from a match.)
check "a glob counts every match" 0 -- "$HEALTHY" 'proc:hly-m*y,min=3,max=3'

# Names longer than the kernel's 15 bytes of comm: the whole name (argv[0], argv[1], the executable) decides.
mkdir -p "$TMP/bin"
cp "$NAMED" "$TMP/bin/hly-controller-manager"
start "$TMP/bin/hly-controller-manager" sleep - ; long=$PID
check "a 22-byte name matches (pgrep -x never does)" 0 \
	--out "healthy: proc:hly-controller-manager: ok: 1 running (pid $long S)" \
	-- "$HEALTHY" -v proc:hly-controller-manager
check "another long name with the same 15-byte start does not" 1 -- "$HEALTHY" proc:hly-controller-scheduler
check "a 15-byte NAME is a whole name: the cut comm of a longer one is not it" 1 \
	--err "healthy: proc:hly-controller-: not running" -- "$HEALTHY" proc:hly-controller-
check "a glob that matches the cut comm, not the whole name, does not match" 1 -- "$HEALTHY" 'proc:hly-c*ller-'
check "a glob over the long name" 0 -- "$HEALTHY" 'proc:hly-controller-m*ger'
check "a glob over the long name's end" 0 -- "$HEALTHY" 'proc:hly-c*-manager'
cp "$NAMED" "$TMP/bin/hly-15-byte-nam"
start "$TMP/bin/hly-15-byte-nam" sleep -
check "a process whose whole name is 15 bytes matches them" 0 -- "$HEALTHY" proc:hly-15-byte-nam
check "... and a glob of them" 0 -- "$HEALTHY" 'proc:hly-15-*-nam'
# A script run by its interpreter: comm is the script's (cut), argv[0] the interpreter's, argv[1] the script.
printf '#!/bin/sh\necho $$ > "$1.tmp" && mv "$1.tmp" "$1" && read x < "$0.fifo"\n' > "$TMP/bin/hly-script-with-long-name"
chmod 755 "$TMP/bin/hly-script-with-long-name"; mkfifo "$TMP/bin/hly-script-with-long-name.fifo"
start "$TMP/bin/hly-script-with-long-name"; script=$PID
check "a script with a long name matches by the script's name" 0 \
	--out "healthy: proc:hly-script-with-long-name: ok: 1 running (pid $script S)" -- "$HEALTHY" -v proc:hly-script-with-long-name
check "... not by its interpreter's" 1 -- "$HEALTHY" proc:hly-script-with
# "#!/bin/sh -e": the kernel passes the one interpreter argument, and the script is argv[2].
printf '#!/bin/sh -e\necho $$ > "$1.tmp" && mv "$1.tmp" "$1" && read x < "$0.fifo"\n' > "$TMP/bin/hly-script-with-an-option"
chmod 755 "$TMP/bin/hly-script-with-an-option"; mkfifo "$TMP/bin/hly-script-with-an-option.fifo"
start "$TMP/bin/hly-script-with-an-option"
check "a script whose #! line holds an option matches by the script's name (argv[2])" 0 -- "$HEALTHY" proc:hly-script-with-an-option
check "... pid:,name= too" 0 -- "$HEALTHY" "pid:$PID,name=hly-script-with-an-option"
# argv[0] rewritten: the executable's name decides, where this user may read it.
cp "$NAMED" "$TMP/bin/hly-argv-rewritten-x"
start bash -c 'exec -a hly-other "$0" "$@"' "$TMP/bin/hly-argv-rewritten-x" sleep -; rewritten=$PID
check "argv[0] rewritten: the executable's name decides" 0 -- "$HEALTHY" proc:hly-argv-rewritten-x
check "... as another user, who may not read it: cannot tell, exit 3" 3 \
	--err "healthy: proc:hly-argv-rewritten-x: cannot tell: the name of pid $rewritten is cut to 15 bytes, and neither its command line nor its executable gives the rest; 0 running besides" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" proc:hly-argv-rewritten-x
check "... pid:,name= too" 3 --err-has "cannot tell: the name of pid $rewritten is cut to 15 bytes (hly-argv-rewrit)" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" "pid:$rewritten,name=hly-argv-rewritten-x"
check "... but a count it cannot change still passes" 0 \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" proc:hly-controller-manager
check "... and a glob that ends in * and matches the cut comm needs no more" 0 \
	--out "healthy: proc:hly-argv-rewr*: ok: 1 running (pid $rewritten S)" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" -v 'proc:hly-argv-rewr*'
cp "$NAMED" "$TMP/bin/hly-deleted-binary-x"
start bash -c 'exec -a hly-other "$0" "$@"' "$TMP/bin/hly-deleted-binary-x" sleep -
rm "$TMP/bin/hly-deleted-binary-x"
check "a binary replaced by an upgrade (exe \"... (deleted)\") keeps its name" 0 -- "$HEALTHY" proc:hly-deleted-binary-x
# A zombie leader's own argv is gone: its threads still have the process's.
cp "$NAMED" "$TMP/bin/hly-zl-long-process-name"
start "$TMP/bin/hly-zl-long-process-name" leader-exit -
wait_state "$PID" Z
check "a long name whose leader exited is read through a thread that runs" 0 -- "$HEALTHY" proc:hly-zl-long-process-name
cp "$NAMED" "$TMP/bin/hly-controller-scheduler"
(cd "$TMP/bin" && exec -a ./hly-controller-scheduler ./hly-controller-scheduler sleep - "$TMP/ready.rel") &
own $!
wait_file "$TMP/ready.rel"
check "argv[0] given as a relative path" 0 -- "$HEALTHY" proc:hly-controller-scheduler

# args=GLOB: the arguments after argv[0] joined by single spaces, on real interpreters' command lines.
# Each helper script takes its ready file last: it writes its PID there, then waits to be killed.
cat > "$TMP/hlyQ-app.py" <<'EOF'
import os, sys, time
r = sys.argv[-1]
with open(r + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(r + ".tmp", r)
time.sleep(600)
EOF
cat > "$TMP/hlyQ-app.pl" <<'EOF'
my $r = $ARGV[-1];
open(my $f, ">", "$r.tmp") or die; print $f "$$\n"; close($f); rename("$r.tmp", $r) or die;
sleep 600;
EOF
printf '#!/bin/sh\nfor r; do :; done\necho $$ > "$r.tmp" && mv "$r.tmp" "$r" && read x < "$0.fifo"\n' > "$TMP/bin/hlyQ-app.sh"
chmod 755 "$TMP/bin/hlyQ-app.sh"; mkfifo "$TMP/bin/hlyQ-app.sh.fifo"
py=/usr/bin/python3
if [ -x "$py" ]; then
	start "$py" "$TMP/hlyQ-app.py" --port 8080; app=$PID app_ready=$TMP/ready.$nready
	check "args=: a python3 script by its arguments" 0 \
		--out "healthy: proc:python3,args=*hlyQ-app.py*: ok: 1 running (pid $app S)" \
		-- "$HEALTHY" -v 'proc:python3,args=*hlyQ-app.py*'
	check "... the arguments joined by single spaces, whole" 0 \
		-- "$HEALTHY" "proc:python3,args=$TMP/hlyQ-app.py --port 8080 $app_ready"
	check "... the glob must match to their end" 1 -- "$HEALTHY" 'proc:python3,args=*hlyQ-app.py'
	check "... argv[0] is not one of them" 1 -- "$HEALTHY" "proc:python3,args=$py *"
	check "... the name still decides" 1 -- "$HEALTHY" 'proc:perl,args=*hlyQ-app.py*'
	# proc:* reads every process's command line, and waits for one whose cmdline blocks its readers, as
	# t_hang.sh's helper does (another tree's tests may run one now): then it answers 3, which is right,
	# but not what these look at.
	if timeout 5 sh -c 'cat /proc/[0-9]*/cmdline' >/dev/null 2>&1; then
		check "... NAME * is any process" 0 \
			--out "healthy: proc:*,args=*hlyQ-app.py --port 8080 *: ok: 1 running (pid $app S)" \
			-- "$HEALTHY" -v 'proc:*,args=*hlyQ-app.py --port 8080 *'
		check "... healthy's own ancestors do not count (timeout's arguments hold the glob)" 1 \
			--err-has " running with other arguments; not counting healthy's own ancestor, pid " \
			-- "$HEALTHY" 'proc:*,args=*hlyQ-nowhere*'
	else
		skip "proc:*,args=" "a process on this machine blocks the readers of its cmdline"
	fi
	check "... as uid 65534, of root's process: cmdline is readable by all" 0 \
		-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" 'proc:python3,args=*hlyQ-app.py --port 8080 *'

	# Under a name of their own (a symlink to the interpreter: comm is its name), so that no other python3 on
	# the machine changes the exact lines.
	ln -s "$py" "$TMP/bin/hlyQ-python3"
	start "$TMP/bin/hlyQ-python3" "$TMP/hlyQ-app.py" --port 8081; q1=$PID
	start "$TMP/bin/hlyQ-python3" "$TMP/hlyQ-app.py" --port 8081; q2=$PID
	start "$TMP/bin/hlyQ-python3" "$TMP/hlyQ-app.py" --port 8082
	check "args= counts with min= and max=" 0 -- "$HEALTHY" 'proc:hlyQ-python3,args=*--port 8081 *,min=2,max=2'
	check "... too few: the others are counted apart" 1 \
		--err "healthy: proc:hlyQ-python3,args=*--port 8081 *,min=3: 2 running, want at least 3 (pids $q1 S, $q2 S) (1 running with other arguments)" \
		-- "$HEALTHY" 'proc:hlyQ-python3,args=*--port 8081 *,min=3'
	check "... none: not running, and how many run with other arguments" 1 \
		--err "healthy: proc:hlyQ-python3,args=*--port 9999 *: not running (3 running with other arguments)" \
		-- "$HEALTHY" 'proc:hlyQ-python3,args=*--port 9999 *'
	check "... a class in the glob" 0 -- "$HEALTHY" 'proc:hlyQ-python3,args=*hlyQ-app.py --port 808[12] *,min=3,max=3'
	check "... with user=" 0 -- "$HEALTHY" 'proc:hlyQ-python3,user=0,args=*--port 8082 *'
	check "... as uid 65534" 0 \
		-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" 'proc:hlyQ-python3,args=*--port 8081 *,min=2,max=2'
	start "$TMP/bin/hlyQ-python3" "$TMP/hlyQ-app.py" $'new\nline' $'\xff'; hostile=$PID
	check "... an argument holding a newline, and one that is not UTF-8, are matched as they are" 0 \
		--out "healthy: proc:hlyQ-python3,args=*new?line ?*: ok: 1 running (pid $hostile S)" \
		-- "$HEALTHY" -v 'proc:hlyQ-python3,args=*new?line ?*'
	check "... and a glob holding them is escaped when printed" 1 \
		--err 'healthy: proc:hlyQ-python3,args=*new\nline \xff: not running (4 running with other arguments)' \
		-- "$HEALTHY" $'proc:hlyQ-python3,args=*new\nline \xff'
	# A MiB of arguments (ten of 100,000 bytes) before the one looked for: read to the end, not cut.
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	start "$TMP/bin/hlyQ-python3" "$TMP/hlyQ-app.py" $big $big $big $big $big $big $big $big $big $big --hlyQ-end
	check "... past a MiB of arguments" 0 -- "$HEALTHY" 'proc:hlyQ-python3,args=*--hlyQ-end *,max=1'
	check "... and to their end, exactly" 1 -- "$HEALTHY" 'proc:hlyQ-python3,args=*x --hlyQ-end'
else
	skip "args= with python3" "no $py"
fi
if command -v perl >/dev/null; then
	start perl "$TMP/hlyQ-app.pl" a b; pl=$PID
	check "args=: a perl script" 0 --out "healthy: proc:perl,args=*/hlyQ-app.pl a b *: ok: 1 running (pid $pl S)" \
		-- "$HEALTHY" -v 'proc:perl,args=*/hlyQ-app.pl a b *'
	# perl's $0 = "..." rewrites the command line as one string (and comm): argv[0] is all of it.
	start perl -e '$0 = "hlyQ-title: worker"; open(my $f, ">", "$ARGV[0].tmp"); print $f "$$\n"; close($f);
		rename("$ARGV[0].tmp", $ARGV[0]); sleep 600'
	check "a command line rewritten as one string has no arguments" 0 -- "$HEALTHY" 'proc:hlyQ-title*,args=*'
	check "... so its words are not matched as arguments" 1 \
		--err "healthy: proc:hlyQ-title*,args=*worker*: not running (1 running with other arguments)" \
		-- "$HEALTHY" 'proc:hlyQ-title*,args=*worker*'
else
	skip "args= with perl" "no perl"
fi
start sh "$TMP/bin/hlyQ-app.sh" one two
check "args=: a sh script run by its interpreter" 0 -- "$HEALTHY" "proc:sh,args=$TMP/bin/hlyQ-app.sh one two *"
start "$TMP/bin/hlyQ-app.sh" three; shpid=$PID
check "... and by its #! line: argv[1] is the script, comm its name" 0 \
	--out "healthy: proc:hlyQ-app.sh,args=$TMP/bin/hlyQ-app.sh three *: ok: 1 running (pid $shpid S)" \
	-- "$HEALTHY" -v "proc:hlyQ-app.sh,args=$TMP/bin/hlyQ-app.sh three *"
start "$NAMED" leader-exit hlyQ-zlargs
wait_state "$PID" Z
check "args= of a process whose main thread exited: read through a thread that runs" 0 \
	-- "$HEALTHY" 'proc:hlyQ-zlargs,args=leader-exit hlyQ-zlargs *'

# Nothing of the name in a PID namespace that shows few processes: it may run in another one (a sidecar's
# check without pidMode "task" or shareProcessNamespace). Each runs as PID 1 of a namespace of its own, after
# N sleeps started there; they die with it.
if unshare -pf --mount-proc true 2>/dev/null; then
	# in_ns N CMD...: CMD as PID 1 of a new PID namespace, with its own /proc, after N sleeps (exec'd).
	in_ns() {
		unshare -pf --mount-proc bash -c 'for ((i = 0; i < $0; i++)); do sleep 600 & done
			for p in $(jobs -p); do until [ "$(cat /proc/$p/comm)" = sleep ]; do :; done; done
			exec "$@"' "$@"
	}
	check "alone in its PID namespace: not running, and says how few processes it shows" 1 \
		--err "healthy: proc:hlyQ-absent: not running (this PID namespace shows 1 process: is it shared?)" \
		-- in_ns 0 "$HEALTHY" proc:hlyQ-absent
	check "... with two others" 1 \
		--err "healthy: proc:hlyQ-absent: not running (this PID namespace shows 3 processes: is it shared?)" \
		-- in_ns 2 "$HEALTHY" proc:hlyQ-absent
	check "... with user=" 1 \
		--err "healthy: proc:hlyQ-absent,user=0: not running as uid 0 (this PID namespace shows 1 process: is it shared?)" \
		-- in_ns 0 "$HEALTHY" proc:hlyQ-absent,user=0
	check "... five others besides healthy are still few" 1 \
		--err "healthy: proc:hlyQ-absent,min=2: not running (this PID namespace shows 6 processes: is it shared?)" \
		-- in_ns 5 "$HEALTHY" proc:hlyQ-absent,min=2
	check "six are not: a plain 'not running'" 1 --err "healthy: proc:hlyQ-absent: not running" \
		-- in_ns 6 "$HEALTHY" proc:hlyQ-absent
	# A shell as PID 1, four sleeps, a second shell (healthy's ancestor: counted, six others), then healthy.
	check "healthy's ancestors do not count as others" 1 \
		--err "healthy: proc:hlyQ-absent: not running (this PID namespace shows 7 processes: is it shared?)" \
		-- in_ns 4 sh -c 'sh -c '\''"$0" proc:hlyQ-absent; exit $?'\'' "$0"; exit $?' "$HEALTHY"
	check "a process of the name that does not count says so, not the hint" 1 \
		--err "healthy: proc:hlyQ-zomb: not running (1 zombie)" \
		-- in_ns 0 bash -c '"$1" zombie hlyQ-zomb "$2" & until [ -s "$2" ]; do sleep 0.01; done; exec "$0" proc:hlyQ-zomb' \
		"$HEALTHY" "$NAMED" "$TMP/ready.nszombie"
	check "a process that runs there is found" 0 -- in_ns 1 "$HEALTHY" proc:sleep
	check "the host's PID namespace shows too many for the hint" 1 --err "healthy: proc:hlyQ-absent: not running" \
		-- "$HEALTHY" proc:hlyQ-absent
else
	skip "a PID namespace that shows few processes" "unshare -pf --mount-proc is not allowed here"
fi

# A frozen process (docker pause, the cgroup freezer) counts as running: /proc shows it asleep (D under the v1
# freezer), and nothing healthy reads tells frozen from idle. The README says so; this keeps it true.
fz=/sys/fs/cgroup/freezer/hlyQ-$$ fz_root=/sys/fs/cgroup/freezer
if [ ! -d "$fz_root" ] && [ -f /sys/fs/cgroup/cgroup.controllers ]; then fz=/sys/fs/cgroup/hlyQ-$$ fz_root=/sys/fs/cgroup; fi
if mkdir "$fz" 2>/dev/null; then
	start "$NAMED" sleep hlyQ-frozen; frozen=$PID
	echo "$frozen" > "$fz/cgroup.procs"
	if [ -f "$fz/freezer.state" ]; then echo FROZEN > "$fz/freezer.state"; else echo 1 > "$fz/cgroup.freeze"; fi
	for i in $(seq 500); do grep -qsx -e FROZEN -e "frozen 1" "$fz/freezer.state" "$fz/cgroup.events" && break; sleep 0.01; done
	check "a frozen process counts as running" 0 --out-has "healthy: proc:hlyQ-frozen: ok: 1 running (pid $frozen " \
		-- "$HEALTHY" -v proc:hlyQ-frozen
	if [ -f "$fz/freezer.state" ]; then echo THAWED > "$fz/freezer.state"; else echo 0 > "$fz/cgroup.freeze"; fi
	echo "$frozen" > "$fz_root/cgroup.procs"
	rmdir "$fz"
else
	skip "a frozen process" "no cgroup freezer to write to here"
fi

# healthy never counts itself, nor the shell that runs it.
# A copy under a name of its own: another healthy running on the machine must not make this pass.
cp "$HEALTHY" "$TMP/bin/hly-self"
check "healthy does not count itself" 1 -- "$TMP/bin/hly-self" proc:hly-self
cp /bin/sh "$TMP/bin/hly-shell"
check "nor its ancestors, and says so" 1 --err-has "not counting healthy's own ancestor, pid" \
	-- "$TMP/bin/hly-shell" -c "\"$HEALTHY\" proc:hly-shell; exit \$?"
# Two shells up, past a younger one: the walk up the parents stops only at one that started before the name's process.
check "nor an ancestor two shells up" 1 --err-has "not counting healthy's own ancestor, pid" \
	-- "$TMP/bin/hly-shell" -c "sh -c '\"$HEALTHY\" proc:hly-shell; exit \$?'; exit \$?"
check "pid 1 is never excluded as an ancestor" 0 -- "$HEALTHY" "proc:$(cat /proc/1/comm)"

finish
