// Command hostile replays hostile and careless clients against the
// classification service on loopback and prints what the server survived:
// its peak RSS, the answers to decompression bombs, the share of
// legitimate requests served beside slow bodies, and requests per second.
//
//	go build -o /tmp/serve ./examples/serve
//	go run ./examples/hostile -server /tmp/serve [-phases bombs,slow,throughput] [-time 10s]
//
// It starts the server binary itself (twice for the bombs: at its default
// pixel limit, then with -max-pixels 16777216 so the bombs get in and meet
// the memory budget), on 127.0.0.1 only, and reads the server's peak
// resident memory from /proc/PID/status (VmHWM). Every phase is bounded in
// requests and time, so the program stops by itself. Run it against an
// older build of examples/serve for a before-and-after comparison; the
// older server may not survive the bombs phase.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
)

func main() {
	var (
		server = flag.String("server", "", "serve binary to start (go build -o /tmp/serve ./examples/serve)")
		phases = flag.String("phases", "bombs,slow,throughput", "comma-separated phases to run")
		d      = flag.Duration("time", 10*time.Second, "length of the slow-body and throughput phases")
		root   = flag.String("root", ".", "the repository root, for testdata")
	)
	cli.Usage(flag.CommandLine, "hostile", "replay hostile clients (decompression bombs, slow bodies) against examples/serve on loopback and print its peak RSS, answers and rates",
		"go build -o /tmp/serve ./examples/serve && hostile -server /tmp/serve [-phases bombs,slow,throughput] [-time 10s]",
		"It starts the server binary itself, on 127.0.0.1 only; every phase is bounded in requests and time.")
	flag.Parse()
	var err error
	switch {
	case *server == "":
		err = errors.New("-server is required: the examples/serve binary to start (go build -o /tmp/serve ./examples/serve)")
	case flag.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", flag.Arg(0))
	default:
		err = run(*server, *phases, *root, *d)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, cli.Message("hostile", err))
		os.Exit(1)
	}
}

func run(server, phases, root string, d time.Duration) error {
	list := strings.Split(phases, ",")
	for _, ph := range list {
		if ph != "bombs" && ph != "slow" && ph != "throughput" {
			return fmt.Errorf("unknown phase %q: want bombs, slow or throughput", ph)
		}
	}
	var files [3][]byte
	for i, p := range [][]string{
		{"maskcls", "serve", "testdata", "photos", "bomb_rgb16_4096.png"},
		{"maskcls", "serve", "testdata", "photos", "bomb_progressive_4096.jpg"},
		{"testdata", "photos", "astronaut_384x512.jpg"},
	} {
		b, err := os.ReadFile(filepath.Join(append([]string{root}, p...)...))
		if err != nil {
			return fmt.Errorf("%w (run from the module root, or give -root)", err)
		}
		files[i] = b
	}
	bomb16, bombJPEG, full := files[0], files[1], files[2]
	small, err := synthPhotos(filepath.Join(root, "testdata", "synth", "eval", "images"))
	if err != nil {
		return err
	}
	for _, ph := range list {
		switch ph {
		case "bombs":
			for _, args := range [][]string{nil, {"-max-pixels", "16777216"}} {
				err := withServer(server, args, func(url string) {
					fmt.Printf("== bombs, server flags %v\n", args)
					batch, ctype := multipartBody(slices.Repeat([][]byte{bomb16}, 64))
					fmt.Printf("64 x 4096x4096 16-bit PNG in one batch (%d bytes): %s\n", len(batch), post(url+"/v1/classify/batch", ctype, batch))
					fmt.Printf("8 concurrent progressive 4096x4096 JPEGs (%d bytes each): %s\n", len(bombJPEG), concurrent(8, func() string { return post(url+"/v1/classify", "image/jpeg", bombJPEG) }))
					mid := png16(2048)
					fmt.Printf("16 concurrent 2048x2048 16-bit PNGs (%d bytes each): %s\n", len(mid), concurrent(16, func() string { return post(url+"/v1/classify", "image/png", mid) }))
					batch, ctype = multipartBody(slices.Repeat([][]byte{full}, 64))
					fmt.Printf("64 x 384x512 JPEG in one batch: %s\n", post(url+"/v1/classify/batch", ctype, batch))
				})
				if err != nil {
					return err
				}
			}
		case "slow":
			err := withServer(server, nil, func(url string) {
				fmt.Printf("== 10 slow bodies (1 byte/s) beside 8 legitimate clients of 384x512 photos for %v\n", d)
				stop := slowBodies(url, 10, d+2*time.Second)
				r := load(url, [][]byte{full}, 8, d)
				stop()
				fmt.Println(r)
			})
			if err != nil {
				return err
			}
		case "throughput":
			err := withServer(server, nil, func(url string) {
				fmt.Printf("== throughput for %v each\n", d)
				fmt.Println("48x64 synthetic photos, 32 clients:", load(url, small, 32, d))
				fmt.Println("384x512 photo, 64 clients:         ", load(url, [][]byte{full}, 64, d))
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// withServer starts the server binary on a free loopback port, waits until
// it is ready, runs f, checks /healthz, prints the server's peak RSS, and
// stops it with SIGTERM.
func withServer(bin string, args []string, f func(url string)) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	url := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := http.Get(url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited before it was ready: %v\n%s", err, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			return fmt.Errorf("server not ready after 60 s\n%s", logs.String())
		}
	}
	f(url)
	health := "no answer"
	if res, err := http.Get(url + "/healthz"); err == nil {
		health = res.Status
		res.Body.Close()
	}
	fmt.Printf("after: /healthz %s; server peak RSS %s\n", health, peakRSS(cmd.Process.Pid))
	select {
	case err := <-exited:
		fmt.Printf("THE SERVER DIED: %v\n%s", err, tail(logs.String(), 2000))
		return nil
	default:
	}
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
	return nil
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// peakRSS reads VmHWM, the process's peak resident set, from /proc.
func peakRSS(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(v, &kb)
			return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
		}
	}
	return "unknown"
}

var client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}

// post sends one request and returns "STATUS reason".
func post(url, ctype string, body []byte) string {
	res, err := client.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		return "connection error: " + err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
	if res.StatusCode == 200 {
		return "200"
	}
	return fmt.Sprintf("%d %s", res.StatusCode, bytes.TrimSpace(b))
}

// concurrent runs f n times at once and counts the distinct answers.
func concurrent(n int, f func() string) string {
	var mu sync.Mutex
	count := map[string]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			a := f()
			mu.Lock()
			count[a]++
			mu.Unlock()
		})
	}
	wg.Wait()
	var out []string
	for a, c := range count {
		out = append(out, fmt.Sprintf("%d x %s", c, a))
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

// slowBodies opens n connections that declare a 100,000-byte photo and
// send it one byte a second, until stop is called or d has passed.
func slowBodies(url string, n int, d time.Duration) (stop func()) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	var wg sync.WaitGroup
	host := strings.TrimPrefix(url, "http://")
	for range n {
		wg.Go(func() {
			conn, err := net.Dial("tcp", host)
			if err != nil {
				return
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n")
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
				if _, err := conn.Write([]byte{0}); err != nil {
					return
				}
			}
		})
	}
	return func() { cancel(); wg.Wait() }
}

