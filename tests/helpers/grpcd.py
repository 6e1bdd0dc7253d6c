#!/usr/bin/python3
"""grpcd: a test gRPC server for healthy's grpc:// check.

  grpcd.py MODE LISTEN READYFILE

Run by Debian's /usr/bin/python3 with its python3-grpcio (1.51); no protobuf
module: the health messages are a few bytes, written by hand. LISTEN is tcp4
(127.0.0.1), tcp6 ([::1]), unix:PATH or unix-abstract:NAME; TCP ports are the
kernel's pick. Once listening, the port (or "ok" for a unix socket) is written
to READYFILE atomically (READYFILE.tmp, then a rename). SIGTERM or SIGINT ends
it at once with status 0 (and removes a unix socket's PATH). With
GRPCD_TLS=CERT:KEY[:CLIENTCA] in the environment, the grpcio modes serve over
TLS (with CLIENTCA, requiring a client certificate it signed).

grpcio modes, grpc.health.v1.Health/Check:
  health          service "" and "hly-up" SERVING, "hly-down" NOT_SERVING,
                  "hly-unknown-status" UNKNOWN (an empty message: proto3 omits
                  an enum 0), "hly-service-unknown" SERVICE_UNKNOWN; any other
                  name NOT_FOUND "unknown service", as grpc's own health server;
                  a request that is no HealthCheckRequest INVALID_ARGUMENT
  nohealth        only hly.Echo/Echo, so Check gets UNIMPLEMENTED
  slow            as health, after 30 s (4 workers: a 5th call waits for one)

Raw modes: HTTP/2 written by hand, a thread per connection. Unless said, each
connection reads the client preface, sends an empty SETTINGS, ACKs the
client's SETTINGS, answers PING with its ACK, ignores everything else, and
answers a stream (1, the first) when the client ends it. Header blocks are
literals without indexing, with a new name, no Huffman (0x00, len, name, len,
value); the message is DATA 00 00000002 0801 (SERVING, uncompressed).
  goaway          GOAWAY (last stream 0, ENHANCE_YOUR_CALM, "too many pings")
                  right after its SETTINGS, then closes
  silent          reads, never writes (not even SETTINGS), never closes
  continuation    HEADERS :status 200, content-type application/grpc; DATA;
                  trailers grpc-status 0 in HEADERS (END_STREAM, no END_HEADERS)
                  and a CONTINUATION (END_HEADERS), split inside the name
  tinywindow      SETTINGS INITIAL_WINDOW_SIZE=1 and a WINDOW_UPDATE for each
                  request DATA that does not end the stream; then as
                  continuation, the trailers in one HEADERS
  huffman-dyn     HEADERS, DATA, trailers in one HEADERS, as tinywindow (with the
                  default window), but the headers are literals with
                  incremental indexing and Huffman strings (:status by static
                  name 8, content-type by a new name), and the trailers 0xbe
                  (dynamic entry 62: content-type application/grpc, put there
                  by the headers), then grpc-status 0 likewise; assumes the
                  default 4096-byte table whatever the client's
                  SETTINGS_HEADER_TABLE_SIZE
  notserving-trailers-only
                  one HEADERS (END_STREAM|END_HEADERS): :status 200,
                  content-type application/grpc, grpc-status 0; no message
  http1           no HTTP/2: reads up to an empty line (the h2 preface has
                  one), answers "HTTP/1.1 400 Bad Request", closes
  rst             RST_STREAM REFUSED_STREAM as soon as the request's headers end
"""
import os, signal, socket, stat, struct, sys, threading, time

GRPC_MODES = ('health', 'nohealth', 'slow')
RAW_MODES = ('goaway', 'silent', 'continuation', 'tinywindow', 'huffman-dyn',
             'notserving-trailers-only', 'http1', 'rst')
# HealthCheckResponse.ServingStatus by service name, for health and slow.
STATUS = {'': 1, 'hly-up': 1, 'hly-down': 2, 'hly-unknown-status': 0, 'hly-service-unknown': 3}
PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, ACK, END_HEADERS = 1, 1, 4
SERVING_DATA = b'\0\0\0\0\x02\x08\x01'

