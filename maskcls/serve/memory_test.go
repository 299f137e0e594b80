package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/stretchr/testify/require"
)

// readPhoto reads a committed photo of testdata/photos (gen_photos.sh).
func readPhoto(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "photos", name))
	require.NoError(t, err)
	return data
}

// allocated returns the bytes f allocates, from the runtime's own count.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCostCoversDecode checks the server's price of a photo, worked out
// from its header, against what Go's decoders and augment.FromImage really
// allocate for it (runtime.MemStats.TotalAlloc), on photos in every
// encoding that allocates differently: the price must cover the
// allocation, and stay within 1.6x of it plus 64 KiB so the budget is not
// wasted.
func TestCostCoversDecode(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "photos"))
	require.NoError(t, err)
	if len(entries) < 10 {
		t.Fatalf("testdata/photos has %d photos; regenerate with gen_photos.sh", len(entries))
	}
	s := New(nil, &Options{Logger: quiet, MaxPixels: 4096 * 4096})
	for _, e := range entries {
		if raceOn && strings.HasPrefix(e.Name(), "bomb") {
			t.Logf("%s: skipped under the race detector (decoding it takes 15 s there)", e.Name())
			continue
		}
		data := readPhoto(t, e.Name())
		c, err := s.checkHeader(data)
		require.NoError(t, err, "%s", e.Name())
		var decodeErr error
		got := allocated(func() {
			img, _, err := image.Decode(bytes.NewReader(data))
			if err == nil {
				_, err = augment.FromImage(img)
			}
			decodeErr = err
		})
		if decodeErr != nil {
			t.Fatalf("%s: %v", e.Name(), decodeErr)
		}
		t.Logf("%-26s %4dx%-4d allocated %10d, priced %10d (kept %d + transient %d)", e.Name(), c.width, c.height, got, c.total(), c.kept, c.transient)
		if uint64(c.total()) < got {
			t.Errorf("%s: priced at %d bytes, but decoding allocated %d", e.Name(), c.total(), got)
		}
		if float64(c.total()) > 1.6*float64(got)+64<<10 {
			t.Errorf("%s: priced at %d bytes, over 1.6x the %d decoding allocated", e.Name(), c.total(), got)
		}
	}
}

// TestJPEGHeaderGarbage: headers image.DecodeConfig accepts but the marker
// walk cannot read are priced as the dearest JPEG of their size, never
// below it.
func TestJPEGHeaderGarbage(t *testing.T) {
	worstKept, worstTransient := worstJPEG(100, 100).cost()
	for _, data := range [][]byte{nil, {0xFF}, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xC0, 0, 1}, {0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 8, 0, 100, 0, 100, 9}} {
		if _, err := readJPEGHeader(data); err == nil {
			t.Errorf("% x: read as a header", data)
		}
		c := costOf(data, image.Config{Width: 100, Height: 100}, "jpeg")
		if c.kept != worstKept+3*100*100 || c.transient != worstTransient+decoderState["jpeg"] {
			t.Errorf("% x: priced %+v, want the worst case", data, c)
		}
	}
}

// rgba16PNG is a w x h 16-bit PNG of one colour: a small file that decodes
// to 8 bytes a pixel.
func rgba16PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA64(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var buf bytes.Buffer
	require.NoError(t, (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img))
	return buf.Bytes()
}