// loadResult is what a load phase measured.
type loadResult struct {
	ok, total, connErrs int64
	codes               map[int]int64
	lat                 []time.Duration
	elapsed             time.Duration
}

func (r *loadResult) String() string {
	slices.Sort(r.lat)
	p := func(q float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))]
	}
	return fmt.Sprintf("%d requests, %d ok (%.1f%%), statuses %v, %d connection errors, %.1f req/s, p50 %v, p99 %v",
		r.total, r.ok, 100*float64(r.ok)/float64(max(r.total, 1)), r.codes, r.connErrs,
		float64(r.ok)/r.elapsed.Seconds(), p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond))
}

// load runs c clients posting the bodies in turn for d (at most 200,000
// requests).
func load(url string, bodies [][]byte, c int, d time.Duration) *loadResult {
	r := &loadResult{codes: map[int]int64{}}
	var mu sync.Mutex
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for time.Since(start) < d {
				i := next.Add(1)
				if i > 200000 {
					return
				}
				t0 := time.Now()
				res, err := client.Post(url+"/v1/classify", "image/jpeg", bytes.NewReader(bodies[int(i)%len(bodies)]))
				mu.Lock()
				r.total++
				if err != nil {
					r.connErrs++
					mu.Unlock()
					continue
				}
				mu.Unlock()
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mu.Lock()
				r.codes[res.StatusCode]++
				if res.StatusCode == 200 {
					r.ok++
					r.lat = append(r.lat, time.Since(t0))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	return r
}

// multipartBody is a multipart/form-data body with one file part per photo.
func multipartBody(photos [][]byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i, p := range photos {
		fw, _ := mw.CreateFormFile("image", fmt.Sprintf("photo%d", i))
		fw.Write(p)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// png16 is a side x side 16-bit PNG of one colour: 8 bytes a pixel decoded.
func png16(side int) []byte {
	img := image.NewRGBA64(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var buf bytes.Buffer
	(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	return buf.Bytes()
}

// synthPhotos reads the synthetic eval photos.
func synthPhotos(dir string) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no photos in %s", dir)
	}
	return out, nil
}
