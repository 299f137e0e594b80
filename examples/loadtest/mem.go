package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memWatch samples this process's Go heap and RSS once a second, and marks
// the heap live after a GC at the end of each phase: growth between marks
// that does not level off would be a leak.
type memWatch struct {
	on      bool
	start   time.Time
	mu      sync.Mutex
	maxRSS  int64
	maxHeap uint64
	marks   []string
	live    []uint64
	stop    chan struct{}
}

func newMemWatch(on bool) *memWatch {
	m := &memWatch{on: on, start: time.Now(), stop: make(chan struct{})}
	if !on {
		return m
	}
	m.mark("start")
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				m.sample()
			case <-m.stop:
				return
			}
		}
	}()
	return m
}

func (m *memWatch) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := rssBytes()
	m.mu.Lock()
	m.maxHeap = max(m.maxHeap, ms.HeapInuse)
	m.maxRSS = max(m.maxRSS, rss)
	m.mu.Unlock()
}

// mark records the live heap after a full GC.
func (m *memWatch) mark(name string) {
	if !m.on {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.sample()
	m.mu.Lock()
	m.marks = append(m.marks, name)
	m.live = append(m.live, ms.HeapAlloc)
	m.mu.Unlock()
}

func (m *memWatch) report() {
	if !m.on {
		fmt.Println("memory: not measured (service in another process)")
		return
	}
	close(m.stop)
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Printf("memory over %.0fs (server and clients in one process):\n", time.Since(m.start).Seconds())
	for i, name := range m.marks {
		fmt.Printf("  live heap %-18s %7.1f MiB\n", name, float64(m.live[i])/(1<<20))
	}
	fmt.Printf("  peak heap in use %.1f MiB, peak RSS %.1f MiB\n", float64(m.maxHeap)/(1<<20), float64(m.maxRSS)/(1<<20))
}

// rssBytes reads VmRSS from /proc/self/status (Linux); 0 elsewhere.
func rssBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
