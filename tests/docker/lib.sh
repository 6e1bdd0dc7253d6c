# Shared by tests/docker/run and tests/docker/podman, the suites against a real container engine: what
# only they need, over tests/integration/lib.sh's counters and finish (sourced here with HARNESS_ONLY=1).
# The script sets HARNESS_SUITE (docker, podman) before it sources this, and then, before it calls the
# functions here that use them: T (its temporary directory), ENGINE (the client binary) and CLIENT (the
# script's bounded client function, dk or pm).
# shellcheck disable=SC2034  # read by the lib.sh sourced next, or by the script
HARNESS_ONLY=1
# shellcheck source=../integration/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"
started_at=$(date +%s)
section_at=$started_at

# took: finish's first line, the time the whole run took.
took() { echo "# tests/docker/$(basename "$0") took $(($(date +%s) - started_at)) s"; }
# shellcheck disable=SC2034  # finish reads it
HARNESS_FINISH_HOOK=took

# expect NAME WHY COMMAND...: ok when COMMAND succeeds, else FAIL with WHY (and what COMMAND left in $seen).
expect() {
	local name=$1 why=$2
	shift 2
	seen=
	if "$@"; then pass "$name"; else fail "$name" "$why${seen:+; $seen}"; fi
}
# bail NAME WHY: a FAIL after which nothing else can run.
bail() { fail "$1" "$2"; finish; }
# section NAME: a heading, with the time the previous section took.
section() {
	local now
	now=$(date +%s)
	echo "# $1 (the part before took $((now - section_at)) s)"
	section_at=$now
}

# apt_install LOG PACKAGE...: installs them with apt-get, its output in LOG. Without a policy-rc.d, a
# package's postinst would start its service (docker.io's: dockerd through /etc/init.d/docker, with its
# defaults: a docker0 bridge and iptables rules on the host).
apt_install() {
	local log=$1 policy='' rc
	shift
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
		policy=/usr/sbin/policy-rc.d
	fi
	timeout 600 apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1
	rc=$?
	[ -n "$policy" ] && rm -f "$policy"
	return $rc
}

# net_state: the host's links, routes, forwarding and firewall, to compare before and after.
net_state() {
	ip -o link | awk '{print $2}'
	ip route; ip -6 route
	sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding
	command -v iptables-save >/dev/null && { iptables-save; ip6tables-save; } 2>/dev/null | grep -v '^#'
	command -v nft >/dev/null && nft list ruleset 2>/dev/null
}

# For cleanup.
# kill_leftovers DIR COMM...: SIGKILL to each process whose comm matches a COMM (a glob) and whose command
# line names DIR/, which is this run's alone: what the engine started and left. Only their command lines
# are read, each with a deadline: reading another process's can block (a process whose memory map is
# locked), which is why this is no pgrep -f.
kill_leftovers() {
	local dir=$1 p c pat
	shift
	for p in /proc/[0-9]*; do
		read -r c <"$p/comm" || continue
		for pat in "$@"; do
			# shellcheck disable=SC2254
			case $c in $pat) ;; *) continue ;; esac
			timeout -s KILL 1 tr '\0' ' ' <"$p/cmdline" | grep -qF "$dir/" && kill -KILL "${p#/proc/}"
			break
		done
	done
}
# unmount_under DIR: every mount below DIR, deepest first.
unmount_under() {
	local p
	grep -o " $1/[^ ]*" /proc/mounts | sort -r | while read -r p; do umount -l "$p"; done
}
# rmdir_tree DIR: DIR and the directories below it, which must be empty of files (a cgroup).
rmdir_tree() { [ -d "$1" ] && find "$1" -depth -type d -exec rmdir {} +; }

# Containers' logs and the seed scenario.
ns() { date -d "$1" +%s%N; }
# lines_with CONTAINER TEXT: how many lines of its log (stdout and stderr) hold TEXT.
lines_with() { timeout 60 "$ENGINE" logs "$1" 2>&1 | grep -cF -- "$2"; }
# wait_lines CONTAINER TEXT N SECONDS: until N lines of its log hold TEXT.
wait_lines() {
	for _ in $(seq $(($4 * 10))); do
		[ "$(lines_with "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
# logged_at CONTAINER TEXT [N]: when the Nth line of its log holding TEXT was written, in ns.
logged_at() {
	local t
	t=$(timeout 60 "$ENGINE" logs -t "$1" 2>&1 | grep -F -- "$2" | sed -n "${3:-1}p" | cut -d' ' -f1)
	[ -n "$t" ] && ns "$t"
}
# kill_fluent_bit CONTAINER: SIGKILL to the container's PID 1, from the host, as the kernel's OOM killer
# would send it. Sets killed_at (ns).
kill_fluent_bit() {
	local pid
	pid=$("$CLIENT" inspect -f '{{.State.Pid}}' "$1")
	killed_at=$(date +%s%N)
	[ "${pid:-0}" -gt 1 ] && kill -KILL "$pid"
}
# since_kill NS: how long after the SIGKILL NS was, or "?" when the event was not seen.
since_kill() { if [ -n "$1" ]; then echo "$((($1 - killed_at) / 1000000)) ms"; else echo "?"; fi; }
