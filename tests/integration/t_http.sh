# http:// options against the test server (tests/helpers/httpd.c), on TCP and on unix sockets:
# header=, method=, host=, status=, body=, unix=, and every usage error they have.
. "$(dirname "$0")/lib.sh"

start_port "$HELPERS/httpd"; hp=$PORT
u=http://127.0.0.1:$hp
CR=$'\r' CRLF=$'\r\n'

# status=: a code, a class, a range; it replaces the default 2xx or 3xx.
check "status=418 passes a 418" 0 --out "healthy: $u/418,status=418: ok: 418 Other from 127.0.0.1:$hp" \
	-- "$HEALTHY" -v "$u/418,status=418"
check "status=2xx fails a 418, saying what it wanted" 1 --err "healthy: $u/418,status=2xx: 418 Other (wanted 2xx)" \
	-- "$HEALTHY" "$u/418,status=2xx"
check "status=200-204 takes 204" 0 -- "$HEALTHY" "$u/204,status=200-204"
check "status=200-204 fails a 301, which the default takes" 1 \
	--err "healthy: $u/301,status=200-204: 301 Moved Permanently (wanted 200-204)" -- "$HEALTHY" "$u/301,status=200-204"
check "status=5xx passes a 503 (a check that the service says it is down)" 0 -- "$HEALTHY" "$u/503,status=5xx"
check "status=200 fails a 204" 1 --err "healthy: $u/204,status=200: 204 No Content (wanted 200)" -- "$HEALTHY" "$u/204,status=200"

# body=TEXT: in the first 64 KiB of the body, decoded from chunks.
check "body= found" 0 --out "healthy: $u/text/ready,body=ready: ok: 200 OK from 127.0.0.1:$hp, \"ready\" in the body" \
	-- "$HEALTHY" -v "$u/text/ready,body=ready"
check "body= missing: how much was read" 1 \
	--err "healthy: $u/text/starting,body=ready: 200 OK from 127.0.0.1:$hp, but \"ready\" is not in the body (17 bytes)" \
	-- "$HEALTHY" "$u/text/starting,body=ready"
check "body= in a chunked body, split across two chunks, after a chunk extension" 0 -- "$HEALTHY" "$u/chunked,body=systems ready"
check "body= not in a chunked body: the decoded length, trailers skipped" 1 \
	--err "healthy: $u/chunked,body=yes: 200 OK from 127.0.0.1:$hp, but \"yes\" is not in the body (17 bytes)" \
	-- "$HEALTHY" "$u/chunked,body=yes"
check "a chunk size that is no number" 1 \
	--err "healthy: $u/chunked-bad,body=ready: 200 OK from 127.0.0.1:$hp, but \"ready\" cannot be looked for: a malformed chunk" \
	-- "$HEALTHY" "$u/chunked-bad,body=ready"
check "a body that runs to the close" 0 -- "$HEALTHY" "$u/to-close,body=alive"
check "TEXT past the first 64 KiB is not looked for" 1 \
	--err "healthy: $u/big,body=needle: 200 OK from 127.0.0.1:$hp, but \"needle\" is not in the first 64 KiB of the body" \
	-- timeout 10 "$HEALTHY" "$u/big,body=needle"
check "TEXT in the first 64 KiB of a larger body" 0 -- timeout 10 "$HEALTHY" "$u/big,body=xxxx"
check "a body cut short by the close" 1 \
	--err "healthy: $u/cut,body=ready: 200 OK from 127.0.0.1:$hp, but \"ready\" is not in the body before the connection closed (7 bytes)" \
	-- "$HEALTHY" "$u/cut,body=ready"
check "a body that stalls: the deadline, and what came" 1 \
	--err "healthy: $u/stall-body,body=ready: timed out after 300ms reading the body: 200 OK from 127.0.0.1:$hp, \"ready\" not in its first 7 bytes" \
	-- timeout 10 "$HEALTHY" -t 300ms "$u/stall-body,body=ready"
check "a compressed body is not searched" 1 \
	--err "healthy: $u/gzip,body=ready: 200 OK from 127.0.0.1:$hp, but \"ready\" cannot be looked for: a Transfer-Encoding or Content-Encoding healthy does not decode" \
	-- "$HEALTHY" "$u/gzip,body=ready"
