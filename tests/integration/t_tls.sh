# https:// and grpcs:// (TLS 1.2, BearSSL) against real TLS servers, with a PKI made at run time in $TMP by
# tests/helpers/mkcerts.sh: openssl s_server (RSA, ECDSA, a chain, an expired certificate, another name, TLS 1.3
# only, a client certificate asked for, ALPN, a unix socket), a Python TLS server of this file's own that answers
# by path (status=, body=, header=, host=, method=), Python's http.server where TLS is expected, a listener that
# never answers the handshake, and tests/helpers/grpcd.py over TLS (GRPCD_TLS=CERT:KEY). Every line exact.
. "$(dirname "$0")/lib.sh"

HELPERS_SRC=$(cd "$(dirname "$0")/../helpers" && pwd)
GRPCD=$HELPERS_SRC/grpcd.py
SOCKETS=$HELPERS/sockets
# Debian's python3 (and its python3-grpcio for grpcd.py), not another python3 first on PATH.
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

if ! command -v openssl >/dev/null; then
	skip "https:// and grpcs:// against real TLS servers" "openssl is not installed"
	finish
fi
if ! [ -x "$PY" ]; then
	skip "https:// and grpcs:// against real TLS servers" "$PY is not installed"
	finish
fi

# The PKI: see mkcerts.sh for what each file is. Readable by nobody (the check as nobody reads ca= files).
C=$TMP/certs
mkdir -m 755 "$C"
if ! bounded sh "$HELPERS_SRC/mkcerts.sh" "$C"; then
	fail "the test PKI is made" "$(tail -n 3 "$C/openssl.log" 2>/dev/null)"
	finish
