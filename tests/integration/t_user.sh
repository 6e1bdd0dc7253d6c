# proc:NAME,user= and healthy as an unprivileged user.
. "$(dirname "$0")/lib.sh"

as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
start "${as_nobody[@]}" "$NAMED" sleep hly-nobody; nobody_pid=$PID
start "$NAMED" sleep hly-root; root_pid=$PID

check "user= by uid" 0 -- "$HEALTHY" proc:hly-nobody,user=65534
check "user= by name from /etc/passwd" 0 -- "$HEALTHY" proc:hly-nobody,user=nobody
check "user= of another uid" 1 \
	--err "healthy: proc:hly-nobody,user=0: not running as uid 0 (1 running as other users)" \
	-- "$HEALTHY" proc:hly-nobody,user=0
check "user=root by name" 0 -- "$HEALTHY" proc:hly-root,user=root
check "an unknown user is a usage error" 2 \
	--err "healthy: proc:hly-root,user=hly-nosuchuser: no such user 'hly-nosuchuser' in /etc/passwd" \
	-- "$HEALTHY" proc:hly-root,user=hly-nosuchuser
start setpriv --ruid 65534 --euid 0 "$NAMED" sleep hly-ruid
check "the real uid counts: real 65534, effective 0" 0 -- "$HEALTHY" proc:hly-ruid,user=65534
check "is not counted for user 0" 1 -- "$HEALTHY" proc:hly-ruid,user=0

# No /etc/passwd: a numeric uid still works, a name says what to do.
if unshare -m true 2>/dev/null; then
	check "without /etc/passwd a numeric uid works" 0 -- \
		unshare -m sh -c 'mount --bind /dev/null /etc/passwd && exec "$0" proc:hly-nobody,user=65534' "$HEALTHY"
	check "without /etc/passwd a name is a usage error that says why" 2 \
		--err "healthy: proc:hly-nobody,user=nobody: no such user 'nobody' in /etc/passwd" -- \
		unshare -m sh -c 'mount --bind /dev/null /etc/passwd && exec "$0" proc:hly-nobody,user=nobody' "$HEALTHY"
	check "no /etc at all: a name is a usage error that says to give a uid" 2 \
		--err "healthy: proc:hly-nobody,user=nobody: read /etc/passwd: no such file or directory (give a numeric uid)" -- \
		unshare -m sh -c 'mount -t tmpfs none /etc && exec "$0" proc:hly-nobody,user=nobody' "$HEALTHY"
	cp /etc/passwd "$TMP/passwd.600"; chmod 600 "$TMP/passwd.600"
	check "an /etc/passwd this user cannot read is exit 3, healthy's problem" 3 \
		--err "healthy: proc:hly-nobody,user=nobody: read /etc/passwd: permission denied" -- \
		unshare -m sh -c 'mount --bind "$1" /etc/passwd && exec setpriv --reuid 65534 --regid 65534 --clear-groups "$0" proc:hly-nobody,user=nobody' "$HEALTHY" "$TMP/passwd.600"
else
	skip "without /etc/passwd" "unshare -m is not allowed here"
fi

# As an unprivileged user, with /proc mounted as usual, every process is visible.
check "uid 65534 sees a root process" 0 -- "${as_nobody[@]}" "$HEALTHY" proc:hly-root
check "uid 65534 sees a missing one is missing" 1 --err "healthy: proc:hly-absent: not running" \
	-- "${as_nobody[@]}" "$HEALTHY" proc:hly-absent
check "uid 65534 with no capabilities at all" 0 -- \
	setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all "$HEALTHY" proc:hly-root pid:1

finish
