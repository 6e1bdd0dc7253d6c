# The command line: usage errors are exit 2 with one line naming the argument.
. "$(dirname "$0")/lib.sh"

check "-h prints usage on stdout, exit 0" 0 --out-has "usage: healthy [OPTIONS] CHECK..." --err "" -- "$HEALTHY" -h
check "--help too" 0 --out-has "pidfile:PATH" -- "$HEALTHY" --help
check "-h wins over a bad check" 0 -- "$HEALTHY" -h bogus:x
check "-V prints the version" 0 --out "healthy 0.1.0" -- "$HEALTHY" -V
check "--version too" 0 --out "healthy 0.1.0" -- "$HEALTHY" --version
check "--help into /dev/full is exit 3" 3 -- bash -c 'exec "$0" --help >/dev/full' "$HEALTHY"

# Each: argument, the exact line.
while IFS='|' read -r arg line; do
	# shellcheck disable=SC2086
	check "usage error: $arg" 2 --out "" --err "$line" -- "$HEALTHY" $arg
done <<'TABLE'
|healthy: no CHECK given (try 'healthy --help')
-v|healthy: no CHECK given (try 'healthy --help')
sctp:80|healthy: sctp:80: unknown check kind 'sctp' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)
bogus:x|healthy: bogus:x: unknown check kind 'bogus' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)
fluent-bit|healthy: fluent-bit: not a check (did you mean proc:fluent-bit?)
pid:abc|healthy: pid:abc: not a pid (a whole number)
pid:0|healthy: pid:0: pid out of range (1-4194304)
pid:-1|healthy: pid:-1: not a pid (a whole number)
pid:4194305|healthy: pid:4194305: pid out of range (1-4194304)
pid:|healthy: pid:: not a pid (a whole number)
proc:|healthy: proc:: empty name
proc:,min=2|healthy: proc:,min=2: empty name
proc:x,min=-1|healthy: proc:x,min=-1: min= and max= take a whole number
proc:x,max=lots|healthy: proc:x,max=lots: min= and max= take a whole number
proc:x,min=1,min=2|healthy: proc:x,min=1,min=2: min= given twice
proc:x,min=3,max=1|healthy: proc:x,min=3,max=1: min= is more than max=
proc:x,min=99999999|healthy: proc:x,min=99999999: count out of range (0-1000000)
proc:x,foo=1|healthy: proc:x,foo=1: unknown option 'foo' (proc: takes min=, max=, user=, args=)
proc:x,user=|healthy: proc:x,user=: empty user
proc:x,user=99999999999|healthy: proc:x,user=99999999999: uid out of range
proc:x,args=|healthy: proc:x,args=: empty args (args=* takes any)
proc:x,args=a,args=b|healthy: proc:x,args=a,args=b: args= given twice
proc:x,args=a,b=1|healthy: proc:x,args=a,b=1: unknown option 'b' (proc: takes min=, max=, user=, args=)
pidfile:|healthy: pidfile:: empty path
proc:x,|healthy: proc:x,: empty option after ','
proc:x,Min=2|healthy: proc:x,Min=2: unknown option 'Min' (proc: takes min=, max=, user=, args=)
-- -v|healthy: -v: not a check (did you mean proc:-v?)
--bogus|healthy: --bogus: unknown option
-x|healthy: -x: unknown option
-vx|healthy: -x: unknown option
-t|healthy: -t: needs a DURATION (500ms, 5s, 2m)
-t 5x pid:1|healthy: -t 5x: not a duration (500ms, 5s, 2m)
-t 0 pid:1|healthy: -t 0: duration out of range (1ms to 24 days)
--timeout=|healthy: --timeout: needs a DURATION (500ms, 5s, 2m)
--timeout=1000d pid:1|healthy: --timeout 1000d: not a duration (500ms, 5s, 2m)
--timeout=999999999 pid:1|healthy: --timeout 999999999: duration out of range (1ms to 24 days)
-v -q pid:1|healthy: cannot use -v and -q together
pid:1 -v|healthy: -v: options come before the checks
pid:1 --|healthy: --: needs a COMMAND after it
tcp:99999|healthy: tcp:99999: port out of range
tcp:0|healthy: tcp:0: port out of range
udp:65536|healthy: udp:65536: port out of range
tcp:http|healthy: tcp:http: not a port (1-65535)
tcp:|healthy: tcp:: not a port (1-65535)
tcp:127.0.0.1:|healthy: tcp:127.0.0.1:: not a port (1-65535)
tcp:127.0.0.1:99999|healthy: tcp:127.0.0.1:99999: port out of range
tcp:::1:80|healthy: tcp:::1:80: write an IPv6 address in brackets: [::1]:PORT
tcp:[::1:80|healthy: tcp:[::1:80: write an IPv6 address as [ADDR]:PORT
tcp:[::1]80|healthy: tcp:[::1]80: write an IPv6 address as [ADDR]:PORT
tcp:[zz::1]:80|healthy: tcp:[zz::1]:80: not an IPv6 address
tcp:[]:80|healthy: tcp:[]:80: not an IPv6 address
tcp:db.example.com:5432|healthy: tcp:db.example.com:5432: not an IPv4 address (tcp: and udp: look at this machine's sockets)
udp:256.1.1.1:53|healthy: udp:256.1.1.1:53: not an IPv4 address (tcp: and udp: look at this machine's sockets)
tcp::80|healthy: tcp::80: not an IPv4 address
unix:|healthy: unix:: empty path
unix:@|healthy: unix:@: empty name
https:example.com|healthy: https:example.com: write https://HOST[:PORT][/PATH]
connect:db|healthy: connect:db: needs HOST:PORT
connect::5432|healthy: connect::5432: empty host
connect:db:0|healthy: connect:db:0: port out of range
connect:::1:80|healthy: connect:::1:80: write an IPv6 address in brackets: [::1]:PORT
http:x|healthy: http:x: write http://HOST[:PORT][/PATH]
http://|healthy: http://: empty host
http://h:99999/|healthy: http://h:99999/: port out of range
http://u:p@h/|healthy: http://u:p@h/: user:password@ in a URL is not supported
file:|healthy: file:: empty path
file:/x,maxage=|healthy: file:/x,maxage=: maxage= takes a DURATION (500ms, 5s, 2m)
file:/x,color=red|healthy: file:/x,color=red: unknown option 'color' (file: takes maxage=)
file:/nonexistent-hly/x,max-age=5m|healthy: file:/nonexistent-hly/x,max-age=5m: unknown option 'max-age' (file: takes maxage=)
pidfile:/nonexistent-hly/x.pid,nmae=nginx|healthy: pidfile:/nonexistent-hly/x.pid,nmae=nginx: unknown option 'nmae' (pidfile: takes name=)
unix:/nonexistent-hly/x.sock,timeout=1s|healthy: unix:/nonexistent-hly/x.sock,timeout=1s: unknown option 'timeout' (unix: takes no option)
pid:1,nmae=init|healthy: pid:1,nmae=init: unknown option 'nmae' (pid: takes name=)
pid:1,name=|healthy: pid:1,name=: empty name
pid:1,name=a,name=b|healthy: pid:1,name=a,name=b: name= given twice
--wait=0.4ms pid:1|healthy: --wait 0.4ms: duration out of range (1ms to 24 days)
--wait=5s -- true|healthy: no CHECK before '--' (healthy --wait CHECK... -- COMMAND)
TABLE

check "an empty argument is not a check, and no guess at one" 2 --err "healthy: an empty argument is not a CHECK" -- "$HEALTHY" ''
check "a path ending in what looks like an option is a path when the file exists" 0 \
	-- sh -c ': > "$1/a,max-age=5m" && exec "$0" "file:$1/a,max-age=5m"' "$HEALTHY" "$TMP"
check "--wait=0 still waits for ever (no usage error)" 0 -- timeout 10 "$HEALTHY" --wait=0 -q pid:1
for kind in file pidfile unix; do
	check "$kind: a path longer than PATH_MAX is a usage error" 2 --err-has "path too long" \
		-- "$HEALTHY" "$kind:/$(head -c 4200 /dev/zero | tr '\0' a)"
done

check "-- ends options: a check may then follow" 0 -- "$HEALTHY" -- pid:1
check "-t with a valid duration is kept" 0 -- "$HEALTHY" -t 500ms pid:1
check "-t5s bundled" 0 -- "$HEALTHY" -vt5s pid:1
check "--timeout 2m" 0 -- "$HEALTHY" --timeout 2m pid:1
check "--timeout=1m30s" 0 -- "$HEALTHY" --timeout=1m30s pid:1
check "a bare number of seconds" 0 -- "$HEALTHY" -t 10 pid:1
check "a name of 300 bytes" 2 --err-has "name too long" -- "$HEALTHY" "proc:$(head -c 300 /dev/zero | tr '\0' a)"
check "an args= glob of 257 bytes" 2 --err-has "args too long (at most 256 bytes)" \
	-- "$HEALTHY" "proc:x,args=$(head -c 257 /dev/zero | tr '\0' a)"
check "... of 256 bytes is taken" 1 -- "$HEALTHY" "proc:hlyQ-absent,args=$(head -c 256 /dev/zero | tr '\0' a)"
check "an abstract unix name longer than sun_path" 2 --err-has "longer than an abstract socket name can be" \
	-- "$HEALTHY" "unix:@$(head -c 120 /dev/zero | tr '\0' a)"
args=(); for i in $(seq 65); do args+=(pid:1); done
check "65 checks" 2 --err "healthy: too many checks (at most 64)" -- "$HEALTHY" "${args[@]}"
check "64 checks" 0 -- "$HEALTHY" "${args[@]:1}"
check "a non-UTF-8 bad argument is escaped" 2 --err 'healthy: \xffbad:x: unknown check kind '"'"'\xffbad'"'"' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)' \
	-- "$HEALTHY" $'\xffbad:x'

finish
