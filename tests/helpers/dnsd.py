#!/usr/bin/env python3
"""dnsd: a small authoritative-style DNS server for healthy's integration tests.

  dnsd.py --listen ADDR:PORT [--listen ADDR:PORT ...] --zone FILE --log FILE
          [--pidfile FILE]

Python 3.11 standard library only; meant to run as root in a test's own
network namespace. ADDR is IPv4 (127.0.0.53:53) or bracketed IPv6 ([::1]:53).
Every --listen is served over UDP and over TCP (2-byte length prefix, several
queries per connection, a thread per connection). Once every socket is bound,
the PID is written to --pidfile (atomically: wait for the file to exist).
SIGTERM or SIGINT ends it with status 0. Malformed queries are ignored.

Log: one line per well-formed query received, appended and flushed at once:
    PROTO LISTEN QNAME QTYPE        e.g.  udp 127.0.0.53:53 www.example.com A
PROTO is udp or tcp, LISTEN the --listen argument that received it, QNAME
lower-cased without trailing dot ("." for the root; bytes other than
[a-z0-9-_] written as \\DDD), QTYPE "A", "AAAA" or the number (e.g. 15).

Zone file: one rule per line; '#' starts a comment; blank lines are ignored;
fields are separated by whitespace. NAME is matched case-insensitively, a
trailing dot is optional. Several rules may be given for one name.
    NAME A 1.2.3.4       an A record (repeat the line for more records)
    NAME AAAA ::1        an AAAA record (repeat for more). A name whose records
                         are of one type answers the other type NOERROR with
                         no answers ("nodata"); so does any other QTYPE.
    NAME CNAME TARGET    the CNAME, then TARGET's records of the asked type,
                         following a chain of up to 10 CNAMEs. A chain that
                         ends at a name not in the zone (or marked nxdomain)
                         answers RCODE 3 with the CNAMEs.
    NAME nxdomain        RCODE 3 (as is any name not in the zone at all)
    NAME servfail        RCODE 2
    NAME refused         RCODE 5
    NAME truncate        over UDP: TC=1, the question and no answers; over
                         TCP: the full answer (from NAME's A/AAAA lines)
    NAME silent          never answers, over UDP or TCP
    NAME slow MS         answers after MS milliseconds (without holding up
                         other queries, also on the same TCP connection)
    NAME wrongid         the answer carries the query's ID + 1
    NAME othersrc        over UDP, answers from a fresh socket bound to the
                         same address with port 0 (i.e. another source port)
    NAME wrongname       the question section names "other.invalid"; the
                         records are still owned by the name asked (written
                         uncompressed)
    NAME badptr          every answer record's owner is a compression pointer
                         to the offset just past the end of the packet
    NAME ptrloop         every answer record's owner is a compression pointer
                         to itself
    NAME manya N         N A records 10.0.0.1 .. 10.0.0.N (N <= 100)
    NAME nocut           over UDP, an answer over 512 bytes is sent whole,
                         without TC (as Docker Desktop's DNS proxy once did)
    NAME tcpclose        over TCP, the connection is closed (FIN) at the query
    NAME tcphuge         over TCP, the answer's length prefix says 65535
    NAME tcponce         over TCP, the connection is closed (FIN) after one answer
  For badptr and ptrloop with no records of the asked type, one record is made
  up (A 192.0.2.1, AAAA 2001:db8::1, else A 192.0.2.1).
  Else a UDP answer over 512 bytes is cut to the header, the question and as many
  whole records as fit, with TC=1; TCP answers are sent whole.

Answers: QR=1 AA=1 RA=1, RD copied, the question copied byte for byte from the
query, TTL 5, class IN, owners 0xC00C (a pointer to the question name) unless
a rule says otherwise, CNAME targets and other owners written uncompressed.
"""
import argparse, ipaddress, os, selectors, signal, socket, struct, sys, threading

T_A, T_CNAME, T_AAAA = 1, 5, 28
FLAGS = {'nxdomain', 'servfail', 'refused', 'truncate', 'silent', 'wrongid',
         'othersrc', 'wrongname', 'badptr', 'ptrloop', 'nocut', 'tcpclose', 'tcphuge', 'tcponce'}
log_lock = threading.Lock()


def norm(name):
    name = name.lower().rstrip('.')
    return name or '.'


