# Shared by the tests' shell scripts: count and print results, run commands under a hang bound, run
# healthy and assert its exit code and its exact output, start real processes and clean them up.
# Each tests/integration/t_*.sh sources this, calls check/start, and ends with `finish`; so do
# tests/oracle/run and, through tests/docker/lib.sh, tests/docker/run and tests/docker/podman.
# Sourced with HARNESS_ONLY=1 it only defines (the counters, pass, fail, skip, finish, bounded, ...):
# no HEALTHY needed, no $TMP made, no trap set.

passed=0 failed=0 skipped=0 nready=0
# The hang bound: every command a test runs that could hang may run HANG_BOUND seconds, then timeout(1)
# sends it SIGTERM, and SIGKILL HANG_KILL seconds later (strace -o FILE CMD ignores SIGTERM, and an
# interrupted strace can itself hang: see t_sock.sh). A hang is a FAIL that says so, never a stuck suite.
HANG_BOUND=${HEALTHY_HANG_BOUND:-120}
HANG_KILL=5
if [ "${HARNESS_ONLY:-0}" != 1 ]; then
	HEALTHY=${HEALTHY:?HEALTHY must name the binary under test}
	HELPERS=${HELPERS:-$(cd "$(dirname "$HEALTHY")" && pwd)/build/helpers}
	NAMED=$HELPERS/named
	REPEAT=$HELPERS/repeat
	TMP=$(mktemp -d /tmp/healthy-test.XXXXXX)
	# Helpers started as other users write their ready files here too.
	chmod 1777 "$TMP"
	# The processes this test started, as PID:STARTTIME: cleanup kills a PID only while it is still that
	# process (a PID is reused once its process is reaped, and pid_max can be 4194304).
	started=()
fi

# stat_field PID N: field N (3 or more: after comm) of /proc/PID/stat. Fails when PID is gone.
stat_field() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# comm runs to the last ')': it may hold spaces and parentheses.
	s=${s##*) }
	local -a f=($s)
	[ -n "${f[$2 - 3]}" ] && echo "${f[$2 - 3]}"
}

# own PID: PID is a process this test started: cleanup kills it, if it is still that process.
own() {
	local t
	t=$(stat_field "$1" 22) && started+=("$1:$t")
}

# any_left: a process this test started is still there, if only as a zombie.
any_left() {
	local p
	for p in "${started[@]}"; do [ "$(stat_field "${p%%:*}" 22)" = "${p#*:}" ] && return 0; done
	return 1
}