// heapPeak samples the runtime's heap (objects, live and not yet swept)
// every millisecond until stop is called, and returns the peak.
func heapPeak() (stop func() uint64) {
	sample := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			rtmetrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// TestMemoryBudget posts decompression bombs. At the defaults (1024x1024
// pixels a photo) they are refused from their headers: a 64-photo batch of
// 4096x4096 16-bit PNGs and 8 concurrent progressive 4096x4096 JPEGs. With
// the pixel limit raised to let them in, a request that could never fit is
// 413 before decoding, and 8 concurrent 2048x2048 16-bit PNGs (46 MB each
// decoded) pass through a 100 MiB budget two or so at a time: all are
// answered 200, and neither the budget's own counter nor the runtime's
// heap goes past what the budget allows.
func TestMemoryBudget(t *testing.T) {
	bomb16 := readPhoto(t, "bomb_rgb16_4096.png")
	bombJPEG := readPhoto(t, "bomb_progressive_4096.jpg")
	batch, ctype := multipartBody(t, slicesRepeat(bomb16, 64)...)
	batchBytes, _ := io.ReadAll(batch)

	t.Run("defaults", func(t *testing.T) {
		s := New(testEnsemble(t), &Options{Logger: quiet})
		rec := do(t, s, "POST", "/v1/classify/batch", ctype, bytes.NewReader(batchBytes))
		if rec.Code != 422 || !strings.Contains(reason(t, rec), `part 1 ("photo0.png"): png declares 4096x4096 pixels, over the 1048576-pixel limit`) {
			t.Errorf("64 bombs: status %d: %s", rec.Code, rec.Body)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(bombJPEG)); rec.Code != 422 {
					t.Errorf("progressive bomb: status %d: %s", rec.Code, rec.Body)
				}
			})
		}
		wg.Wait()
		if p := s.mem.peak.Load(); p > int64(len(batchBytes))*2+1<<20 {
			t.Errorf("budget peak %d for refused requests whose bodies are %d bytes", p, len(batchBytes))
		}
	})

	t.Run("never fits", func(t *testing.T) {
		s := New(testEnsemble(t), &Options{Logger: quiet, MaxPixels: 4096 * 4096})
		rec := do(t, s, "POST", "/v1/classify/batch", ctype, bytes.NewReader(batchBytes))
		if rec.Code != 413 || !strings.Contains(reason(t, rec), "over the 134217728-byte limit of one request") {
			t.Errorf("64 bombs: status %d: %s", rec.Code, rec.Body)
		}
		rec = do(t, s, "POST", "/v1/classify", "", bytes.NewReader(bombJPEG))
		if rec.Code != 413 {
			t.Errorf("progressive bomb (12 bytes a pixel of coefficients): status %d: %s", rec.Code, rec.Body)
		}
		if s.mem.used.Load() != 0 {
			t.Errorf("%d bytes of the budget still held after the answers", s.mem.used.Load())
		}
	})

	t.Run("queued through the budget", func(t *testing.T) {
		side, budget := 2048, int64(100<<20)
		if raceOn {
			side, budget = 512, budget/16
		}
		s := New(testEnsemble(t), &Options{Logger: quiet, MaxPixels: 4096 * 4096, MemoryBudget: budget,
			QueueWait: 5 * time.Minute, RequestTimeout: 5 * time.Minute})
		bomb := rgba16PNG(t, side, side)
		runtime.GC()
		base := heapPeak()()
		stop := heapPeak()
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				if rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(bomb)); rec.Code != 200 {
					t.Errorf("bomb %d: status %d: %s", i, rec.Code, rec.Body)
				}
			})
		}
		wg.Wait()
		heap := stop()
		peak := s.mem.peak.Load()
		t.Logf("budget %d: peak charged %d; heap %d before, peak %d", budget, peak, base, heap)
		if one := int64(11 * side * side); peak > budget || peak < one {
			t.Errorf("budget peak %d, want one bomb's %d bytes or more and no more than %d", peak, one, budget)
		}
		// The heap also holds garbage the collector has not reclaimed yet
		// (up to GOGC's 100% over the live bytes).
		if heap > base+2*uint64(budget)+32<<20 {
			t.Errorf("heap peaked at %d, over twice the %d budget above the %d before", heap, budget, base)
		}
		if s.mem.used.Load() != 0 {
			t.Errorf("%d bytes of the budget still held after the answers", s.mem.used.Load())
		}
	})
}

// reason returns the error reason of a JSON error answer.
func reason(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e ErrorResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), "answer %q is not a JSON error", rec.Body)
	return e.Error
}

func slicesRepeat(b []byte, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

// TestDecodeStopsWithContext: a request whose context has ended decodes no
// further photo.
func TestDecodeStopsWithContext(t *testing.T) {
	s := New(nil, &Options{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	photos := []rawPhoto{{data: readPhoto(t, "bomb_progressive_4096.jpg")}}
	var err error
	got := allocated(func() { _, err = s.decodeAll(ctx, photos, []photoCost{{format: "jpeg"}}) })
	if err != context.Canceled || got > 1<<20 {
		t.Errorf("cancelled: error %v after allocating %d bytes, want context.Canceled before decoding", err, got)
	}
}
