# Shared by the integration tests: run healthy, assert its exit code and its
# exact output, start real processes and clean them up.
# Each test file sources this, calls check/start, and ends with `finish`.

HEALTHY=${HEALTHY:?HEALTHY must name the binary under test}
HELPERS=${HELPERS:-$(cd "$(dirname "$HEALTHY")" && pwd)/build/helpers}
NAMED=$HELPERS/named
TMP=$(mktemp -d /tmp/healthy-test.XXXXXX)
# Helpers started as other users write their ready files here too.
chmod 1777 "$TMP"
passed=0 failed=0 skipped=0 nready=0
started=()

cleanup() {
	local p
	for p in "${started[@]}"; do kill -KILL "$p"; done
	wait
	rm -rf "$TMP"
} 2>/dev/null
trap cleanup EXIT

# check NAME WANT_RC [--out TEXT] [--err TEXT] [--out-has TEXT] [--err-has TEXT] -- CMD...
# --out/--err: the whole of stdout/stderr is exactly TEXT plus a newline ("" = empty).
# --out-has/--err-has: it contains TEXT. rc > 128 (a crash) always fails.
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
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	if [ "$rc" != "$want" ]; then ok=0; why="exit $rc, want $want"; fi
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
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "FAIL - $name: ${why#; }"
		echo "   command: $*"
		sed 's/^/   stdout: /' "$TMP/out" | head -5
		sed 's/^/   stderr: /' "$TMP/err" | head -5
		[ ${#exact_err[@]} -gt 0 ] && echo "   wanted stderr: ${exact_err[0]}"
		[ ${#exact_out[@]} -gt 0 ] && echo "   wanted stdout: ${exact_out[0]}"
	fi
	return 0
}

skip() {
	skipped=$((skipped + 1))
	echo "skip - $1: $2"
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

# start [RUNNER...] MODE NAME: starts the helper process (under RUNNER, e.g.
# setpriv ...) and sets PID to the process the mode is about.
start() {
	local ready="$TMP/ready.$((nready += 1))"
	# Not the test's stdout: a helper (or its child) holding it open would hold the test's reader.
	"$@" "$ready" >>"$TMP/helpers.log" 2>&1 &
	started+=($!)
	wait_file "$ready" || exit 1
	PID=$(cat "$ready")
	started+=("$PID")
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

finish() {
	echo "$(basename "$0" .sh): $passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}
