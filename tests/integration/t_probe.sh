# connect:, http://, grpc://, file: against real servers, files and a resolver, within a deadline.
. "$(dirname "$0")/lib.sh"

SOCKETS=$HELPERS/sockets
start_port "$HELPERS/httpd"; hp=$PORT

# http:// as curl -f: 2xx and 3xx pass, redirects are not followed, the failing line carries the status.
check "200 passes, silently" 0 --out "" --err "" -- "$HEALTHY" "http://127.0.0.1:$hp/200"
check "-v shows the status and the server" 0 --out "healthy: http://127.0.0.1:$hp/200: ok: 200 OK from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v "http://127.0.0.1:$hp/200"
check "204 passes" 0 -- "$HEALTHY" "http://127.0.0.1:$hp/204"
check "301 passes and is not followed" 0 --out "healthy: http://127.0.0.1:$hp/301: ok: 301 Moved Permanently from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v "http://127.0.0.1:$hp/301"
check "404 fails with the status" 1 --err "healthy: http://127.0.0.1:$hp/404: 404 Not Found" -- "$HEALTHY" "http://127.0.0.1:$hp/404"
check "500 fails with the status" 1 --err "healthy: http://127.0.0.1:$hp/500: 500 Internal Server Error" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/500"
check "503 fails with the status" 1 --err "healthy: http://127.0.0.1:$hp/503: 503 Service Unavailable" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/503"
check "garbage is not a status line" 1 --err "healthy: http://127.0.0.1:$hp/garbage: not an HTTP status line from 127.0.0.1:$hp: \"SSH-2.0-OpenSSH_9.2\"" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/garbage"
check "a blank line before the status line: its bytes are shown, not \"\"" 1 \
	--err "healthy: http://127.0.0.1:$hp/leading-crlf: not an HTTP status line from 127.0.0.1:$hp: \"\\x0d\\nHTTP/1.1 200 OK\"" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/leading-crlf"
check "endless headers: the status line is enough" 0 -- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/endless-header"
check "an endless status line is cut off" 1 --err-has "not an HTTP status line" -- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/endless-status"
check "a server that closes without a word" 1 --err "healthy: http://127.0.0.1:$hp/close: connection closed without an answer by 127.0.0.1:$hp" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/close"
check "a server that never answers is cut off by the deadline" 1 \
	--err "healthy: http://127.0.0.1:$hp/hang: timed out after 300ms waiting for the status line from 127.0.0.1:$hp" \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$hp/hang"
check "the default deadline is under Kubernetes' 1 s" 1 --err-has "timed out after 800ms" \
	-- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/hang"
check "100 Continue, then 200: the interim answer is skipped" 0 --out "healthy: http://127.0.0.1:$hp/continue: ok: 200 OK from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v "http://127.0.0.1:$hp/continue"
check "103 Early Hints with headers, then 503: the real answer counts" 1 --err "healthy: http://127.0.0.1:$hp/hints503: 503 Service Unavailable" \
	-- "$HEALTHY" "http://127.0.0.1:$hp/hints503"
check "100 Continue, then close: closed without the final answer, not without an answer" 1 \
	--err "healthy: http://127.0.0.1:$hp/continue-close: connection closed after a 100 Continue, without the final answer, by 127.0.0.1:$hp" \
	-- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/continue-close"
check "103 Early Hints, then close in its headers: the same" 1 \
	--err "healthy: http://127.0.0.1:$hp/hints-close: connection closed after a 103 Early Hints, without the final answer, by 127.0.0.1:$hp" \
	-- timeout 10 "$HEALTHY" "http://127.0.0.1:$hp/hints-close"
check "a port with many leading zeros is port 80 or whatever it says, and no overflow" 1 --err-has "connection refused" \
	-- "$HEALTHY" "http://127.0.0.1:$(head -c 5000 /dev/zero | tr '\0' 0)1/"