# RFC 7541 Appendix B: (code, bit length) for bytes 0..255 and EOS (256),
# taken from Debian's python3-hpack 4.0.0 and checked against the RFC's C.4/C.6 examples.
HUFFMAN = (
    (0x1ff8, 13), (0x7fffd8, 23), (0xfffffe2, 28), (0xfffffe3, 28), (0xfffffe4, 28), (0xfffffe5, 28),
    (0xfffffe6, 28), (0xfffffe7, 28), (0xfffffe8, 28), (0xffffea, 24), (0x3ffffffc, 30), (0xfffffe9, 28),
    (0xfffffea, 28), (0x3ffffffd, 30), (0xfffffeb, 28), (0xfffffec, 28), (0xfffffed, 28), (0xfffffee, 28),
    (0xfffffef, 28), (0xffffff0, 28), (0xffffff1, 28), (0xffffff2, 28), (0x3ffffffe, 30), (0xffffff3, 28),
    (0xffffff4, 28), (0xffffff5, 28), (0xffffff6, 28), (0xffffff7, 28), (0xffffff8, 28), (0xffffff9, 28),
    (0xffffffa, 28), (0xffffffb, 28), (0x14, 6), (0x3f8, 10), (0x3f9, 10), (0xffa, 12),
    (0x1ff9, 13), (0x15, 6), (0xf8, 8), (0x7fa, 11), (0x3fa, 10), (0x3fb, 10),
    (0xf9, 8), (0x7fb, 11), (0xfa, 8), (0x16, 6), (0x17, 6), (0x18, 6),
    (0x0, 5), (0x1, 5), (0x2, 5), (0x19, 6), (0x1a, 6), (0x1b, 6),
    (0x1c, 6), (0x1d, 6), (0x1e, 6), (0x1f, 6), (0x5c, 7), (0xfb, 8),
    (0x7ffc, 15), (0x20, 6), (0xffb, 12), (0x3fc, 10), (0x1ffa, 13), (0x21, 6),
    (0x5d, 7), (0x5e, 7), (0x5f, 7), (0x60, 7), (0x61, 7), (0x62, 7),
    (0x63, 7), (0x64, 7), (0x65, 7), (0x66, 7), (0x67, 7), (0x68, 7),
    (0x69, 7), (0x6a, 7), (0x6b, 7), (0x6c, 7), (0x6d, 7), (0x6e, 7),
    (0x6f, 7), (0x70, 7), (0x71, 7), (0x72, 7), (0xfc, 8), (0x73, 7),
    (0xfd, 8), (0x1ffb, 13), (0x7fff0, 19), (0x1ffc, 13), (0x3ffc, 14), (0x22, 6),
    (0x7ffd, 15), (0x3, 5), (0x23, 6), (0x4, 5), (0x24, 6), (0x5, 5),
    (0x25, 6), (0x26, 6), (0x27, 6), (0x6, 5), (0x74, 7), (0x75, 7),
    (0x28, 6), (0x29, 6), (0x2a, 6), (0x7, 5), (0x2b, 6), (0x76, 7),
    (0x2c, 6), (0x8, 5), (0x9, 5), (0x2d, 6), (0x77, 7), (0x78, 7),
    (0x79, 7), (0x7a, 7), (0x7b, 7), (0x7ffe, 15), (0x7fc, 11), (0x3ffd, 14),
    (0x1ffd, 13), (0xffffffc, 28), (0xfffe6, 20), (0x3fffd2, 22), (0xfffe7, 20), (0xfffe8, 20),
    (0x3fffd3, 22), (0x3fffd4, 22), (0x3fffd5, 22), (0x7fffd9, 23), (0x3fffd6, 22), (0x7fffda, 23),
    (0x7fffdb, 23), (0x7fffdc, 23), (0x7fffdd, 23), (0x7fffde, 23), (0xffffeb, 24), (0x7fffdf, 23),
    (0xffffec, 24), (0xffffed, 24), (0x3fffd7, 22), (0x7fffe0, 23), (0xffffee, 24), (0x7fffe1, 23),
    (0x7fffe2, 23), (0x7fffe3, 23), (0x7fffe4, 23), (0x1fffdc, 21), (0x3fffd8, 22), (0x7fffe5, 23),
    (0x3fffd9, 22), (0x7fffe6, 23), (0x7fffe7, 23), (0xffffef, 24), (0x3fffda, 22), (0x1fffdd, 21),
    (0xfffe9, 20), (0x3fffdb, 22), (0x3fffdc, 22), (0x7fffe8, 23), (0x7fffe9, 23), (0x1fffde, 21),
    (0x7fffea, 23), (0x3fffdd, 22), (0x3fffde, 22), (0xfffff0, 24), (0x1fffdf, 21), (0x3fffdf, 22),
    (0x7fffeb, 23), (0x7fffec, 23), (0x1fffe0, 21), (0x1fffe1, 21), (0x3fffe0, 22), (0x1fffe2, 21),
    (0x7fffed, 23), (0x3fffe1, 22), (0x7fffee, 23), (0x7fffef, 23), (0xfffea, 20), (0x3fffe2, 22),
    (0x3fffe3, 22), (0x3fffe4, 22), (0x7ffff0, 23), (0x3fffe5, 22), (0x3fffe6, 22), (0x7ffff1, 23),
    (0x3ffffe0, 26), (0x3ffffe1, 26), (0xfffeb, 20), (0x7fff1, 19), (0x3fffe7, 22), (0x7ffff2, 23),
    (0x3fffe8, 22), (0x1ffffec, 25), (0x3ffffe2, 26), (0x3ffffe3, 26), (0x3ffffe4, 26), (0x7ffffde, 27),
    (0x7ffffdf, 27), (0x3ffffe5, 26), (0xfffff1, 24), (0x1ffffed, 25), (0x7fff2, 19), (0x1fffe3, 21),
    (0x3ffffe6, 26), (0x7ffffe0, 27), (0x7ffffe1, 27), (0x3ffffe7, 26), (0x7ffffe2, 27), (0xfffff2, 24),
    (0x1fffe4, 21), (0x1fffe5, 21), (0x3ffffe8, 26), (0x3ffffe9, 26), (0xffffffd, 28), (0x7ffffe3, 27),
    (0x7ffffe4, 27), (0x7ffffe5, 27), (0xfffec, 20), (0xfffff3, 24), (0xfffed, 20), (0x1fffe6, 21),
    (0x3fffe9, 22), (0x1fffe7, 21), (0x1fffe8, 21), (0x7ffff3, 23), (0x3fffea, 22), (0x3fffeb, 22),
    (0x1ffffee, 25), (0x1ffffef, 25), (0xfffff4, 24), (0xfffff5, 24), (0x3ffffea, 26), (0x7ffff4, 23),
    (0x3ffffeb, 26), (0x7ffffe6, 27), (0x3ffffec, 26), (0x3ffffed, 26), (0x7ffffe7, 27), (0x7ffffe8, 27),
    (0x7ffffe9, 27), (0x7ffffea, 27), (0x7ffffeb, 27), (0xffffffe, 28), (0x7ffffec, 27), (0x7ffffed, 27),
    (0x7ffffee, 27), (0x7ffffef, 27), (0x7fffff0, 27), (0x3ffffee, 26), (0x3fffffff, 30),
)


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        shift += 7
        if c < 0x80:
            return v, i


