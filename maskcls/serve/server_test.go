package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// quiet is a logger that drops everything, so test output stays readable.
var quiet = slog.New(slog.DiscardHandler)

// brightness is a model whose logits depend on the image: for a batch
// [N,3,H,W] it returns, per image, k logits (mean of channel 0, 0, ...).
// So a bright photo and a dark one get different answers.
func brightness(k int) maskcls.Model {
	return maskcls.ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
		s := x.Shape()
		n, hw := s[0], s[2]*s[3]
		in := x.Data().([]float32)
		out := make([]float32, n*k)
		for i := range n {
			var sum float32
			for _, v := range in[i*3*hw : i*3*hw+hw] {
				sum += v
			}
			out[i*k] = sum / float32(hw)
		}
		return tensor.New(tensor.WithShape(n, k), tensor.WithBacking(out)), nil
	})
}

// testEnsemble is a real Ensemble over fake models: each task's first
// logit is the photo's mean red value after Normalize, the others 0.
func testEnsemble(t testing.TB) *maskcls.Ensemble {
	t.Helper()
	return ensembleOver(t, augment.NewCompose(augment.NewResize(8, 8), augment.NewNormalize(), augment.NewToTensorV2()))
}

// ensembleOver is testEnsemble with the members' pipeline tr, prepared for
// 48x64 photos.
func ensembleOver(t testing.TB, tr augment.Transform) *maskcls.Ensemble {
	t.Helper()
	pre, err := augment.Prepare(tr, 64, 48)
	require.NoError(t, err)
	e, err := maskcls.NewEnsemble([]maskcls.Member{
		{Task: maskcls.TaskMask, Model: brightness(3), Pipeline: pre},
		{Task: maskcls.TaskGender, Model: brightness(2), Pipeline: pre},
		{Task: maskcls.TaskAge, Model: brightness(3), Pipeline: pre},
	}, nil)
	require.NoError(t, err)
	return e
}

// photo returns a w x h photo of one colour encoded as "png" or "jpeg".
func photo(t testing.TB, format string, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	require.NoError(t, err)
	return buf.Bytes()
}

// multipartBody returns a multipart/form-data body with one file part per
// photo, and its content type.
func multipartBody(t testing.TB, photos ...[]byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "a plain field is ignored")
	for i, p := range photos {
		fw, err := mw.CreateFormFile("image", "photo"+itoa(i)+".png")
		require.NoError(t, err)
		fw.Write(p)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func do(t testing.TB, h http.Handler, method, path, ctype string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// softmax is the reference the answers are checked against.
func softmax(z ...float64) []float64 {
	var sum float64
	p := make([]float64, len(z))
	for i, v := range z {
		p[i] = math.Exp(v)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func TestClassify(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet})
	// A white photo: after Normalize the red mean is (255-123.675)/58.395.
	r := (255 - 0.485*255) / (0.229 * 255)
	wantMask, wantGender, wantAge := softmax(r, 0, 0), softmax(r, 0), softmax(r, 0, 0)
	white := color.RGBA{255, 255, 255, 255}
	for _, tc := range []struct {
		name  string
		ctype string
		body  func() (io.Reader, string)
	}{
		{"raw png", "image/png", func() (io.Reader, string) { return bytes.NewReader(photo(t, "png", 48, 64, white)), "image/png" }},
		{"raw jpeg", "", func() (io.Reader, string) { return bytes.NewReader(photo(t, "jpeg", 48, 64, white)), "" }},
		{"multipart", "", func() (io.Reader, string) { return multipartBody(t, photo(t, "png", 48, 64, white)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, ctype := tc.body()
			rec := do(t, s, "POST", "/v1/classify", ctype, body)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			// The exact key order of the issue.
			if !strings.HasPrefix(rec.Body.String(), `{"class":0,"mask":"wear","gender":"male","age":"<30","probabilities":{"mask":[`) {
				t.Errorf("body %s", rec.Body)
			}
			var res Result
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
			tol := 1e-6 // Normalize works in float32
			if tc.name == "raw jpeg" {
				tol = 1e-3 // JPEG moves white by a level or so
			}
			near(t, "mask", res.Probabilities.Mask, wantMask, tol)
			near(t, "gender", res.Probabilities.Gender, wantGender, tol)
			near(t, "age", res.Probabilities.Age, wantAge, tol)
			if len(res.Probabilities.Class) != 18 {
				t.Fatalf("%d class probabilities", len(res.Probabilities.Class))
			}
			// The 18-class distribution is the product of the tasks'.
			want := wantMask[0] * wantGender[0] * wantAge[0]
			if got := res.Probabilities.Class[0]; math.Abs(got-want) > tol {
				t.Errorf("class 0 probability %v, want %v", got, want)
			}
		})
	}
}

func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	require.Equal(t, len(want), len(got), "%s values", what)
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestBatchKeepsOrder(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet})
	black, white := color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}
	body, ctype := multipartBody(t,
		photo(t, "png", 48, 64, black), photo(t, "png", 48, 64, white), photo(t, "jpeg", 48, 64, black))
	rec := do(t, s, "POST", "/v1/classify/batch", ctype, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var res BatchResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
	// Black has a negative first logit, so class 0 is not its answer;
	// white's is class 0 (wear, male, <30).
	var classes []int
	for _, r := range res.Results {
		classes = append(classes, r.Class)
	}
	if len(classes) != 3 || classes[0] == 0 || classes[1] != 0 || classes[2] != classes[0] {
		t.Errorf("classes %v, want [c 0 c] with c != 0", classes)
	}
}

// hugePNG is a valid PNG header declaring w x h pixels and nothing after
// it: DecodeConfig reads it, Decode would fail.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b.Write([]byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h)})
	b.Write([]byte{8, 2, 0, 0, 0})
	crc := crc32.ChecksumIEEE(b.Bytes()[12:])
	b.Write([]byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)})
	return b.Bytes()
}