check "http://[::1]:PORT" 0 -- "$HEALTHY" "http://[::1]:$hp/200"
check "http://localhost:PORT" 0 -- "$HEALTHY" "http://localhost:$hp/200"
check "no path is /" 1 --err "healthy: http://127.0.0.1:$hp: 404 Not Found" -- "$HEALTHY" "http://127.0.0.1:$hp"
# What is sent: GET, Host as typed, User-Agent, Connection: close; the fragment is not sent.
# The trace goes to a file, never into a pipe a reader may close early (t_sock.sh says why).
if command -v strace >/dev/null; then
	check "under strace -f, the probe answers (404: /echo with a query is another path), and the trace ends" 1 \
		--err "healthy: http://localhost:$hp/echo?q=1#frag: 404 Not Found" -- env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -s 300 -o "$TMP/trace.http" \
		-e trace=sendto,write "$HEALTHY" "http://localhost:$hp/echo?q=1#frag"
	check "the request is GET PATH HTTP/1.1 with Host, User-Agent and Connection: close" 0 -- bash -c '
		grep -F "GET /echo?q=1 HTTP/1.1\\r\\nHost: localhost:$1\\r\\nUser-Agent: healthy/" "$0" |
		grep -qF "Connection: close\\r\\n\\r\\n"' "$TMP/trace.http" "$hp"
else
	skip "the request as sent" "strace is not installed"
fi
check "https://'s ca= needs a name to verify" 2 \
	--err "healthy: https://127.0.0.1/,ca=/ca.pem: ca= verifies a name, and an address is none: give it with servername=NAME" \
	-- "$HEALTHY" https://127.0.0.1/,ca=/ca.pem

# connect:
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; p4=$PORT
check "connect: to a listener" 0 --out "healthy: connect:127.0.0.1:$p4: ok: connected to 127.0.0.1:$p4" -- "$HEALTHY" -v "connect:127.0.0.1:$p4"
check "connect:localhost tries ::1 and 127.0.0.1, and one is enough" 0 -- "$HEALTHY" "connect:localhost:$p4"
start_port "$SOCKETS" tcp-established 127.0.0.1; closed=$PORT
check "a closed port: connection refused, with the address" 1 \
	--err "healthy: connect:127.0.0.1:$closed: connection refused (127.0.0.1:$closed)" -- "$HEALTHY" "connect:127.0.0.1:$closed"
check "localhost, both refused" 1 \
	--err "healthy: connect:localhost:$closed: connection refused ([::1]:$closed, 127.0.0.1:$closed)" -- "$HEALTHY" "connect:localhost:$closed"
start_port "$SOCKETS" tcp-full 127.0.0.1; full=$PORT
check "a SYN that is never answered times out within the deadline" 1 \
	--err "healthy: connect:127.0.0.1:$full: timed out after 300ms connecting (127.0.0.1:$full)" \
	-- timeout 10 "$HEALTHY" -t 300ms "connect:127.0.0.1:$full"
check "a listener that never accepts: connect: passes (the kernel completes the handshake)" 0 -- "$HEALTHY" "connect:127.0.0.1:$p4"
check "... and http:// times out waiting for the status line" 1 --err-has "timed out after 300ms waiting for the status line" \
	-- timeout 10 "$HEALTHY" -t 300ms "http://127.0.0.1:$p4/"
check "probes of one run share the deadline: both time out, each says so" 1 \
	--err-has "connect:127.0.0.1:$full: timed out after 300ms" --err-has "http://127.0.0.1:$hp/hang: timed out after 300ms" \
	-- timeout 10 "$HEALTHY" -t 300ms "connect:127.0.0.1:$full" "http://127.0.0.1:$hp/hang"
# Connecting to itself: with the ephemeral range narrowed to one port nobody listens on, the kernel can connect
# a socket to its own port. That is no server.
if unshare -n true 2>/dev/null; then
	check "a socket connected to itself is no server" 1 --err-has "connection refused" -- unshare -n sh -c '
		ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range="40000 40000" &&
		for i in 1 2 3 4 5; do "$0" connect:127.0.0.1:40000 || exit $?; done' "$HEALTHY"
