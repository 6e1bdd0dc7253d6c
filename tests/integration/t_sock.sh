# tcp:, udp:, unix: against real sockets, each through sock_diag and through /proc/net.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets

# both NAME RC FLAGS... -- CMD...: the same check through sock_diag, then with /proc/net forced.
both() {
	local name=$1; shift
	check "$name (sock_diag)" "$@"
	HEALTHY_PROCNET=1 check "$name (/proc/net)" "$@"
}

# The sources really differ: sock_diag never opens /proc/net, and the switch never asks netlink.
#
# strace writes its trace to a file (-o), and runs under check's hang bound: never `strace -f CMD 2>&1 |
# grep -q TEXT`, which once hung this file for 13 minutes. That hang is strace's (6.1, Debian 12's), not
# healthy's. grep -q exits at its match; strace's next write to the pipe gets SIGPIPE, and strace, now
# "interrupted", leaves the tracee whose stop it was handling stopped and detaches the others one by
# one, waiting for each PID alone (detach() in strace.c). When that tracee is healthy's watchdog thread,
# stopped on its way out (PTRACE_EVENT_EXIT: the main thread's exit_group() killed it), strace waits
# for the leader, a zombie that cannot be reaped while its thread is left, and the thread waits for
# strace: leader Zl, thread t in ptrace_stop with PF_EXITING, strace in wait4(leader) for ever.
# healthy's exit does not wait for its watchdog: exit_group() kills it, and only a tracer can hold the
# dying thread. Measured here (300 runs each): this pipe with grep -q left 1 to 8 runs in 100 hung; a
# two-thread program that is not healthy hung the same way; a grep that reads to the end, or -o FILE,
# never. SIGTERM interrupts strace as SIGPIPE does (timeout's too): only SIGKILL ends such a hang,
# hence timeout -k. strace 6.7 detaches every tracee as it becomes ready ("fix potential deadlock
# during cleanup").
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; p4=$PORT
if command -v strace >/dev/null; then
	# No leak check: LeakSanitizer cannot work under a tracer, and exits 1 saying so.
	traced=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=socket,open,openat)
	check "under strace -f, tcp:PORT through sock_diag passes, and the trace ends" 0 \
		-- "${traced[@]}" -o "$TMP/trace.diag" "$HEALTHY" "tcp:$p4"
	check "sock_diag is asked, /proc/net is not read" 0 \
		-- bash -c 'grep -q AF_NETLINK "$0" && ! grep -q /proc/net "$0"' "$TMP/trace.diag"
	HEALTHY_PROCNET=1 check "under strace -f, tcp:PORT through /proc/net passes, and the trace ends" 0 \
		-- "${traced[@]}" -o "$TMP/trace.procnet" "$HEALTHY" "tcp:$p4"
	check "HEALTHY_PROCNET=1 reads /proc/net and asks no netlink" 0 \
		-- bash -c 'grep -q /proc/net/tcp "$0" && ! grep -q AF_NETLINK "$0"' "$TMP/trace.procnet"
else
	skip "which source answers" "strace is not installed"
fi

# IPv4 loopback listener.
both "tcp:PORT on 127.0.0.1" 0 --out "" --err "" -- "$HEALTHY" "tcp:$p4"
both "-v names the socket" 0 --out "healthy: tcp:$p4: ok: listening on 127.0.0.1:$p4" -- "$HEALTHY" -v "tcp:$p4"
both "tcp:127.0.0.1:PORT" 0 -- "$HEALTHY" "tcp:127.0.0.1:$p4"
both "tcp:localhost:PORT" 0 -- "$HEALTHY" "tcp:localhost:$p4"
both "tcp:[::1]:PORT is not an IPv4 socket's" 1 \
	--err "healthy: tcp:[::1]:$p4: not listening on [::1]:$p4 (listening on 127.0.0.1:$p4 only)" -- "$HEALTHY" "tcp:[::1]:$p4"
both "another address on the same port" 1 \
	--err "healthy: tcp:10.9.9.9:$p4: not listening on 10.9.9.9:$p4 (listening on 127.0.0.1:$p4 only)" -- "$HEALTHY" "tcp:10.9.9.9:$p4"
both "udp: is not tcp:" 1 --err "healthy: udp:$p4: nothing bound on port $p4" -- "$HEALTHY" "udp:$p4"

