package serve

import (
	"context"
	"errors"
	"image"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/maskkit/maskkit/maskcls"
)

// A Classifier classifies photos, one Prediction per photo in input order.
// *maskcls.Ensemble is one. It must be safe for concurrent use: the Server
// calls it from one goroutine per request.
type Classifier interface {
	Predict(ctx context.Context, photos []image.Image) ([]maskcls.Prediction, error)
}

// Options are a Server's limits. A nil *Options means the defaults, and so
// does the zero value of each field.
type Options struct {
	// MaxBodyBytes is the largest request body; a larger one is refused
	// with 413. 0 means 16 MiB.
	MaxBodyBytes int64
	// MaxPixels is the most pixels (width x height) a photo may declare in
	// its header; more is refused with 422 before decoding. 0 means
	// 4096x4096.
	MaxPixels int64
	// MaxBatch is the most photos in one batch request; more is 413.
	// 0 means 64.
	MaxBatch int
	// MaxConcurrent is the most classification requests at work at once;
	// the body of a request is read only once it holds a slot, so memory
	// stays within MaxConcurrent x MaxBodyBytes. 0 means
	// 4 x runtime.GOMAXPROCS(0).
	MaxConcurrent int
	// QueueWait is how long a request waits for a slot before it gets 503
	// with Retry-After. 0 means 2 s; a negative value means no wait.
	QueueWait time.Duration
	// RequestTimeout bounds a classification request from its arrival to
	// its answer (waiting, reading and classifying); past it the answer is
	// 503. Serve also uses it as the connection's read timeout. 0 means
	// 30 s.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds how long Serve waits for requests in flight
	// once its context ends. 0 means 30 s.
	ShutdownTimeout time.Duration
	// Logger receives one record per request and the server's events; nil
	// means slog.Default().
	Logger *slog.Logger
}

// withDefaults returns o with every zero field set to its default.
func (o *Options) withDefaults() Options {
	var d Options
	if o != nil {
		d = *o
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = 16 << 20
	}
	if d.MaxPixels <= 0 {
		d.MaxPixels = 4096 * 4096
	}
	if d.MaxBatch <= 0 {
		d.MaxBatch = 64
	}
	if d.MaxConcurrent <= 0 {
		d.MaxConcurrent = 4 * runtime.GOMAXPROCS(0)
	}
	if d.QueueWait == 0 {
		d.QueueWait = 2 * time.Second
	}
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = 30 * time.Second
	}
	if d.ShutdownTimeout <= 0 {
		d.ShutdownTimeout = 30 * time.Second
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return d
}

// A Server is the HTTP service; it is an http.Handler. It is safe for
// concurrent use, SetClassifier included.
type Server struct {
	opts    Options
	clf     atomic.Pointer[classifierBox]
	slots   chan struct{} // a buffered semaphore of MaxConcurrent slots
	metrics *metrics
	log     *slog.Logger
}

// classifierBox lets an interface value live in an atomic.Pointer.
type classifierBox struct{ Classifier }

// New returns a Server over c with the options. c may be nil: the server
// then answers /healthz at once and /readyz and classification with 503
// until SetClassifier is called, so a program can listen while its models
// load.
func New(c Classifier, opts *Options) *Server {
	o := opts.withDefaults()
	s := &Server{
		opts:    o,
		slots:   make(chan struct{}, o.MaxConcurrent),
		metrics: newMetrics(),
		log:     o.Logger,
	}
	if c != nil {
		s.SetClassifier(c)
	}
	return s
}

// SetClassifier sets (or replaces) the Classifier; from then on the server
// is ready. Requests already at work finish with the one they started with.
func (s *Server) SetClassifier(c Classifier) {
	if c == nil {
		s.clf.Store(nil)
		return
	}
	s.clf.Store(&classifierBox{c})
}

// Ready tells whether a Classifier is set.
func (s *Server) Ready() bool { return s.clf.Load() != nil }

// Options returns the server's options with the defaults filled in.
func (s *Server) Options() Options { return s.opts }

// route is one path the server answers, with its method and handler.
type route struct {
	method  string
	handler func(s *Server, w http.ResponseWriter, r *http.Request) int
}

var routes = map[string]route{
	"/v1/classify":       {http.MethodPost, (*Server).classify},
	"/v1/classify/batch": {http.MethodPost, (*Server).classifyBatch},
	"/healthz":           {http.MethodGet, (*Server).healthz},
	"/readyz":            {http.MethodGet, (*Server).readyz},
	"/metrics":           {http.MethodGet, (*Server).serveMetrics},
}

// ServeHTTP routes the request, answers it, counts it in /metrics and logs
// it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rt, known := routes[r.URL.Path]
	label := r.URL.Path
	var code int
	switch {
	case !known:
		label = "other"
		code = writeError(w, http.StatusNotFound, "no route "+strconv.Quote(r.URL.Path))
	case r.Method != rt.method && !(rt.method == http.MethodGet && r.Method == http.MethodHead):
		allow := rt.method
		if allow == http.MethodGet {
			allow += ", " + http.MethodHead
		}
		w.Header().Set("Allow", allow)
		code = writeError(w, http.StatusMethodNotAllowed, r.Method+" not allowed on "+r.URL.Path+"; use "+rt.method)
	default:
		code = rt.handler(s, w, r)
	}
	d := time.Since(start)
	s.metrics.observe(label, code, d)
	level := slog.LevelInfo
	if code >= 500 {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(r.Context(), level, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", code), slog.Duration("duration", d),
		slog.String("remote", r.RemoteAddr), slog.Int64("bytes_in", r.ContentLength))
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) int {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) int {
	if !s.Ready() {
		w.Header().Set("Retry-After", "1")
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "loading"})
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// errBusy is returned by acquire when no slot freed in time.
var errBusy = errors.New("busy")

// acquire takes a slot within QueueWait. The caller releases it with
// <-s.slots.
func (s *Server) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	if s.opts.QueueWait < 0 {
		return errBusy
	}
	t := time.NewTimer(s.opts.QueueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}
