# --pause and --install, the two modes that run no check.
. "$(dirname "$0")/lib.sh"

# --pause: what a pause container does for the namespaces others share.
for sig in TERM INT; do
	"$HEALTHY" --pause & pp=$!; own $pp
	sleep 0.2
	check "--pause is still there before SIG$sig" 0 -- kill -0 "$pp"
	kill -$sig "$pp"; wait_bounded "--pause and SIG$sig" "$pp"; rc=$?
	check "--pause: SIG$sig ends it, exit 0" 0 -- test "$rc" = 0
done
check "--pause prints nothing" 0 --out "" --err "" -- bash -c '"$0" --pause & p=$!; sleep 0.1; kill $p; wait $p' "$HEALTHY"
if unshare -pf --mount-proc true 2>/dev/null && command -v nsenter >/dev/null; then
	unshare -pf --mount-proc "$HEALTHY" --pause & u=$!; own $u
	for i in $(seq 200); do pid1=$(pgrep -P "$u"); [ -n "$pid1" ] && break; sleep 0.01; done
	check "--pause as PID 1 of a PID namespace: an orphan that exits there is reaped" 0 -- \
		nsenter -t "$pid1" -p -m sh -c 'sh -c "sleep 0.2 & exit 0"; sleep 1
		for s in /proc/[0-9]*/status; do grep -q "^State:.Z" "$s" 2>/dev/null && { echo "zombie: $s" >&2; exit 1; }; done; exit 0'
	check "... a process that joined its namespace outlives another that dies: nobody kills it" 0 -- \
		nsenter -t "$pid1" -p -m sh -c 'sleep 30 & s=$!; sh -c "kill -9 \$\$"; sleep 0.2; kill -0 $s && kill $s'
	kill -TERM "$u" 2>/dev/null; kill -TERM "$pid1" 2>/dev/null; wait_bounded "--pause as PID 1 ends" "$u"
else
	skip "--pause as PID 1" "no PID namespaces or no nsenter here"
fi

# --install DIR: an init container's way into a stock image.
mkdir -p "$TMP/inst"
check "--install copies the binary, silently" 0 --out "" --err "" -- bash -c 'umask 077; exec "$0" --install "$1"' "$HEALTHY" "$TMP/inst"
check "... the same bytes" 0 -- cmp "$HEALTHY" "$TMP/inst/healthy"
check "... mode 0755, whatever the umask" 0 --out "755" -- stat -c %a "$TMP/inst/healthy"
check "... no temporary file left" 0 --out "healthy" -- ls -A "$TMP/inst"
check "... the copy runs" 0 --out "$("$HEALTHY" --version)" -- "$TMP/inst/healthy" --version
check "--install=DIR over an older copy, which may be running" 0 -- bash -c \
	'"$1/healthy" --pause & p=$!; sleep 0.1; "$0" --install="$1"; r=$?; kill $p; wait $p; exit $r' "$HEALTHY" "$TMP/inst"
check "--install into a missing directory: exit 3, and says why" 3 \
	--err "healthy: --install $TMP/missing: create a file in it: no such file or directory" -- "$HEALTHY" --install "$TMP/missing"
chmod 755 "$TMP"; mkdir -p "$TMP/locked"; chmod 755 "$TMP/locked"
check "--install where this user may not write: exit 3" 3 \
	--err "healthy: --install $TMP/locked: create a file in it: permission denied" \
	-- setpriv --reuid 65534 --regid 65534 --clear-groups "$HEALTHY" --install "$TMP/locked"

# Each alone, no check.
check "--pause with a CHECK is a usage error" 2 --err "healthy: --pause takes no CHECK" -- "$HEALTHY" --pause proc:x
check "--install with a CHECK is a usage error" 2 --err "healthy: --install takes no CHECK" -- "$HEALTHY" --install /tmp proc:x
check "--pause with --watch is a usage error" 2 --err "healthy: --pause takes no other option but -q" -- "$HEALTHY" --pause --watch
check "--pause and --install together" 2 --err "healthy: cannot use --pause and --install together" \
	-- "$HEALTHY" --pause --install /tmp
check "--install without a DIR" 2 --err "healthy: --install: needs a DIR to copy healthy into" -- "$HEALTHY" --install
check "--install= without a DIR" 2 --err "healthy: --install: needs a DIR to copy healthy into" -- "$HEALTHY" --install=

finish
