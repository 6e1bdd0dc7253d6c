# Names, resolved by healthy's own resolver, against a real DNS server (tests/helpers/dnsd.py) in a network
# namespace of the test's own, with an /etc/resolv.conf and an /etc/hosts of the test's own (a mount namespace).
# Each check asserts the exit code and the line. A connect: to port 9, where nothing listens, names the
# addresses the name resolved to in its "connection refused" line; one to the namespace's listener passes.
. "$(dirname "$0")/lib.sh"
SOCKETS=$HELPERS/sockets
DNSD=$(cd "$(dirname "$0")/../helpers" && pwd)/dnsd.py

if ! unshare -nm true 2>/dev/null || ! command -v ip >/dev/null || ! command -v python3 >/dev/null ||
	[ ! -e /etc/resolv.conf ] || [ ! -e /etc/hosts ]; then
	skip "names through a DNS server of the test's own" "unshare -nm, ip, python3, /etc/resolv.conf or /etc/hosts is missing"
	finish
fi

# The zone every check asks. 127.0.0.0/8 is the namespace's lo: each address a server of its own.
cat >"$TMP/zone" <<'EOF'
app.hly.test A 127.0.0.1
dual.hly.test A 127.0.0.1
dual.hly.test AAAA ::1
six.hly.test AAAA ::1
alias.hly.test CNAME app.hly.test
gone.hly.test nxdomain
broken.hly.test servfail
closed.hly.test refused
big.hly.test truncate
big.hly.test A 127.0.0.3
big.hly.test AAAA ::1
never.hly.test silent
late.hly.test slow 600
late.hly.test A 127.0.0.1
liar.hly.test wrongid
elsewhere.hly.test othersrc
elsewhere.hly.test A 127.0.0.1
askew.hly.test wrongname
askew.hly.test A 127.0.0.1
loop.hly.test ptrloop
past.hly.test badptr
many.hly.test manya 40
wide.hly.test nocut
shut.hly.test truncate
shut.hly.test tcpclose
shut.hly.test A 127.0.0.1
huge.hly.test truncate
huge.hly.test tcphuge
huge.hly.test A 127.0.0.1
once.hly.test truncate
once.hly.test tcponce
once.hly.test AAAA ::1
wide.hly.test manya 40
db.svc.hly.test A 127.0.0.4
db.hly.test A 127.0.0.5
web.svc.hly.test servfail
web.hly.test A 127.0.0.10
sick.svc.hly.test servfail
api.example.hly.test A 127.0.0.6
EOF
# A second server's zone: the same names, where the first is silent or fails.
cat >"$TMP/zone2" <<'EOF'
never.hly.test A 127.0.0.7
broken.hly.test servfail
EOF
printf '127.0.0.8 hosted.hly.test hosted\n::1 hosted.hly.test\n# 127.0.0.9 commented.hly.test\n' >"$TMP/hosts"
: >"$TMP/hosts.none"

# The script run in the namespaces: lo up, our resolv.conf and hosts (or an /etc with neither), the
# servers started (ZONE@ADDR each, their queries logged to $TMP/dns.log.TAG), a listener on port 8080 of
# 127.0.0.1 and ::1 (the namespace is the test's own: no port is taken), then healthy.
cat >"$TMP/dnsns.sh" <<'EOF'
set -u
n=$1 resolv=$2 hosts=$3; shift 3
ip link set lo up || exit 99
if [ "$resolv" = none ]; then
	mount -t tmpfs -o size=1m hly-etc /etc || exit 99
else
	mount --bind "$resolv" /etc/resolv.conf && mount --bind "$hosts" /etc/hosts || exit 99
