# tcp:, udp:, unix: against real sockets, each through sock_diag and through /proc/net.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets

# listen MODE ARGS...: starts a socket holder; PORT is what it holds.
listen() {
	start "$SOCKETS" "$@"
	PORT=$PID
}

# both NAME RC FLAGS... -- CMD...: the same check through sock_diag, then with /proc/net forced.
both() {
	local name=$1; shift
	check "$name (sock_diag)" "$@"
	HEALTHY_PROCNET=1 check "$name (/proc/net)" "$@"
}

# The sources really differ: sock_diag never opens /proc/net, and the switch never asks netlink.
listen tcp-listen 127.0.0.1 0 -; p4=$PORT
if command -v strace >/dev/null; then
	check "sock_diag is asked, /proc/net is not read" 0 -- bash -c \
		'strace -f -e trace=socket,open,openat "$0" tcp:$1 2>&1 | grep -q "AF_NETLINK" &&
		 ! strace -f -e trace=open,openat "$0" tcp:$1 2>&1 | grep -q /proc/net' "$HEALTHY" "$p4"
	check "HEALTHY_PROCNET=1 reads /proc/net and asks no netlink" 0 -- bash -c \
		'HEALTHY_PROCNET=1 strace -f -e trace=socket,open,openat "$0" tcp:$1 2>&1 | grep -q "/proc/net/tcp" &&
		 ! HEALTHY_PROCNET=1 strace -f -e trace=socket "$0" tcp:$1 2>&1 | grep -q AF_NETLINK' "$HEALTHY" "$p4"
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
listen tcp-listen 0.0.0.0 0 -; pany=$PORT
both "0.0.0.0 takes 127.0.0.1" 0 --out "healthy: tcp:127.0.0.1:$pany: ok: listening on 0.0.0.0:$pany" -- "$HEALTHY" -v "tcp:127.0.0.1:$pany"
both "0.0.0.0 takes any IPv4 address" 0 -- "$HEALTHY" "tcp:192.0.2.1:$pany"
both "0.0.0.0 does not take ::1" 1 -- "$HEALTHY" "tcp:[::1]:$pany"

# ::1
listen tcp-listen ::1 0 -; p6=$PORT
both "[::1] listener, tcp:PORT" 0 --out "healthy: tcp:$p6: ok: listening on [::1]:$p6" -- "$HEALTHY" -v "tcp:$p6"
both "[::1] listener, tcp:[::1]:PORT" 0 -- "$HEALTHY" "tcp:[::1]:$p6"
both "[::1] listener, tcp:localhost:PORT" 0 -- "$HEALTHY" "tcp:localhost:$p6"
both "[::1] listener does not take 127.0.0.1" 1 -- "$HEALTHY" "tcp:127.0.0.1:$p6"

# :: dual stack, and :: IPv6-only.
listen tcp-listen :: 0 0; pdual=$PORT
both "[::] takes ::1" 0 -- "$HEALTHY" "tcp:[::1]:$pdual"
check "dual-stack [::] takes 127.0.0.1 (sock_diag shows IPV6_V6ONLY off)" 0 \
	--out "healthy: tcp:127.0.0.1:$pdual: ok: listening on [::]:$pdual" -- "$HEALTHY" -v "tcp:127.0.0.1:$pdual"
check "dual-stack [::] takes [::ffff:127.0.0.1]" 0 -- "$HEALTHY" "tcp:[::ffff:127.0.0.1]:$pdual"
HEALTHY_PROCNET=1 check "dual-stack [::] for 127.0.0.1 from /proc/net: cannot tell, exit 3" 3 \
	--err "healthy: tcp:127.0.0.1:$pdual: cannot tell: a socket on [::]:$pdual may take IPv4, but /proc/net does not show IPV6_V6ONLY" \
	-- "$HEALTHY" "tcp:127.0.0.1:$pdual"
both "dual-stack [::], tcp:PORT" 0 -- "$HEALTHY" "tcp:$pdual"
listen tcp-listen :: 0 1; ponly=$PORT
check "IPv6-only [::] does not take 127.0.0.1, and says why" 1 \
	--err "healthy: tcp:127.0.0.1:$ponly: not listening on 127.0.0.1:$ponly ([::]:$ponly is IPv6-only)" -- "$HEALTHY" "tcp:127.0.0.1:$ponly"
both "IPv6-only [::] takes ::1" 0 -- "$HEALTHY" "tcp:[::1]:$ponly"
both "IPv6-only [::], tcp:localhost:PORT" 0 -- "$HEALTHY" "tcp:localhost:$ponly"

# Not listeners: an established connection on the port, a UDP client.
listen tcp-established 127.0.0.1; pest=$PORT
both "an established connection's local port is no listener" 1 \
	--err "healthy: tcp:$pest: not listening on port $pest" -- "$HEALTHY" "tcp:$pest"

# UDP.
listen udp-bind 0.0.0.0 0 -; pu=$PORT
both "udp: bound on 0.0.0.0" 0 --out "healthy: udp:$pu: ok: bound on 0.0.0.0:$pu" -- "$HEALTHY" -v "udp:$pu"
both "udp:127.0.0.1:PORT" 0 -- "$HEALTHY" "udp:127.0.0.1:$pu"
both "tcp: is not udp:" 1 -- "$HEALTHY" "tcp:$pu"
listen udp-connect 127.0.0.1 9; pc=$PORT
both "a connected UDP socket's local port is not a server" 1 \
	--err "healthy: udp:$pc: nothing bound on port $pc" -- "$HEALTHY" "udp:$pc"