# 0.0.0.0 takes every IPv4 address, no IPv6 one.
start_port "$SOCKETS" tcp-listen 0.0.0.0 0 -; pany=$PORT
check "0.0.0.0 takes 127.0.0.1" 0 --out "healthy: tcp:127.0.0.1:$pany: ok: listening on 0.0.0.0:$pany" -- "$HEALTHY" -v "tcp:127.0.0.1:$pany"
check "0.0.0.0 takes any IPv4 address" 0 -- "$HEALTHY" "tcp:192.0.2.1:$pany"
# /proc/net does not show a bound device (SO_BINDTODEVICE): a wildcard socket may refuse ADDR.
HEALTHY_PROCNET=1 check "0.0.0.0 for 127.0.0.1 from /proc/net: cannot tell, exit 3" 3 \
	--err "healthy: tcp:127.0.0.1:$pany: cannot tell: 0.0.0.0:$pany listens, but /proc/net does not show whether it is bound to a device that refuses 127.0.0.1" \
	-- "$HEALTHY" "tcp:127.0.0.1:$pany"
HEALTHY_PROCNET=1 check "... tcp:PORT from /proc/net passes" 0 -- "$HEALTHY" "tcp:$pany"
both "0.0.0.0 does not take ::1" 1 -- "$HEALTHY" "tcp:[::1]:$pany"

# ::1
start_port "$SOCKETS" tcp-listen ::1 0 -; p6=$PORT
both "[::1] listener, tcp:PORT" 0 --out "healthy: tcp:$p6: ok: listening on [::1]:$p6" -- "$HEALTHY" -v "tcp:$p6"
both "[::1] listener, tcp:[::1]:PORT" 0 -- "$HEALTHY" "tcp:[::1]:$p6"
both "[::1] listener, tcp:localhost:PORT" 0 -- "$HEALTHY" "tcp:localhost:$p6"
both "[::1] listener does not take 127.0.0.1" 1 -- "$HEALTHY" "tcp:127.0.0.1:$p6"

# :: dual stack, and :: IPv6-only.
start_port "$SOCKETS" tcp-listen :: 0 0; pdual=$PORT
check "[::] takes ::1" 0 -- "$HEALTHY" "tcp:[::1]:$pdual"
HEALTHY_PROCNET=1 check "[::] for ::1 from /proc/net: cannot tell (a bound device)" 3 -- "$HEALTHY" "tcp:[::1]:$pdual"
check "dual-stack [::] takes 127.0.0.1 (sock_diag shows IPV6_V6ONLY off)" 0 \
	--out "healthy: tcp:127.0.0.1:$pdual: ok: listening on [::]:$pdual" -- "$HEALTHY" -v "tcp:127.0.0.1:$pdual"
check "dual-stack [::] takes [::ffff:127.0.0.1]" 0 -- "$HEALTHY" "tcp:[::ffff:127.0.0.1]:$pdual"
HEALTHY_PROCNET=1 check "dual-stack [::] for 127.0.0.1 from /proc/net: cannot tell, exit 3" 3 \
	--err "healthy: tcp:127.0.0.1:$pdual: cannot tell: a socket on [::]:$pdual may take IPv4, but /proc/net does not show IPV6_V6ONLY" \
	-- "$HEALTHY" "tcp:127.0.0.1:$pdual"
both "dual-stack [::], tcp:PORT" 0 -- "$HEALTHY" "tcp:$pdual"
start_port "$SOCKETS" tcp-listen :: 0 1; ponly=$PORT
check "IPv6-only [::] does not take 127.0.0.1, and says why" 1 \
	--err "healthy: tcp:127.0.0.1:$ponly: not listening on 127.0.0.1:$ponly ([::]:$ponly is IPv6-only)" -- "$HEALTHY" "tcp:127.0.0.1:$ponly"
check "IPv6-only [::] takes ::1" 0 -- "$HEALTHY" "tcp:[::1]:$ponly"
check "IPv6-only [::], tcp:localhost:PORT" 0 -- "$HEALTHY" "tcp:localhost:$ponly"
HEALTHY_PROCNET=1 check "IPv6-only [::], tcp:localhost:PORT from /proc/net: cannot tell" 3 -- "$HEALTHY" "tcp:localhost:$ponly"

# Not listeners: an established connection on the port, a UDP client.
start_port "$SOCKETS" tcp-established 127.0.0.1; pest=$PORT
both "an established connection's local port is no listener" 1 \
	--err "healthy: tcp:$pest: not listening on port $pest" -- "$HEALTHY" "tcp:$pest"