def service_of(msg):
    """HealthCheckRequest's field 1 (service); None if msg is no such message."""
    i, name = 0, ''
    try:
        while i < len(msg):
            key, i = varint(msg, i)
            if key & 7 == 0:
                _, i = varint(msg, i)
            elif key & 7 == 2:
                n, i = varint(msg, i)
                if i + n > len(msg):
                    return None
                if key >> 3 == 1:
                    name = msg[i:i + n].decode()
                i += n
            elif key & 7 in (1, 5):
                i += 8 if key & 7 == 1 else 4
            else:
                return None
        return name if i == len(msg) else None
    except (IndexError, UnicodeDecodeError):
        return None


def grpc_server(mode, addr):
    global server   # once collected, a grpc server stops
    import grpc
    from concurrent.futures import ThreadPoolExecutor

    def check(req, ctx):
        name = service_of(req)
        if mode == 'slow':
            time.sleep(30)
        if name is None:
            ctx.abort(grpc.StatusCode.INVALID_ARGUMENT, 'bad HealthCheckRequest')
        if name not in STATUS:
            ctx.abort(grpc.StatusCode.NOT_FOUND, 'unknown service')
        return b'\x08' + bytes([STATUS[name]]) if STATUS[name] else b''

    # No (de)serializers: the handlers see and return the messages' bytes.
    if mode == 'nohealth':
        handler = grpc.method_handlers_generic_handler(
            'hly.Echo', {'Echo': grpc.unary_unary_rpc_method_handler(lambda req, ctx: req)})
    else:
        handler = grpc.method_handlers_generic_handler(
            'grpc.health.v1.Health', {'Check': grpc.unary_unary_rpc_method_handler(check)})
    # grpc sets SO_REUSEPORT by default: another suite's server could then share a port.
    server = grpc.server(ThreadPoolExecutor(max_workers=4), handlers=(handler,),
                         options=(('grpc.so_reuseport', 0),))
    tls = os.environ.get('GRPCD_TLS')
    if tls:
        # GRPCD_TLS=CERT:KEY[:CLIENTCA]: the same over TLS (grpcio's, ALPN h2), for grpcs://; with CLIENTCA,
        # a client certificate signed by it is required (mTLS).
        parts = tls.split(':')
        cert, key = parts[:2]
        ca = open(parts[2], 'rb').read() if len(parts) > 2 else None
        creds = grpc.ssl_server_credentials([(open(key, 'rb').read(), open(cert, 'rb').read())],
                                            root_certificates=ca, require_client_auth=ca is not None)
        port = server.add_secure_port(addr, creds)
    else:
        port = server.add_insecure_port(addr)   # 1.51 raises on failure; older ones return 0
    if not port:
        sys.exit(f'grpcd: cannot listen on {addr}')
    server.start()
    return port


