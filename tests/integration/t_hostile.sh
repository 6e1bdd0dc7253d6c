# Processes that fight back: hostile names, a command line of megabytes, a process renaming itself
# while it is checked, threads named like the process checked.
. "$(dirname "$0")/lib.sh"

HOSTILE=$HELPERS/hostile
# A sanitized build costs ~50ms a run in its runtime's start alone: fewer runs keep it in time.
RUNS=100
if grep -q __asan_init "$HEALTHY" 2>/dev/null; then RUNS=20; fi
RUNS=${HEALTHY_HOSTILE_RUNS:-$RUNS}
mkdir -p "$TMP/bin" "$TMP/rep"

# stop PID: kill a helper this shell started, and reap it (no zombie of its name left behind).
stop() {
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# --- Hostile names: each finds exactly its own process, and is printed escaped, on one line. ---
# NAME, then how healthy prints it (the man page: control bytes as \n, \t or \xNN; bytes that are not
# printable UTF-8 as \xNN; a backslash doubled, so that the line reads back one way).
hostile_names=(
	'hly-h)'            'hly-h)'
	'hly-h) '           'hly-h) '
	'hly-h) S 1'        'hly-h) S 1'
	'hly-h) Z 1 2'      'hly-h) Z 1 2'
	'hly-h)('           'hly-h)('
	$'hly-h)\n'         'hly-h)\n'
	$'hly-h\nx'         'hly-h\nx'
	'hly-h\nx'          'hly-h\\nx'
	'hly-h\'            'hly-h\\'
	'hly-h x'           'hly-h x'
	'hly-h  x'          'hly-h  x'
	$'hly-h\tx'         'hly-h\tx'
	$'hly-h\r'          'hly-h\x0d'
	$'hly-h\x01'        'hly-h\x01'
	$'hly-h\x7f'        'hly-h\x7f'
	$'hly-h\e[2J'       'hly-h\x1b[2J'
	$'hly-h\xff'        'hly-h\xff'
	$'hly-h\xff\xfe'    'hly-h\xff\xfe'
	$'hly-h\xc3'        'hly-h\xc3'
	$'hly-h\xc3\xa9'    $'hly-h\xc3\xa9'
	$'hly-h\xc0\xaf'    'hly-h\xc0\xaf'
	$'hly-h\xed\xa0\x80' 'hly-h\xed\xa0\x80'
	$'hly-h\xc2\x9b1m'  'hly-h\xc2\x9b1m'
	'hly-h*'            'hly-h*'
)
all=()
for ((i = 0; i < ${#hostile_names[@]}; i += 2)); do
	name=${hostile_names[i]} shown=${hostile_names[i + 1]}
	start "$NAMED" sleep "$name"
	pids[i]=$PID
	if [ "$name" = 'hly-h*' ]; then all+=("proc:hly-h[*],min=1,max=1"); else all+=("proc:$name,min=1,max=1"); fi
done
for ((i = 0; i < ${#hostile_names[@]}; i += 2)); do
	name=${hostile_names[i]} shown=${hostile_names[i + 1]} pid=${pids[i]}
	label=$(printf %q "$name")
	if [ "$name" = 'hly-h*' ]; then
		# A star is a glob: hly-h* matches every one of them; [*] is the literal star.
		check "hostile name $label: as a glob it matches all $((${#hostile_names[@]} / 2))" 0 \
			-- "$HEALTHY" "proc:hly-h*,min=$((${#hostile_names[@]} / 2)),max=$((${#hostile_names[@]} / 2))"
		check "hostile name $label: [*] finds just the one" 0 --out "healthy: proc:hly-h[*],min=1,max=1: ok: 1 running (pid $pid S)" \
			-- "$HEALTHY" -v "proc:hly-h[*],min=1,max=1"
		continue
	fi
	check "hostile name $label: exactly its own process, escaped, one line" 0 \
		--out "healthy: proc:$shown,min=1,max=1: ok: 1 running (pid $pid S)" --err "" \
		-- "$HEALTHY" -v "proc:$name,min=1,max=1"
	check "hostile name $label: a failing line is escaped and one line" 1 --out "" \
		--err "healthy: proc:$shown,min=2: 1 running, want at least 2 (pid $pid S)" \
		-- "$HEALTHY" "proc:$name,min=2"
done
check "all hostile names in one run, each exactly once" 0 --out "" --err "" -- "$HEALTHY" "${all[@]}"
check "near misses do not match: a prefix" 1 --err "healthy: proc:hly-h: not running" -- "$HEALTHY" proc:hly-h
check "near misses do not match: one more byte" 1 -- "$HEALTHY" $'proc:hly-h\xff\xfe\xfd'
check "near misses do not match: a newline is not a space" 1 -- "$HEALTHY" $'proc:hly-h\n x'
check "near misses do not match: the trailing newline comm shows is not part of the name" 1 -- "$HEALTHY" $'proc:hly-h)\n\n'
# A name cut by the kernel in the middle of a UTF-8 character: comm keeps half of it. named is given the
# whole name as its argv[2], which is where healthy finds it (a script's place under "#!/bin/sh -e").
start "$NAMED" sleep $'hly-hostile1-x\xc3\xa9'; cut=$PID
check "a comm cut mid-character: the whole name it was cut from is found, printed whole" 0 \
	--out "healthy: proc:hly-hostile1-xé: ok: 1 running (pid $cut S)" -- "$HEALTHY" -v $'proc:hly-hostile1-x\xc3\xa9'
check "... its 15 bytes alone are not a name of their own, and are escaped (\\xc3) in the line" 1 \
	--err "healthy: proc:hly-hostile1-x\\xc3: not running" -- "$HEALTHY" $'proc:hly-hostile1-x\xc3'

# --- A command line of megabytes. ---
# A copy of the helper whose name is longer than 15 bytes: comm is "hly-hostile-big", argv[0] decides.
cp "$HOSTILE" "$TMP/bin/hly-hostile-bigcmdline"
start "$HOSTILE" bigexec "$TMP/bin/hly-hostile-bigcmdline" 5; big=$PID
size=$(wc -c < "/proc/$big/cmdline")
check "the helper's command line is over 5 MiB ($size bytes)" 0 -- test "$size" -gt 5242880
check "a 5 MiB command line: the long name matches by argv[0]" 0 \
	--out "healthy: proc:hly-hostile-bigcmdline: ok: 1 running (pid $big S)" -- "$HEALTHY" -v proc:hly-hostile-bigcmdline
check "... another long name with the same 15 bytes does not" 1 -- "$HEALTHY" proc:hly-hostile-bigcmdlinx
check "... its 15-byte comm does not: a 15-byte NAME is a whole name" 1 -- "$HEALTHY" proc:hly-hostile-big
check "... a glob over the long name" 0 -- "$HEALTHY" 'proc:hly-hostile-big*line'
check "... with user=" 0 -- "$HEALTHY" proc:hly-hostile-bigcmdline,user=0
check "... pid:" 0 -- "$HEALTHY" "pid:$big"
# A long argv[0]: "/xxx.../hly-hostile-argv0-long". Up to PATH_MAX (4096 with its NUL) it is a path
# a program can have been started by; the kernel allows 128 KiB (MAX_ARG_STRLEN).
cp "$HOSTILE" "$TMP/bin/hly-hostile-argv0-long"
for len in 4000 4094 4095; do
	start "$HOSTILE" bigargv0 "$TMP/bin/hly-hostile-argv0-long" "$len"
	check "an argv[0] of $len bytes (a path that fits PATH_MAX): its base name matches" 0 \
		-- "$HEALTHY" proc:hly-hostile-argv0-long
	stop "$PID"
done
start "$HOSTILE" bigargv0 "$TMP/bin/hly-hostile-argv0-long" 131071
check "an argv[0] of 128 KiB: found, or 'cannot tell' (3), never a false 'not running'" 0 -- bash -c \
	'"$0" proc:hly-hostile-argv0-long; r=$?; echo "answer $r" >&2; [ $r = 0 ] || [ $r = 3 ]' "$HEALTHY"
stop "$PID"

# --- A process that renames itself in a tight loop while it is checked. ---
# Same-length names, so that even a read torn between two names is one of them to a glob.
start "$HOSTILE" rename hly-ren-aaaaa hly-ren-bbbbb; ren=$PID
answers "renaming: proc:NAME answers 0 or 1, never anything else" \
	"rc0=* rc1=* rc2=0 rc3=0 other=0 signaled=0 multiline=0" "$RUNS" 2 "$HEALTHY" -t 10s proc:hly-ren-aaaaa
answers "renaming: a glob that matches both names always finds exactly one" \
	"rc0=$RUNS" "$RUNS" 2 "$HEALTHY" -t 10s 'proc:hly-ren-?????,min=1,max=1'
answers "renaming: pid: always passes" "rc0=$RUNS" "$RUNS" 2 "$HEALTHY" -t 10s "pid:$ren"
stop "$ren"
# Renaming between a name and one that fakes the fields after it.
start "$HOSTILE" rename 'hly-rez-a' 'hly-rez-a) Z 1'; rez=$PID
answers "renaming to a name that fakes a zombie: never counted a zombie, never 3" \
	"rc0=* rc1=* rc2=0 rc3=0 other=0 signaled=0 multiline=0" "$RUNS" 2 "$HEALTHY" -t 10s 'proc:hly-rez-a) Z 1'
check "... no run said zombie" 1 -- bash -c 'cat "$0"/rc.* 2>/dev/null | grep zombie' "$TMP/rep"
stop "$rez"
# Renaming between the 15 bytes of a long name (argv[0] decides) and another name.
cp "$HOSTILE" "$TMP/bin/hly-renam-longname"
start "$TMP/bin/hly-renam-longname" rename hly-renam-longn hly-renam-other; renl=$PID
answers "renaming, a long name (comm, then argv[0]): 0 or 1 only" \
	"rc0=* rc1=* rc2=0 rc3=0 other=0 signaled=0 multiline=0" "$RUNS" 2 "$HEALTHY" -t 10s proc:hly-renam-longname
stop "$renl"
# The default deadline on a busy machine: the watchdog may end a run with 3 (timed out reading /proc);
# that is allowed, but it must say so, and never be a wrong answer or a crash.
start "$HOSTILE" rename hly-ren-aaaaa hly-ren-bbbbb; ren=$PID
answers "renaming, default deadline: glob always found or timed out, never 1" \
	"rc0=* rc1=0 rc2=0 other=0 signaled=0 multiline=0" "$RUNS" 2 "$HEALTHY" 'proc:hly-ren-?????,min=1,max=1'
check "... and every 3 said 'timed out'" 0 -- bash -c 'for f in "$0"/rc.3.*; do [ -e "$f" ] || continue; grep -q "timed out" "$f" || exit 1; done' "$TMP/rep"
stop "$ren"

# --- Threads are not processes. ---
# README: "A process (thread group), not a thread: the set ps -e and pgrep list"; the name is the
# process's comm, which is its main thread's.
start "$HOSTILE" threads hly-thr-proc hly-thr-name 3; tp=$PID
tid=$(ls "/proc/$tp/task" | grep -vx "$tp" | head -n 1)
check "a thread named X in a process named Y: proc:X fails" 1 --err "healthy: proc:hly-thr-name: not running" \
	-- "$HEALTHY" proc:hly-thr-name
check "... proc:Y passes, counted once" 0 --out "healthy: proc:hly-thr-proc,max=1: ok: 1 running (pid $tp S)" \
	-- "$HEALTHY" -v proc:hly-thr-proc,max=1
check "... proc:X,max=0 passes" 0 -- "$HEALTHY" proc:hly-thr-name,max=0
check "... a glob over the thread's name fails too" 1 -- "$HEALTHY" 'proc:hly-thr-n*'
check "... pid: of the thread is no process" 1 --err "healthy: pid:$tid: is a thread of process $tp, not a process" \
	-- "$HEALTHY" "pid:$tid"
start "$HOSTILE" threads hly-thr-same hly-thr-same 50; ts=$PID
check "a process named X with 50 threads named X is one process" 0 \
	--out "healthy: proc:hly-thr-same,min=1,max=1: ok: 1 running (pid $ts S)" -- "$HEALTHY" -v proc:hly-thr-same,min=1,max=1
start "$HOSTILE" thread-rename hly-thr-host hly-thr-xxxxx hly-thr-yyyyy; tr=$PID
answers "a thread renaming itself to X in a loop: proc:X never passes" \
	"rc0=0 rc1=$RUNS" "$RUNS" 2 "$HEALTHY" -t 10s proc:hly-thr-xxxxx
answers "... and its process always does, counted once" \
	"rc0=$RUNS" "$RUNS" 2 "$HEALTHY" -t 10s proc:hly-thr-host,min=1,max=1
start "$HOSTILE" leader-exit hly-thr-lead hly-thr-live; tl=$PID
wait_state "$tl" Z
check "a main thread named Y exited, a thread named X runs on: proc:Y passes" 0 -- "$HEALTHY" proc:hly-thr-lead
check "... proc:X does not (the process's name is its main thread's)" 1 -- "$HEALTHY" proc:hly-thr-live
# A thread with the 15 bytes of a long name, in a process whose argv[0] is that long name but whose
# comm is not: the process's comm decides first.
cp "$HOSTILE" "$TMP/bin/hly-thr-longname-xyz"
start "$TMP/bin/hly-thr-longname-xyz" threads hly-thr-other hly-thr-longnam 2
check "a thread named with a long name's 15 bytes, argv[0] the long name, comm another: fails" 1 \
	-- "$HEALTHY" proc:hly-thr-longname-xyz

finish
