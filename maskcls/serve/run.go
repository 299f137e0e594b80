package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve answers HTTP requests on ln until ctx ends, then shuts down
// gracefully: it closes ln, lets the requests in flight finish within
// Options.ShutdownTimeout, and returns nil once they have; it returns an
// error if they did not finish in time (they are then cut off) or if
// serving failed. Serve closes ln.
//
// A program calls it with a context from signal.NotifyContext(ctx,
// syscall.SIGTERM, os.Interrupt), so that SIGTERM drains the server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	headerTimeout := min(10*time.Second, s.opts.BodyTimeout)
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: headerTimeout,
		// Classification sets its own deadline for its body; this one bounds
		// the bodies nobody reads (another route's), which net/http drains.
		ReadTimeout:    headerTimeout + s.opts.BodyTimeout,
		WriteTimeout:   headerTimeout + s.opts.BodyTimeout + 2*max(s.opts.QueueWait, 0) + s.opts.RequestTimeout + 5*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnContext:    connContext,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(trackedListener{ln, s}) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight", "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		hs.Close()
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	s.log.Info("shut down")
	return nil
}