check "a status that fails is the answer: the body is not read" 1 --err "healthy: $u/503,body=body: 503 Service Unavailable" \
	-- "$HEALTHY" "$u/503,body=body"
check "a 204 has no body" 1 --err "healthy: $u/204,body=x: 204 No Content from 127.0.0.1:$hp, but \"x\" is not in the body (0 bytes)" \
	-- "$HEALTHY" "$u/204,body=x"
check "status= and body= together" 0 -- "$HEALTHY" "$u/text/ready,status=200,body=ready"

# What is sent: /echo answers with the request it got.
check "header= is sent, in the order given; a comma in its value stays in it" 0 \
	-- "$HEALTHY" "$u/echo,header=X-A: 1,header=X-B: a,b,body=X-A: 1${CRLF}X-B: a,b"
check "host= is the Host header" 0 -- "$HEALTHY" "$u/echo,host=api.example,body=Host: api.example$CR"
check "header=Host: replaces the URL's" 0 -- "$HEALTHY" "$u/echo,header=Host: h.example,body=Host: h.example$CR"
check "... and is sent once" 1 --err-has "but \"Host: 127.0.0.1\" is not in the body" \
	-- "$HEALTHY" "$u/echo,header=Host: h.example,body=Host: 127.0.0.1"
check "header=User-Agent: replaces healthy's" 1 --err-has "but \"User-Agent: healthy\" is not in the body" \
	-- "$HEALTHY" "$u/echo,header=User-Agent: probe/1,body=User-Agent: healthy"
check "header=Authorization: a value with spaces and colons" 0 \
	-- "$HEALTHY" "$u/echo,header=Authorization: Bearer a:b c,body=Authorization: Bearer a:b c"
check "method=HEAD: the request says HEAD" 0 -- bash -c '
	"$0" "$1/echo,method=HEAD" && "$0" "$1/echo,body=GET /echo HTTP/1.1"' "$HEALTHY" "$u"
if command -v strace >/dev/null; then
	check "method=HEAD, under strace" 0 -- env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -s 300 -o "$TMP/trace.head" -e trace=sendto,write "$HEALTHY" "$u/echo,method=HEAD,header=X-Probe: 1"
	check "the request is HEAD PATH HTTP/1.1, then Host, User-Agent, Connection, the header" 0 -- bash -c '
		grep -qF "HEAD /echo HTTP/1.1\\r\\nHost: 127.0.0.1:$1\\r\\nUser-Agent: healthy/" "$0" &&
		grep -qF "Connection: close\\r\\nX-Probe: 1\\r\\n\\r\\n" "$0"' "$TMP/trace.head" "$hp"
else
	skip "the HEAD request as sent" "strace is not installed"
fi
check "a comma in the path is written %2C" 1 --err "healthy: $u/a%2Cb=1: 404 Not Found" -- "$HEALTHY" "$u/a%2Cb=1"
check "a comma in the path with no option after it stays in the path" 1 --err "healthy: $u/a,b: 404 Not Found" -- "$HEALTHY" "$u/a,b"

# unix=: the same request over a unix socket, a path or an abstract name.
sock=$TMP/hly-http.sock
start "$HELPERS/httpd" "$sock"
start "$HELPERS/httpd" "@hly-http-$$"
check "unix=PATH" 0 --out "healthy: http://localhost/text/up,unix=$sock,body=up: ok: 200 OK from $sock, \"up\" in the body" \
	-- "$HEALTHY" -v "http://localhost/text/up,unix=$sock,body=up"
check "unix=: the Host header is the URL's host" 0 -- "$HEALTHY" "http://docker/echo,unix=$sock,body=Host: docker$CR"
check "unix=: a failing status" 1 --err "healthy: http://localhost/503,unix=$sock: 503 Service Unavailable" \
	-- "$HEALTHY" "http://localhost/503,unix=$sock"
check "unix=@NAME: an abstract socket" 0 --out "healthy: http://localhost/200,unix=@hly-http-$$: ok: 200 OK from @hly-http-$$" \
	-- "$HEALTHY" -v "http://localhost/200,unix=@hly-http-$$"
