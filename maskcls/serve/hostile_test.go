package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveLoopback runs s on a loopback listener until the test ends and
// returns its address.
func serveLoopback(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "Serve")
	})
	return ln.Addr().String()
}

// metricsText fetches /metrics.
func metricsText(t *testing.T, addr string) string {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestSlowBodiesDoNotLockOut: ten clients dribbling their bodies at 10
// bytes a second hold no work slot while they do, so legitimate requests
// on a server of two slots are all answered; the slow ones get 408 after
// BodyTimeout, with a reason that names no socket.
func TestSlowBodiesDoNotLockOut(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet, MaxConcurrent: 2, BodyTimeout: 1500 * time.Millisecond})
	addr := serveLoopback(t, s)
	body := photo(t, "png", 48, 64, color.RGBA{50, 60, 70, 255})

	var slow sync.WaitGroup
	answers := make(chan string, 10)
	for range 10 {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		fmt.Fprintf(conn, "POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n", len(body))
		slow.Go(func() {
			stop := make(chan struct{})
			go func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
					}
					if _, err := conn.Write(body[i : i+1]); err != nil {
						return
					}
				}
			}()
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			close(stop)
			if err != nil {
				answers <- "no answer: " + err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			answers <- fmt.Sprintf("%d %s", res.StatusCode, bytes.TrimSpace(b))
		})
	}
	time.Sleep(200 * time.Millisecond) // the slow requests are all in

	var ok, total atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for range 4 {
		wg.Go(func() {
			for range 10 {
				total.Add(1)
				res, err := client.Post("http://"+addr+"/v1/classify", "image/png", bytes.NewReader(body))
				if err != nil {
					t.Errorf("legitimate request: %v", err)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if rate := float64(ok.Load()) / float64(total.Load()); rate < 0.95 {
		t.Errorf("%d of %d legitimate requests answered 200 beside 10 slow bodies, want at least 95%%", ok.Load(), total.Load())
	}
	slow.Wait()
	close(answers)
	for a := range answers {
		if !strings.HasPrefix(a, `408 {"error":"the body did not arrive within 1.5s"}`) {
			t.Errorf("slow body answered %q, want 408 naming the body timeout", a)
		}
	}
	if text := metricsText(t, addr); !strings.Contains(text, `maskkit_http_requests_total{route="/v1/classify",code="408"} 10`) {
		t.Errorf("metrics lack the 10 slow bodies:\n%s", text)
	}
}

// TestRejectionsCounted: requests net/http refuses itself, and headers
// that never complete, are counted in /metrics by reason.
func TestRejectionsCounted(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet, BodyTimeout: 300 * time.Millisecond})
	addr := serveLoopback(t, s)
	send := func(raw string, wantStatus string) {
		t.Helper()
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		io.WriteString(conn, raw)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(conn) // the server closes the connection
		if !strings.HasPrefix(string(got), wantStatus) {
			t.Errorf("%.40q: answer %.60q, want %q", raw, got, wantStatus)
		}
	}
	send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 80<<10)+"\r\n\r\n", "HTTP/1.1 431")
	send("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/1.1 505")
	send("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: zip\r\n\r\n", "HTTP/1.1 501")
	send("NONSENSE\r\n\r\n", "HTTP/1.1 400")
	send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow:", "") // the header timeout: no answer
	// An ordinary request on a kept-alive connection is not a rejection.
	res, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	want := []string{
		`maskkit_http_rejected_total{reason="400"} 1`,
		`maskkit_http_rejected_total{reason="431"} 1`,
		`maskkit_http_rejected_total{reason="501"} 1`,
		`maskkit_http_rejected_total{reason="505"} 1`,
		`maskkit_http_rejected_total{reason="incomplete_request"} 1`,
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		text := metricsText(t, addr)
		missing := ""
		for _, w := range want {
			if !strings.Contains(text, w+"\n") {
				missing = w
			}
		}
		if missing == "" {
			if strings.Count(text, "maskkit_http_rejected_total{") != len(want) {
				t.Errorf("more rejections than sent:\n%s", text)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics lack %q:\n%s", missing, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestClientGoneIs499: a client that cancels while its request waits is
// recorded as 499 (client closed), not as the server's 503.
func TestClientGoneIs499(t *testing.T) {
	b := newBlocking()
	s := New(b, &Options{Logger: quiet})
	addr := serveLoopback(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/v1/classify", bytes.NewReader(photo(t, "png", 4, 4, color.RGBA{})))
	errc := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	<-b.started
	cancel()
	<-errc
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(metricsText(t, addr), `maskkit_http_requests_total{route="/v1/classify",code="499"} 1`) {
		if time.Now().After(deadline) {
			t.Fatalf("metrics lack the 499:\n%s", metricsText(t, addr))
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(b.release)
}

// TestReadinessSaturated: while every work slot is busy and requests wait
// behind them, /readyz answers 503 "saturated"; then 200 again.
func TestReadinessSaturated(t *testing.T) {
	b := newBlocking()
	s := New(b, &Options{Logger: quiet, MaxConcurrent: 1, QueueWait: 10 * time.Second})
	body := photo(t, "png", 4, 4, color.RGBA{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { do(t, s, "POST", "/v1/classify", "", bytes.NewReader(body)) })
	}
	<-b.started
	for s.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if rec := do(t, s, "GET", "/readyz", "", nil); rec.Code != 503 || !strings.Contains(rec.Body.String(), "saturated") {
		t.Errorf("readyz while saturated: %d %s", rec.Code, rec.Body)
	}
	close(b.release)
	wg.Wait()
	if rec := do(t, s, "GET", "/readyz", "", nil); rec.Code != 200 {
		t.Errorf("readyz after: %d %s", rec.Code, rec.Body)
	}
}