func TestLimits(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet, MaxBodyBytes: 4096, MaxPixels: 100 * 100, MaxBatch: 2})
	small := photo(t, "png", 48, 64, color.RGBA{9, 9, 9, 255})
	jpg := photo(t, "jpeg", 80, 100, color.RGBA{9, 9, 9, 255})
	big := make([]byte, 5000)
	copy(big, small)
	chunked := func(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) } // no Content-Length
	mp3, ct3 := multipartBody(t, small, small, small)
	mp0, ct0 := multipartBody(t)
	mpBad, ctBad := multipartBody(t, small, []byte("not an image"))
	for _, tc := range []struct {
		name, method, path, ctype string
		body                      io.Reader
		code                      int
		reason                    string
	}{
		{"body over limit", "POST", "/v1/classify", "", bytes.NewReader(big), 413, "over the 4096-byte limit"},
		{"chunked body over limit", "POST", "/v1/classify", "", chunked(big), 413, "over the 4096-byte limit"},
		{"not an image", "POST", "/v1/classify", "", strings.NewReader("hello, world"), 400, "not a JPEG or PNG photo"},
		{"empty body", "POST", "/v1/classify", "", nil, 400, "empty body"},
		{"truncated png", "POST", "/v1/classify", "", bytes.NewReader(small[:len(small)-20]), 400, "corrupt or truncated png"},
		{"multipart without boundary", "POST", "/v1/classify/batch", "multipart/form-data", bytes.NewReader(small), 400, "no boundary"},
		{"truncated jpeg", "POST", "/v1/classify", "", bytes.NewReader(jpg[:len(jpg)-20]), 400, "corrupt or truncated jpeg"},
		{"gif", "POST", "/v1/classify", "", bytes.NewReader(photo(t, "gif", 8, 8, color.RGBA{})), 400, "gif photos are not accepted"},
		{"huge declared size", "POST", "/v1/classify", "", bytes.NewReader(hugePNG(100000, 100000)), 422, "declares 100000x100000 pixels, over the 10000-pixel limit"},
		{"zero size", "POST", "/v1/classify", "", bytes.NewReader(hugePNG(0, 10)), 400, ""},
		{"batch too large", "POST", "/v1/classify/batch", ct3, mp3, 413, "more than 2 photos"},
		{"batch without parts", "POST", "/v1/classify/batch", ct0, mp0, 400, "no file part"},
		{"batch raw body", "POST", "/v1/classify/batch", "image/png", bytes.NewReader(small), 400, "multipart"},
		{"batch bad part", "POST", "/v1/classify/batch", ctBad, mpBad, 400, `part 2 ("photo1.png"): not a JPEG or PNG photo`},
		{"GET classify", "GET", "/v1/classify", "", nil, 405, "GET not allowed on /v1/classify; use POST"},
		{"POST healthz", "POST", "/healthz", "", nil, 405, "POST not allowed"},
		{"unknown path", "GET", "/v2/classify", "", nil, 404, "no route"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s, tc.method, tc.path, tc.ctype, tc.body)
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.code, rec.Body)
			}
			var res ErrorResult
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res), "body %q", rec.Body)
			if res.Error == "" || strings.Contains(res.Error, "\n") || !strings.Contains(res.Error, tc.reason) {
				t.Errorf("reason %q, want one line containing %q", res.Error, tc.reason)
			}
			if tc.code == 405 && rec.Header().Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

