package serve

import (
	"bufio"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// buckets are the latency histogram's upper bounds in seconds, from a
// small model's few milliseconds to a batch near the timeout.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// metrics counts requests by route and status and times them by route.
type metrics struct {
	mu       sync.Mutex
	requests map[routeCode]int64
	latency  map[string]*histogram
	rejected map[string]int64 // by reason: net/http's own answers and dropped requests
	images   atomic.Int64
}

type routeCode struct {
	route string
	code  int
}

type histogram struct {
	counts []int64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      int64
}

func newMetrics() *metrics {
	return &metrics{requests: map[routeCode]int64{}, latency: map[string]*histogram{}, rejected: map[string]int64{}}
}

// reject records a request that net/http refused before the handler.
func (m *metrics) reject(reason string) {
	m.mu.Lock()
	m.rejected[reason]++
	m.mu.Unlock()
}

// observe records one finished request.
func (m *metrics) observe(route string, code int, d time.Duration) {
	sec := d.Seconds()
	i, _ := slices.BinarySearch(buckets, sec) // first bound >= sec
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[routeCode{route, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]int64, len(buckets)+1)}
		m.latency[route] = h
	}
	h.counts[i]++
	h.sum += sec
	h.n++
}

// serveMetrics answers GET /metrics in the Prometheus text exposition
// format 0.0.4.
func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) int {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	s.metrics.write(bw, s)
	bw.Flush()
	return http.StatusOK
}

func (m *metrics) write(w *bufio.Writer, s *Server) {
	m.mu.Lock()
	keys := make([]routeCode, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b routeCode) int {
		if a.route != b.route {
			if a.route < b.route {
				return -1
			}
			return 1
		}
		return a.code - b.code
	})
	fmt.Fprintln(w, "# HELP maskkit_http_requests_total HTTP requests by route and status code.")
	fmt.Fprintln(w, "# TYPE maskkit_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "maskkit_http_requests_total{route=%q,code=\"%d\"} %d\n", k.route, k.code, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	fmt.Fprintln(w, "# HELP maskkit_http_request_duration_seconds Time from a request's arrival to its answer, by route.")
	fmt.Fprintln(w, "# TYPE maskkit_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.latency[r]
		var cum int64
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "maskkit_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n",
				r, strconv.FormatFloat(b, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "maskkit_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.n)
		fmt.Fprintf(w, "maskkit_http_request_duration_seconds_sum{route=%q} %s\n", r, strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(w, "maskkit_http_request_duration_seconds_count{route=%q} %d\n", r, h.n)
	}
	reasons := make([]string, 0, len(m.rejected))
	for r := range m.rejected {
		reasons = append(reasons, r)
	}
	slices.Sort(reasons)
	fmt.Fprintln(w, "# HELP maskkit_http_rejected_total Requests refused before the handler, by net/http's status code or \"incomplete_request\" (headers that never completed: the header timeout).")
	fmt.Fprintln(w, "# TYPE maskkit_http_rejected_total counter")
	for _, r := range reasons {
		fmt.Fprintf(w, "maskkit_http_rejected_total{reason=%q} %d\n", r, m.rejected[r])
	}
	m.mu.Unlock()
	fmt.Fprintln(w, "# HELP maskkit_memory_budget_bytes Options.MemoryBudget: the most bytes requests may hold at once.")
	fmt.Fprintln(w, "# TYPE maskkit_memory_budget_bytes gauge")
	fmt.Fprintf(w, "maskkit_memory_budget_bytes %d\n", s.mem.size)
	fmt.Fprintln(w, "# HELP maskkit_memory_in_use_bytes Bytes of the memory budget requests hold now: bodies and decoded photos.")
	fmt.Fprintln(w, "# TYPE maskkit_memory_in_use_bytes gauge")
	fmt.Fprintf(w, "maskkit_memory_in_use_bytes %d\n", s.mem.used.Load())
	fmt.Fprintln(w, "# HELP maskkit_memory_peak_bytes The most bytes of the memory budget held at once since the start.")
	fmt.Fprintln(w, "# TYPE maskkit_memory_peak_bytes gauge")
	fmt.Fprintf(w, "maskkit_memory_peak_bytes %d\n", s.mem.peak.Load())
	fmt.Fprintln(w, "# HELP maskkit_http_requests_waiting Classification requests waiting for a work slot.")
	fmt.Fprintln(w, "# TYPE maskkit_http_requests_waiting gauge")
	fmt.Fprintf(w, "maskkit_http_requests_waiting %d\n", s.waiting.Load())
	fmt.Fprintln(w, "# HELP maskkit_http_requests_in_flight Classification requests holding a slot now.")
	fmt.Fprintln(w, "# TYPE maskkit_http_requests_in_flight gauge")
	fmt.Fprintf(w, "maskkit_http_requests_in_flight %d\n", len(s.slots))
	fmt.Fprintln(w, "# HELP maskkit_images_classified_total Photos classified.")
	fmt.Fprintln(w, "# TYPE maskkit_images_classified_total counter")
	fmt.Fprintf(w, "maskkit_images_classified_total %d\n", m.images.Load())
	ready := 0
	if s.Ready() {
		ready = 1
	}
	fmt.Fprintln(w, "# HELP maskkit_ready Whether the models are loaded.")
	fmt.Fprintln(w, "# TYPE maskkit_ready gauge")
	fmt.Fprintf(w, "maskkit_ready %d\n", ready)
}