def frame(ftype, flags, stream, payload=b''):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + struct.pack('>I', stream) + payload


def hint(v, bits, first):
    """An HPACK integer (RFC 7541 5.1) in a bits-bit prefix after the pattern first."""
    top = (1 << bits) - 1
    if v < top:
        return bytes([first | v])
    out = [first | top]
    v -= top
    while v >= 0x80:
        out.append(v & 0x7f | 0x80)
        v >>= 7
    return bytes(out + [v])


def huffman(b):
    acc = nbits = 0
    for c in b:
        code, n = HUFFMAN[c]
        acc = acc << n | code
        nbits += n
    pad = -nbits % 8
    # Padded with the most significant bits of EOS, all ones (RFC 7541 5.2).
    return (acc << pad | (1 << pad) - 1).to_bytes((nbits + pad) // 8, 'big')


def hstr(s, huff=False):
    b = s.encode()
    if huff:
        b = huffman(b)
    return hint(len(b), 7, 0x80 if huff else 0) + b


def lit(name, value):
    """Literal without indexing, new name, no Huffman."""
    return b'\0' + hstr(name) + hstr(value)


RESPONSE_HEADERS = lit(':status', '200') + lit('content-type', 'application/grpc')
TRAILERS = lit('grpc-status', '0')


def answer(mode, s):
    """The frames answering stream s."""
    if mode == 'notserving-trailers-only':
        return frame(HEADERS, END_STREAM | END_HEADERS, s, RESPONSE_HEADERS + TRAILERS)
    if mode == 'huffman-dyn':
        head = (b'\x48' + hstr('200', True)       # :status, static name 8 -> dynamic 62
                + b'\x40' + hstr('content-type', True) + hstr('application/grpc', True))
        # 62 is now content-type (the newest entry), :status 63.
        trail = b'\xbe' + b'\x40' + hstr('grpc-status', True) + hstr('0', True)
        return (frame(HEADERS, END_HEADERS, s, head) + frame(DATA, 0, s, SERVING_DATA)
                + frame(HEADERS, END_STREAM | END_HEADERS, s, trail))
    out = frame(HEADERS, END_HEADERS, s, RESPONSE_HEADERS) + frame(DATA, 0, s, SERVING_DATA)
    if mode == 'continuation':
        # Cut inside "grpc-s|tatus": a decoder must join the fragments, not decode each.
        return (out + frame(HEADERS, END_STREAM, s, TRAILERS[:8])
                + frame(CONTINUATION, END_HEADERS, s, TRAILERS[8:]))
    return out + frame(HEADERS, END_STREAM | END_HEADERS, s, TRAILERS)


def recv_exact(c, n):
    b = b''
    while len(b) < n:
        got = c.recv(n - len(b))
        if not got:
            return None
        b += got
    return b


def linger_close(c):
    """Close without a reset: unread input at close() makes the kernel send RST,
    which may destroy our last frames before the client reads them."""
    try:
        c.shutdown(socket.SHUT_WR)
        c.settimeout(2)
        while c.recv(4096):
            pass
    except OSError:
        pass
    c.close()


held = []   # silent's sockets, kept from the garbage collector (which would close them)


def serve(mode, c):
    if mode == 'silent':
        held.append(c)
        while c.recv(4096):
            pass
        return
    if mode == 'http1':
        buf = b''
        while b'\r\n\r\n' not in buf and len(buf) < 65536:
            got = c.recv(4096)
            if not got:
                break
            buf += got
        c.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        return linger_close(c)
    if recv_exact(c, len(PREFACE)) != PREFACE:
        return c.close()
    settings = struct.pack('>HI', 4, 1) if mode == 'tinywindow' else b''
    c.sendall(frame(SETTINGS, 0, 0, settings))
    if mode == 'goaway':
        c.sendall(frame(GOAWAY, 0, 0, struct.pack('>II', 0, 11) + b'too many pings'))
        return linger_close(c)
    while True:
        h = recv_exact(c, 9)
        if h is None:
            return c.close()
        n = int.from_bytes(h[:3], 'big')
        ftype, flags, s = h[3], h[4], int.from_bytes(h[5:9], 'big') & 0x7fffffff
        p = recv_exact(c, n) if n <= 16384 else None   # over our SETTINGS_MAX_FRAME_SIZE: give up
        if p is None:
            return c.close()
        if ftype == SETTINGS and not flags & ACK:
            c.sendall(frame(SETTINGS, ACK, 0))
        elif ftype == PING and not flags & ACK:
            c.sendall(frame(PING, ACK, 0, p))
        elif ftype == GOAWAY:
            return linger_close(c)
        elif ftype in (HEADERS, CONTINUATION) and flags & END_HEADERS and mode == 'rst':
            c.sendall(frame(RST_STREAM, 0, s, struct.pack('>I', 7)))
        elif ftype in (HEADERS, DATA) and flags & END_STREAM and mode != 'rst':
            # (A request ending in HEADERS would be answered before their
            # CONTINUATION; gRPC requests end in DATA.)
            c.sendall(answer(mode, s))
        elif ftype == DATA and n and mode == 'tinywindow':
            c.sendall(frame(WINDOW_UPDATE, 0, s, struct.pack('>I', n)))


def raw_server(mode, fam, addr):
    ls = socket.socket(fam, socket.SOCK_STREAM)
    if fam == socket.AF_INET6:
        ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    ls.bind(addr)
    ls.listen(64)

    def loop():
        while True:
            c, _ = ls.accept()
            threading.Thread(target=guarded, args=(mode, c), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return ls.getsockname()[1] if fam != socket.AF_UNIX else 1


def guarded(mode, c):
    try:
        serve(mode, c)
    except OSError:   # the client's reset or close: nothing to tell
        c.close()


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in GRPC_MODES + RAW_MODES:
        print('usage: grpcd.py ' + '|'.join(GRPC_MODES + RAW_MODES)
              + ' tcp4|tcp6|unix:PATH|unix-abstract:NAME READYFILE', file=sys.stderr)
        sys.exit(2)
    mode, listen, ready = sys.argv[1:]
    path = None
    if listen == 'tcp4':
        fam, addr, gaddr = socket.AF_INET, ('127.0.0.1', 0), '127.0.0.1:0'
    elif listen == 'tcp6':
        fam, addr, gaddr = socket.AF_INET6, ('::1', 0), '[::1]:0'
    elif listen.startswith('unix:'):
        path = listen[5:]
        fam, addr, gaddr = socket.AF_UNIX, path, listen
        if os.path.exists(path) and stat.S_ISSOCK(os.stat(path).st_mode):
            os.unlink(path)   # a killed run's: bind would fail on it
    elif listen.startswith('unix-abstract:'):
        fam, addr, gaddr = socket.AF_UNIX, '\0' + listen[14:], listen
    else:
        print(f'grpcd: bad LISTEN {listen}', file=sys.stderr)
        sys.exit(2)

    def bye(*_):
        if path:
            try:
                os.unlink(path)
            except OSError:
                pass
        os._exit(0)   # now, whatever grpc's or the connections' threads are doing

    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)
    port = grpc_server(mode, gaddr) if mode in GRPC_MODES else raw_server(mode, fam, addr)
    with open(ready + '.tmp', 'w') as f:
        f.write('ok\n' if fam == socket.AF_UNIX else f'{port}\n')
    os.rename(ready + '.tmp', ready)
    while True:
        signal.pause()


if __name__ == '__main__':
    main()
