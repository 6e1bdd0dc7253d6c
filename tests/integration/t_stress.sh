# Stress: checks while processes churn, and at scale (many processes, many established sockets).
# HEALTHY_STRESS=1 runs the long variant: more checks, 30,000 processes, 50,000 established sockets.
# Answers are counted, never timed.
. "$(dirname "$0")/lib.sh"

STRESS=$HELPERS/stress
SOCKETS=$HELPERS/sockets
mkdir -p "$TMP/bin" "$TMP/rep"

# A sanitized build costs ~50-100ms a run in its runtime's start alone: fewer runs keep it in time.
asan=0
if grep -q __asan_init "$HEALTHY" 2>/dev/null; then asan=1; fi
if [ "${HEALTHY_STRESS:-0}" != 0 ]; then
	runs=$((asan ? 2000 : 10000)) nproc=30000 nsock=50000
else
	runs=$((asan ? 30 : 250)) nproc=3000 nsock=5000
fi
runs=${HEALTHY_STRESS_RUNS:-$runs}
echo "# $([ "${HEALTHY_STRESS:-0}" != 0 ] && echo long || echo default) variant: $runs runs a batch, $nproc processes, $nsock established sockets"
# answers (lib.sh), two runs at a time: unless WANT says otherwise, rc2=0 other=0 signaled=0 multiline=0
# (no usage error, no odd status, no crash, one line at most). A 3 must be the watchdog's "timed out"
# (its deadline is the run's plus 200ms, and a sanitized build on a busy machine can miss it).
ANSWERS_DEFAULT="rc2=0 other=0 signaled=0 multiline=0" ANSWERS_3=timeout

# ---------------------------------------------------------------------------------------------
# Churn: short-lived processes, some with the watched names, start and exit all the time.
start "$NAMED" sleep hly-st-stable; stable=$PID
# Names longer than 15 bytes: comm is their first 15, argv[0] decides; churn makes healthy read the
# command line of processes that are exiting.
cp "$NAMED" "$TMP/bin/hly-st-stable-longname"
start "$TMP/bin/hly-st-stable-longname" sleep -; stable_long=$PID
cp "$STRESS" "$TMP/bin/hly-st-stable-longname-x"   # comm hly-st-stable-l, another argv[0]
cp "$STRESS" "$TMP/bin/hly-st-absent-longnamx"     # comm hly-st-absent-l, not the absent name
mkdir -p "$TMP/bin/churn"; cp "$STRESS" "$TMP/bin/churn/hly-st-stable-longname"   # the watched long name
# Children, in turn: the churner's own name; the stable name; the stable long name's 15 bytes (with
# the churner's argv[0]); names near the absent ones; now and then (an exec costs ~20 renames) an exec
# under the absent long name's 15 bytes, and one under the stable long name itself. Never an absent
# name: one of those alive would pass its check.
kinds=()
for i in 1 2 3 4 5; do
	kinds+=(hly-st-stable hly-st-stable-l hly-st-absent-l hly-st-absen hly-st-stable hly-st-absent-l)
done
kinds+=("exec:$TMP/bin/hly-st-absent-longnamx" "exec:$TMP/bin/churn/hly-st-stable-longname"
	"exec:$TMP/bin/hly-st-stable-longname-x")
start "$STRESS" churn "${kinds[@]}"
churner=$PID churn_ready=$TMP/ready.$nready
answers "churn: proc: of a stable process answers 0" "rc0=*" "$runs" 2 "$HEALTHY" proc:hly-st-stable
answers "churn: proc: of an absent name answers 1" "rc0=0 rc1=*" "$runs" 2 "$HEALTHY" proc:hly-st-absent
answers "churn: a stable long name (argv[0] read from exiting processes) answers 0" "rc0=*" "$runs" 2 \
	"$HEALTHY" proc:hly-st-stable-longname
answers "churn: an absent long name whose 15 bytes churn answers 1" "rc0=0 rc1=*" "$runs" 2 \
	"$HEALTHY" proc:hly-st-absent-longname
answers "churn: pid: of the stable process answers 0" "rc0=*" $((runs / 2)) 2 "$HEALTHY" "pid:$stable"
answers "churn: one run with both: the same one line every time" "rc0=0 rc1=*" $((runs / 2)) 2 \
	"$HEALTHY" proc:hly-st-stable proc:hly-st-absent proc:hly-st-stable-longname
check "... and it is always 'not running' for the absent one alone" 0 -- bash -c \
	'[ ! -e "$0/rc.1.1" ] && [ "$(cat "$0/rc.1.0")" = "healthy: proc:hly-st-absent: not running" ]' "$TMP/rep"