fi
chmod 644 "$C"/*.pem
echo "status: ready" >"$C/hly-ready.txt"

# s_server NAME ARGS...: openssl s_server with ARGS, run in $C, its output in $TMP/NAME.log; without -unix, on a
# port the kernel picks, on every address (-accept 0: [::] and 0.0.0.0), and PORT is that port. Ready once its
# ACCEPT line is written (after it listens), and the listener is seen: healthy tcp:PORT (unix:PATH).
s_server() {
	local log=$TMP/$1.log i pid listen=(-accept 0) want
	shift
	case " $* " in *" -unix "*) listen=() ;; esac
	(cd "$C" && exec openssl s_server "${listen[@]}" "$@") </dev/null >"$log" 2>&1 &
	pid=$!
	own "$pid"
	PORT=
	for i in $(seq 1000); do
		grep -q '^ACCEPT ' "$log" && break
		[ "$(stat_field "$pid" 4)" = "$BASHPID" ] || break
		sleep 0.01
	done
	if ! grep -q '^ACCEPT ' "$log"; then
		echo "openssl s_server $* did not start:" >&2
		sed 's/^/   /' "$log" >&2
		return 1
	fi
	if [ ${#listen[@]} = 0 ]; then
		want="unix:$(sed -n 's/^ACCEPT [^:]*:\(.*\)$/\1/p' "$log")"
	else
		PORT=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$log")
		want="tcp:$PORT"
	fi
	bounded "$HEALTHY" -q --wait=10s "$want" || { echo "openssl s_server $*: $want never passed" >&2; return 1; }
}

# httpsd.py CERT:KEY|plain READYFILE: an HTTP/1.0 server on 127.0.0.1, a port the kernel picks (written to
# READYFILE), over TLS with CERT and KEY (no ALPN) or, "plain", Python's http.server as it is. By path:
#   /echo          200, the request line and the headers it got, each ending CR LF
#   /text/WORDS    200, "status: WORDS"
#   /NNN           that status, "status NNN" (no body for 1xx, 204, 304)
#   anything else  404
# A HEAD gets the same answer without its body; every answer has a Content-Length.
cat >"$TMP/httpsd.py" <<'EOF'
import http.server, os, ssl, sys
mode, ready = sys.argv[1:3]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.0'

    def answer(self, with_body):
        p = self.path
        if p == '/hints':
            # 1500 interim answers (42 KB, three records and more) and the final one, written at once.
            self.wfile.write(b'HTTP/1.1 103 Early Hints\r\n\r\n' * 1500 +
                             b'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n')
            return
        if p == '/echo':
            code = 200
            text = self.requestline + '\r\n' + ''.join(f'{k}: {v}\r\n' for k, v in self.headers.items())
        elif p.startswith('/text/'):
            code, text = 200, 'status: ' + p[len('/text/'):] + '\n'
        elif p[1:].isdigit() and 100 <= int(p[1:]) <= 599:
            code, text = int(p[1:]), 'status ' + p[1:] + '\n'
        else:
            code, text = 404, 'no such page\n'
        if code < 200 or code in (204, 304):
            text = ''
        data = text.encode()
        self.send_response(code)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
if mode != 'plain':
    cert, key = mode.split(':')
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    # The handshake in the connection's own thread, not in the accepting one.
    server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
with open(ready + '.tmp', 'w') as f:
    f.write(f'{server.server_address[1]}\n')
os.rename(ready + '.tmp', ready)
server.serve_forever()
EOF

# The servers.
s_server rsa -cert srv-rsa.pem -key srv-rsa.key.pem -www || finish
rsa=$PORT
s_server ec -cert srv-ec.pem -key srv-ec.key.pem -WWW || finish
ec=$PORT
s_server chain -cert srv-inter.pem -key srv-inter.key.pem -cert_chain inter.pem -www || finish
chain=$PORT
s_server nochain -cert srv-inter.pem -key srv-inter.key.pem -www || finish
nochain=$PORT
s_server expired -cert expired.pem -key expired.key.pem -www || finish
expired=$PORT
s_server other -cert other.pem -key other.key.pem -www || finish
other=$PORT
s_server tls13 -cert srv-rsa.pem -key srv-rsa.key.pem -www -tls1_3 || finish
tls13=$PORT
s_server clientcert -cert srv-rsa.pem -key srv-rsa.key.pem -www -Verify 1 -CAfile ca-both.pem -verify_return_error || finish
clientcert=$PORT
s_server clientcert-optional -cert srv-rsa.pem -key srv-rsa.key.pem -www -verify 1 || finish
clientopt=$PORT
start_port "$PY" "$TMP/httpsd.py" "$C/srv-rsa.pem:$C/srv-rsa.key.pem"; py=$PORT
start_port "$PY" "$TMP/httpsd.py" plain; plain=$PORT
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -; silent=$PORT
start_port "$SOCKETS" tcp-established 127.0.0.1; closed=$PORT
NV="(TLS, certificate not verified)" V="(TLS, certificate verified)"
CR=$'\r'

# By default the certificate is not verified; localhost tries [::1], then 127.0.0.1.
check "https://localhost: [::1] answers, not verified" 0 \
	--out "healthy: https://localhost:$rsa/: ok: 200 ok from [::1]:$rsa $NV" -- "$HEALTHY" -v "https://localhost:$rsa/"
check "https://127.0.0.1" 0 --out "healthy: https://127.0.0.1:$rsa/: ok: 200 ok from 127.0.0.1:$rsa $NV" \
	-- "$HEALTHY" -v "https://127.0.0.1:$rsa/"
check "https://[::1]" 0 --out "healthy: https://[::1]:$rsa/: ok: 200 ok from [::1]:$rsa $NV" -- "$HEALTHY" -v "https://[::1]:$rsa/"
check "localhost: ::1 refuses, 127.0.0.1 answers" 0 \
	--out "healthy: https://localhost:$py/200: ok: 200 OK from 127.0.0.1:$py $NV" -- "$HEALTHY" -v "https://localhost:$py/200"
check "not verified: an expired certificate passes" 0 \
	--out "healthy: https://localhost:$expired/: ok: 200 ok from [::1]:$expired $NV" -- "$HEALTHY" -v "https://localhost:$expired/"
check "not verified: a certificate for another name passes" 0 -- "$HEALTHY" "https://localhost:$other/"
check "servername= alone: sent, nothing verified" 0 \
	--out "healthy: https://localhost:$rsa/,servername=other.example: ok: 200 ok from [::1]:$rsa $NV" \
	-- "$HEALTHY" -v "https://localhost:$rsa/,servername=other.example"

# ca=FILE: the chain to one of FILE's certificates, and the name (HOST, or servername=).
check "ca=: an RSA root, RSA server" 0 --out "healthy: https://localhost:$rsa/,ca=$C/ca-rsa.pem: ok: 200 ok from [::1]:$rsa $V" \
	-- "$HEALTHY" -v "https://localhost:$rsa/,ca=$C/ca-rsa.pem"
check "ca=: an ECDSA P-384 root, ECDSA P-256 server" 0 \
	--out "healthy: https://localhost:$ec/,ca=$C/ca-ec.pem: ok: 200 ok from [::1]:$ec $V" -- "$HEALTHY" -v "https://localhost:$ec/,ca=$C/ca-ec.pem"
check "ca=: a file of two roots, for each server" 0 -- "$HEALTHY" "https://localhost:$rsa/,ca=$C/ca-both.pem" "https://localhost:$ec/,ca=$C/ca-both.pem"
cat /etc/ssl/certs/ca-certificates.crt "$C/ca-rsa.pem" >"$C/bundle.pem" 2>/dev/null
check "ca=: the root last in a bundle of the system's roots" 0 -- "$HEALTHY" "https://localhost:$rsa/,ca=$C/bundle.pem"
check "ca=: the root, the server sending its intermediate" 0 \
	--out "healthy: https://localhost:$chain/,ca=$C/ca-rsa.pem: ok: 200 ok from [::1]:$chain $V" \
	-- "$HEALTHY" -v "https://localhost:$chain/,ca=$C/ca-rsa.pem"
check "ca= and servername= on an address" 0 \
	--out "healthy: https://127.0.0.1:$rsa/,ca=$C/ca-rsa.pem,servername=localhost: ok: 200 ok from 127.0.0.1:$rsa $V" \
	-- "$HEALTHY" -v "https://127.0.0.1:$rsa/,ca=$C/ca-rsa.pem,servername=localhost"
check "ca= and servername= naming the certificate of another name" 0 \
	--out "healthy: https://localhost:$other/,ca=$C/ca-rsa.pem,servername=other.example: ok: 200 ok from [::1]:$other $V" \
	-- "$HEALTHY" -v "https://localhost:$other/,ca=$C/ca-rsa.pem,servername=other.example"

# What a handshake can fail on: exit 1, the address, and why.
hs() { check "$1" 1 --err "healthy: $3: TLS handshake with $4 failed: $2" -- "$HEALTHY" "$3"; }
hs "ca=: a root that signed nothing here" "unknown certificate authority" "https://localhost:$rsa/,ca=$C/ca-wrong.pem" "[::1]:$rsa"
hs "ca=: the other root" "unknown certificate authority" "https://localhost:$ec/,ca=$C/ca-rsa.pem" "[::1]:$ec"
hs "ca=: the root, the server not sending its intermediate" "unknown certificate authority" \
	"https://localhost:$nochain/,ca=$C/ca-rsa.pem" "[::1]:$nochain"
hs "ca=: the system's roots, a private CA" "unknown certificate authority" \
	"https://localhost:$rsa/,ca=/etc/ssl/certs/ca-certificates.crt" "[::1]:$rsa"
hs "ca=: an expired certificate" "certificate has expired (or is not yet valid)" \
	"https://localhost:$expired/,ca=$C/ca-rsa.pem" "[::1]:$expired"
hs "ca=: servername= another name" "certificate name mismatch (wanted other.example, got localhost)" \
	"https://localhost:$rsa/,ca=$C/ca-rsa.pem,servername=other.example" "[::1]:$rsa"
hs "ca=: a certificate for another name" "certificate name mismatch (wanted localhost, got other.example)" "https://localhost:$other/,ca=$C/ca-rsa.pem" "[::1]:$other"
hs "a server of TLS 1.3 only" "the server requires TLS 1.3 (healthy speaks TLS 1.2)" "https://localhost:$tls13/" "[::1]:$tls13"
hs "a server that requires a client certificate" "the server asked for a client certificate" \
	"https://localhost:$clientcert/" "[::1]:$clientcert"
check "a server that asks for a client certificate, and goes on without one" 0 -- "$HEALTHY" "https://localhost:$clientopt/"
# mTLS: cert= and key=, RSA and ECDSA, the EC key as PKCS#8 and as SEC1; one the server's CA did not sign.
check "mTLS: an RSA client certificate" 0 \
	--out "healthy: https://localhost:$clientcert/,cert=$C/cli-rsa.pem,key=$C/cli-rsa.key.pem: ok: 200 ok from [::1]:$clientcert (TLS, certificate not verified)" \
	-- "$HEALTHY" -v "https://localhost:$clientcert/,cert=$C/cli-rsa.pem,key=$C/cli-rsa.key.pem"
check "mTLS: an ECDSA client certificate, its key PKCS#8, the server verified too" 0 \
	--out "healthy: https://localhost:$clientcert/,ca=$C/ca-rsa.pem,cert=$C/cli-ec.pem,key=$C/cli-ec.key.pem: ok: 200 ok from [::1]:$clientcert (TLS, certificate verified)" \
	-- "$HEALTHY" -v "https://localhost:$clientcert/,ca=$C/ca-rsa.pem,cert=$C/cli-ec.pem,key=$C/cli-ec.key.pem"
check "mTLS: the EC key as SEC1 (EC PRIVATE KEY)" 0 -- "$HEALTHY" "https://localhost:$clientcert/,cert=$C/cli-ec.pem,key=$C/cli-ec.sec1.pem"
hs "mTLS: a client certificate the server's CA did not sign" "the server rejected the client certificate" \
	"https://localhost:$clientcert/,cert=$C/cli-wrong.pem,key=$C/cli-wrong.key.pem" "[::1]:$clientcert"
check "mTLS: cert= without key=" 2 \
	--err "healthy: https://localhost:$clientcert/,cert=$C/cli-rsa.pem: cert= and key= go together: the client's certificate and its private key" \
	-- "$HEALTHY" "https://localhost:$clientcert/,cert=$C/cli-rsa.pem"
check "mTLS: a key= file with no key" 2 \
	--err "healthy: https://localhost:$clientcert/,cert=$C/cli-rsa.pem,key=$C/ca-rsa.pem: key=$C/ca-rsa.pem: no private key healthy reads in it (PKCS#8, RSA or EC, not encrypted)" \
	-- "$HEALTHY" "https://localhost:$clientcert/,cert=$C/cli-rsa.pem,key=$C/ca-rsa.pem"
check "mTLS: a cert= file with no certificate" 2 \
	--err "healthy: https://localhost:$clientcert/,cert=$C/cli-rsa.key.pem,key=$C/cli-rsa.key.pem: cert=$C/cli-rsa.key.pem: no CERTIFICATE in it" \
	-- "$HEALTHY" "https://localhost:$clientcert/,cert=$C/cli-rsa.key.pem,key=$C/cli-rsa.key.pem"
check "mTLS: a cert= file that is not there" 2 \
	--err "healthy: https://localhost:$clientcert/,cert=$C/nonexistent.pem,key=$C/cli-rsa.key.pem: cert=$C/nonexistent.pem: no such file or directory" \
	-- "$HEALTHY" "https://localhost:$clientcert/,cert=$C/nonexistent.pem,key=$C/cli-rsa.key.pem"
hs "a plain HTTP server (Python's http.server)" "the server does not speak TLS" "https://127.0.0.1:$plain/" "127.0.0.1:$plain"
check "a listener that never answers the handshake: the deadline" 1 \
	--err "healthy: https://127.0.0.1:$silent/: timed out after 1s in the TLS handshake with 127.0.0.1:$silent" \
	-- "$HEALTHY" -t 1s "https://127.0.0.1:$silent/"
check "a refused connection" 1 --err "healthy: https://127.0.0.1:$closed/: connection refused (127.0.0.1:$closed)" \
	-- "$HEALTHY" "https://127.0.0.1:$closed/"
check "localhost, both refused" 1 --err "healthy: https://localhost:$closed/: connection refused ([::1]:$closed, 127.0.0.1:$closed)" \
	-- "$HEALTHY" "https://localhost:$closed/"
if unshare -n true 2>/dev/null; then
	check "no port: 443 (in a network namespace of the test's own, nobody there)" 1 \
		--err "healthy: https://localhost/: connection refused ([::1]:443, 127.0.0.1:443)" \
		-- unshare -n sh -c 'ip link set lo up && exec "$0" https://localhost/' "$HEALTHY"
else
	skip "https:// without a port is 443" "unshare -n is not allowed here"
fi

# http://'s options over TLS.
u=https://127.0.0.1:$py
check "42 KB of 1xx answers in one burst over TLS, then 200: every record read, the final answer taken" 0 \
	--out "healthy: $u/hints: ok: 200 OK from 127.0.0.1:$py $NV" -- "$HEALTHY" -v -t 5s "$u/hints"
check "status=: a failing status" 1 --err "healthy: $u/503: 503 Service Unavailable" -- "$HEALTHY" "$u/503"
check "status=5xx passes it" 0 --out "healthy: $u/503,status=5xx: ok: 503 Service Unavailable from 127.0.0.1:$py $NV" \
	-- "$HEALTHY" -v "$u/503,status=5xx"
check "status=200 fails a 204" 1 --err "healthy: $u/204,status=200: 204 No Content (wanted 200)" -- "$HEALTHY" "$u/204,status=200"
check "body= found" 0 --out "healthy: $u/text/ready,body=ready: ok: 200 OK from 127.0.0.1:$py, \"ready\" in the body $NV" \
	-- "$HEALTHY" -v "$u/text/ready,body=ready"
check "body= missing" 1 \
	--err "healthy: $u/text/starting,body=ready: 200 OK from 127.0.0.1:$py, but \"ready\" is not in the body (17 bytes)" \
	-- "$HEALTHY" "$u/text/starting,body=ready"
check "status= and body=, ca= and servername=" 0 \
	--out "healthy: $u/text/ready,status=200,body=ready,ca=$C/ca-rsa.pem,servername=localhost: ok: 200 OK from 127.0.0.1:$py, \"ready\" in the body $V" \
	-- "$HEALTHY" -v "$u/text/ready,status=200,body=ready,ca=$C/ca-rsa.pem,servername=localhost"
w=https://localhost:$ec
check "body= in a body that runs to the close (s_server -WWW)" 0 \
	--out "healthy: $w/hly-ready.txt,body=ready: ok: 200 ok from [::1]:$ec, \"ready\" in the body $NV" \
	-- "$HEALTHY" -v "$w/hly-ready.txt,body=ready"
check "... and missing from it" 1 --err "healthy: $w/hly-ready.txt,body=gone: 200 ok from [::1]:$ec, but \"gone\" is not in the body (14 bytes)" \
	-- "$HEALTHY" "$w/hly-ready.txt,body=gone"
check "status=404 fails s_server's 200" 1 --err "healthy: $w/hly-ready.txt,status=404: 200 ok (wanted 404)" \
	-- "$HEALTHY" "$w/hly-ready.txt,status=404"
check "header= is sent, a comma in its value" 0 -- "$HEALTHY" "$u/echo,header=X-Hly: a,b,body=X-Hly: a,b$CR"
check "host= is the Host header" 0 -- "$HEALTHY" "$u/echo,host=api.example,body=Host: api.example$CR"
check "the Host header is the URL's" 0 -- "$HEALTHY" "$u/echo,body=Host: 127.0.0.1:$py$CR"
check "servername= is not the Host header" 0 -- "$HEALTHY" "$u/echo,servername=localhost,body=Host: 127.0.0.1:$py$CR"
check "method=HEAD" 0 --out "healthy: $u/echo,method=HEAD: ok: 200 OK from 127.0.0.1:$py $NV" -- "$HEALTHY" -v "$u/echo,method=HEAD"
check "the request line" 0 -- "$HEALTHY" "$u/echo,body=GET /echo HTTP/1.1$CR"

# unix=: TLS over a unix socket (s_server -unix); the name verified is the URL's host. A short path: OpenSSL 3.0's
# s_server prints it with getnameinfo(), whose NI_MAXSERV (32) a longer one overflows, and then exits.
sock=$TMP/t.sock
if s_server unix -unix "$sock" -cert srv-rsa.pem -key srv-rsa.key.pem -www; then
	check "unix=PATH" 0 --out "healthy: https://localhost/,unix=$sock: ok: 200 ok from $sock $NV" \
		-- "$HEALTHY" -v "https://localhost/,unix=$sock"
	check "unix=PATH, ca=" 0 --out "healthy: https://localhost/,unix=$sock,ca=$C/ca-rsa.pem: ok: 200 ok from $sock $V" \
		-- "$HEALTHY" -v "https://localhost/,unix=$sock,ca=$C/ca-rsa.pem"
	check "unix=PATH, ca=, a host the certificate is not for" 1 \
		--err "healthy: https://h.example/,unix=$sock,ca=$C/ca-rsa.pem: TLS handshake with $sock failed: certificate name mismatch (wanted h.example, got localhost)" \
		-- "$HEALTHY" "https://h.example/,unix=$sock,ca=$C/ca-rsa.pem"
else
	sock=
	skip "https://...,unix= against openssl s_server -unix" "openssl s_server -unix did not start"
fi

# grpcs://: grpcd.py over TLS (grpcio's, ALPN h2).
if "$PY" -c 'import grpc' 2>/dev/null; then
	start_port env "GRPCD_TLS=$C/srv-rsa.pem:$C/srv-rsa.key.pem" "$PY" "$GRPCD" health tcp4; g4=$PORT
	start_port env "GRPCD_TLS=$C/srv-ec.pem:$C/srv-ec.key.pem" "$PY" "$GRPCD" health tcp6; g6=$PORT
	gsock=$TMP/hly-grpcs.sock
	start env "GRPCD_TLS=$C/srv-rsa.pem:$C/srv-rsa.key.pem" "$PY" "$GRPCD" health "unix:$gsock"
	start_port "$PY" "$GRPCD" health tcp4; gplain=$PORT
	g=grpcs://127.0.0.1:$g4
	check "grpcs: SERVING, not verified" 0 --out "healthy: $g: ok: SERVING from 127.0.0.1:$g4 $NV" -- "$HEALTHY" -v "$g"
	check "grpcs: ca= and servername=" 0 \
		--out "healthy: $g,ca=$C/ca-rsa.pem,servername=localhost: ok: SERVING from 127.0.0.1:$g4 $V" \
		-- "$HEALTHY" -v "$g,ca=$C/ca-rsa.pem,servername=localhost"
	check "grpcs: ca=, the host localhost (::1 refuses)" 0 \
		--out "healthy: grpcs://localhost:$g4,ca=$C/ca-rsa.pem: ok: SERVING from 127.0.0.1:$g4 $V" \
		-- "$HEALTHY" -v "grpcs://localhost:$g4,ca=$C/ca-rsa.pem"
	check "grpcs: IPv6, an ECDSA chain" 0 --out "healthy: grpcs://[::1]:$g6,ca=$C/ca-ec.pem,servername=localhost: ok: SERVING from [::1]:$g6 $V" \
		-- "$HEALTHY" -v "grpcs://[::1]:$g6,ca=$C/ca-ec.pem,servername=localhost"
	check "grpcs: service=: NOT_SERVING fails" 1 --err "healthy: $g,service=hly-down: NOT_SERVING from 127.0.0.1:$g4" \
		-- "$HEALTHY" "$g,service=hly-down"
	check "grpcs: a wrong root" 1 \
		--err "healthy: $g,ca=$C/ca-wrong.pem,servername=localhost: TLS handshake with 127.0.0.1:$g4 failed: unknown certificate authority" \
		-- "$HEALTHY" "$g,ca=$C/ca-wrong.pem,servername=localhost"
	check "grpcs: unix=PATH, ca=" 0 --out "healthy: grpcs://localhost,unix=$gsock,ca=$C/ca-rsa.pem: ok: SERVING from $gsock $V" \
		-- "$HEALTHY" -v "grpcs://localhost,unix=$gsock,ca=$C/ca-rsa.pem"
	check "grpc:// (plain) against the TLS port" 1 \
		--err "healthy: grpc://127.0.0.1:$g4: connection closed without an answer by 127.0.0.1:$g4" -- "$HEALTHY" "grpc://127.0.0.1:$g4"
	check "grpcs:// against a plain gRPC server" 1 \
		--err "healthy: grpcs://127.0.0.1:$gplain: TLS handshake with 127.0.0.1:$gplain failed: the server does not speak TLS" \
		-- "$HEALTHY" "grpcs://127.0.0.1:$gplain"
	# mTLS: grpcio requiring a client certificate that ca-both.pem's roots signed.
	start_port env "GRPCD_TLS=$C/srv-rsa.pem:$C/srv-rsa.key.pem:$C/ca-both.pem" "$PY" "$GRPCD" health tcp4; gm=$PORT
	check "grpcs: mTLS, an ECDSA client certificate" 0 \
		--out "healthy: grpcs://localhost:$gm,ca=$C/ca-rsa.pem,cert=$C/cli-ec.pem,key=$C/cli-ec.key.pem: ok: SERVING from 127.0.0.1:$gm (TLS, certificate verified)" \
		-- "$HEALTHY" -v "grpcs://localhost:$gm,ca=$C/ca-rsa.pem,cert=$C/cli-ec.pem,key=$C/cli-ec.key.pem"
	check "grpcs: mTLS, an RSA client certificate" 0 -- "$HEALTHY" "grpcs://127.0.0.1:$gm,cert=$C/cli-rsa.pem,key=$C/cli-rsa.key.pem"
	# grpcio (BoringSSL) hangs up without an alert: a close, a reset or a broken pipe, the same words for each.
	for i in 1 2 3; do
		check "grpcs: mTLS, no client certificate ($i)" 1 \
			--err "healthy: grpcs://127.0.0.1:$gm: TLS handshake with 127.0.0.1:$gm failed: the server closed the connection in the handshake" \
			-- "$HEALTHY" "grpcs://127.0.0.1:$gm"
		check "grpcs: mTLS, a client certificate of another CA ($i)" 1 \
			--err "healthy: grpcs://127.0.0.1:$gm,cert=$C/cli-wrong.pem,key=$C/cli-wrong.key.pem: TLS handshake with 127.0.0.1:$gm failed: the server closed the connection in the handshake" \
			-- "$HEALTHY" "grpcs://127.0.0.1:$gm,cert=$C/cli-wrong.pem,key=$C/cli-wrong.key.pem"
	done
else
	g4="" g6="" gsock=""
	skip "grpcs:// against python3-grpcio" "python3-grpcio is not installed (make deps)"
fi
s_server alpn-http11 -cert srv-rsa.pem -key srv-rsa.key.pem -www -alpn http/1.1 || finish
alpn=$PORT
hs "grpcs: a server of ALPN http/1.1 only" "the server does not speak h2 (ALPN)" "grpcs://localhost:$alpn" "[::1]:$alpn"
hs "grpcs: a server without ALPN" "the server did not choose h2 (ALPN)" "grpcs://localhost:$rsa" "[::1]:$rsa"
hs "grpcs: a plain HTTP server" "the server does not speak TLS" "grpcs://127.0.0.1:$plain" "127.0.0.1:$plain"
check "grpcs: a listener that never answers the handshake" 1 \
	--err "healthy: grpcs://127.0.0.1:$silent: timed out after 1s in the TLS handshake with 127.0.0.1:$silent" \
	-- "$HEALTHY" -t 1s "grpcs://127.0.0.1:$silent"

# Many at once: one poll loop; a silent one does not hold up the others, each has its line, in order.
many=("https://localhost:$rsa/,ca=$C/ca-rsa.pem" "https://localhost:$ec/hly-ready.txt,body=ready" "$u/text/up,body=up")
want="healthy: https://localhost:$rsa/,ca=$C/ca-rsa.pem: ok: 200 ok from [::1]:$rsa $V
healthy: https://localhost:$ec/hly-ready.txt,body=ready: ok: 200 ok from [::1]:$ec, \"ready\" in the body $NV
healthy: $u/text/up,body=up: ok: 200 OK from 127.0.0.1:$py, \"up\" in the body $NV"
if [ -n "$sock" ]; then
	many+=("https://localhost/,unix=$sock")
	want+=$'\n'"healthy: https://localhost/,unix=$sock: ok: 200 ok from $sock $NV"
fi
if [ -n "$g4" ]; then
	many+=("grpcs://127.0.0.1:$g4")
	want+=$'\n'"healthy: grpcs://127.0.0.1:$g4: ok: SERVING from 127.0.0.1:$g4 $NV"
fi
check "TLS checks at once" 0 --out "$want" -- "$HEALTHY" -v "${many[@]}"
check "TLS checks at once, with a silent one, under one deadline" 1 \
	--err "healthy: https://127.0.0.1:$silent/: timed out after 1s in the TLS handshake with 127.0.0.1:$silent" --out "$want" \
	-- "$HEALTHY" -v -t 1s "${many[@]:0:2}" "https://127.0.0.1:$silent/" "${many[@]:2}"
check "TLS checks at once, with handshakes that fail" 1 \
	--err "healthy: https://localhost:$expired/,ca=$C/ca-rsa.pem: TLS handshake with [::1]:$expired failed: certificate has expired (or is not yet valid)
healthy: https://localhost:$tls13/: TLS handshake with [::1]:$tls13 failed: the server requires TLS 1.3 (healthy speaks TLS 1.2)" \
	-- "$HEALTHY" "${many[@]}" "https://localhost:$expired/,ca=$C/ca-rsa.pem" "https://localhost:$tls13/"

# The handshake's last flight is several records, each its own write: without TCP_NODELAY the second waits for
# the server's delayed ACK (40 ms on Linux; bench/README.md). Seen in the calls, not timed.
if command -v strace >/dev/null; then
	bounded strace -f -qq -o "$TMP/nodelay.trace" -e trace=setsockopt "$HEALTHY" "https://127.0.0.1:$rsa/" >/dev/null 2>&1
	check "TCP_NODELAY on a TLS connection" 0 -- grep -q "TCP_NODELAY, \\[1\\]" "$TMP/nodelay.trace"
else
	skip "TCP_NODELAY on a TLS connection" "strace is not installed"
fi

if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	as_nobody=("https://localhost:$rsa/,ca=$C/ca-rsa.pem" "https://localhost:$ec/" "$u/text/up,body=up")
	[ -n "$g4" ] && as_nobody+=("grpcs://localhost:$g4,ca=$C/ca-rsa.pem")
	check "as nobody, under the seccomp filter" 0 -- "${nobody[@]}" "$HEALTHY" "${as_nobody[@]}"
	cp "$C/ca-rsa.pem" "$C/private.pem"
	chmod 600 "$C/private.pem"
	check "as nobody, a ca= file nobody may read: cannot check (3), not a usage error" 3 \
		--err "healthy: https://localhost:$rsa/,ca=$C/private.pem: ca=$C/private.pem: permission denied" \
		-- "${nobody[@]}" "$HEALTHY" "https://localhost:$rsa/,ca=$C/private.pem"
else
	skip "https:// and grpcs:// as nobody" "needs root and setpriv"
fi

# ca= files that are no CA file: usage errors, found before anything is probed.
printf -- '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n' >"$C/bad-base64.pem"
head -c 300 "$C/ca-rsa.pem" >"$C/truncated.pem"
cafile() {
	check "usage: ca=: $1" 2 --err "healthy: https://localhost:$rsa/,ca=$2: ca=$2: $3" -- "$HEALTHY" "https://localhost:$rsa/,ca=$2"
}
cafile "no such file" /nonexistent-x "no such file or directory"
cafile "a directory" "$C" "not a file"
cafile "/dev/null" /dev/null "not a file"
cafile "an empty file" "$C/empty.pem" "no CERTIFICATE in it"
cafile "a line of text" "$C/text.pem" "no CERTIFICATE in it"
cafile "a PEM private key only" "$C/key-only.pem" "no CERTIFICATE in it"
cafile "a CERTIFICATE that is no base64" "$C/bad-base64.pem" "not PEM, or a certificate in it is malformed"
cafile "a PEM cut short" "$C/truncated.pem" "not PEM, or a certificate in it is malformed"

# What a user can get wrong: each a usage error (2) with its line.
usage() { check "usage: $1" 2 --err "healthy: $1: $2" -- "$HEALTHY" "$1"; }
usage "https://127.0.0.1:$rsa/,ca=$C/ca-rsa.pem" "ca= verifies a name, and an address is none: give it with servername=NAME"
usage "https://[::1]:$rsa/,ca=$C/ca-rsa.pem" "ca= verifies a name, and an address is none: give it with servername=NAME"
usage "grpcs://127.0.0.1:50051,ca=$C/ca-rsa.pem" "ca= verifies a name, and an address is none: give it with servername=NAME"
usage "https:x" "write https://HOST[:PORT][/PATH]"
usage "grpcs:x" "write grpcs://HOST:PORT"
usage "grpcs://localhost" "needs HOST:PORT"
usage "https://localhost:99999/" "port out of range"
usage "https://localhost/,ca=" "empty ca="
usage "https://localhost/,servername=" "empty servername="
usage "https://localhost/,ca=/a,ca=/b" "ca= given twice"
usage "https://localhost/,servername=a,servername=b" "servername= given twice"
usage "https://localhost/,servername=a b" "servername= holds a space or a control character"
usage "https://localhost/,timeout=1s" \
	"unknown option 'timeout' (https:// takes header=, method=, host=, status=, body=, unix=, ca=, servername=, cert=, key=)"
usage "grpcs://localhost:50051,status=200" "unknown option 'status' (grpcs:// takes header=, host=, service=, unix=, ca=, servername=, cert=, key=)"
usage "http://localhost/,ca=/a" "unknown option 'ca' (http:// takes header=, method=, host=, status=, body=, unix=)"
usage "http://localhost/,servername=a" "unknown option 'servername' (http:// takes header=, method=, host=, status=, body=, unix=)"
usage "grpc://localhost:50051,ca=/a" "unknown option 'ca' (grpc:// takes header=, host=, service=, unix=)"
usage "https://localhost/,method=HEAD,body=x" "body= needs a body, and method=HEAD has none"

finish
