// Command loadtest measures the classification service on loopback:
// sustained requests per second and p50/p99 latency at several numbers of
// concurrent clients, errors, and the server's memory over the run.
//
//	go run ./examples/loadtest [-clients 1,8,32] [-duration 20s] [-soak 60s] [-ensemble cfg.json]
//
// By default it starts the service (package maskcls/serve) in this process
// on 127.0.0.1 with the default model set, so it can watch its heap and
// RSS, and posts the synthetic eval photos to /v1/classify. -addr targets a
// service already running, but only on a loopback address. Every phase is
// bounded by -duration and -max-requests, so the program stops by itself.
// It exits with status 1 if any request fails.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
	"github.com/maskkit/maskkit/maskcls/serve"
)

func main() {
	var (
		clients  = flag.String("clients", "1,8,32", "comma-separated numbers of concurrent clients, one phase each")
		duration = flag.Duration("duration", 20*time.Second, "length of each phase")
		warmup   = flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before each phase")
		maxReq   = flag.Int("max-requests", 200000, "most requests in one phase")
		ensemble = flag.String("ensemble", "testdata/models/ensemble.json", "ensemble config for the in-process service")
		photos   = flag.String("photos", "testdata/synth/eval/images", "folder of JPEG/PNG photos to post")
		addr     = flag.String("addr", "", "loopback host:port of a running service (default: start one in-process)")
		workers  = flag.Int("workers", 0, "maskcls.EnsembleOptions.Workers of the in-process ensemble (0: GOMAXPROCS)")
		wait     = flag.Duration("queue-wait", 10*time.Second, "serve.Options.QueueWait of the in-process service: long enough for 32 clients queueing on 2 shared cores (the service default is 2s)")
		soak     = flag.Duration("soak", 60*time.Second, "after the phases, load at the largest client count this long, marking the live heap six times")
	)
	cli.Usage(flag.CommandLine, "loadtest", "measure the classification service on loopback: requests per second, p50/p99 latency, errors and memory",
		"loadtest [-clients 1,8,32] [-duration 20s] [-soak 60s] [-ensemble cfg.json]",
		"loadtest -addr 127.0.0.1:8080    # a service already running, on loopback only",
		"Every phase is bounded by -duration and -max-requests; any failed request exits 1.")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "loadtest: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*clients, *duration, *warmup, *maxReq, *ensemble, *photos, *addr, *workers, *wait, *soak); err != nil {
		fmt.Fprintln(os.Stderr, cli.Message("loadtest", err))
		os.Exit(1)
	}
}

func run(clientList string, duration, warmup time.Duration, maxReq int, cfg, photoDir, addr string, workers int, wait, soak time.Duration) error {
	var levels []int
	for _, f := range strings.Split(clientList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return fmt.Errorf("-clients: %q is not a number of clients in [1, 1024]", f)
		}
		levels = append(levels, n)
	}
	bodies, err := readPhotos(photoDir)
	if err != nil {
		return err
	}
	inProcess := addr == ""
	if inProcess {
		stop, a, err := startServer(cfg, workers, wait)
		if err != nil {
			return err
		}
		defer stop()
		addr = a
	} else if err := checkLoopback(addr); err != nil {
		return err
	}
	url := "http://" + addr + "/v1/classify"
	client := &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true},
	}

	mem := newMemWatch(inProcess)
	fmt.Printf("loadtest: %s, %d photos, GOMAXPROCS %d, %v per phase\n", url, len(bodies), runtime.GOMAXPROCS(0), duration)
	fmt.Printf("%8s %9s %7s %9s %9s %9s %9s\n", "clients", "requests", "errors", "req/s", "p50", "p99", "max")
	failed := 0
	for _, c := range levels {
		phase(client, url, bodies, c, warmup, 0) // warm-up: connections, caches
		res := phase(client, url, bodies, c, duration, maxReq)
		failed += res.errors
		fmt.Printf("%8d %9d %7d %9.1f %9s %9s %9s\n", c, len(res.lat), res.errors, res.rate(),
			pct(res.lat, 0.50), pct(res.lat, 0.99), pct(res.lat, 1))
		for _, e := range res.firstErrs {
			fmt.Println("   error:", e)
		}
		mem.mark(fmt.Sprintf("after %d clients", c))
	}
	if soak > 0 {
		// A steady load: a leak shows as a live heap that keeps growing
		// from mark to mark.
		c := levels[len(levels)-1]
		fmt.Printf("soak: %d clients for %v\n", c, soak)
		for i := range 6 {
			res := phase(client, url, bodies, c, soak/6, maxReq)
			failed += res.errors
			fmt.Printf("%8d %9d %7d %9.1f %9s %9s %9s\n", c, len(res.lat), res.errors, res.rate(),
				pct(res.lat, 0.50), pct(res.lat, 0.99), pct(res.lat, 1))
			mem.mark(fmt.Sprintf("soak %ds", int((soak / 6 * time.Duration(i+1)).Seconds())))
		}
	}
	mem.report()
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// checkLoopback refuses any address that is not a loopback IP: this
// program must never send traffic off the machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: only a loopback IP address (127.0.0.1, ::1) is allowed", addr)
	}
	return nil
}

// startServer starts the service on 127.0.0.1 with the ensemble and waits
// until it is ready.
func startServer(cfg string, workers int, wait time.Duration) (stop func(), addr string, err error) {
	e, err := maskcls.LoadEnsemble(cfg, &maskcls.EnsembleOptions{Workers: workers})
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	s := serve.New(e, &serve.Options{Logger: slog.New(slog.DiscardHandler), QueueWait: wait})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	return func() { cancel(); <-done }, ln.Addr().String(), nil
}

func readPhotos(dir string) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var bodies [][]byte
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".jpg", ".jpeg", ".png":
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			bodies = append(bodies, b)
		}
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("no JPEG or PNG photos in %s", dir)
	}
	return bodies, nil
}

type result struct {
	lat       []time.Duration
	errors    int
	firstErrs []string
	elapsed   time.Duration
}

func (r *result) rate() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

// phase runs c clients, each posting photos one after another, for d (and
// at most maxReq requests in all when maxReq > 0).
func phase(client *http.Client, url string, bodies [][]byte, c int, d time.Duration, maxReq int) *result {
	var (
		mu    sync.Mutex
		res   = &result{}
		count atomic.Int64
		wg    sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for g := range c {
		wg.Go(func() {
			var lat []time.Duration
			var errs []string
			nerr := 0
			for k := g; time.Now().Before(deadline); k += c {
				if maxReq > 0 && count.Add(1) > int64(maxReq) {
					break
				}
				t := time.Now()
				err := post(client, url, bodies[k%len(bodies)])
				if err != nil {
					nerr++
					if len(errs) < 3 {
						errs = append(errs, err.Error())
					}
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += nerr
			if len(res.firstErrs) < 3 {
				res.firstErrs = append(res.firstErrs, errs...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.lat)
	return res
}

func post(client *http.Client, url string, body []byte) error {
	resp, err := client.Post(url, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if !bytes.HasPrefix(data, []byte(`{"class":`)) {
		return errors.New("answer is not a classification: " + string(data))
	}
	return nil
}

// pct returns the q-quantile of sorted durations (nearest rank).
func pct(sorted []time.Duration, q float64) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(10 * time.Microsecond).String()
}
