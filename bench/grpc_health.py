#!/usr/bin/python3
"""grpc_health.py: the Python peer of bench/run's gRPC scenario.

  /usr/bin/python3 bench/grpc_health.py [--tls-ca-cert FILE [--tls-server-name NAME]] HOST:PORT [SERVICE]

grpc.health.v1.Health/Check over HTTP/2 with Debian's python3-grpcio, 1 s to connect and answer, as
grpc_health_probe asks it. Without TLS; with --tls-ca-cert, over TLS (grpc.ssl_channel_credentials), the
server's certificate verified against FILE, for the name of HOST or NAME (grpc.ssl_target_name_override). No protobuf module: the two messages are written and read by hand
(HealthCheckRequest: field 1, the service, a string; HealthCheckResponse: field 1, the status, a
varint, 1 SERVING). Exit 0 on SERVING, 1 otherwise with a one-line reason on stderr, 2 on bad usage.
"""
import sys

import grpc

STATUS = {0: 'UNKNOWN', 1: 'SERVING', 2: 'NOT_SERVING', 3: 'SERVICE_UNKNOWN'}


def varint(b, i):
    v = shift = 0
    while True:
        if i >= len(b):
            raise ValueError('truncated varint')
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def request(service):
    name = service.encode()
    if not name:
        return b''  # proto3 leaves an empty string out
    n, length = len(name), b''
    while True:
        length += bytes([(n & 0x7f) | (0x80 if n > 0x7f else 0)])
        n >>= 7
        if not n:
            break
    return b'\x0a' + length + name


def status(resp):
    """The status field of a HealthCheckResponse (0, UNKNOWN, when absent); other fields are skipped."""
    i, st = 0, 0
    while i < len(resp):
        key, i = varint(resp, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = varint(resp, i)
            if field == 1:
                st = v
        elif wire == 2:
            n, i = varint(resp, i)
            i += n
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError('wire type %d' % wire)
    if i != len(resp):
        raise ValueError('truncated message')
    return st


USAGE = 'usage: grpc_health.py [--tls-ca-cert FILE [--tls-server-name NAME]] HOST:PORT [SERVICE]'


def channel_of(args):
    """The channel the options ask for, and the arguments left (HOST:PORT [SERVICE]); None on bad usage."""
    ca = name = None
    while args and args[0] in ('--tls-ca-cert', '--tls-server-name') and len(args) > 1:
        if args[0] == '--tls-ca-cert':
            ca = args[1]
        else:
            name = args[1]
        args = args[2:]
    if len(args) not in (1, 2) or (name is not None and ca is None):
        return None, args
    if ca is None:
        return grpc.insecure_channel(args[0]), args
    with open(ca, 'rb') as f:
        creds = grpc.ssl_channel_credentials(root_certificates=f.read())
    options = [('grpc.ssl_target_name_override', name)] if name is not None else []
    return grpc.secure_channel(args[0], creds, options), args


def main():
    try:
        channel, args = channel_of(sys.argv[1:])
    except OSError as e:
        print('grpc_health.py: %s' % e, file=sys.stderr)
        return 1
    if channel is None:
        print(USAGE, file=sys.stderr)
        return 2
    addr, service = args[0], args[1] if len(args) == 2 else ''
    with channel:
        # No serializers: the request goes as the bytes given, the response comes back as bytes.
        check = channel.unary_unary('/grpc.health.v1.Health/Check')
        try:
            resp = check(request(service), timeout=1.0, wait_for_ready=True)
        except grpc.RpcError as e:
            print('grpc_health.py: Check on %s: %s: %s' % (addr, e.code().name, e.details()), file=sys.stderr)
            return 1
    try:
        st = status(resp)
    except ValueError as e:
        print('grpc_health.py: %s: a malformed HealthCheckResponse (%s): %r' % (addr, e, resp), file=sys.stderr)
        return 1
    if st != 1:
        print('grpc_health.py: %s: service %r is %s' % (addr, service, STATUS.get(st, st)), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
