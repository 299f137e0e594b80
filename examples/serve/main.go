// Command serve runs maskkit's HTTP classification service (package
// maskcls/serve) over an ensemble config:
//
//	go run ./examples/serve -addr 127.0.0.1:8080 [-ensemble cfg.json]
//
// It listens at once and answers /readyz with 503 until the models are
// loaded. SIGTERM or Ctrl-C stops it gracefully: it stops accepting
// connections and finishes the requests in flight.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
	"github.com/maskkit/maskkit/maskcls/serve"
)

func main() {
	var (
		addr     = flag.String("addr", "127.0.0.1:8080", "address to listen on")
		ensemble = flag.String("ensemble", "testdata/models/ensemble.json", "ensemble config (JSON)")
		o        serve.Options
		jsonLogs = flag.Bool("json-logs", false, "log JSON lines instead of text")
	)
	flag.Int64Var(&o.MaxBodyBytes, "max-body", 16<<20, "largest request body in bytes (413 above)")
	flag.Int64Var(&o.MaxPixels, "max-pixels", 4096*4096, "most pixels a photo may declare (422 above)")
	flag.IntVar(&o.MaxBatch, "max-batch", 64, "most photos in one batch request")
	flag.IntVar(&o.MaxConcurrent, "max-concurrent", 0, "requests at work at once (0: 4 x GOMAXPROCS)")
	flag.DurationVar(&o.QueueWait, "queue-wait", 2*time.Second, "how long a request waits for a slot before 503")
	flag.DurationVar(&o.RequestTimeout, "timeout", 30*time.Second, "request timeout")
	flag.DurationVar(&o.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "how long shutdown waits for requests in flight")
	cli.Usage(flag.CommandLine, "serve", "serve an ensemble over HTTP: POST /v1/classify and /v1/classify/batch, GET /healthz, /readyz and /metrics",
		"serve -addr 127.0.0.1:8080 [-ensemble cfg.json]",
		"With no -ensemble, from the module root: the default models in testdata/models.",
		"It listens at once; /readyz answers 503 until the models are loaded. SIGTERM or Ctrl-C drains and stops it.")
	flag.Parse()

	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if *jsonLogs {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	o.Logger = slog.New(h)
	if err := run(*addr, *ensemble, &o); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(addr, cfg string, o *serve.Options) error {
	// A missing or malformed config fails before the service says it is
	// serving; the models themselves load while it listens.
	if err := checkConfig(cfg); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s := serve.New(nil, o)
	loaded := make(chan error, 1)
	go func() {
		start := time.Now()
		e, err := maskcls.LoadEnsemble(cfg, nil)
		if err != nil {
			loaded <- err
			return
		}
		s.SetClassifier(e)
		o.Logger.Info("models loaded", "ensemble", cfg, "members", len(e.Members()), "took", time.Since(start))
		loaded <- nil
	}()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	select {
	case err := <-loaded:
		if err != nil {
			stop() // no models: shut the listener down and report
			<-served
			return err
		}
	case err := <-served:
		return err
	}
	return <-served
}

// checkConfig reads and decodes the ensemble config file.
func checkConfig(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("-ensemble: %w", err)
	}
	defer f.Close()
	if _, err := maskcls.ReadEnsembleConfig(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