# The same with a deadline no run can miss: every answer exactly right.
answers "churn, -t 30s: proc: of the stable process, all 0" "rc0=$((runs / 2))" $((runs / 2)) 2 \
	"$HEALTHY" -t 30s proc:hly-st-stable proc:hly-st-stable-longname
answers "churn, -t 30s: proc: of the absent names, all 1 (two lines)" "rc1=$((runs / 2)) multiline=$((runs / 2))" $((runs / 2)) 2 \
	"$HEALTHY" -t 30s proc:hly-st-absent proc:hly-st-absent-longname
kill -TERM "$churner"; wait_bounded "the churner ends on SIGTERM" "$churner"
stats=$(cat "$churn_ready.stats" 2>/dev/null)
echo "   churn: $stats ($(printf '%s' "$stats" | awk -F'[= ]' '{ printf "%d", $2 / $4 }') a second)"
forks=$(printf '%s' "$stats" | sed -n 's/^forks=\([0-9]*\).*/\1/p')
check "the churn really churned ($forks processes)" 0 -- test "${forks:-0}" -ge 1000
echo "# churn: ${SECONDS}s so far"
check "the stable processes outlived it" 0 -- "$HEALTHY" proc:hly-st-stable proc:hly-st-stable-longname

# ---------------------------------------------------------------------------------------------
# Scale: many processes. A PID per process (and per thread): keep 2,000 for everyone else.
pid_max=$(cat /proc/sys/kernel/pid_max)
threads_max=$(cat /proc/sys/kernel/threads-max)
tasks=$(cut -d' ' -f4 /proc/loadavg | cut -d/ -f2)
crowd_check=()
if [ $((tasks + nproc + 2000)) -gt "$pid_max" ] || [ $((tasks + nproc + 2000)) -gt "$threads_max" ]; then
	skip "scale: $nproc processes" "$tasks tasks run, pid_max is $pid_max, threads-max $threads_max: no room"
else
	# Half the crowd has a long name's 15 bytes as comm and the long name as argv[0], half another name.
	cp "$STRESS" "$TMP/bin/hly-sc-crowd-longname"
	start "$TMP/bin/hly-sc-crowd-longname" crowd "$nproc" hly-sc-crowd-lo hly-sc-crowd-b; last=$PID
	crowd_pids=$TMP/ready.$nready.pids
	half=$((nproc / 2))
	crowd_check=("proc:hly-sc-crowd-b,min=$half,max=$half")
	mid=$(sed -n "$((half + 1))p" "$crowd_pids")
	echo "   scale: $(ls /proc | grep -c '^[0-9]') processes on the machine"
	check "scale: the long name, exactly $half (each one's argv[0] read)" 0 \
		-- "$HEALTHY" "proc:hly-sc-crowd-longname,min=$half,max=$half"
	check "scale: the short name, exactly $half" 0 --out-has "ok: $half running (pids " \
		-- "$HEALTHY" -v "proc:hly-sc-crowd-b,min=$half,max=$half"
	check "scale: one fewer allowed: fails, in one line" 1 \
		--err-has "healthy: proc:hly-sc-crowd-b,max=$((half - 1)): $half running, want at most $((half - 1)) (pids " \
		-- "$HEALTHY" "proc:hly-sc-crowd-b,max=$((half - 1))"
	check "scale: one more wanted: fails" 1 --err-has "$half running, want at least $((half + 1))" \
		-- "$HEALTHY" "proc:hly-sc-crowd-b,min=$((half + 1))"
	check "scale: a long name with the same 15 bytes: none" 1 --err "healthy: proc:hly-sc-crowd-longnamx: not running" \
		-- "$HEALTHY" proc:hly-sc-crowd-longnamx
	check "scale: an absent name (the whole walk)" 1 --err "healthy: proc:hly-sc-absent: not running" \
		-- "$HEALTHY" proc:hly-sc-absent
	check "scale: the stable process among them" 0 -- "$HEALTHY" proc:hly-st-stable proc:hly-st-stable-longname
	check "scale: a glob over both halves" 0 -- "$HEALTHY" "proc:hly-sc-crowd-[bl]*,min=$nproc,max=$nproc"
	check "scale: pid: of the last and the middle one" 0 -- "$HEALTHY" "pid:$last" "pid:$mid"
	printf '%s\n' "$mid" > "$TMP/mid.pid"
	check "scale: pidfile: of the middle one" 0 -- "$HEALTHY" "pidfile:$TMP/mid.pid"
	sleep 0 & dead=$!; wait "$dead"
	if [ ! -e "/proc/$dead" ]; then
		check "scale: pid: of one that exited" 1 --err "healthy: pid:$dead: not running" -- "$HEALTHY" "pid:$dead"
	fi
	answers "scale: proc: of the stable process, again and again" "rc0=*" $((runs / 20 + 5)) 2 \
		"$HEALTHY" proc:hly-st-stable
	answers "scale: an absent name, again and again" "rc0=0 rc1=*" $((runs / 20 + 5)) 2 "$HEALTHY" proc:hly-sc-absent