check "unix=: no such socket" 1 --err "healthy: http://localhost/,unix=$TMP/none.sock: no such socket ($TMP/none.sock)" \
	-- "$HEALTHY" "http://localhost/,unix=$TMP/none.sock"
check "unix=: an abstract name nobody listens on" 1 --err "healthy: http://localhost/,unix=@hly-none-$$: connection refused (@hly-none-$$)" \
	-- "$HEALTHY" "http://localhost/,unix=@hly-none-$$"
: > "$TMP/plain"
check "unix=: a file that is no socket" 1 --err "healthy: http://localhost/,unix=$TMP/plain: connection refused ($TMP/plain)" \
	-- "$HEALTHY" "http://localhost/,unix=$TMP/plain"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	mkdir -m 700 "$TMP/private"
	start "$HELPERS/httpd" "$TMP/private/s.sock"
	check "unix=: a socket healthy may not reach: it cannot check (3)" 3 \
		--err "healthy: http://localhost/200,unix=$TMP/private/s.sock: permission denied ($TMP/private/s.sock)" \
		-- setpriv --reuid=65534 --regid=65534 --clear-groups "$HEALTHY" "http://localhost/200,unix=$TMP/private/s.sock"
else
	skip "unix=: a socket healthy may not reach" "needs root and setpriv"
fi
check "unix= and TCP probes in one run, at once" 1 --err "healthy: $u/503: 503 Service Unavailable" \
	-- "$HEALTHY" "http://localhost/200,unix=$sock" "$u/503" "http://localhost/text/a,unix=@hly-http-$$,body=a"

# Usage errors: each says what is wrong, exit 2, before anything is probed.
usage() { check "usage: $1" 2 --err "healthy: $1: $2" -- "$HEALTHY" "$1"; }
usage "http://h/,status=abc" "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599"
usage "http://h/,status=600" "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599"
usage "http://h/,status=204-200" "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599"
usage "http://h/,status=6xx" "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599"
usage "http://h/,status=200,status=204" "status= given twice"
usage "http://h/,method=POST" "method= takes GET or HEAD"
usage "http://h/,method=HEAD,body=x" "body= needs a body, and method=HEAD has none"
usage "http://h/,header=NoColon" "header= takes NAME: VALUE"
usage "http://h/,header=: value" "header= takes NAME: VALUE"
usage "http://h/,header=Bad Name: v" "header= takes NAME: VALUE"
check "usage: a header with CR LF" 2 --err "healthy: http://h/,header=X-A: 1\\x0d\\nX-B: 2: header= holds CR, LF or another control character" \
	-- "$HEALTHY" "http://h/,header=X-A: 1${CRLF}X-B: 2"
check "usage: a header with LF" 2 --err "healthy: http://h/,header=X: a\\nb: header= holds CR, LF or another control character" \
	-- "$HEALTHY" "http://h/,header=X: a"$'\n'"b"
check "usage: a header of 1100 bytes" 2 --err-has ": header= longer than 1024 bytes" \
	-- "$HEALTHY" "http://h/,header=X: $(head -c 1100 /dev/zero | tr '\0' a)"
usage "http://h/,header=A: 1,header=A: 2,header=A: 3,header=A: 4,header=A: 5,header=A: 6,header=A: 7,header=A: 8,header=A: 9" \
	"more than 8 header= options"
usage "http://h/,host=a b" "host= holds a space or a control character"
usage "http://h/,host=x,header=Host: y" "host= and header=Host: both given"
usage "http://h/,body=" "empty body="
check "usage: body= of 257 bytes" 2 --err-has ": body= longer than 256 bytes" \
	-- "$HEALTHY" "http://h/,body=$(head -c 257 /dev/zero | tr '\0' a)"
usage "http://h/,unix=" "empty unix="
usage "http://h/,unix=/$(head -c 107 /dev/zero | tr '\0' a)" "unix= path longer than 107 bytes"
usage "http://h/,unix=/a,unix=/b" "unix= given twice"
usage "http://h/,timeout=1s" "unknown option 'timeout' (http:// takes header=, method=, host=, status=, body=, unix=)"
usage "http://h/a,b=1" "unknown option 'b' (http:// takes header=, method=, host=, status=, body=, unix=)"

finish
