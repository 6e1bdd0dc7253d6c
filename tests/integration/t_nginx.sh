# http://...,unix= against a real server: Debian's nginx, run in the foreground as a process of this test, with a
# configuration of its own in $TMP (pid file, logs, temp paths: nothing under /etc, /var or /run), listening on a
# unix socket and on a TCP port of its own. status=, body=, header= that nginx routes on, host= selecting a
# server_name, HEAD, nginx's `listen unix:@NAME` (a file, not an abstract socket), and the socket after nginx stops.
# nginx: HEALTHY_NGINX, else the one `make deps` unpacks into /opt/healthy-test/nginx (the package is not installed:
# it would start a service on port 80), else an installed one. None: the file is skipped, saying so.
. "$(dirname "$0")/lib.sh"

NGINX=${HEALTHY_NGINX:-}
if [ -z "$NGINX" ]; then
	for n in /opt/healthy-test/nginx/usr/sbin/nginx "$(command -v nginx)" /usr/sbin/nginx; do
		[ -n "$n" ] && [ -x "$n" ] && { NGINX=$n; break; }
	done
fi
if [ -z "$NGINX" ]; then
	skip "http://...,unix= against nginx" "nginx is not installed (make deps unpacks Debian's into /opt/healthy-test/nginx)"
	finish
fi
# One that is there but does not run (a shared library missing) is a broken setup, not a skip.
if ! version=$(bounded "$NGINX" -v 2>&1); then
	fail "nginx runs" "$NGINX -v: $version"
	finish
fi
echo "   $NGINX: ${version#nginx version: }"

SOCKETS=$HELPERS/sockets
N=$TMP/nginx
mkdir "$N"
sock=$N/nginx.sock
# The abstract name healthy asks for, and the file of that name nginx makes in its working directory.
at=@hly-nginx-$$

# nginx_conf PORT: the configuration, with every path nginx writes under $N.
nginx_conf() {
	cat >"$N/nginx.conf" <<EOF
worker_processes 1;
pid $N/nginx.pid;
error_log $N/error.log notice;
events { worker_connections 64; }
http {
	access_log $N/access.log;
	client_body_temp_path $N/client_body;
	proxy_temp_path $N/proxy;
	fastcgi_temp_path $N/fastcgi;
	uwsgi_temp_path $N/uwsgi;
	scgi_temp_path $N/scgi;
	default_type text/plain;
	map \$http_authorization \$hly_auth { "Bearer hly-t0k3n" ok; default ""; }
	server {
		listen unix:$sock default_server;
		listen 127.0.0.1:$1 default_server;
		# Not an abstract socket: nginx 1.22 binds a file named $at in its working directory.
		listen unix:$at default_server;
		server_name _;
		location = / { return 200 "nginx up\n"; }
		location = /ready { return 200 "status: ready\n"; }
		location = /down { return 503; }
		location = /moved { return 301 /ready; }
		location = /probe {
			if (\$http_x_probe = "hly-probe") { return 200 "probed\n"; }
			return 403;
		}
		location = /auth {
			if (\$hly_auth = "") { return 401; }
			return 200 "authorized\n";
		}
		location = /who { return 200 "the default server\n"; }
	}
	server {
		listen unix:$sock;
		listen 127.0.0.1:$1;
		server_name api.hly.test;
		location = /who { return 200 "the api.hly.test server\n"; }
	}
}
EOF
}

# nginx_start: nginx in the foreground (its master this shell's job, in $N), on a free port; PORT is that port.
# Ready once the pid file is written: nginx writes it after its sockets listen. A port taken between the
# kernel's pick and nginx's bind is tried again.
nginx_start() {
	local try i fp
	for try in 1 2 3 4 5; do
		rm -f "$TMP/free.ready"
		"$SOCKETS" tcp-listen 127.0.0.1 0 - "$TMP/free.ready" >/dev/null 2>&1 &
		fp=$!
		wait_file "$TMP/free.ready" || return 1
		PORT=$(cat "$TMP/free.ready")
		kill "$fp"; wait "$fp" 2>/dev/null
		nginx_conf "$PORT"
		rm -f "$N/nginx.pid"
		(cd "$N" && exec "$NGINX" -g 'daemon off;' -c "$N/nginx.conf" -p "$N/") >>"$N/stderr" 2>&1 &
		NGINX_PID=$!
		own "$NGINX_PID"
		for i in $(seq 1000); do
			[ -s "$N/nginx.pid" ] && break
			[ "$(stat_field "$NGINX_PID" 4)" = "$BASHPID" ] || break
			sleep 0.01
		done
		if [ -s "$N/nginx.pid" ]; then
			# Its worker too, which outlives a master killed at cleanup. Cleanup kills the newest first, and
			# the master must go before the worker (a master that sees its worker die starts another): the
			# master again, after the worker.
			for i in $(seq 1000); do
				WORKER=
				read -r WORKER _ <"/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null
				[ -n "$WORKER" ] && break
				sleep 0.01
			done
			own "$WORKER"
			own "$NGINX_PID"
			return 0
		fi
		wait "$NGINX_PID" 2>/dev/null
		grep -q 'Address already in use' "$N/stderr" "$N/error.log" 2>/dev/null || break
	done
	echo "nginx did not start:" >&2
	cat "$N/stderr" "$N/error.log" >&2 2>/dev/null
	return 1
}