// blocking is a Classifier that waits until release is closed (or ctx
// ends), after telling started.
type blocking struct {
	started chan struct{}
	release chan struct{}
}

func newBlocking() *blocking {
	return &blocking{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blocking) Predict(ctx context.Context, photos []image.Image) ([]maskcls.Prediction, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return make([]maskcls.Prediction, len(photos)), nil
}

func TestBusy(t *testing.T) {
	b := newBlocking()
	s := New(b, &Options{Logger: quiet, MaxConcurrent: 1, QueueWait: 30 * time.Millisecond})
	body := photo(t, "png", 4, 4, color.RGBA{})
	first := make(chan int)
	go func() { first <- do(t, s, "POST", "/v1/classify", "", bytes.NewReader(body)).Code }()
	<-b.started
	start := time.Now()
	rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(body))
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("second request: status %d, Retry-After %q, want 503 with Retry-After: %s",
			rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if waited := time.Since(start); waited < 30*time.Millisecond {
		t.Errorf("refused after %v, before QueueWait", waited)
	}
	// A request that finds the slot freed while it waits is served.
	second := make(chan int)
	go func() { second <- do(t, s, "POST", "/v1/classify", "", bytes.NewReader(body)).Code }()
	close(b.release)
	if c := <-first; c != 200 {
		t.Errorf("first request: status %d", c)
	}
	if c := <-second; c != 200 {
		t.Errorf("waiting request: status %d", c)
	}
}

func TestTimeout(t *testing.T) {
	b := newBlocking()
	s := New(b, &Options{Logger: quiet, RequestTimeout: 20 * time.Millisecond})
	rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(photo(t, "png", 4, 4, color.RGBA{})))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "timed out after 20ms") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

func TestReadiness(t *testing.T) {
	s := New(nil, &Options{Logger: quiet})
	if c := do(t, s, "GET", "/healthz", "", nil).Code; c != 200 {
		t.Errorf("healthz %d before loading", c)
	}
	if c := do(t, s, "GET", "/readyz", "", nil).Code; c != 503 {
		t.Errorf("readyz %d before loading, want 503", c)
	}
	if c := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(photo(t, "png", 48, 64, color.RGBA{}))).Code; c != 503 {
		t.Errorf("classify %d before loading, want 503", c)
	}
	s.SetClassifier(testEnsemble(t))
	if c := do(t, s, "GET", "/readyz", "", nil).Code; c != 200 {
		t.Errorf("readyz %d after loading", c)
	}
}

// TestClassifierErrors: the answer says what is wrong with the photo, or
// that the server failed; the server's own error text (its steps, its
// packages) goes to the log, not to the client.
func TestClassifierErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		code   int
		reason string
	}{
		{"preprocessing", fmt.Errorf("maskcls: image 0: member mask: %w", maskcls.ErrPreprocess), 422, "the photo (4x4, width x height) cannot be prepared for the models"},
		{"model", errors.New("onnxmodel: node Conv_12: model exploded"), 500, "classification failed; the server logged why"},
	} {
		c := classifierFunc(func(context.Context, []image.Image) ([]maskcls.Prediction, error) { return nil, tc.err })
		var logs bytes.Buffer
		s := New(c, &Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(photo(t, "png", 4, 4, color.RGBA{})))
		if rec.Code != tc.code || reason(t, rec) != tc.reason {
			t.Errorf("%s: status %d, want %d with %q: %s", tc.name, rec.Code, tc.code, tc.reason, rec.Body)
		}
		assert.Contains(t, logs.String(), tc.err.Error(), "%s: the log lacks the error", tc.name)
	}
}