# UDP.
start_port "$SOCKETS" udp-bind 0.0.0.0 0 -; pu=$PORT
both "udp: bound on 0.0.0.0" 0 --out "healthy: udp:$pu: ok: bound on 0.0.0.0:$pu" -- "$HEALTHY" -v "udp:$pu"
check "udp:127.0.0.1:PORT" 0 -- "$HEALTHY" "udp:127.0.0.1:$pu"
HEALTHY_PROCNET=1 check "udp:127.0.0.1:PORT against 0.0.0.0 from /proc/net: cannot tell" 3 -- "$HEALTHY" "udp:127.0.0.1:$pu"
both "tcp: is not udp:" 1 -- "$HEALTHY" "tcp:$pu"
start_port "$SOCKETS" udp-connect 127.0.0.1 9; pc=$PORT
both "a connected UDP socket's local port is not a server" 1 \
	--err "healthy: udp:$pc: nothing bound on port $pc" -- "$HEALTHY" "udp:$pc"
start_port "$SOCKETS" udp-bind :: 0 0; pu6=$PORT
check "udp: dual-stack [::] takes 127.0.0.1" 0 -- "$HEALTHY" "udp:127.0.0.1:$pu6"
check "udp: [::] takes ::1" 0 -- "$HEALTHY" "udp:[::1]:$pu6"
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; pboth=$PORT
start_port "$SOCKETS" udp-bind 127.0.0.1 "$pboth" -
both "tcp and udp on one port, each found" 0 -- "$HEALTHY" "tcp:$pboth" "udp:$pboth"

# The fluent-bit line: a process, its TCP and its UDP port, at once.
start "$NAMED" sleep hly-fluent
both "proc: tcp: udp: together" 0 --out "" --err "" -- "$HEALTHY" proc:hly-fluent "tcp:$pboth" "udp:$pboth"
both "one of them down" 1 --err "healthy: udp:$p4: nothing bound on port $p4" -- "$HEALTHY" proc:hly-fluent "tcp:$p4" "udp:$p4"

# Unix sockets, in a directory with a space in its name.
U="$TMP/unix dir"; mkdir -p "$U"
start "$SOCKETS" unix-listen "$U/listen.sock"
check "unix: a listening stream socket" 0 --out "healthy: unix:$U/listen.sock: ok: listening" -- "$HEALTHY" -v "unix:$U/listen.sock"
HEALTHY_PROCNET=1 check "unix: a listening stream socket (without sock_diag: a connect(), and -v says so)" 0 \
	--out "healthy: unix:$U/listen.sock: ok: listening (a connect() was taken)" -- "$HEALTHY" -v "unix:$U/listen.sock"
start "$SOCKETS" unix-seqpacket "$U/seq.sock"
both "unix: a listening seqpacket socket" 0 -- "$HEALTHY" "unix:$U/seq.sock"
start "$SOCKETS" unix-dgram "$U/dgram.sock"
check "unix: a bound datagram socket" 0 --out "healthy: unix:$U/dgram.sock: ok: bound (datagram)" -- "$HEALTHY" -v "unix:$U/dgram.sock"
HEALTHY_PROCNET=1 check "unix: a bound datagram socket (without sock_diag)" 0 \
	--out "healthy: unix:$U/dgram.sock: ok: bound (datagram; a connect() was taken)" -- "$HEALTHY" -v "unix:$U/dgram.sock"
start "$SOCKETS" unix-bound "$U/bound.sock"
check "unix: bound, not listening" 1 --err "healthy: unix:$U/bound.sock: bound, but not listening" -- "$HEALTHY" "unix:$U/bound.sock"
# Without sock_diag, unix: connects, as a client would: /proc/net/unix cannot tell one socket file from another.
HEALTHY_PROCNET=1 check "unix: bound, not listening (without sock_diag: a connect() is refused)" 1 \
	--err "healthy: unix:$U/bound.sock: connection refused: no server listens on it" -- "$HEALTHY" "unix:$U/bound.sock"
bounded "$SOCKETS" unix-stale "$U/stale.sock" "$TMP/stale.ready"
check "unix: a socket file left by a dead server" 1 --err "healthy: unix:$U/stale.sock: stale socket file: no server bound to it (connection refused)" \
	-- "$HEALTHY" "unix:$U/stale.sock"