fi

echo "# processes at scale: ${SECONDS}s so far"

# Scale: many established loopback connections, in a network namespace of their own (they use up
# ephemeral ports, and leave TIME_WAITs when they close), spread over holders of at most 9,000
# connections (18,000 descriptors) each. Each connection is two established sockets.
in_ns=()
if unshare -n true 2>/dev/null && command -v nsenter >/dev/null && command -v ip >/dev/null; then
	start unshare -n "$NAMED" sleep hly-sc-netns; ns=$PID
	in_ns=(nsenter "--net=/proc/$ns/ns/net")
	"${in_ns[@]}" ip link set lo up
else
	echo "# no network namespace: the connections are made in this one"
fi
conns=$((nsock / 2)) holders=$(((nsock / 2 + 8999) / 9000))
busy=()
for ((h = 0; h < holders; h++)); do
	start_port "${in_ns[@]}" "$SOCKETS" tcp-busy 127.0.0.1 $(((conns + holders - 1) / holders)); busy+=("$PORT")
done
start_port "${in_ns[@]}" "$SOCKETS" tcp-listen 127.0.0.1 0 -; pl=$PORT
start_port "${in_ns[@]}" "$SOCKETS" tcp-listen :: 0 0; pdual=$PORT
start_port "${in_ns[@]}" "$SOCKETS" udp-bind 0.0.0.0 0 -; pu=$PORT
start_port "${in_ns[@]}" "$SOCKETS" tcp-established 127.0.0.1; pest=$PORT
est=$("${in_ns[@]}" awk '$4 == "01" { n++ } END { print n + 0 }' /proc/net/tcp /proc/net/tcp6)
echo "   scale: $est established TCP sockets in the namespace"
check "scale: $nsock established sockets are there" 0 -- test "$est" -ge "$nsock"
for src in sock_diag /proc/net; do
	env=()
	[ "$src" = /proc/net ] && env=(env HEALTHY_PROCNET=1)
	check "scale ($src): a listener among them" 0 --out "healthy: tcp:$pl: ok: listening on 127.0.0.1:$pl" \
		-- "${in_ns[@]}" "${env[@]}" "$HEALTHY" -v "tcp:$pl"
	check "scale ($src): the busy listeners, each" 0 -- "${in_ns[@]}" "${env[@]}" "$HEALTHY" \
		$(printf 'tcp:%s ' "${busy[@]}") $(printf 'tcp:127.0.0.1:%s ' "${busy[@]}")
	check "scale ($src): a port with only an established connection on it" 1 \
		--err "healthy: tcp:$pest: not listening on port $pest" -- "${in_ns[@]}" "${env[@]}" "$HEALTHY" "tcp:$pest"
	check "scale ($src): a v4 listener is not [::1]" 1 -- "${in_ns[@]}" "${env[@]}" "$HEALTHY" "tcp:[::1]:$pl"
	# /proc/net shows no bound device: there a wildcard socket for an ADDR cannot be told (3).
	check "scale ($src): the dual-stack one takes ::1" $([ "$src" = /proc/net ] && echo 3 || echo 0) \
		-- "${in_ns[@]}" "${env[@]}" "$HEALTHY" "tcp:[::1]:$pdual"
	check "scale ($src): udp: among them" 0 -- "${in_ns[@]}" "${env[@]}" "$HEALTHY" "udp:$pu"
done
check "scale: processes, sockets and pids in one run" 0 --out "" --err "" -- "${in_ns[@]}" "$HEALTHY" \
	proc:hly-st-stable "${crowd_check[@]}" "tcp:$pl" "udp:$pu" "pid:$stable" "tcp:127.0.0.1:${busy[0]}"
answers "scale: tcp: among the connections, again and again" "rc0=*" $((runs / 20 + 5)) 2 \
	"${in_ns[@]}" "$HEALTHY" "tcp:$pl" "tcp:127.0.0.1:${busy[0]}"
answers "scale: a closed port among them, again and again" "rc0=0 rc1=*" $((runs / 20 + 5)) 2 \
	"${in_ns[@]}" "$HEALTHY" "tcp:$pest"
echo "# sockets at scale: ${SECONDS}s in all"

finish
