# Starved of privilege, descriptors or memory: every check kind still answers right, or says in one
# line that it could not check (exit 3); never a crash, never a false 0 or 1.
. "$(dirname "$0")/lib.sh"

asan=0
if grep -q __asan_init "$HEALTHY" 2>/dev/null; then asan=1; fi

# What every check kind looks at.
start "$NAMED" sleep hly-lim; live=$PID
printf '%s\n' "$live" > "$TMP/lim.pid"
chmod 644 "$TMP/lim.pid"
sleep 0 & dead=$!; wait "$dead"
start_port "$HELPERS/httpd"; hp=$PORT
start_port "$HELPERS/sockets" udp-bind 127.0.0.1 0 -; up=$PORT
start_port "$HELPERS/sockets" tcp-established 127.0.0.1; closed=$PORT    # a port with no listener
start "$HELPERS/sockets" unix-listen "$TMP/lim.sock"
start "$HELPERS/sockets" unix-listen @hly-lim-abstract
# A name /etc/hosts gives the loopback, other than localhost: the resolver runs in a child process.
hosts_name=$(awk '$1 == "127.0.0.1" && $2 != "localhost" { print $2; exit }' /etc/hosts 2>/dev/null)

pass=(proc:hly-lim "proc:hly-lim,user=0" "pid:$live" "pidfile:$TMP/lim.pid" "tcp:$hp" "tcp:127.0.0.1:$hp" "udp:$up"
	"unix:$TMP/lim.sock" unix:@hly-lim-abstract "connect:127.0.0.1:$hp" "connect:localhost:$hp"
	"http://127.0.0.1:$hp/200" "http://localhost:$hp/204" "http://127.0.0.1:$hp/text/hly-lim,body=lim"
	"file:$TMP/lim.pid")
# Only for musl's resolver: glibc's (the sanitized build's) says "no such host" when it has no descriptor
# left to open /etc/hosts with, which the shipped static binary never links.
[ -n "$hosts_name" ] && file -L "$HEALTHY" | grep -q 'statically linked' && pass+=("connect:$hosts_name:$hp")
fail=(proc:hly-lim-absent proc:hly-lim-absent-longname "pid:$dead" "pidfile:$TMP/missing.pid" "tcp:$closed"
	"udp:$closed" "unix:$TMP/missing.sock" unix:@hly-lim-nothing "connect:127.0.0.1:$closed"
	"http://127.0.0.1:$hp/503" "http://127.0.0.1:$hp/text/hly-lim,body=absent" "file:$TMP/missing")
# What each failing check says with nothing held back: under a limit, a 1 must say the same.
declare -A said
for c in "${fail[@]}"; do
	said[$c]=$(bounded "$HEALTHY" "$c" 2>&1 >/dev/null)
done

# --- No privilege, no capabilities at all. ---
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
check "the setpriv line really drops every capability" 0 --out "CapEff:	0000000000000000" \
	-- "${as_nobody[@]}" grep CapEff /proc/self/status
for c in "${pass[@]}"; do
	check "no capabilities: $c passes" 0 --out "" --err "" -- "${as_nobody[@]}" "$HEALTHY" "$c"
done
for c in "${fail[@]}"; do
	check "no capabilities: $c fails, as it does for root" 1 --out "" --err "${said[$c]}" -- "${as_nobody[@]}" "$HEALTHY" "$c"
done
check "no capabilities: every passing kind in one run" 0 --out "" --err "" -- "${as_nobody[@]}" "$HEALTHY" "${pass[@]}"
check "no capabilities: -v, every kind in one run" 0 --err "" -- "${as_nobody[@]}" "$HEALTHY" -v "${pass[@]}"