HEALTHY_PROCNET=1 check "unix: a socket file left by a dead server (without sock_diag)" 1 \
	--err "healthy: unix:$U/stale.sock: connection refused: no server listens on it" -- "$HEALTHY" "unix:$U/stale.sock"
both "unix: no such file" 1 --err "healthy: unix:$U/missing.sock: no socket file at $U/missing.sock" -- "$HEALTHY" "unix:$U/missing.sock"
: > "$U/plain"
both "unix: a plain file" 1 --err "healthy: unix:$U/plain: not a socket" -- "$HEALTHY" "unix:$U/plain"
ln -s "$U/listen.sock" "$U/link.sock"
both "unix: through a symlink" 0 -- "$HEALTHY" "unix:$U/link.sock"
ln -s "$U" "$TMP/dirlink"
both "unix: through a symlinked directory (/var/run and /run)" 0 -- "$HEALTHY" "unix:$TMP/dirlink/listen.sock"
(cd "$U" && exec "$SOCKETS" unix-listen rel.sock "$TMP/rel.ready") &
own $!; wait_file "$TMP/rel.ready"
check "unix: a server that bound a relative path (sock_diag: by inode)" 0 -- "$HEALTHY" "unix:$U/rel.sock"
HEALTHY_PROCNET=1 check "unix: ... without sock_diag: a connect() is taken" 0 -- "$HEALTHY" "unix:$U/rel.sock"
# A path too long for sun_path: its server bound a relative one.
L="$TMP/$(printf 'd%.0s' $(seq 60))/$(printf 'e%.0s' $(seq 60))"; mkdir -p "$L"
(cd "$L" && exec "$SOCKETS" unix-listen long.sock "$TMP/long.ready") >/dev/null 2>&1 &
own $!; wait_file "$TMP/long.ready"
check "unix: a path longer than sun_path, bound relative (sock_diag)" 0 -- "$HEALTHY" "unix:$L/long.sock"
HEALTHY_PROCNET=1 check "unix: ... without sock_diag: a connect() through /proc/self/fd" 0 --out "healthy: unix:$L/long.sock: ok: listening (a connect() was taken)" \
	-- "$HEALTHY" -v "unix:$L/long.sock"
# Without /proc there is no /proc/self/fd to connect through: cannot tell, never "no socket file".
# (A user namespace cannot unmount the /proc it inherited: tests/arm64/run's userns mode.)
noproc="unix: ... without sock_diag and without /proc: cannot tell"
if grep -q __asan_init "$HEALTHY"; then
	skip "$noproc" "the sanitizer runtime needs /proc; the release binary is tested"
elif ! unshare -m sh -c 'umount -l /proc' 2>/dev/null; then
	skip "$noproc" "/proc cannot be unmounted here (no mount namespace, or one a user namespace owns)"
else
	HEALTHY_PROCNET=1 check "$noproc" 3 \
		--err-has "cannot tell: a path longer than sun_path is reached through /proc/self/fd" \
		-- unshare -m sh -c 'umount -l /proc && exec "$0" "unix:$1"' "$HEALTHY" "$L/long.sock"
fi
# Overlayfs over two filesystems: stat() shows the upper layer's device, sock_diag the overlay's.
if unshare -m true 2>/dev/null && grep -qw overlay /proc/filesystems; then
	check "unix: a socket on overlayfs whose layers are on two filesystems" 0 -- unshare -m sh -c '
		cd "$1" && mkdir -p lo up work m && mount -t tmpfs none lo && mount -t tmpfs none up && mkdir up/u up/w &&
		mount -t overlay overlay -o lowerdir=lo,upperdir=up/u,workdir=up/w m || exit 99
		"$2" unix-listen m/ov.sock ov.ready >/dev/null 2>&1 & srv=$!
		for i in $(seq 200); do [ -s ov.ready ] && break; sleep 0.01; done
		"$0" unix:"$1"/m/ov.sock; r=$?; kill $srv; exit $r' "$HEALTHY" "$TMP" "$SOCKETS"
else
	skip "unix: on overlayfs" "no overlayfs or mount namespaces here"
