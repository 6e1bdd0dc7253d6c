# Confinement: what a check run may do (strace shows every call), the seccomp filter in force,
# and an unexpected failure of any system call as an answer (exit 3), never a false "healthy".
. "$(dirname "$0")/lib.sh"

DENY=$HELPERS/deny
start_port "$HELPERS/httpd"; hp=$PORT
start "$HELPERS/sockets" unix-listen "$TMP/sock"
start "$HELPERS/httpd" "$TMP/http.sock"
start "$NAMED" sleep hly-confined; np=$PID
echo "$np" >"$TMP/pidfile"
touch "$TMP/file"

# One run of every check kind, passing and failing, through both socket sources and the resolver.
every_kind=(-v -t 2s "proc:hly-confined" "proc:hly-absent,user=root" "pid:$np" "pidfile:$TMP/pidfile"
	"pidfile:$TMP/none" "tcp:$hp" "udp:9" "unix:$TMP/sock" "unix:@hly-absent" "connect:localhost:$hp"
	"connect:127.0.0.1:1" "http://127.0.0.1:$hp/200" "http://[::1]:$hp/404" "connect:hly-absent.invalid:80"
	"file:$TMP/file,maxage=1h" "file:$TMP/none" "http://localhost/text/up,unix=$TMP/http.sock,body=up,header=X-A: 1")