fi
pids=
while [ "$1" != -- ]; do
	zone=${1%@*} addr=${1#*@}
	python3 "$DNSD" --listen "$addr:53" --zone "$zone" --log "$TMP/dns.log.$n" --pidfile "$TMP/dns.pid.$n.$addr" &
	pids="$pids $!"
	i=0; while [ ! -s "$TMP/dns.pid.$n.$addr" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$TMP/dns.pid.$n.$addr" ] || { kill $pids; exit 98; }
	shift
done
shift
"$SOCKETS" tcp-listen :: 8080 0 "$TMP/port.$n" & pids="$pids $!"
i=0; while [ ! -s "$TMP/port.$n" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
"$@"; r=$?
kill $pids 2>/dev/null; wait 2>/dev/null
exit $r
EOF
export DNSD SOCKETS TMP
# in_ns TAG RESOLV HOSTS ZONE@ADDR... -- COMMAND...: COMMAND in a network and mount namespace of its own,
# with those servers; RESOLV "none" mounts an empty /etc.
in_ns() {
	unshare -nm --propagation private sh "$TMP/dnsns.sh" "$@"
}
# asked TAG TYPE: the names the servers were asked for TYPE, in order, on one line; nothing if none.
asked() {
	[ -f "$TMP/dns.log.$1" ] || return 0
	awk -v t="$2" '$4 == t { printf "%s%s", s, $3; s = " " } END { if (s) print "" }' "$TMP/dns.log.$1"
}
printf 'nameserver 127.0.0.53\noptions timeout:2 attempts:2\n' >"$TMP/resolv.one"
printf 'nameserver 127.0.0.53\nnameserver 127.0.0.54\noptions timeout:2 attempts:2\n' >"$TMP/resolv.two"
printf 'search svc.hly.test hly.test\nnameserver 127.0.0.53\noptions ndots:2 timeout:2\n' >"$TMP/resolv.search"
# A first server with no route to it (the namespace has lo alone): it has failed before it is asked.
printf 'nameserver 2001:db8::53\nnameserver 127.0.0.53\noptions timeout:5\n' >"$TMP/resolv.noroute"
one=("$TMP/zone@127.0.0.53")

check "a name's A record" 1 --err "healthy: connect:app.hly.test:9: connection refused (127.0.0.1:9)" \
	-- in_ns q1 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:app.hly.test:9
check "A and AAAA, asked at once: both tried" 1 --err "healthy: connect:dual.hly.test:9: connection refused (127.0.0.1:9, [::1]:9)" \
	-- in_ns q2 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:dual.hly.test:9
check "AAAA alone" 1 --err "healthy: connect:six.hly.test:9: connection refused ([::1]:9)" \
	-- in_ns q3 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:six.hly.test:9
check "through a CNAME" 1 --err "healthy: connect:alias.hly.test:9: connection refused (127.0.0.1:9)" \
	-- in_ns q4 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:alias.hly.test:9
check "NXDOMAIN: no such host, exit 1" 1 --err "healthy: connect:gone.hly.test:9: no such host" \
	-- in_ns q5 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:gone.hly.test:9
check "SERVFAIL: cannot check, exit 3" 3 \
	--err "healthy: connect:broken.hly.test:9: cannot resolve the host: the name server answered SERVFAIL" \
	-- in_ns q6 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:broken.hly.test:9
check "REFUSED: cannot check, exit 3" 3 \
	--err "healthy: connect:closed.hly.test:9: cannot resolve the host: the name server answered REFUSED" \
	-- in_ns q7 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:closed.hly.test:9
check "a truncated answer: asked again over TCP" 1 \
	--err "healthy: connect:big.hly.test:9: connection refused (127.0.0.3:9, [::1]:9)" \
	-- in_ns q8 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:big.hly.test:9
check "a truncated answer: ... both questions asked again over TCP" 0 --out "big.hly.test A
big.hly.test AAAA" -- sh -c "awk '\$1 == \"tcp\" { print \$3, \$4 }' '$TMP/dns.log.q8' | sort"
check "40 addresses, over TCP: the first 8 are tried" 1 --err "healthy: connect:many.hly.test:9: network unreachable \
(10.0.0.1:9, 10.0.0.2:9, 10.0.0.3:9, 10.0.0.4:9, 10.0.0.5:9, 10.0.0.6:9, 10.0.0.7:9, 10.0.0.8:9)" \
	-- in_ns q9 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:many.hly.test:9
check "40 addresses in 700 bytes over UDP without TC: cut at 512, so asked again over TCP" 1 \
	--err "healthy: connect:wide.hly.test:9: network unreachable \
(10.0.0.1:9, 10.0.0.2:9, 10.0.0.3:9, 10.0.0.4:9, 10.0.0.5:9, 10.0.0.6:9, 10.0.0.7:9, 10.0.0.8:9)" \
	-- in_ns q9w "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:wide.hly.test:9
check "the TCP connection closed before the answer: cannot check, and says so" 3 \
	--err "healthy: connect:shut.hly.test:9: cannot resolve the host: the name server closed the TCP connection before it answered" \
	-- in_ns q9c "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:shut.hly.test:9
check "a TCP server that answers one question a connection: the other on a second one" 1 \
	--err "healthy: connect:once.hly.test:9: connection refused ([::1]:9)" \
	-- in_ns q9o "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:once.hly.test:9
check "a TCP answer longer than any taken: malformed, exit 3" 3 \
	--err "healthy: connect:huge.hly.test:9: cannot resolve the host: the name server's answer is malformed" \
	-- in_ns q9h "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:huge.hly.test:9
check "a server that never answers: the deadline ends it, exit 3" 3 \
	--err "healthy: connect:never.hly.test:9: timed out after 500ms resolving the host" \
	-- in_ns q10 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 500ms connect:never.hly.test:9
check "resolv.conf's timeout, shorter than -t: no answer from the name server, exit 3" 3 \
	--err "healthy: connect:never.hly.test:9: cannot resolve the host: no answer from the name server" \
	-- in_ns q11 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 5s connect:never.hly.test:9
check "a silent server beside one that answers: the answer" 1 \
	--err "healthy: connect:never.hly.test:9: connection refused (127.0.0.7:9)" \
	-- in_ns q12 "$TMP/resolv.two" "$TMP/hosts.none" "${one[@]}" "$TMP/zone2@127.0.0.54" -- "$HEALTHY" -t 3s connect:never.hly.test:9
check "both servers fail: cannot check" 3 \
	--err "healthy: connect:broken.hly.test:9: cannot resolve the host: the name server answered SERVFAIL" \
	-- in_ns q13 "$TMP/resolv.two" "$TMP/hosts.none" "${one[@]}" "$TMP/zone2@127.0.0.54" -- "$HEALTHY" -t 3s connect:broken.hly.test:9
check "a slow answer within the deadline" 1 --err "healthy: connect:late.hly.test:9: connection refused (127.0.0.1:9)" \
	-- in_ns q14 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:late.hly.test:9
check "a slow answer past the deadline" 3 --err "healthy: connect:late.hly.test:9: timed out after 300ms resolving the host" \
	-- in_ns q15 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 300ms connect:late.hly.test:9
check "a server with no route, then one that answers" 1 --err "healthy: connect:app.hly.test:9: connection refused (127.0.0.1:9)" \
	-- in_ns q40 "$TMP/resolv.noroute" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:app.hly.test:9
check "a server with no route, then one that fails: SERVFAIL at once, not the deadline" 3 \
	--err "healthy: connect:broken.hly.test:9: cannot resolve the host: the name server answered SERVFAIL" \
	-- in_ns q41 "$TMP/resolv.noroute" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:broken.hly.test:9
# Lies: taken for no answer at all, never for an address.
check "an answer with another ID is not taken" 3 --err "healthy: connect:liar.hly.test:9: timed out after 500ms resolving the host" \
	-- in_ns q16 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 500ms connect:liar.hly.test:9
check "an answer from another port is not taken" 3 \
	--err "healthy: connect:elsewhere.hly.test:9: timed out after 500ms resolving the host" \
	-- in_ns q17 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 500ms connect:elsewhere.hly.test:9
check "an answer to another question is not taken" 3 \
	--err "healthy: connect:askew.hly.test:9: timed out after 500ms resolving the host" \
	-- in_ns q18 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 500ms connect:askew.hly.test:9
check "a compression loop: a malformed answer, exit 3" 3 \
	--err "healthy: connect:loop.hly.test:9: cannot resolve the host: the name server's answer is malformed" \
	-- in_ns q19 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:loop.hly.test:9
check "a pointer past the end: a malformed answer, exit 3" 3 \
	--err "healthy: connect:past.hly.test:9: cannot resolve the host: the name server's answer is malformed" \
	-- in_ns q20 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:past.hly.test:9

# The search list, with ndots:2: "db" (no dot) and "db.svc" (one) go through the list first,
# "api.example.hly.test" (three) is asked as it is first.
check "search: db is db.svc.hly.test" 1 --err "healthy: connect:db:9: connection refused (127.0.0.4:9)" \
	-- in_ns q21 "$TMP/resolv.search" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:db:9
check "search: ... the first name asked" 0 --out "db.svc.hly.test" -- asked q21 A
check "search: a name with ndots dots is asked as it is first" 1 \
	--err "healthy: connect:api.example.hly.test:9: connection refused (127.0.0.6:9)" \
	-- in_ns q22 "$TMP/resolv.search" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:api.example.hly.test:9
check "search: ... and only that name is asked" 0 --out "api.example.hly.test" \
	-- asked q22 A
check "search: no name in any domain is no such host" 1 --err "healthy: connect:nowhere:9: no such host" \
	-- in_ns q23 "$TMP/resolv.search" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:nowhere:9
check "search: ... after asking each domain, then the name" 0 \
	--out "nowhere.svc.hly.test nowhere.hly.test nowhere" \
	-- asked q23 A
# A domain the server fails is no evidence: the search goes on (as glibc's), and ends in 3 if nothing is found.
check "search: a SERVFAIL in one domain, the name in the next" 1 \
	--err "healthy: connect:web:9: connection refused (127.0.0.10:9)" \
	-- in_ns q29 "$TMP/resolv.search" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:web:9
check "search: ... both asked" 0 --out "web.svc.hly.test web.hly.test" -- asked q29 A
check "search: a SERVFAIL, and no such name elsewhere: cannot check" 3 \
	--err "healthy: connect:sick:9: cannot resolve the host: the name server answered SERVFAIL" \
	-- in_ns q30 "$TMP/resolv.search" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -t 3s connect:sick:9
check "search: ... after asking each domain, then the name" 0 --out "sick.svc.hly.test sick.hly.test sick" \
	-- asked q30 A

# /etc/hosts first: no query at all for a name it has.
check "/etc/hosts first, every address of the name" 1 \
	--err "healthy: connect:hosted.hly.test:9: connection refused (127.0.0.8:9, [::1]:9)" \
	-- in_ns q24 "$TMP/resolv.one" "$TMP/hosts" "${one[@]}" -- "$HEALTHY" -t 3s connect:hosted.hly.test:9
check "/etc/hosts: ... and no DNS query for it" 0 --out "" -- asked q24 A
check "/etc/hosts: a commented line is no entry" 1 --err "healthy: connect:commented.hly.test:9: no such host" \
	-- in_ns q25 "$TMP/resolv.one" "$TMP/hosts" "${one[@]}" -- "$HEALTHY" -t 3s connect:commented.hly.test:9
# No /etc at all, as in an image of healthy alone: 127.0.0.1 is the name server, localhost stays loopback.
check "no /etc: the name server is 127.0.0.1" 1 --err "healthy: connect:app.hly.test:9: connection refused (127.0.0.1:9)" \
	-- in_ns q27 none - "$TMP/zone@127.0.0.1" -- "$HEALTHY" -t 3s connect:app.hly.test:9
check "no /etc: localhost without any file" 0 \
	--out-has "healthy: connect:localhost:8080: ok: connected to " \
	-- in_ns q28 none - "$TMP/zone@127.0.0.1" -- "$HEALTHY" -v -t 3s connect:localhost:8080
# A name that resolves, to a listener: the check passes, over http:// too.
check "a name to a listener: connect: passes" 0 --out "healthy: connect:app.hly.test:8080: ok: connected to 127.0.0.1:8080" \
	-- in_ns q26 "$TMP/resolv.one" "$TMP/hosts.none" "${one[@]}" -- "$HEALTHY" -v -t 3s connect:app.hly.test:8080

finish