fi
check "a name that does not resolve" 1 --err "healthy: connect:hly-nosuchhost.invalid:80: no such host" \
	-- "$HEALTHY" connect:hly-nosuchhost.invalid:80

# An image with nothing but the binary: no /etc at all. localhost still works (RFC 6761).
root=$TMP/emptyroot; mkdir -p "$root"; cp "$HEALTHY" "$root/healthy"
if [ -z "$(ldd "$HEALTHY" 2>&1 | grep -v 'not a dynamic')" ]; then
	check "no /etc: connect:localhost" 0 -- chroot "$root" /healthy "connect:localhost:$p4"
	check "no /etc: http://localhost" 0 -- chroot "$root" /healthy "http://localhost:$hp/200"
	mkdir -p "$root/etc"; printf '127.0.0.1 hly-db\n' > "$root/etc/hosts"
	check "a name from /etc/hosts, through healthy's resolver, in a root of nothing else" 0 -- chroot "$root" /healthy "connect:hly-db:$p4"
	rm -r "$root/etc"
else
	skip "an empty root" "this healthy is dynamically linked; the release binary is tested"
fi

# A DNS server that never answers: the deadline stops the lookup too (t_dns.sh has the rest).
if unshare -nm true 2>/dev/null && command -v ip >/dev/null; then
	printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:2\n' > "$TMP/resolv.conf"
	# A name server that does not answer says nothing of the service: exit 3, healthy could not tell.
	check "a resolver that never answers is cut off by the deadline, exit 3" 3 \
		--err "healthy: connect:hly-slow.test:80: timed out after 300ms resolving the host" \
		-- timeout 10 unshare -nm sh -c '
			ip link set lo up && mount --bind "$1" /etc/resolv.conf || exit 99
			"$2" udp-bind 127.0.0.1 53 - "$3" & dns=$!; sleep 0.3
			"$0" -t 300ms connect:hly-slow.test:80; r=$?
			kill $dns; exit $r' \
			"$HEALTHY" "$TMP/resolv.conf" "$SOCKETS" "$TMP/dns.ready"
else
	skip "a resolver that never answers" "unshare -nm or ip is not available"
fi

# file:
f=$TMP/heartbeat; : > "$f"
touch -d '+1 hour' "$TMP/ahead"
check "file:,maxage= stamped in the future fails" 1 --err-has "in the future" -- "$HEALTHY" "file:$TMP/ahead,maxage=1m"
check "file: exists" 0 --out "healthy: file:$f: ok: exists" -- "$HEALTHY" -v "file:$f"
check "file: missing" 1 --err "healthy: file:$TMP/missing: no file at $TMP/missing" -- "$HEALTHY" "file:$TMP/missing"
check "file:,maxage= fresh" 0 -- "$HEALTHY" "file:$f,maxage=1m"
touch -d '10 minutes ago' "$f"
check "file:,maxage= stale" 1 --err "healthy: file:$f,maxage=1m: modified 10m ago, more than maxage=1m" -- "$HEALTHY" "file:$f,maxage=1m"
check "file:,maxage= longer than its age" 0 -- "$HEALTHY" "file:$f,maxage=1h"
mkdir -p "$TMP/a,b"; : > "$TMP/a,b/c"
check "a path with a comma" 0 -- "$HEALTHY" "file:$TMP/a,b/c"
check "bad maxage" 2 --err "healthy: file:$f,maxage=soon: maxage= takes a DURATION (500ms, 5s, 2m)" -- "$HEALTHY" "file:$f,maxage=soon"

# Everything at once.
start "$NAMED" sleep hly-all
check "every kind in one run" 0 --out "" --err "" -- "$HEALTHY" proc:hly-all "tcp:$p4" "connect:127.0.0.1:$p4" "http://127.0.0.1:$hp/200" "file:$f" pid:1

finish