if ! nginx_start; then
	fail "nginx starts" "$(tail -n 1 "$N/error.log" 2>/dev/null)"
	finish
fi
np=$PORT
u=http://127.0.0.1:$np

# unix=PATH: the request over nginx's socket.
check "unix=PATH: nginx answers" 0 --out "healthy: http://localhost/,unix=$sock: ok: 200 OK from $sock" \
	-- "$HEALTHY" -v "http://localhost/,unix=$sock"
check "the same server over TCP" 0 --out "healthy: $u/: ok: 200 OK from 127.0.0.1:$np" -- "$HEALTHY" -v "$u/"

# status=: nginx's own reason phrases.
check "a 503 fails" 1 --err "healthy: http://localhost/down,unix=$sock: 503 Service Temporarily Unavailable" \
	-- "$HEALTHY" "http://localhost/down,unix=$sock"
check "status=5xx passes nginx's 503" 0 \
	--out "healthy: http://localhost/down,unix=$sock,status=5xx: ok: 503 Service Temporarily Unavailable from $sock" \
	-- "$HEALTHY" -v "http://localhost/down,unix=$sock,status=5xx"
check "a location nginx does not have: 404" 1 --err "healthy: http://localhost/none,unix=$sock: 404 Not Found" \
	-- "$HEALTHY" "http://localhost/none,unix=$sock"
check "status=200 fails a 301, which the default takes (not followed)" 1 \
	--err "healthy: http://localhost/moved,unix=$sock,status=200: 301 Moved Permanently (wanted 200)" \
	-- "$HEALTHY" "http://localhost/moved,unix=$sock,status=200"
check "a 301 passes by default" 0 -- "$HEALTHY" "http://localhost/moved,unix=$sock"

# body=: in what `return 200 "..."` sends.
check "body= found" 0 --out "healthy: http://localhost/ready,unix=$sock,body=ready: ok: 200 OK from $sock, \"ready\" in the body" \
	-- "$HEALTHY" -v "http://localhost/ready,unix=$sock,body=ready"
check "body= not found: how much was read" 1 \
	--err "healthy: http://localhost/ready,unix=$sock,body=starting: 200 OK from $sock, but \"starting\" is not in the body (14 bytes)" \
	-- "$HEALTHY" "http://localhost/ready,unix=$sock,body=starting"
check "status= and body= together" 0 -- "$HEALTHY" "http://localhost/ready,unix=$sock,status=200,body=status: ready"

# header=: what nginx routes on, an if on \$http_x_probe and a map of \$http_authorization.
check "without the header nginx wants: 403" 1 --err "healthy: http://localhost/probe,unix=$sock: 403 Forbidden" \
	-- "$HEALTHY" "http://localhost/probe,unix=$sock"
check "header=X-Probe: the value nginx's if wants" 0 \
	--out "healthy: http://localhost/probe,unix=$sock,header=X-Probe: hly-probe,body=probed: ok: 200 OK from $sock, \"probed\" in the body" \
	-- "$HEALTHY" -v "http://localhost/probe,unix=$sock,header=X-Probe: hly-probe,body=probed"
check "header=X-Probe: another value" 1 --err "healthy: http://localhost/probe,unix=$sock,header=X-Probe: other: 403 Forbidden" \
	-- "$HEALTHY" "http://localhost/probe,unix=$sock,header=X-Probe: other"
check "without Authorization: 401" 1 --err "healthy: http://localhost/auth,unix=$sock: 401 Unauthorized" \
	-- "$HEALTHY" "http://localhost/auth,unix=$sock"
check "header=Authorization: Bearer, through a map" 0 \
	--out "healthy: http://localhost/auth,unix=$sock,header=Authorization: Bearer hly-t0k3n: ok: 200 OK from $sock" \
	-- "$HEALTHY" -v "http://localhost/auth,unix=$sock,header=Authorization: Bearer hly-t0k3n"

# host=: the Host header picks the server_name; on a unix socket the URL's host is only the Host header's.
check "the default server for localhost" 1 \
	--err "healthy: http://localhost/who,unix=$sock,body=api.hly.test: 200 OK from $sock, but \"api.hly.test\" is not in the body (19 bytes)" \
	-- "$HEALTHY" "http://localhost/who,unix=$sock,body=api.hly.test"
check "host= selects the server_name" 0 \
	--out "healthy: http://localhost/who,unix=$sock,host=api.hly.test,body=api.hly.test: ok: 200 OK from $sock, \"api.hly.test\" in the body" \
	-- "$HEALTHY" -v "http://localhost/who,unix=$sock,host=api.hly.test,body=api.hly.test"
