// Package progress draws the one-line progress bars of maskkit's long jobs
// (synth's photos, the EDA's pixel pass): the bar, done/total, the percent
// and the rate, redrawn in place with a carriage return at most ten times
// a second, and ended with a newline.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// A Bar counts work done out of a known total. A Bar with a nil writer
// draws nothing. Its methods are safe for concurrent use.
type Bar struct {
	mu          sync.Mutex
	w           io.Writer
	label, unit string
	total, n    int
	drawn       int
	start, last time.Time
}

// New returns a Bar for total units of work (called unit, e.g. "photos")
// drawn to w after label, and draws it at zero.
func New(w io.Writer, label, unit string, total int) *Bar {
	b := &Bar{w: w, label: label, unit: unit, total: total, start: time.Now(), drawn: -1}
	b.mu.Lock()
	b.draw()
	b.mu.Unlock()
	return b
}

// Add counts k more units done and redraws the bar if the last drawing is
// a tenth of a second old or the work is complete.
func (b *Bar) Add(k int) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n += k
	if time.Since(b.last) >= 100*time.Millisecond || b.n == b.total {
		b.draw()
	}
}

// Done draws the final count and ends the line.
func (b *Bar) Done() {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn != b.n {
		b.draw()
	}
	fmt.Fprintln(b.w)
}

const width = 30

func (b *Bar) draw() {
	if b.w == nil {
		return
	}
	b.last, b.drawn = time.Now(), b.n
	frac := 1.0
	if b.total > 0 {
		frac = min(1, float64(b.n)/float64(b.total))
	}
	full := int(frac * width)
	rate := 0.0
	if s := time.Since(b.start).Seconds(); s > 0 {
		rate = float64(b.n) / s
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d %3.0f%% %.1f %s/s", b.label, strings.Repeat("=", full), strings.Repeat(" ", width-full),
		b.n, b.total, 100*frac, rate, b.unit)
}
