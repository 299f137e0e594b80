package serve

import (
	"bytes"
	"context"
	"image/color"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeShutdownFinishesInFlight ends Serve's context (as SIGTERM does
// through signal.NotifyContext) while a request is at work: the request
// still gets its answer, new connections are refused, and Serve returns
// nil.
func TestServeShutdownFinishesInFlight(t *testing.T) {
	b := newBlocking()
	s := New(b, &Options{Logger: quiet})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	body := photo(t, "png", 4, 4, color.RGBA{})
	answer := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/v1/classify", "image/png", bytes.NewReader(body))
		if err != nil {
			t.Errorf("request in flight: %v", err)
			answer <- 0
			return
		}
		resp.Body.Close()
		answer <- resp.StatusCode
	}()
	<-b.started
	stop()
	// Once the listener is closed, a new connection is refused.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	default:
	}
	close(b.release)
	if code := <-answer; code != 200 {
		t.Errorf("request in flight got status %d, want 200", code)
	}
	assert.NoError(t, <-served, "Serve")
}

// TestServeShutdownTimeout: a request that outlives ShutdownTimeout is cut
// off and Serve says so.
func TestServeShutdownTimeout(t *testing.T) {
	b := newBlocking()
	defer close(b.release)
	s := New(b, &Options{Logger: quiet, ShutdownTimeout: 20 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/v1/classify", "image/png",
			bytes.NewReader(photo(t, "png", 4, 4, color.RGBA{})))
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-b.started
	stop()
	assert.Error(t, <-served, "Serve returned nil although a request outlived the shutdown timeout")
}