# limited LABEL WANT CHECK -- CMD...: CMD runs one CHECK under a limit. Its answer must be WANT, or 3
# with one line that names the check (CHECK "" : any); never a crash, never the other answer. A 1 must
# say what it says without the limit.
limited() {
	local label=$1 want=$2 c=$3 rc lines ok=1 why=""
	shift 4
	bounded "$@" >"$TMP/lim.out" 2>"$TMP/lim.err" </dev/null
	rc=$?
	lines=$(cat "$TMP/lim.out" "$TMP/lim.err" | wc -l)
	case $rc in
	"$want") ;;
	3) [ "$lines" = 1 ] && grep -qF "healthy: $c${c:+: }" "$TMP/lim.err" || { ok=0; why="exit 3 without one line naming the check"; } ;;
	*) ok=0; why="exit $rc" ;;
	esac
	[ "$HUNG" = 1 ] && why="hung: killed after ${HANG_BOUND}s"
	if [ "$rc" = 1 ] && [ "$want" = 1 ] && [ "$(cat "$TMP/lim.err")" != "${said[$c]}" ]; then
		ok=0; why="a 1 that says something else than without the limit"
	fi
	[ "$rc" = 0 ] && [ "$lines" != 0 ] && [ "$want" = 0 ] && { ok=0; why="exit 0 with output"; }
	check "$label: $c: exit $rc${why:+ ($why)}" 0 -- test "$ok" = 1
	if [ "$ok" = 0 ]; then
		sed 's/^/   said: /' "$TMP/lim.err" | head -3
	fi
	RC=$rc
}

# --- A few descriptors: RLIMIT_NOFILE of 3 (stdin, stdout and stderr, nothing more) and up. ---
# The sanitized build: its runtime needs descriptors of its own. With 3, the dynamic loader cannot
# open libasan (127, before healthy runs); LeakSanitizer's exit check fails for want of one (and
# exits 1): so it runs without the leak check here, from 4 up.
nofile_env=()
from=3
if [ $asan = 1 ]; then
	skip "RLIMIT_NOFILE=3, sanitized build" "the dynamic loader needs a descriptor to load libasan"
	nofile_env=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
	from=4
fi
for ((n = from; n <= 8; n++)); do
	for c in "${pass[@]}"; do
		limited "nofile=$n" 0 "$c" -- "${nofile_env[@]}" prlimit --nofile=$n:$n "$HEALTHY" "$c"
		if [ "$n" = 3 ] && [ "${c%%:*}" != file ]; then
			check "nofile=3: $c cannot open anything: exit 3, not $RC" 0 -- test "$RC" = 3
		fi
	done
	for c in "${fail[@]}"; do
		limited "nofile=$n" 1 "$c" -- "${nofile_env[@]}" prlimit --nofile=$n:$n "$HEALTHY" "$c"
	done
done

# --- A tiny address space: RLIMIT_AS. ---
if [ $asan = 1 ]; then
	skip "RLIMIT_AS" "the sanitizer reserves terabytes of shadow memory at start: it cannot run under a small RLIMIT_AS"
else
	# Below some size the kernel cannot map the binary, its bss and the first 128 KiB of stack: execve
	# fails after the point of no return and the kernel kills the process with SIGSEGV before it runs.
	# That floor is the kernel's, not healthy's: find it, then hold healthy to it.
	lo=65536 hi=$((64 << 20))
	if bounded prlimit --as=$hi "$HEALTHY" --version >/dev/null 2>&1; then
		while [ $((hi - lo)) -gt 4096 ]; do
			mid=$(((lo + hi) / 2 / 4096 * 4096))
			# In a subshell of its own, whose stderr takes the shell's "Segmentation fault".
			if (bounded prlimit --as=$mid "$HEALTHY" --version; exit $?) >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
		done
		floor=$hi
		echo "# RLIMIT_AS: healthy starts from $floor bytes; below, execve fails (ENOMEM) and the kernel kills it"
		check "below the floor ($lo): the kernel's SIGSEGV at execve, for any binary of this size" 0 \
			-- bash -c 'prlimit --as=$1 "$0" --version; [ $? = 139 ]' "$HEALTHY" $lo
		for as in $floor $((floor + 4096)) $((floor + 65536)) $((1 << 20)) $((4 << 20)) $((16 << 20)); do
			for c in "${pass[@]}"; do
				limited "as=$as" 0 "$c" -- prlimit --as=$as "$HEALTHY" "$c"
			done
			for c in "${fail[@]}"; do
				limited "as=$as" 1 "$c" -- prlimit --as=$as "$HEALTHY" "$c"
			done
			limited "as=$as, every passing kind in one run" 0 "" -- prlimit --as=$as "$HEALTHY" "${pass[@]}"
		done
	else
		check "healthy starts with RLIMIT_AS of 64 MiB" 0 -- prlimit --as=$hi "$HEALTHY" --version
	fi
fi

finish
