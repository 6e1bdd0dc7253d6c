# Oracle: for every listening TCP port and bound UDP port on the machine, healthy agrees with ss(8).
. "$(dirname "$0")/lib.sh"

if ! command -v ss >/dev/null; then
	skip "ss oracle" "ss (iproute2) is not installed"
	finish; exit
fi
SOCKETS=$HELPERS/sockets
# Make sure there is something of every kind to agree on.
start_port "$SOCKETS" tcp-listen 127.0.0.1 0 -
start_port "$SOCKETS" tcp-listen ::1 0 -
start_port "$SOCKETS" tcp-listen :: 0 0
start_port "$SOCKETS" tcp-listen :: 0 1
start_port "$SOCKETS" tcp-listen 0.0.0.0 0 -
start_port "$SOCKETS" udp-bind 127.0.0.1 0 -
start_port "$SOCKETS" udp-bind :: 0 0

# ss's local address column: 127.0.0.1:80, [::1]:80, *:80, 0.0.0.0:80, [::]:80, 127.0.0.53%lo:53.
for proto in tcp udp; do
	flag=t; [ $proto = udp ] && flag=u
	ss -Hln$flag | awk '{print $4}' | sed 's/%[^:]*:/:/' | sort -u > "$TMP/$proto.addrs"
	sed 's/.*://' "$TMP/$proto.addrs" | sort -un > "$TMP/$proto.ports"
	n=$(wc -l < "$TMP/$proto.ports")
	args=()
	while read -r port; do args+=("$proto:$port"); done < "$TMP/$proto.ports"
	check "$proto: every one of the $n ports ss lists passes (sock_diag)" 0 --err "" -- "$HEALTHY" "${args[@]}"
	HEALTHY_PROCNET=1 check "$proto: every one of the $n ports ss lists passes (/proc/net)" 0 --err "" -- "$HEALTHY" "${args[@]}"
	args=()
	while read -r addr; do
		case $addr in \*:*) args+=("$proto:${addr#*:}") ;; *) args+=("$proto:$addr") ;; esac
	done < "$TMP/$proto.addrs"
	check "$proto: every address:port ss lists passes" 0 --err "" -- "$HEALTHY" "${args[@]}"
	# Ports ss does not list fail, each of them.
	absent=0 wrong=0
	for port in $(seq 40000 40037); do
		grep -qx "$port" "$TMP/$proto.ports" && continue
		absent=$((absent + 1))
		bounded "$HEALTHY" -q "$proto:$port" && wrong=$((wrong + 1))
		HEALTHY_PROCNET=1 bounded "$HEALTHY" -q "$proto:$port" && wrong=$((wrong + 1))
	done
	check "$proto: $absent ports ss does not list all fail, through both sources" 0 -- test "$wrong" = 0
done

finish