listen udp-bind :: 0 0; pu6=$PORT
check "udp: dual-stack [::] takes 127.0.0.1" 0 -- "$HEALTHY" "udp:127.0.0.1:$pu6"
both "udp: [::] takes ::1" 0 -- "$HEALTHY" "udp:[::1]:$pu6"
listen tcp-listen 127.0.0.1 0 -; pboth=$PORT
start "$SOCKETS" udp-bind 127.0.0.1 "$pboth" -
both "tcp and udp on one port, each found" 0 -- "$HEALTHY" "tcp:$pboth" "udp:$pboth"

# The fluent-bit line: a process, its TCP and its UDP port, at once.
start "$NAMED" sleep hly-fluent
both "proc: tcp: udp: together" 0 --out "" --err "" -- "$HEALTHY" proc:hly-fluent "tcp:$pboth" "udp:$pboth"
both "one of them down" 1 --err "healthy: udp:$p4: nothing bound on port $p4" -- "$HEALTHY" proc:hly-fluent "tcp:$p4" "udp:$p4"

# Unix sockets, in a directory with a space in its name.
U="$TMP/unix dir"; mkdir -p "$U"
listen unix-listen "$U/listen.sock"
both "unix: a listening stream socket" 0 --out "healthy: unix:$U/listen.sock: ok: listening" -- "$HEALTHY" -v "unix:$U/listen.sock"
listen unix-seqpacket "$U/seq.sock"
both "unix: a listening seqpacket socket" 0 -- "$HEALTHY" "unix:$U/seq.sock"
listen unix-dgram "$U/dgram.sock"
both "unix: a bound datagram socket" 0 --out "healthy: unix:$U/dgram.sock: ok: bound (datagram)" -- "$HEALTHY" -v "unix:$U/dgram.sock"
listen unix-bound "$U/bound.sock"
both "unix: bound, not listening" 1 --err "healthy: unix:$U/bound.sock: bound, but not listening" -- "$HEALTHY" "unix:$U/bound.sock"
"$SOCKETS" unix-stale "$U/stale.sock" "$TMP/stale.ready"
both "unix: a socket file left by a dead server" 1 --err "healthy: unix:$U/stale.sock: stale socket file: no server bound to it in this network namespace" \
	-- "$HEALTHY" "unix:$U/stale.sock"
both "unix: no such file" 1 --err "healthy: unix:$U/missing.sock: No such file or directory" -- "$HEALTHY" "unix:$U/missing.sock"
: > "$U/plain"
both "unix: a plain file" 1 --err "healthy: unix:$U/plain: not a socket" -- "$HEALTHY" "unix:$U/plain"
ln -s "$U/listen.sock" "$U/link.sock"
both "unix: through a symlink" 0 -- "$HEALTHY" "unix:$U/link.sock"
ln -s "$U" "$TMP/dirlink"
both "unix: through a symlinked directory (/var/run and /run)" 0 -- "$HEALTHY" "unix:$TMP/dirlink/listen.sock"
(cd "$U" && exec "$SOCKETS" unix-listen rel.sock "$TMP/rel.ready") &
started+=($!); wait_file "$TMP/rel.ready"
check "unix: a server that bound a relative path (sock_diag: by inode)" 0 -- "$HEALTHY" "unix:$U/rel.sock"
HEALTHY_PROCNET=1 check "unix: ... from /proc/net, which shows only 'rel.sock': cannot tell" 3 --err-has "cannot tell" \
	-- "$HEALTHY" "unix:$U/rel.sock"
# A path too long for sun_path: its server bound a relative one.
L="$TMP/$(printf 'd%.0s' $(seq 60))/$(printf 'e%.0s' $(seq 60))"; mkdir -p "$L"
(cd "$L" && exec "$SOCKETS" unix-listen long.sock "$TMP/long.ready") >/dev/null 2>&1 &
started+=($!); wait_file "$TMP/long.ready"
check "unix: a path longer than sun_path, bound relative (sock_diag)" 0 -- "$HEALTHY" "unix:$L/long.sock"
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
	started+=($!); wait_file "$TMP/otherns.ready"
	check "unix: a server in another network namespace is not seen, and the line says so" 1 \
		--err "healthy: unix:$U/otherns.sock: stale socket file: no server bound to it in this network namespace" \
		-- "$HEALTHY" "unix:$U/otherns.sock"
fi
listen unix-listen @hly-abstract
both "unix:@NAME in the abstract namespace" 0 -- "$HEALTHY" unix:@hly-abstract
both "unix:@NAME absent" 1 --err "healthy: unix:@hly-nothing: not listening" -- "$HEALTHY" unix:@hly-nothing
both "unix:@NAME is not a path" 1 -- "$HEALTHY" "unix:@$U/listen.sock"

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
both "uid 65534, a unix socket in a searchable directory" 0 -- "${as_nobody[@]}" "$HEALTHY" "unix:$U/listen.sock"

# Thousands of connections on the machine: the answer does not change.
listen tcp-busy 127.0.0.1 3000; pbusy=$PORT
both "with 3000 established connections" 0 -- "$HEALTHY" "tcp:$pbusy" "tcp:$pdual" "tcp:127.0.0.1:$pbusy"
both "and an absent port among them" 1 -- "$HEALTHY" "tcp:$pest"

finish