check "the URL's host selects it too, on a unix socket" 0 -- "$HEALTHY" "http://api.hly.test/who,unix=$sock,body=api.hly.test"
check "host= over TCP: the same virtual host" 0 \
	--out "healthy: $u/who,host=api.hly.test,body=api.hly.test: ok: 200 OK from 127.0.0.1:$np, \"api.hly.test\" in the body" \
	-- "$HEALTHY" -v "$u/who,host=api.hly.test,body=api.hly.test"
check "host= of another name: the default server" 1 \
	--err "healthy: $u/who,host=www.hly.test,body=api.hly.test: 200 OK from 127.0.0.1:$np, but \"api.hly.test\" is not in the body (19 bytes)" \
	-- "$HEALTHY" "$u/who,host=www.hly.test,body=api.hly.test"

# method=HEAD: nginx sends the headers of `return 200 "..."`, a Content-Length and no body.
check "method=HEAD passes" 0 --out "healthy: http://localhost/ready,unix=$sock,method=HEAD: ok: 200 OK from $sock" \
	-- "$HEALTHY" -v "http://localhost/ready,unix=$sock,method=HEAD"
check "method=HEAD of a 503 fails" 1 --err "healthy: http://localhost/down,unix=$sock,method=HEAD: 503 Service Temporarily Unavailable" \
	-- "$HEALTHY" "http://localhost/down,unix=$sock,method=HEAD"
check "nginx logged HEAD and GET requests from healthy" 0 -- bash -c '
	grep -q "\"HEAD /ready HTTP/1.1\" 200 0 \"-\" \"healthy/" "$0" && grep -q "\"GET /ready HTTP/1.1\" 200 14 \"-\" \"healthy/" "$0"' \
	"$N/access.log"

# listen unix:@NAME: nginx 1.22 has no abstract sockets; it binds a file named @NAME in its working directory.
check "nginx's unix:$at is a file in its working directory" 0 -- test -S "$N/$at"
check "unix=$at: no abstract socket of that name listens" 1 \
	--err "healthy: http://localhost/,unix=$at: connection refused ($at)" -- "$HEALTHY" "http://localhost/,unix=$at"
check "unix=: the file nginx made of it" 0 --out "healthy: http://localhost/,unix=$N/$at: ok: 200 OK from $N/$at" \
	-- "$HEALTHY" -v "http://localhost/,unix=$N/$at"

# Several probes of nginx at once, one line each.
check "unix= and TCP probes of nginx in one run" 1 \
	--out "healthy: http://localhost/,unix=$sock: ok: 200 OK from $sock
healthy: $u/ready,body=ready: ok: 200 OK from 127.0.0.1:$np, \"ready\" in the body" \
	--err "healthy: http://localhost/down,unix=$sock: 503 Service Temporarily Unavailable" \
	-- "$HEALTHY" -v "http://localhost/,unix=$sock" "$u/ready,body=ready" "http://localhost/down,unix=$sock"

# As nobody: nginx's master, root, makes its socket 0666, and a check that runs as another user reaches it.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	check "as nobody, under the seccomp filter" 0 \
		-- setpriv --reuid=65534 --regid=65534 --clear-groups "$HEALTHY" "http://localhost/ready,unix=$sock,body=ready"
else
	skip "nginx's socket as nobody" "needs root and setpriv"
fi

# nginx stops (SIGQUIT: a graceful shutdown): it removes its socket file, and the port is closed.
kill -QUIT "$NGINX_PID"
wait_bounded "nginx stops on SIGQUIT" "$NGINX_PID"
check "nginx stopped: its socket file is gone" 0 -- test ! -e "$sock"
check "unix=: the socket is gone" 1 --err "healthy: http://localhost/,unix=$sock: no such socket ($sock)" \
	-- "$HEALTHY" "http://localhost/,unix=$sock"
check "TCP: nothing listens" 1 --err "healthy: $u/: connection refused (127.0.0.1:$np)" -- "$HEALTHY" "$u/"

# nginx killed (SIGKILL, the master, then its worker, which the master would restart): the socket file stays,
# and nobody listens on it.
if nginx_start; then
	check "nginx again: it answers" 0 -- "$HEALTHY" "http://localhost/,unix=$sock"
	kill -KILL "$NGINX_PID"
	kill -KILL "$WORKER"
	wait_bounded "nginx dies on SIGKILL" "$NGINX_PID"
	# The worker is no child of this shell: gone, or a zombie, whose sockets are closed.
	check "its worker dies too" 0 -- bash -c 'for i in $(seq 1000); do
		s=$(sed "s/.*) //" "/proc/$0/stat" 2>/dev/null | cut -c1); [ -z "$s" ] || [ "$s" = Z ] && exit 0; sleep 0.01
	done; exit 1' "$WORKER"
	check "nginx killed: its socket file stays" 0 -- test -S "$sock"
	check "unix=: a socket file nobody listens on" 1 --err "healthy: http://localhost/,unix=$sock: connection refused ($sock)" \
		-- "$HEALTHY" "http://localhost/,unix=$sock"
else
	fail "nginx starts again" "$(tail -n 1 "$N/error.log" 2>/dev/null)"
fi

finish
