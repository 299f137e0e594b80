package augment

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// The golden files come from testdata/ref/gen_golden.py, which applies each
// transform with the cv2/numpy calls Albumentations 1.3.1 makes, on OpenCV
// 4.6 (Debian 12). Nothing here is produced by this package.

type goldenOp struct {
	Op                  string
	H, W, Interpolation int
	X1, Y1, X2, Y2      int
	Alpha, Lightness    float64
	Mean, Std           []float64
	MaxPixelValue       float64 `json:"max_pixel_value"`
}

type goldenCase struct {
	Name, Input, Output string
	Ops                 []goldenOp
}

func loadNPY(t testing.TB, name string) *Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadNPY(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func goldenCases(t testing.TB) []goldenCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Cases []goldenCase }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) < 100 {
		t.Fatalf("manifest has only %d cases", len(m.Cases))
	}
	return m.Cases
}

// goldenTransform builds the transform with every probability 1 and every
// range collapsed to the value the generator used.
func goldenTransform(t testing.TB, ops []goldenOp) Transform {
	var ts []Transform
	for _, o := range ops {
		var tr Transform
		switch o.Op {
		case "ToGray":
			tr = ToGray{P: 1}
		case "CenterCrop":
			tr = NewCenterCrop(o.H, o.W)
		case "UnderCrop":
			tr = NewUnderCrop(o.H, o.W)
		case "Crop":
			tr = NewCrop(o.X1, o.Y1, o.X2, o.Y2)
		case "Resize":
			tr = Resize{Height: o.H, Width: o.W, Interpolation: o.Interpolation, P: 1}
		case "Sharpen":
			tr = Sharpen{Alpha: [2]float64{o.Alpha, o.Alpha}, Lightness: [2]float64{o.Lightness, o.Lightness}, P: 1}
		case "HorizontalFlip":
			tr = HorizontalFlip{P: 1}
		case "VerticalFlip":
			tr = VerticalFlip{P: 1}
		case "Normalize":
			tr = Normalize{Mean: o.Mean, Std: o.Std, MaxPixelValue: o.MaxPixelValue, P: 1}
		case "ToTensorV2":
			tr = NewToTensorV2()
		default:
			t.Fatalf("unknown op %q", o.Op)
		}
		ts = append(ts, tr)
	}
	return NewCompose(ts...)
}

// firstDiff compares got with want element by element and describes the
// first difference (and how many there are), or returns "".
func firstDiff(got, want *Image) string {
	if got.Height != want.Height || got.Width != want.Width || got.Channels != want.Channels {
		// want is read as HWC; a CHW output compares as (C, H, W).
		gs, ws := got.Shape(), []int{want.Height, want.Width, want.Channels}
		if fmt.Sprint(gs) != fmt.Sprint(ws) {
			return fmt.Sprintf("shape %v, want %v", gs, ws)
		}
	}
	if got.DType() != want.DType() {
		return fmt.Sprintf("dtype %v, want %v", got.DType(), want.DType())
	}
	n, first, maxd := 0, -1, 0.0
	for i := range got.Len() {
		var d float64
		if got.U8 != nil {
			d = math.Abs(float64(got.U8[i]) - float64(want.U8[i]))
		} else if math.Float32bits(got.F32[i]) != math.Float32bits(want.F32[i]) {
			d = math.Max(math.Abs(float64(got.F32[i]-want.F32[i])), 1e-30)
		}
		if d != 0 {
			if first < 0 {
				first = i
			}
			n++
			maxd = max(maxd, d)
		}
	}
	if n == 0 {
		return ""
	}
	if got.U8 != nil {
		return fmt.Sprintf("%d of %d values differ (max %v); first at flat index %d: got %d, want %d", n, got.Len(), maxd, first, got.U8[first], want.U8[first])
	}
	return fmt.Sprintf("%d of %d values differ (max %v); first at flat index %d: got %v, want %v", n, got.Len(), maxd, first, got.F32[first], want.F32[first])
}

func TestGolden(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range goldenCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			in, want := loadNPY(t, c.Input), loadNPY(t, c.Output)
			tr := goldenTransform(t, c.Ops)
			pl, err := Prepare(tr, in.Height, in.Width)
			if err != nil {
				t.Fatal(err)
			}
			got := &Image{}
			if err := pl.Run(got, in, r); err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(got, want); d != "" {
				t.Errorf("%s: %s", c.Name, d)
			}
			// The one-shot path gives the same pixels.
			got2, err := tr.Apply(in, r)
			if err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(got2, want); d != "" {
				t.Errorf("%s (Apply): %s", c.Name, d)
			}
		})
	}
}
