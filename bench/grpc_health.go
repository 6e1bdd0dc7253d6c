// grpc_health: the peer row of bench/run's gRPC scenario. What grpc_health_probe does, on the library it is
// built on (Debian's golang-google-grpc-dev): grpc.health.v1.Health/Check over HTTP/2 without TLS, 1 s to
// connect and answer. Exit 0 on SERVING, 1 otherwise, with a one-line reason on stderr.
//
//	grpc-health-go -addr HOST:PORT [-service NAME]
//
// bench/run builds it offline, in GOPATH mode against /usr/share/gocode (no module download).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	addr := flag.String("addr", "", "HOST:PORT of the gRPC server")
	service := flag.String("service", "", "the service to ask about (\"\": the server as a whole)")
	flag.Parse()
	if *addr == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: grpc-health-go -addr HOST:PORT [-service NAME]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// grpc 1.33 (Debian bookworm) has no credentials/insecure; WithInsecure is its way to say plaintext.
	// WithBlock: connect within the deadline, as grpc_health_probe does, rather than fail fast.
	conn, err := grpc.DialContext(ctx, *addr, grpc.WithInsecure(), grpc.WithBlock())
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
