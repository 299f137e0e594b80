package kernels

import (
	"sync"
	"sync/atomic"
)

// Intra-op parallelism. A Run executes dozens of kernels back to back,
// many of them only tens of microseconds long, so starting goroutines per
// kernel (and waking a parked thread for each, a futex round trip) cost
// more than a second core gained. Instead a team of worker goroutines,
// shared by every Model and started on first use, picks up the chunks of
// each ParallelFor; a worker that finds no work spins briefly before it
// parks, so the kernels of one Run find it awake. The caller always
// claims chunks too, so a ParallelFor completes even when every worker is
// busy (nested calls, concurrent Runs) and never waits on a worker that
// has not started its chunk.

// spinRounds is how many times an idle worker, or a caller waiting for
// its last chunks, yields (to goroutines, then to other threads: see
// yield) before it blocks: on the order of 100 µs on an idle machine,
// longer than the gap between two kernels of a Run. A spin that only
// yielded to goroutines (runtime.Gosched) kept its OS thread running: on
// a machine with one core free for two threads, the spinning one took
// half of it from the one with the work, and two threads ran at 0.7 the
// speed of one.
const spinRounds = 200

// tightPolls is how many times a round of spinning polls, a PAUSE apart,
// before it yields. Yielding alone (a Gosched and a sched_yield, up to
// about a microsecond in this VM) left a chunk waiting before a worker saw
// it, and again before the caller saw it finish, 26 times a Run on
// EfficientNetV2-S at two threads. Polling between yields measured a
// ParallelFor of two 12.6 µs chunks at 12.9 µs where it took 13.4 (median
// of 5000), and a thread that must give its core to the one it waits for
// still yields every round.
const tightPolls = 16

// task is one ParallelFor: chunks contiguous ranges of [0, n).
type task struct {
	fn       func(lo, hi int)
	n        int
	chunks   int
	next     atomic.Int64 // next chunk to claim
	left     atomic.Int64 // chunks not yet finished
	wg       sync.WaitGroup
	mu       sync.Mutex
	panicked any
}

// work claims and runs chunks until none are left to claim.
func (t *task) work() {
	for {
		c := int(t.next.Add(1) - 1)
		if c >= t.chunks {
			return
		}
		t.runChunk(c)
	}
}

// runChunk runs chunk c, keeping a panic for the caller, where Run's
// recover turns it into an error.
func (t *task) runChunk(c int) {
	defer func() {
		if r := recover(); r != nil {
			t.mu.Lock()
			t.panicked = r
			t.mu.Unlock()
		}
		t.left.Add(-1)
		t.wg.Done()
	}()
	t.fn(t.n*c/t.chunks, t.n*(c+1)/t.chunks)
}

// wait returns when every chunk has finished, spinning first.
func (t *task) wait() {
	await(func() bool { return t.left.Load() == 0 })
	t.wg.Wait()
}

// await polls ready until it reports true, for up to spinRounds rounds,
// and reports whether it did. A round polls tightPolls times with only a
// PAUSE between polls, then yields (see yield).
func await(ready func() bool) bool {
	for i := 0; i < spinRounds; i++ {
		for j := 0; j < tightPolls; j++ {
			if ready() {
				return true
			}
			cpuRelax()
		}
		yield()
	}
	return ready()
}

// team is the shared worker pool; workers only ever grows.
var team struct {
	mu      sync.Mutex
	workers int
	queue   chan *task
}

// enlist makes sure at least w workers exist and returns the queue.
func enlist(w int) chan *task {
	team.mu.Lock()
	defer team.mu.Unlock()
	if team.queue == nil {
		team.queue = make(chan *task, 256)
	}
	for ; team.workers < w; team.workers++ {
		go worker(team.queue)
	}
	return team.queue
}

// worker runs tasks from q, spinning a while after each before it parks.
func worker(q chan *task) {
	queued := func() bool { return len(q) > 0 }
	for {
		var t *task
		if await(queued) {
			select {
			case t = <-q:
			default: // another worker took it
				continue
			}
		} else {
			t = <-q
		}
		t.work()
	}
}

// ParallelFor splits [0, n) into at most threads contiguous chunks of at
// least grain items and runs fn on each: the calling goroutine takes
// chunks itself and the team's workers take the rest. fn must only touch
// what its range owns. A panic in any chunk is re-raised on the caller
// after every chunk has finished. Safe for concurrent use, and calls may
// nest (a chunk may start its own ParallelFor).
func ParallelFor(threads, n, grain int, fn func(lo, hi int)) {
	if grain < 1 {
		grain = 1
	}
	chunks := threads
	if c := n / grain; c < chunks {
		chunks = c
	}
	if chunks <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	t := &task{fn: fn, n: n, chunks: chunks}
	t.left.Store(int64(chunks))
	t.wg.Add(chunks)
	q := enlist(threads - 1)
	for i := 1; i < chunks; i++ {
		select {
		case q <- t:
		default: // queue full: the caller does more itself
		}
	}
	t.work()
	t.wait()
	if t.panicked != nil {
		panic(t.panicked)
	}
}