def load_zone(path):
    zone = {}
    with open(path) as f:
        for no, line in enumerate(f, 1):
            w = line.split('#', 1)[0].split()
            if not w:
                continue
            if len(w) < 2:
                sys.exit(f'{path}:{no}: expected NAME RULE [ARG]')
            e = zone.setdefault(norm(w[0]), {'flags': set(), 'A': [], 'AAAA': []})
            rule, args = w[1].lower(), w[2:]
            try:
                if rule == 'a' and len(args) == 1:
                    e['A'].append(ipaddress.IPv4Address(args[0]).packed)
                elif rule == 'aaaa' and len(args) == 1:
                    e['AAAA'].append(ipaddress.IPv6Address(args[0]).packed)
                elif rule == 'cname' and len(args) == 1:
                    e['cname'] = args[0].rstrip('.')
                elif rule == 'slow' and len(args) == 1:
                    e['slow'] = int(args[0]) / 1000.0
                elif rule == 'manya' and len(args) == 1 and 0 <= int(args[0]) <= 100:
                    e['A'] += [bytes([10, 0, 0, i]) for i in range(1, int(args[0]) + 1)]
                elif rule in FLAGS and not args:
                    e['flags'].add(rule)
                else:
                    raise ValueError('unknown rule')
            except ValueError as err:
                sys.exit(f'{path}:{no}: {line.strip()!r}: {err}')
    return zone


def encode_name(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        if label:
            b = label.encode()
            out += bytes([len(b)]) + b
    return out + b'\0'


def parse_query(data):
    """-> (id, flags, question bytes, qname wire bytes, qname text, qtype) or None."""
    if len(data) < 12:
        return None
    qid, flags, qd = struct.unpack('!HHH', data[:6])
    if flags & 0x8000 or (flags >> 11) & 0xF != 0 or qd != 1:
        return None                      # a response, not QUERY, or not 1 question
    pos, labels = 12, []
    while True:
        if pos >= len(data):
            return None
        n = data[pos]
        if n == 0:
            break
        if n > 63 or pos + 1 + n > len(data):
            return None                  # compression or bad length: malformed
        labels.append(data[pos + 1:pos + 1 + n])
        pos += 1 + n
    if pos + 5 > len(data) or pos - 12 + 1 > 255:
        return None
    qtype = struct.unpack('!H', data[pos + 1:pos + 3])[0]
    text = '.'.join(''.join(chr(c) if chr(c).isalnum() and c < 128 or c in b'-_'
                            else '\\%03d' % c for c in l.lower()) for l in labels)
    return qid, flags, data[12:pos + 5], data[12:pos + 1], text or '.', qtype


def rr(owner, rtype, rdata):
    return owner + struct.pack('!HHIH', rtype, 1, 5, len(rdata)) + rdata


def records_for(zone, name, qtype):
    """Answer records for name, following CNAMEs. -> (rcode, [record bytes])."""
    recs, cur = [], name
    for hop in range(11):
        e = zone.get(cur)
        if e is None or (hop and 'nxdomain' in e['flags']):
            return 3, recs
        owner = b'\xc0\x0c' if hop == 0 else encode_name(cur)
        if 'cname' in e and qtype != T_CNAME:
            if hop == 10:
                break                    # chain too long: stop with what we have
            recs.append(rr(owner, T_CNAME, encode_name(e['cname'])))
            cur = norm(e['cname'])
            continue
        if 'cname' in e:
            recs.append(rr(owner, T_CNAME, encode_name(e['cname'])))
        key = {T_A: 'A', T_AAAA: 'AAAA'}.get(qtype)
        for rdata in e.get(key, []) if key else []:
            recs.append(rr(owner, qtype, rdata))
        break
    return 0, recs


def answer(zone, q, proto):
    """Build the reply to parsed query q. -> bytes, or None for no answer."""
    qid, qflags, question, qname_wire, name, qtype = q
    e = zone.get(name)
    fl = e['flags'] if e else set()
    if e is None or 'nxdomain' in fl:
        rcode, recs = 3, []
    elif 'servfail' in fl:
        rcode, recs = 2, []
    elif 'refused' in fl:
        rcode, recs = 5, []
    else:
        rcode, recs = records_for(zone, name, qtype)
    if fl & {'badptr', 'ptrloop'} and not recs:
        rt = qtype if qtype in (T_A, T_AAAA) else T_A
        recs = [rr(b'\xc0\x0c', rt, bytes([192, 0, 2, 1]) if rt == T_A
                   else ipaddress.IPv6Address('2001:db8::1').packed)]
    if 'wrongname' in fl:
        question = encode_name('other.invalid') + question[-4:]
        recs = [qname_wire + r[2:] if r[:2] == b'\xc0\x0c' else r for r in recs]
    tc = 0
    if proto == 'udp' and 'truncate' in fl:
        tc, recs = 1, []
    if proto == 'udp' and 'nocut' not in fl:
        room = 512 - 12 - len(question)
        for i, r in enumerate(recs):
            room -= len(r)
            if room < 0:
                tc, recs = 1, recs[:i]
                break
    flags = 0x8000 | 0x0400 | 0x0080 | (qflags & 0x0100) | (tc << 9) | rcode
    if 'wrongid' in fl:
        qid = (qid + 1) & 0xFFFF
    pkt = bytearray(struct.pack('!HHHHHH', qid, flags, 1, len(recs), 0, 0) + question)
    owners = []
    for r in recs:
        owners.append(len(pkt))
        pkt += r
    for off in owners:
        if 'badptr' in fl:
            pkt[off:off + 2] = struct.pack('!H', 0xC000 | len(pkt))
        elif 'ptrloop' in fl:
            pkt[off:off + 2] = struct.pack('!H', 0xC000 | off)
    return bytes(pkt)


class Server:
    def __init__(self, zone, logf):
        self.zone, self.logf = zone, logf

    def log(self, proto, listen, q):
        qt = {T_A: 'A', T_AAAA: 'AAAA'}.get(q[5], str(q[5]))
        with log_lock:
            self.logf.write(f'{proto} {listen} {q[4]} {qt}\n')
            self.logf.flush()

    def handle(self, data, proto, listen, send):
        """Parse, log and answer one query; send(reply, fresh_source).
        Returns the timer thread of a slow answer, else None."""
        q = parse_query(data)
        if q is None:
            return
        self.log(proto, listen, q)
        e = self.zone.get(q[4])
        if e and 'silent' in e['flags']:
            return
        other = bool(e and 'othersrc' in e['flags'])

        def reply():
            try:
                pkt = answer(self.zone, q, proto)
                if pkt is not None:
                    send(pkt, other)
            except OSError:              # the client went away: its choice
                pass
            except Exception as err:     # never die on one query
                print(f'dnsd: {err!r}', file=sys.stderr)
        if e and 'slow' in e:
            t = threading.Timer(e['slow'], reply)
            t.start()
            return t
        reply()
        return None

    def udp(self, sock, listen):
        try:
            data, peer = sock.recvfrom(65535)
        except OSError:
            return

        def send(pkt, other):
            if other:
                with socket.socket(sock.family, socket.SOCK_DGRAM) as s2:
                    s2.bind((sock.getsockname()[0], 0))
                    s2.sendto(pkt, peer)
            else:
                sock.sendto(pkt, peer)
        self.handle(data, 'udp', listen, send)

    def tcp(self, conn, listen):
        lock, pending = threading.Lock(), []

        def send(pkt, other):
            q = parse_query(pkt[:2] + bytes([pkt[2] & 0x7f]) + pkt[3:])  # read as the query it answers
            e = self.zone.get(q[4]) if q else None
            huge = bool(e and 'tcphuge' in e['flags'])
            with lock:
                conn.sendall(struct.pack('!H', 65535 if huge else len(pkt)) + pkt)

        def recv(n):
            buf = b''
            while len(buf) < n:
                chunk = conn.recv(n - len(buf))
                if not chunk:
                    return None
                buf += chunk
            return buf
        try:
            with conn:
                while True:
                    hdr = recv(2)
                    if hdr is None:
                        break
                    data = recv(struct.unpack('!H', hdr)[0])
                    if data is None:
                        break
                    q = parse_query(data)
                    e = self.zone.get(q[4]) if q else None
                    if e and 'tcpclose' in e['flags']:
                        # A FIN, not an RST: what the client sent after is read, and dropped.
                        self.log('tcp', listen, q)
                        conn.shutdown(socket.SHUT_WR)
                        while recv(1) is not None:
                            pass
                        break
                    t = self.handle(data, 'tcp', listen, send)
                    if t:
                        pending.append(t)
                    if e and 'tcponce' in e['flags']:
                        conn.shutdown(socket.SHUT_WR)
                        while recv(1) is not None:
                            pass
                        break
                for t in pending:        # the client may have half-closed:
                    t.join()             # send slow answers before closing
        except OSError:
            pass


def parse_listen(s):
    host, sep, port = s.rpartition(':')
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f'bad ADDR:PORT: {s}')
    if host.startswith('[') and host.endswith(']'):
        return socket.AF_INET6, host[1:-1], int(port), s
    return socket.AF_INET, host, int(port), s