# strace_calls NAME TRACE: every call healthy made that it must not have.
# Allowed: opens for reading only; one execve (healthy itself); a clone() of a thread (the watchdog),
# never of a process: names resolve in the run's own poll loop; sockets: sock_diag netlink, TCP for the
# probes, unix for unix:'s connect() (which /proc/net answers with), and UDP for DNS.
strace_bad() {
	awk -v main="$2" -v san="$(file -L "$HEALTHY" | grep -c dynamically)" '
	/^[0-9]+ +(openat|open)\(/ && /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/ { print; next }
	/^[0-9]+ +execve\(/ { if (++execs > 1) print; next }
	# The sanitized build: LeakSanitizer stops the world at exit from a CLONE_UNTRACED task of its own.
	/^[0-9]+ +(fork|vfork|clone3?)\(/ { if ($0 !~ /CLONE_THREAD/ && !(san && /CLONE_UNTRACED/)) print; next }
	/^[0-9]+ +socket\(/ {
		if ($0 ~ /AF_NETLINK, SOCK_[A-Z]+[^,]*, NETLINK_SOCK_DIAG\)/) next
		if ($0 ~ /AF_INET6?, SOCK_STREAM/) next
		if ($0 ~ /AF_UNIX, SOCK_(STREAM|SEQPACKET|DGRAM)/ && $1 == main) next
		if ($0 ~ /AF_INET6?, SOCK_DGRAM/ && $1 == main) next
		print; next
	}' "$1"
}

if ! command -v strace >/dev/null; then
	skip "strace: every call" "strace is not installed"
else
	for src in diag procnet; do
		trace=$TMP/strace.$src
		# -ff: a file per process, so no call is split into "unfinished" and "resumed" halves.
		bounded env $([ $src = procnet ] && echo HEALTHY_PROCNET=1) strace -ff -qq -o "$trace" \
			-e trace=open,openat,execve,socket,fork,vfork,clone,clone3 "$HEALTHY" "${every_kind[@]}" >/dev/null 2>&1
		main=$(grep -l '^execve(' "$trace".* | head -n 1); main=${main##*.}
		for f in "$trace".*; do sed "s/^/${f##*.} /" "$f"; done >"$trace"
		rm -f "$trace".*
		check "strace ($src): the run made no open for writing, no exec, no other socket" 0 --out "" \
			-- strace_bad "$trace" "$main"
		check "strace ($src): the trace saw the run's calls" 0 -- grep -q "socket(AF_INET" "$trace"
	done
	trace=$TMP/strace.wait
	bounded strace -f -qq -o "$trace" -e trace=execve "$HEALTHY" --wait=5s "pid:$np" -- /bin/true >/dev/null 2>&1
	check "strace: --wait execs COMMAND and nothing else" 0 --out '/bin/true' \
		-- bash -c "sed -n 's/^[0-9]* *execve(\"\\([^\"]*\\)\".*/\\1/p' '$trace' | tail -n +2"
fi

# The filter is in force while a run waits on a server that never answers.
"$HEALTHY" -t 3s "http://127.0.0.1:$hp/hang" >/dev/null 2>&1 &
hpid=$!
seen=$(confined_status "$hpid")
kill "$hpid" 2>/dev/null; wait_bounded "the run under the filter ends on SIGTERM" "$hpid"
check "a check run is under a seccomp filter, with no_new_privs" 0 --out "NoNewPrivs: 1 Seccomp: 2 " -- echo "$seen"

# COMMAND is not: it is the user's program, and may do anything.
check "--wait: COMMAND runs without healthy's filter" 0 --out "0" \
	-- "$HEALTHY" --wait=5s "pid:$np" -- awk '/^Seccomp:/ { print $2 }' /proc/self/status
check "--watch: COMMAND runs without healthy's filter" 0 --out "0" \
	-- "$HEALTHY" --watch "pid:$np" -- awk '/^Seccomp:/ { print $2 }' /proc/self/status

# Every check kind still answers rightly under the filter (the run above, exit by exit).
check "every kind answers under the filter" 1 --out-has "proc:hly-confined: ok" --out-has "tcp:$hp: ok" \
	--out-has "unix:$TMP/sock: ok" --out-has "http://127.0.0.1:$hp/200: ok" --out-has "file:$TMP/file,maxage=1h: ok" \
	--out-has "pid:$np: ok" --out-has "pidfile:$TMP/pidfile: ok" --out-has "connect:localhost:$hp: ok" \
	--out-has "http://localhost/text/up,unix=$TMP/http.sock,body=up,header=X-A: 1: ok" \
	--err-has "proc:hly-absent,user=root: not running" --err-has "udp:9: nothing bound" \
	--err-has "http://[::1]:$hp/404: 404" --err-has "connect:127.0.0.1:1: connection refused" \
	--err-has "file:$TMP/none: " -- "$HEALTHY" "${every_kind[@]}"

# A call that fails as healthy's filter fails it (ENOSYS) is an answer: exit 3 and one line,
# unless another way gives the right answer (sock_diag's fallback is /proc/net).
if [ "$(basename "$HEALTHY")" = healthy ]; then
	check "no getdents64: proc: cannot walk /proc" 3 --err "healthy: proc:hly-confined: read /proc: function not implemented" \
		-- "$DENY" getdents64 "$HEALTHY" proc:hly-confined
	check "no socket: tcp: falls back to /proc/net and is right" 0 -- "$DENY" socket "$HEALTHY" "tcp:$hp"
	check "no socket: connect: cannot probe" 3 --err "healthy: connect:localhost:$hp: socket: function not implemented" \
		-- "$DENY" socket "$HEALTHY" "connect:localhost:$hp"
	check "no connect: connect: cannot probe" 3 --err "healthy: connect:localhost:$hp: connect: function not implemented" \
		-- "$DENY" connect "$HEALTHY" "connect:localhost:$hp"
	check "no poll: http:// cannot probe" 3 --err "healthy: http://127.0.0.1:$hp/200: poll: function not implemented" \
		-- "$DENY" poll,ppoll "$HEALTHY" "http://127.0.0.1:$hp/200"
	check "no send: a name cannot be resolved" 3 \
		--err "healthy: connect:hly-absent.invalid:80: cannot resolve the host: function not implemented" \
		-- "$DENY" sendto,sendmsg "$HEALTHY" "connect:hly-absent.invalid:80"
	check "no stat: file: cannot tell" 3 --err "healthy: file:$TMP/file: stat $TMP/file: function not implemented" \
		-- "$DENY" stat,newfstatat,statx "$HEALTHY" "file:$TMP/file"
	check "no stat: unix: cannot tell" 3 --err "healthy: unix:$TMP/sock: stat $TMP/sock: function not implemented" \
		-- "$DENY" stat,newfstatat,statx "$HEALTHY" "unix:$TMP/sock"
	check "no sock_diag reads and no /proc/net: tcp: cannot tell" 3 --err-has "healthy: tcp:$hp: " \
		-- "$DENY" socket,openat,open "$HEALTHY" "tcp:$hp"
	check "no write: exit 3, not 0" 3 -- "$DENY" write "$HEALTHY" -v "proc:hly-confined"
else
	skip "system calls denied" "the sanitizer runtime and the loader need the calls denied; the release binary is tested"
fi

finish
