package submit

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// bar draws a one-line progress bar, at most ten times a second.
type bar struct {
	w          io.Writer
	total, n   int
	start      time.Time
	last       time.Time
	startCount int
	drawn      int // n at the last draw
}

func newBar(w io.Writer, total, done int) *bar {
	b := &bar{w: w, total: total, n: done, startCount: done, start: time.Now()}
	b.draw()
	return b
}

func (b *bar) add(k int) {
	b.n += k
	if time.Since(b.last) >= 100*time.Millisecond || b.n == b.total {
		b.draw()
	}
}

func (b *bar) draw() {
	if b.w == nil {
		return
	}
	b.last, b.drawn = time.Now(), b.n
	const width = 30
	frac := 1.0
	if b.total > 0 {
		frac = float64(b.n) / float64(b.total)
	}
	full := int(frac * width)
	rate := 0.0
	if s := time.Since(b.start).Seconds(); s > 0 {
		rate = float64(b.n-b.startCount) / s
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d %3.0f%% %.1f img/s", strings.Repeat("=", full), strings.Repeat(" ", width-full),
		b.n, b.total, 100*frac, rate)
}

func (b *bar) finish() {
	if b.w == nil {
		return
	}
	if b.drawn != b.n {
		b.draw()
	}
	fmt.Fprintln(b.w)
}