fi
# A server in another network namespace: sock_diag cannot see it, and the line says where it looked.
if unshare -n true 2>/dev/null; then
	unshare -n "$SOCKETS" unix-listen "$U/otherns.sock" "$TMP/otherns.ready" >/dev/null 2>&1 &
	own $!; wait_file "$TMP/otherns.ready"
	# A socket shared through a volume (redis, docker.sock): the table does not show it, a client reaches it.
	check "unix: a server in another network namespace is reached by a connect(), and -v says so" 0 \
		--out "healthy: unix:$U/otherns.sock: ok: listening (a connect() was taken: its server is not in this network namespace)" \
		-- "$HEALTHY" -v "unix:$U/otherns.sock"
	HEALTHY_PROCNET=1 check "unix: ... without sock_diag too" 0 -- "$HEALTHY" "unix:$U/otherns.sock"
fi
# Each tmpfs numbers its inodes from 2: a stale socket on one and a live one on another share an inode.
if unshare -m true 2>/dev/null; then
	check "unix: a stale socket whose inode a live one on another tmpfs shares" 1 \
		--err-has "stale socket file: no server bound to it (connection refused)" -- unshare -m sh -c '
		mkdir -p "$1/ta" "$1/tb" && mount -t tmpfs none "$1/ta" && mount -t tmpfs none "$1/tb" || exit 99
		"$2" unix-stale "$1/ta/app.sock" "$1/ta.ready" >/dev/null 2>&1
		"$2" unix-listen "$1/tb/app.sock" "$1/tb.ready" >/dev/null 2>&1 & srv=$!
		for i in $(seq 200); do [ -s "$1/tb.ready" ] && break; sleep 0.01; done
		[ "$(stat -c %i "$1/ta/app.sock")" = "$(stat -c %i "$1/tb/app.sock")" ] || exit 98
		"$0" unix:"$1"/ta/app.sock; r=$?; kill $srv; exit $r' "$HEALTHY" "$TMP" "$SOCKETS"
fi
# A live socket's path swapped for a symlink to a stale one: what a client reaches is the stale one.
bounded "$SOCKETS" unix-stale "$U/swapped-to.sock" "$TMP/swap1.ready"
start "$SOCKETS" unix-swap "$U/swapper.sock" "$U/swapped-to.sock"
both "unix: a stale socket that a live one's path now links to" 1 -- "$HEALTHY" "unix:$U/swapped-to.sock"
start "$SOCKETS" unix-listen @hly-abstract
both "unix:@NAME in the abstract namespace" 0 -- "$HEALTHY" unix:@hly-abstract
both "unix:@NAME absent" 1 --err "healthy: unix:@hly-nothing: not listening" -- "$HEALTHY" unix:@hly-nothing
both "unix:@NAME is not a path" 1 -- "$HEALTHY" "unix:@$U/listen.sock"
# Abstract names are all their bytes: what a client of @NAME reaches is "\0NAME", no byte more.
start "$SOCKETS" unix-listen @hly-sk-at@
both "unix:@NAME for a server bound to \"NAME@\": not what a client reaches" 1 --err "healthy: unix:@hly-sk-at: not listening" \
	-- "$HEALTHY" unix:@hly-sk-at
both "... unix:@NAME@ is" 0 -- "$HEALTHY" unix:@hly-sk-at@
start "$SOCKETS" unix-listen-padded hly-sk-pad 20
check "unix:@NAME for a server bound to NAME and 20 NULs: not reached, and says why" 1 \
	--err "healthy: unix:@hly-sk-pad: not listening (a socket is bound to this name and 20 NULs after it, which a client of the name alone does not reach)" \
	-- "$HEALTHY" unix:@hly-sk-pad
HEALTHY_PROCNET=1 check "... without sock_diag: a connect() to @NAME is refused" 1 --err "healthy: unix:@hly-sk-pad: not listening" \
	-- "$HEALTHY" unix:@hly-sk-pad

