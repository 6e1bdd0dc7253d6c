// grpc_health: the peer row of bench/run's gRPC scenario. What grpc_health_probe does, on the library it is
// built on (Debian's golang-google-grpc-dev): grpc.health.v1.Health/Check over HTTP/2, 1 s to connect and
// answer. Exit 0 on SERVING, 1 otherwise, with a one-line reason on stderr. Without -tls, plaintext; with it,
// TLS as grpc_health_probe's flags of the same names make it: the system's roots, or -tls-ca-cert's, or no
// verification at all with -tls-no-verify (InsecureSkipVerify); -tls-server-name names the server to verify.
//
//	grpc-health-go -addr HOST:PORT [-service NAME] [-tls [-tls-no-verify] [-tls-ca-cert FILE] [-tls-server-name NAME]]
//
// bench/run builds it offline, in GOPATH mode against /usr/share/gocode (no module download).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	addr := flag.String("addr", "", "HOST:PORT of the gRPC server")
	service := flag.String("service", "", "the service to ask about (\"\": the server as a whole)")
	useTLS := flag.Bool("tls", false, "TLS (ALPN h2), verified against the system's roots unless told otherwise")
	noVerify := flag.Bool("tls-no-verify", false, "with -tls: no verification of the server's certificate")
	caCert := flag.String("tls-ca-cert", "", "with -tls: verify against the CA certificates of this PEM file")
	serverName := flag.String("tls-server-name", "", "with -tls: the name to verify (and send as SNI)")
	flag.Parse()
	if *addr == "" || flag.NArg() != 0 || (!*useTLS && (*noVerify || *caCert != "" || *serverName != "")) {
		fmt.Fprintln(os.Stderr, "usage: grpc-health-go -addr HOST:PORT [-service NAME] [-tls [-tls-no-verify] [-tls-ca-cert FILE] [-tls-server-name NAME]]")
		os.Exit(2)
	}
	// grpc 1.33 (Debian bookworm) has no credentials/insecure; WithInsecure is its way to say plaintext.
	security := grpc.WithInsecure()
	if *useTLS {
		// As grpc_health_probe builds its tls.Config.
		cfg := &tls.Config{InsecureSkipVerify: *noVerify, ServerName: *serverName}
		if *caCert != "" {
			pem, err := ioutil.ReadFile(*caCert)
			if err != nil {
				fmt.Fprintf(os.Stderr, "grpc-health-go: %v\n", err)
				os.Exit(1)
			}
			cfg.RootCAs = x509.NewCertPool()
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				fmt.Fprintf(os.Stderr, "grpc-health-go: %s: no PEM certificate\n", *caCert)
				os.Exit(1)
			}
		}
		security = grpc.WithTransportCredentials(credentials.NewTLS(cfg))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// WithBlock: connect within the deadline, as grpc_health_probe does, rather than fail fast.
	conn, err := grpc.DialContext(ctx, *addr, security, grpc.WithBlock())
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-go: connecting to %s: %v\n", *addr, err)
		os.Exit(1)
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: *service})
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-go: Check on %s: %v\n", *addr, err)
		conn.Close()
		os.Exit(1)
	}
	if s := resp.GetStatus(); s != healthpb.HealthCheckResponse_SERVING {
		fmt.Fprintf(os.Stderr, "grpc-health-go: %s: service %q is %v\n", *addr, *service, s)
		conn.Close()
		os.Exit(1)
	}
}
