// grpc_health_server: the server of bench/run's gRPC scenario, when Go and Debian's grpc-go are there. A
// benchmark of clients wants the quickest answer it can get, so that the clients' own cost shows: on a fresh
// connection, from the request's write to the end of the answer, grpc-go's server took about 0.2 ms where
// python3-grpcio's thread pool (tests/helpers/grpcd.py) took 0.4 to 0.6 (2 CPUs, loopback). grpc.health.v1
// as grpc-go serves it (google.golang.org/grpc/health: service "" SERVING), on 127.0.0.1, a port of the
// kernel's pick, written to READYFILE once listening (READYFILE.tmp, then a rename: the protocol of
// grpcd.py). SIGTERM or SIGINT ends it at once with status 0. With -cert and -key (PEM files), it serves over TLS
// (credentials.NewServerTLSFromFile: TLS 1.2 and 1.3, ALPN h2), for grpcs:// and the clients' TLS rows.
//
//	grpc-health-server [-cert FILE -key FILE] READYFILE
//
// bench/run builds it offline, in GOPATH mode against /usr/share/gocode, beside bench/grpc_health.go.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	cert := flag.String("cert", "", "PEM certificate chain: serve over TLS (with -key)")
	key := flag.String("key", "", "PEM private key of -cert")
	flag.Parse()
	if flag.NArg() != 1 || (*cert == "") != (*key == "") {
		fmt.Fprintln(os.Stderr, "usage: grpc-health-server [-cert FILE -key FILE] READYFILE")
		os.Exit(2)
	}
	ready := flag.Arg(0)
	var opts []grpc.ServerOption
	if *cert != "" {
		creds, err := credentials.NewServerTLSFromFile(*cert, *key)
		if err != nil {
			fmt.Fprintf(os.Stderr, "grpc-health-server: %v\n", err)
			os.Exit(1)
		}
		opts = append(opts, grpc.Creds(creds))
	}
	lis, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-server: listen: %v\n", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(opts...)
	hs := health.NewServer() // "" is SERVING from the start; said again so that nobody has to look
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		os.Exit(0) // now, whatever the connections are doing
	}()

	port := lis.Addr().(*net.TCPAddr).Port
	if err := os.WriteFile(ready+".tmp", []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-server: %v\n", err)
		os.Exit(1)
	}
	if err := os.Rename(ready+".tmp", ready); err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-server: %v\n", err)
		os.Exit(1)
	}
	if err := srv.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "grpc-health-server: serve: %v\n", err)
		os.Exit(1)
	}
}
