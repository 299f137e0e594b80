// Command serve runs maskkit's HTTP classification service (package
// maskcls/serve) over an ensemble config:
//
//	go run ./examples/serve -addr 127.0.0.1:8080 [-ensemble cfg.json]
//
// It listens at once and answers /readyz with 503 until the models are
// loaded. Requests are charged against one memory budget (-memory, 256 MiB
// by default) before their photos are decoded, and the Go runtime's soft
// memory limit is set to the budget plus 128 MiB unless GOMEMLIMIT is set,
// so the process stays under about 512 MiB whatever it is sent. SIGTERM or Ctrl-C stops it gracefully: it stops accepting
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
	"runtime/debug"
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
	flag.Int64Var(&o.MaxPixels, "max-pixels", 1<<20, "most pixels a photo may declare (422 above); the default 1024x1024 is five competition photos (384x512)")
	flag.IntVar(&o.MaxBatch, "max-batch", 64, "most photos in one batch request")
	flag.Int64Var(&o.MemoryBudget, "memory", 256<<20, "bytes all requests may hold at once: bodies and decoded photos (503 when full)")
	flag.Int64Var(&o.MaxRequestMemory, "max-request-memory", 0, "bytes one request may hold (413 above; 0: half of -memory)")
	flag.IntVar(&o.MaxConcurrent, "max-concurrent", 0, "requests classifying at once (0: 4 x GOMAXPROCS)")
	flag.DurationVar(&o.QueueWait, "queue-wait", 2*time.Second, "how long a request waits for memory, then for a work slot, before 503")
	flag.DurationVar(&o.BodyTimeout, "body-timeout", 10*time.Second, "how long a client may take to send its body (408 after)")
	flag.DurationVar(&o.RequestTimeout, "timeout", 30*time.Second, "request timeout, from the end of the body to the answer")
	flag.DurationVar(&o.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "how long shutdown waits for requests in flight")
	cli.Usage(flag.CommandLine, "serve", "serve an ensemble over HTTP: POST /v1/classify and /v1/classify/batch, GET /healthz, /readyz and /metrics",
		"serve -addr 127.0.0.1:8080 [-ensemble cfg.json]",
		"With no -ensemble, from the module root: the default models in testdata/models.",
		"It listens at once; /readyz answers 503 until the models are loaded. SIGTERM or Ctrl-C drains and stops it.")
	flag.Parse()
	// The budget bounds the bytes requests hold; the Go runtime's soft
	// limit keeps the garbage they leave from piling up on top of it, so
	// the process stays within the budget plus the models and the
	// runtime. GOMEMLIMIT in the environment takes precedence.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(o.MemoryBudget + 128<<20)
	}

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