def main():
    ap = argparse.ArgumentParser(description='test DNS server (see header)')
    ap.add_argument('--listen', action='append', required=True, type=parse_listen)
    ap.add_argument('--zone', required=True)
    ap.add_argument('--log', required=True)
    ap.add_argument('--pidfile')
    a = ap.parse_args()
    zone = load_zone(a.zone)
    srv = Server(zone, open(a.log, 'a'))
    sel = selectors.DefaultSelector()
    for fam, host, port, text in a.listen:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(fam, kind)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
            if kind == socket.SOCK_STREAM:
                s.listen(64)
            sel.register(s, selectors.EVENT_READ, (kind, text))
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    if a.pidfile:
        with open(a.pidfile + '.tmp', 'w') as f:
            f.write(f'{os.getpid()}\n')
        os.rename(a.pidfile + '.tmp', a.pidfile)
    while True:
        for key, _ in sel.select():
            kind, text = key.data
            try:
                if kind == socket.SOCK_DGRAM:
                    srv.udp(key.fileobj, text)
                else:
                    conn, _ = key.fileobj.accept()
                    threading.Thread(target=srv.tcp, args=(conn, text), daemon=True).start()
            except Exception as err:
                print(f'dnsd: {err!r}', file=sys.stderr)


if __name__ == '__main__':
    main()