# A listener bound to a device (SO_BINDTODEVICE) takes no connection that comes in on another: from this
# host, 127.0.0.1 comes in on lo. In a network namespace of its own, with a veth pair.
if unshare -n true 2>/dev/null && unshare -n ip link add hly-v0 type veth peer name hly-v1 2>/dev/null; then
	# check runs a function in a bash of its own (under a hang bound): it needs these in its environment.
	export SOCKETS TMP
	devns() { # devns CMD...: runs CMD where P is the port of 0.0.0.0 bound to hly-v0 (10.77.0.1)
		unshare -n bash -c '
		ip link set lo up && ip link add hly-v0 type veth peer name hly-v1 && ip addr add 10.77.0.1/24 dev hly-v0 &&
			ip link set hly-v0 up && ip link set hly-v1 up || exit 99
		"$0" tcp-listen-dev 0.0.0.0 hly-v0 "$1/dev.ready.$$" >/dev/null 2>&1 & srv=$!
		for i in $(seq 200); do [ -s "$1/dev.ready.$$" ] && break; sleep 0.01; done
		export P=$(cat "$1/dev.ready.$$"); shift; "$@"; r=$?; kill $srv; exit $r' "$SOCKETS" "$TMP" "$@"
	}
	check "tcp:127.0.0.1:PORT against 0.0.0.0 bound to another device: not listening (1)" 0 -- devns sh -c \
		'"$0" tcp:127.0.0.1:$P; [ $? = 1 ]' "$HEALTHY"
	check "... the line" 0 -- devns sh -c \
		'"$0" tcp:127.0.0.1:$P 2>&1 | grep -qx "healthy: tcp:127.0.0.1:$P: not listening on 127.0.0.1:$P (0.0.0.0:$P is bound to device hly-v0 only)"' "$HEALTHY"
	check "... the kernel agrees: connect: is refused" 0 -- devns sh -c '"$0" connect:127.0.0.1:$P; [ $? = 1 ]' "$HEALTHY"
	check "tcp:localhost:PORT: the same" 0 -- devns sh -c '"$0" tcp:localhost:$P; [ $? = 1 ]' "$HEALTHY"
	check "tcp:PORT: something listens on the port, and -v names the device" 0 -- devns sh -c \
		'"$0" -v tcp:$P | grep -qx "healthy: tcp:$P: ok: listening on 0.0.0.0:$P (bound to device hly-v0)"' "$HEALTHY"
	check "tcp:ADDR:PORT for the device's own address: cannot tell (which device holds it is not looked up)" 0 -- devns sh -c \
		'"$0" tcp:10.77.0.1:$P 2>"$1"; [ $? = 3 ] && grep -q "cannot tell: 0.0.0.0:$P is bound to device hly-v0" "$1"' "$HEALTHY" "$TMP/dev.err"
	check "/proc/net shows no bound device: tcp:127.0.0.1:PORT cannot tell" 0 -- devns sh -c \
		'HEALTHY_PROCNET=1 "$0" tcp:127.0.0.1:$P; [ $? = 3 ]' "$HEALTHY"
	check "... tcp:PORT still passes" 0 -- devns sh -c 'HEALTHY_PROCNET=1 "$0" tcp:$P' "$HEALTHY"
else
	skip "a listener bound to a device" "no network namespaces or veth here"
fi

# Another network namespace sees none of these.
if unshare -n true 2>/dev/null; then
	both "a new network namespace does not see the host's listener" 1 \
		--err "healthy: tcp:$p4: not listening on port $p4" -- unshare -n "$HEALTHY" "tcp:$p4"
	both "nor its abstract unix socket" 1 -- unshare -n "$HEALTHY" unix:@hly-abstract
else
	skip "network namespaces" "unshare -n is not allowed here"
fi

# Unprivileged, and with no capabilities at all.
as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all)
both "uid 65534 sees root's listeners" 0 -- "${as_nobody[@]}" "$HEALTHY" "tcp:$p4" "udp:$pu" "tcp:$pdual" unix:@hly-abstract
check "uid 65534 sees IPV6_V6ONLY through sock_diag" 0 -- "${as_nobody[@]}" "$HEALTHY" "tcp:127.0.0.1:$pdual"
chmod 711 "$TMP"
check "uid 65534, a unix socket in a searchable directory" 0 -- "${as_nobody[@]}" "$HEALTHY" "unix:$U/listen.sock"
HEALTHY_PROCNET=1 check "uid 65534, without sock_diag: a socket it may not connect to cannot be told" 3 \
	--err "healthy: unix:$U/listen.sock: cannot tell: connect: permission denied" -- "${as_nobody[@]}" "$HEALTHY" "unix:$U/listen.sock"

# Thousands of connections on the machine: the answer does not change.
start_port "$SOCKETS" tcp-busy 127.0.0.1 3000; pbusy=$PORT
both "with 3000 established connections" 0 -- "$HEALTHY" "tcp:$pbusy" "tcp:$pdual" "tcp:127.0.0.1:$pbusy"
both "and an absent port among them" 1 -- "$HEALTHY" "tcp:$pest"

finish
