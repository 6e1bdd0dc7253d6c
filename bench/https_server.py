#!/usr/bin/python3
"""https_server.py: the https server of bench/run's scenario 5 when there is no nginx to serve it.

  /usr/bin/python3 bench/https_server.py CERT KEY READYFILE

What holder http-serve answers (200, "ok\\n", to every GET and HEAD, then close), over TLS (Python's ssl:
OpenSSL's TLS 1.2 and 1.3), on 127.0.0.1, a port of the kernel's pick written to READYFILE once listening
(READYFILE.tmp, then a rename). One thread per connection, the handshake in that thread. SIGTERM ends it.
"""
import http.server
import os
import signal
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def setup(self):
        self.request.do_handshake()  # in the connection's thread, not in the accepting one
        super().setup()

    def answer(self, body):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', '3')
        self.send_header('Connection', 'close')
        self.end_headers()
        if body:
            self.wfile.write(b'ok\n')
        self.close_connection = True

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):
        pass  # a client that leaves mid-handshake is no news


def main():
    if len(sys.argv) != 4:
        print('usage: https_server.py CERT KEY READYFILE', file=sys.stderr)
        return 2
    cert, key, ready = sys.argv[1:]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = Server(('127.0.0.1', 0), Handler, bind_and_activate=True)
    srv.ctx = ctx
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    with open(ready + '.tmp', 'w') as f:
        f.write('%d\n' % srv.server_address[1])
    os.rename(ready + '.tmp', ready)
    srv.serve_forever()
    return 0


if __name__ == '__main__':
    sys.exit(main())
