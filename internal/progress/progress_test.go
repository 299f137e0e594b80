package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestBar(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "synth", "people", 40)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				b.Add(1)
			}
		}()
	}
	wg.Wait()
	b.Done()
	out := buf.String()
	if !strings.HasPrefix(out, "\rsynth [") || !strings.HasSuffix(out, "\n") {
		t.Errorf("output %q: want bars redrawn with \\r and a final newline", out)
	}
	last := out[strings.LastIndexByte(out, '\r')+1:]
	if !strings.Contains(last, "] 40/40 100% ") || !strings.Contains(last, " people/s") {
		t.Errorf("last bar %q, want 40/40 100%% ... people/s", last)
	}
	var nilBar *Bar
	nilBar.Add(1) // a nil Bar and a Bar without a writer draw nothing
	nilBar.Done()
	New(nil, "x", "y", 1).Add(1)
}