cleanup() {
	local p t i
	# Newest first: a helper's child (a traced one, a crowd) before the helper.
	for ((i = ${#started[@]} - 1; i >= 0; i--)); do
		p=${started[i]%%:*} t=${started[i]#*:}
		[ "$(stat_field "$p" 22)" = "$t" ] && kill -KILL "$p"
	done
	# This shell's own jobs too; then reap them, but never wait for ever on one that does not die.
	for p in $(jobs -pr); do [ "$(stat_field "$p" 4)" = "$$" ] && kill -KILL "$p"; done
	for i in $(seq 100); do [ -z "$(jobs -pr)" ] && break; sleep 0.1; done
	if [ -z "$(jobs -pr)" ]; then wait; else echo "# cleanup: not waiting for $(jobs -pr | tr '\n' ' ')"; fi
	# Gone, not only killed: a helper's zombie child is PID 1's to reap once the helper dies, which may
	# take seconds, and a zombie of a test's name would count in the next run of the test.
	for i in $(seq 100); do any_left || break; sleep 0.1; done
	rm -rf "$TMP"
} 2>/dev/null
[ "${HARNESS_ONLY:-0}" = 1 ] || trap cleanup EXIT

# confined_status PID: "NoNewPrivs: N Seccomp: N " from /proc/PID/status once PID's seccomp filter is in (up to
# 3 s), or what it shows then.
confined_status() {
	local i s=
	for i in $(seq 300); do
		s=$(grep -E '^(Seccomp|NoNewPrivs):' "/proc/$1/status" 2>/dev/null | tr '\t\n' ' ')
		case $s in *"Seccomp: 2"*) break ;; esac
		sleep 0.01
	done
	echo "$s"
}

# bounded CMD...: runs CMD under the hang bound, in a process group of its own (timeout's), which the
# bound ends whole. Returns CMD's status, or 124 (SIGTERM ended it) or 137 (SIGKILL did), as timeout;
# HUNG is then 1 (CMD's own 124 or 137, before the bound, leaves it 0).
# timeout cannot run a shell function: a function runs in a new bash given every function of this one,
# so it sees its arguments and the environment, not this shell's other variables. A builtin (test, echo,
# kill) cannot hang, and runs as it is.
bounded() {
	local t0=${EPOCHREALTIME//[!0-9]/} rc
	case $(type -t "$1") in
	builtin) "$@" ;;
	function) timeout -k "$HANG_KILL" "$HANG_BOUND" bash -c "$(declare -f)"$'\n''"$@"' "$1" "$@" ;;
	*) timeout -k "$HANG_KILL" "$HANG_BOUND" "$@" ;;
	esac
	rc=$?
	HUNG=0
	if { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && [ $((${EPOCHREALTIME//[!0-9]/} - t0)) -ge $((HANG_BOUND * 1000000)) ]; then
		HUNG=1
	fi
	return "$rc"
}

# wait_bounded NAME PID: `wait PID` for a background job of this shell, for HANG_BOUND seconds at most.
# Then the job is killed, and the wait is a FAIL: "NAME: hung: killed after 120s". Returns its status.
wait_bounded() {
	local name=$1 pid=$2
	if [ "$(stat_field "$pid" 4)" = "$BASHPID" ] &&
		! timeout "$HANG_BOUND" tail --pid="$pid" -s 0.05 -f /dev/null; then
		[ "$(stat_field "$pid" 4)" = "$BASHPID" ] && kill -KILL "$pid"
		wait "$pid"
		fail "$name" "hung: killed after ${HANG_BOUND}s"
		return 124
	fi
	wait "$pid"
} 2>/dev/null   # and bash's own "Killed" line, when it reaps a job that was killed

# check NAME WANT_RC [--out TEXT] [--err TEXT] [--out-has TEXT] [--err-has TEXT] -- CMD...
# --out/--err: the whole of stdout/stderr is exactly TEXT plus a newline ("" = empty).
# --out-has/--err-has: it contains TEXT. rc > 128 (a crash) always fails.
# CMD runs under the hang bound (bounded, above): one that outlives it fails as "hung".
check() {
	local name=$1 want=$2 rc ok=1 why=""
	local -a exact_out=() exact_err=() has_out=() has_err=()
	shift 2
	while [ "$1" != -- ]; do
		case $1 in
		--out) exact_out=("$2") ;;
		--err) exact_err=("$2") ;;
		--out-has) has_out+=("$2") ;;
		--err-has) has_err+=("$2") ;;
		*) echo "check: bad flag $1" >&2; exit 2 ;;
		esac
		shift 2
	done
	shift
	bounded "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	if [ "$HUNG" = 1 ]; then
		ok=0; why="hung: killed after ${HANG_BOUND}s"
	elif [ "$rc" != "$want" ]; then
		ok=0; why="exit $rc, want $want"
	fi
	if [ ${#exact_out[@]} -gt 0 ] && ! cmp -s "$TMP/out" <(printf '%s' "${exact_out[0]}${exact_out[0]:+$'\n'}"); then
		ok=0; why="$why; stdout differs"
	fi
	if [ ${#exact_err[@]} -gt 0 ] && ! cmp -s "$TMP/err" <(printf '%s' "${exact_err[0]}${exact_err[0]:+$'\n'}"); then
		ok=0; why="$why; stderr differs"
	fi
	local t
	for t in "${has_out[@]}"; do grep -qF -- "$t" "$TMP/out" || { ok=0; why="$why; stdout lacks '$t'"; }; done
	for t in "${has_err[@]}"; do grep -qF -- "$t" "$TMP/err" || { ok=0; why="$why; stderr lacks '$t'"; }; done
	if [ $ok = 1 ]; then
		pass "$name"
	else
		fail "$name" "${why#; }"
		echo "   command: $*"
		sed 's/^/   stdout: /' "$TMP/out" | head -5
		sed 's/^/   stderr: /' "$TMP/err" | head -5
		[ ${#exact_err[@]} -gt 0 ] && echo "   wanted stderr: ${exact_err[0]}"
		[ ${#exact_out[@]} -gt 0 ] && echo "   wanted stdout: ${exact_out[0]}"
	fi
	return 0
}

# pass NAME, fail NAME WHY, skip NAME WHY: count a test and print its line, as every suite does.
pass() {
	passed=$((passed + 1))
	echo "ok - $1"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL - $1: $2"
}
skip() {
	skipped=$((skipped + 1))
	echo "skip - $1: $2"
}

# answers NAME WANT RUNS JOBS CMD...: runs CMD RUNS times, JOBS at a time (tests/helpers/repeat.c), and
# checks the tally as NAME. WANT is what the tally must hold, as "rc0=N rc1=N ...", N a number or "*"
# (any); a key WANT does not name is not checked, but for those of ANSWERS_DEFAULT (a test file's own,
# e.g. "rc2=0 multiline=0"), which WANT overrides. With ANSWERS_3=timeout, a 3 must be the watchdog's
# "timed out": a 3 for any other reason fails. Prints the tally, then what the answers other than 0
# and 1 said; every answer's first output stays in $TMP/rep (rc.STATUS.K) for the checks after it.
answers() {
	local name=$1 want=$2 runs=$3 jobs=$4 got f
	shift 4
	mkdir -p "$TMP/rep"
	rm -f "$TMP/rep"/*
	# No leak check at each exit in a batch (half a sanitized run's cost); single checks keep it.
	# A batch is many runs: ten times the hang bound of one command.
	got=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 HANG_BOUND=$((HANG_BOUND * 10)) \
		bounded "$REPEAT" "$runs" "$jobs" "$TMP/rep" "$@")
	echo "   $name: $got"
	check "$name" 0 -- bash -c '
		declare -A w g
		for kv in $4 $2; do w[${kv%%=*}]=${kv#*=}; done
		for kv in $1; do g[${kv%%=*}]=${kv#*=}; done
		for k in "${!w[@]}"; do
			[ "${w[$k]}" = "*" ] || [ "${g[$k]}" = "${w[$k]}" ] || { echo "$k=${g[$k]}, want ${w[$k]}" >&2; exit 1; }
		done
		[ "$5" = timeout ] || exit 0
		for f in "$3"/rc.3.*; do
			[ -e "$f" ] || continue
			grep -q "timed out after" "$f" || { echo "a 3 that is no timeout: $(cat "$f")" >&2; exit 1; }
		done' _ "$got" "$want" "$TMP/rep" "${ANSWERS_DEFAULT:-}" "${ANSWERS_3:-}"
	# What the unexpected answers said.
	for f in "$TMP/rep"/rc.*; do
		[ -e "$f" ] || continue
		case $f in
		*rc.0.* | *rc.1.*) ;;
		*) if [ -s "$f" ]; then sed "s|^|   ${f##*/}: |" "$f" | head -3; else echo "   ${f##*/}: (no output)"; fi ;;
		esac
	done
}

# wait_file PATH: up to 10 s for a file to appear.
wait_file() {
	local i
	for i in $(seq 1000); do
		[ -s "$1" ] && return 0
		sleep 0.01
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# start [RUNNER...] HELPER ARGS...: starts a helper (under RUNNER, e.g. setpriv ...) and waits until it
# is ready. Its ready file holds the PID of the process it is about, itself or a child ("ok": itself):
# PID is that process, HELPER_PID the helper's own; both are killed at cleanup.
start() {
	_start "$@"
	if [ "$READY" = ok ]; then
		PID=$HELPER_PID
		return
	fi
	# Anything else, a port above all, is no process to kill at cleanup.
	if ! [[ $READY =~ ^[1-9][0-9]*$ ]] || ! descends "$READY" "$HELPER_PID"; then
		echo "start: $*: the ready file holds '$READY', no process the helper started (a port? start_port)" >&2
		exit 1
	fi
	PID=$READY
	[ "$PID" = "$HELPER_PID" ] || own "$PID"
}

# start_port [RUNNER...] HELPER ARGS...: start, for a helper whose ready file holds the port it bound
# (sockets tcp-* and udp-*, httpd): PORT is that port. Only HELPER_PID is killed at cleanup.
start_port() {
	_start "$@"
	if ! [[ $READY =~ ^[1-9][0-9]*$ ]] || [ "$READY" -gt 65535 ]; then
		echo "start_port: $*: the ready file holds '$READY', not a port" >&2
		exit 1
	fi
	PORT=$READY
}

_start() {
	local ready="$TMP/ready.$((nready += 1))"
	# Not the test's stdout: a helper (or its child) holding it open would hold the test's reader.
	"$@" "$ready" >>"$TMP/helpers.log" 2>&1 &
	HELPER_PID=$!
	own "$HELPER_PID"
	wait_file "$ready" || exit 1
	READY=$(cat "$ready")
}

# descends PID ANCESTOR: PID is ANCESTOR or one of its descendants.
descends() {
	local p=$1 i
	for ((i = 0; i < 64; i++)); do
		[ "$p" = "$2" ] && return 0
		p=$(stat_field "$p" 4) && [ "$p" -gt 1 ] || return 1
	done
	return 1
}

# wait_state PID STATES: until /proc/PID/stat shows one of STATES (e.g. "T").
wait_state() {
	local i s
	for i in $(seq 1000); do
		s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
		case $2 in *"$s"*) [ -n "$s" ] && return 0 ;; esac
		sleep 0.01
	done
	echo "pid $1 never reached state $2 (has $s)" >&2
	return 1
}

# finish: the suite's last line, "SUITE: N passed, N failed, N skipped", which tests/integration/run,
# tests/arm64/run and tests/summary read (SUITE is HARNESS_SUITE, else the script's name less .sh);
# then exits, 0 when none failed. HARNESS_FINISH_HOOK, when set, names a command run first.
finish() {
	[ -z "${HARNESS_FINISH_HOOK:-}" ] || "$HARNESS_FINISH_HOOK"
	echo "${HARNESS_SUITE:-$(basename "$0" .sh)}: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
	exit
}
