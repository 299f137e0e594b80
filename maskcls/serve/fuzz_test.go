package serve

import (
	"bytes"
	"encoding/json"
	"image/color"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzClassify posts arbitrary bodies, raw and as multipart content types:
// the answer is always a JSON object, 200 with a class or a client error
// with a one-line reason, never a 5xx or a panic.
func FuzzClassify(f *testing.F) {
	png := photo(f, "png", 48, 64, color.RGBA{40, 80, 120, 255})
	jpg := photo(f, "jpeg", 48, 64, color.RGBA{40, 80, 120, 255})
	f.Add(png, "")
	f.Add(jpg, "image/jpeg")
	f.Add(png[:40], "")
	f.Add(hugePNG(1<<20, 1<<20), "")
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n"+string(png)+"\r\n--b--\r\n"), "multipart/form-data; boundary=b")
	f.Add([]byte("--b\r\n\r\n--b--"), "multipart/form-data; boundary=b")
	s := New(testEnsemble(f), &Options{Logger: quiet, MaxBodyBytes: 1 << 16, MaxPixels: 1 << 16})
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		for _, path := range []string{"/v1/classify", "/v1/classify/batch"} {
			rec := do(t, s, "POST", path, ctype, bytes.NewReader(body))
			switch rec.Code {
			case 200:
				require.Contains(t, rec.Body.String(), `"class":`, "%s: 200 without a class", path)
			case 400, 413, 422:
				var e ErrorResult
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || strings.Contains(e.Error, "\n") {
					t.Fatalf("%s: status %d with body %q", path, rec.Code, rec.Body)
				}
			default:
				t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
			}
		}
	})
}