// TestTooSmallForPipeline: a pipeline that crops without resizing cannot
// take a smaller photo; the 422 names the photo's size and the crop's.
func TestTooSmallForPipeline(t *testing.T) {
	e := ensembleOver(t, augment.NewCompose(augment.NewCenterCrop(56, 48), augment.NewNormalize(), augment.NewToTensorV2()))
	s := New(e, &Options{Logger: quiet})
	rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(photo(t, "png", 40, 40, color.RGBA{})))
	want := "the photo (40x40, width x height) is too small for the models' preprocessing: CenterCrop 56x48 larger than image 40x40 (height x width); send a larger photo"
	if rec.Code != 422 || reason(t, rec) != want {
		t.Errorf("status %d, want 422 with %q: %s", rec.Code, want, rec.Body)
	}
	if rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(photo(t, "png", 48, 64, color.RGBA{}))); rec.Code != 200 {
		t.Errorf("a photo of the pipeline's size: status %d: %s", rec.Code, rec.Body)
	}
}

type classifierFunc func(context.Context, []image.Image) ([]maskcls.Prediction, error)

func (f classifierFunc) Predict(ctx context.Context, p []image.Image) ([]maskcls.Prediction, error) {
	return f(ctx, p)
}

func TestMetrics(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet})
	body := photo(t, "png", 48, 64, color.RGBA{1, 2, 3, 255})
	for range 3 {
		do(t, s, "POST", "/v1/classify", "", bytes.NewReader(body))
	}
	do(t, s, "POST", "/v1/classify", "", strings.NewReader("junk"))
	do(t, s, "GET", "/nope", "", nil)
	rec := do(t, s, "GET", "/metrics", "", nil)
	text := rec.Body.String()
	for _, want := range []string{
		"# TYPE maskkit_http_requests_total counter\n",
		`maskkit_http_requests_total{route="/v1/classify",code="200"} 3` + "\n",
		`maskkit_http_requests_total{route="/v1/classify",code="400"} 1` + "\n",
		`maskkit_http_requests_total{route="other",code="404"} 1` + "\n",
		"# TYPE maskkit_http_request_duration_seconds histogram\n",
		`maskkit_http_request_duration_seconds_bucket{route="/v1/classify",le="+Inf"} 4` + "\n",
		`maskkit_http_request_duration_seconds_count{route="/v1/classify"} 4` + "\n",
		"maskkit_images_classified_total 3\n",
		"maskkit_ready 1\n",
	} {
		assert.Contains(t, text, want, "metrics")
	}
	// Buckets are cumulative: never decreasing, ending at the count.
	prev := int64(-1)
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, `maskkit_http_request_duration_seconds_bucket{route="/v1/classify"`) {
			continue
		}
		var n int64
		require.NoError(t, json.Unmarshal([]byte(line[strings.LastIndexByte(line, ' ')+1:]), &n))
		if n < prev {
			t.Errorf("bucket counts decrease at %q", line)
		}
		prev = n
	}
}

// TestConcurrent hits one Server from many goroutines (run with -race):
// every answer equals the serial one.
func TestConcurrent(t *testing.T) {
	s := New(testEnsemble(t), &Options{Logger: quiet, MaxConcurrent: 4})
	bodies := [][]byte{
		photo(t, "png", 48, 64, color.RGBA{0, 0, 0, 255}),
		photo(t, "png", 48, 64, color.RGBA{200, 10, 10, 255}),
		photo(t, "png", 48, 64, color.RGBA{255, 255, 255, 255}),
	}
	want := make([]string, len(bodies))
	for i, b := range bodies {
		want[i] = do(t, s, "POST", "/v1/classify", "", bytes.NewReader(b)).Body.String()
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 10 {
				i := (g + k) % len(bodies)
				rec := do(t, s, "POST", "/v1/classify", "", bytes.NewReader(bodies[i]))
				if rec.Code != 200 || rec.Body.String() != want[i] {
					t.Errorf("goroutine %d request %d: status %d, body differs from serial: %s", g, k, rec.Code, rec.Body)
				}
				if k%5 == 0 {
					do(t, s, "GET", "/metrics", "", nil)
				}
			}
		})
	}
	wg.Wait()
}
