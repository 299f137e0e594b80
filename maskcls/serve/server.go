package serve

import (
	"context"
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
//
// Memory: every classification request is charged, before it decodes
// anything, for its body and for what its photos will decode to (worked
// out from their headers, with the decoders' own buffers such as a
// progressive JPEG's coefficients), against one MemoryBudget for the whole
// server. So the bytes that requests hold at once stay within MemoryBudget
// whatever the mix of requests; the process's peak RSS is that plus the
// models and the Go runtime's slack, which a program bounds with
// GOMEMLIMIT (examples/serve sets it from its -memory flag).
type Options struct {
	// MaxBodyBytes is the largest request body; a larger one is refused
	// with 413. 0 means 16 MiB.
	MaxBodyBytes int64
	// MaxPixels is the most pixels (width x height) a photo may declare in
	// its header; more is refused with 422 before decoding. 0 means
	// 1024x1024 (1,048,576): five competition photos' worth (384x512), far
	// more than the default models' 48x64 input needs.
	MaxPixels int64
	// MaxBatch is the most photos in one batch request; more is 413.
	// 0 means 64.
	MaxBatch int
	// MemoryBudget is the most bytes all classification requests together
	// hold at once: their bodies as they arrive and their decoded photos,
	// released when each request is answered. A request that cannot get
	// its share within QueueWait gets 503 with Retry-After. 0 means
	// 256 MiB.
	MemoryBudget int64
	// MaxRequestMemory is the most one request may be charged (its body
	// and its decoded photos); a request over it could never be served and
	// gets 413 naming its need and the limit. 0 means MemoryBudget / 2; it
	// is never more than MemoryBudget.
	MaxRequestMemory int64
	// MaxConcurrent is the most classification requests classifying at
	// once (work slots); a request takes one only after its body is read
	// and its photos are decoded. 0 means 4 x runtime.GOMAXPROCS(0).
	MaxConcurrent int
	// QueueWait is how long a request waits for memory, then for a work
	// slot, before it gets 503 with Retry-After. 0 means 2 s; a negative
	// value means no wait.
	QueueWait time.Duration
	// BodyTimeout bounds reading a classification request's body, which
	// happens before the request takes memory for decoding or a work slot:
	// a client that has not sent its whole body by then gets 408 and its
	// connection is closed, having held only the bytes it sent. Serve also
	// gives a request's headers at most this long, up to 10 s. 0 means
	// 10 s.
	BodyTimeout time.Duration
	// RequestTimeout bounds a classification request from the end of its
	// body to its answer (waiting, decoding, classifying); past it the
	// answer is 503. 0 means 30 s.
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
		d.MaxPixels = 1 << 20
	}
	if d.MaxBatch <= 0 {
		d.MaxBatch = 64
	}
	if d.MemoryBudget <= 0 {
		d.MemoryBudget = 256 << 20
	}
	if d.MaxRequestMemory <= 0 {
		d.MaxRequestMemory = d.MemoryBudget / 2
	}
	d.MaxRequestMemory = min(d.MaxRequestMemory, d.MemoryBudget)
	if d.MaxConcurrent <= 0 {
		d.MaxConcurrent = 4 * runtime.GOMAXPROCS(0)
	}
	if d.QueueWait == 0 {
		d.QueueWait = 2 * time.Second
	}
	if d.BodyTimeout <= 0 {
		d.BodyTimeout = 10 * time.Second
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
	waiting atomic.Int64  // requests waiting for a slot
	mem     *budget       // MemoryBudget
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
		mem:     newBudget(o.MemoryBudget),
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

// Saturated tells whether the server is turning work away: every work slot
// is busy with requests waiting behind them, or nine tenths of the memory
// budget is held. /readyz answers 503 while it is, so a load balancer
// sends elsewhere.
func (s *Server) Saturated() bool {
	busy := len(s.slots) == cap(s.slots) && s.waiting.Load() > 0
	return busy || s.mem.used.Load() >= s.mem.size/10*9
}

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
	markHandled(r.Context())
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
	if code >= 500 || code == statusClientClosed {
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
	if s.Saturated() {
		w.Header().Set("Retry-After", "1")
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "saturated"})
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
