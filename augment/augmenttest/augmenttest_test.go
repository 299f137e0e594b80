package augmenttest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cases in testdata/cases come from augment/testdata/ref/gen_golden_color.py
// (Albumentations' cv2/numpy code for each version), in the layout
// record_golden.py writes.
func TestGolden(t *testing.T) { Golden(t, "testdata/cases") }

// copyCase copies a case folder into a temporary directory.
func copyCase(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join("testdata", "cases", name)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// poke changes the uint8 value at flat index i of a .npy file (header of
// 128 bytes, as numpy writes small arrays) and returns the old value.
func poke(t *testing.T, path string, i int, v byte) byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := b[128+i]
	b[128+i] = v
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return old
}

func TestMismatch(t *testing.T) {
	// The astro case is 120x96x3 uint8 after four transforms; change the
	// value at y=7, x=11, channel 2 of the last step and of the output.
	dir := copyCase(t, "astro_colour_1.3.1")
	i := (7*96+11)*3 + 2
	old := poke(t, filepath.Join(dir, "expected.npy"), i, 0)
	poke(t, filepath.Join(dir, "steps", "03.npy"), i, 0)
	err := Check(dir)
	var m *Mismatch
	if !errors.As(err, &m) {
		t.Fatalf("Check: %v, want a *Mismatch", err)
	}
	if m.Step != 3 || m.Transform != "GaussianBlur" || m.Y != 7 || m.X != 11 || m.C != 2 || m.Got != float64(old) || m.Want != 0 || m.Count != 1 {
		t.Errorf("%+v", m)
	}
	for _, s := range []string{"transform 3 (GaussianBlur)", "y=7 x=11 channel 2", "want 0"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
	// Without steps/ the difference is the pipeline's.
	os.RemoveAll(filepath.Join(dir, "steps"))
	if err := Check(dir); !errors.As(err, &m) || m.Step != -1 || m.Transform != "pipeline" {
		t.Errorf("without steps: %v", err)
	}
	// A changed step earlier in the pipeline is found there.
	dir = copyCase(t, "astro_colour_1.3.1")
	poke(t, filepath.Join(dir, "expected.npy"), 5, 1)
	poke(t, filepath.Join(dir, "steps", "01.npy"), 5, 1)
	if err := Check(dir); !errors.As(err, &m) || m.Step != 1 || m.Transform != "RandomBrightnessContrast" || m.Y != 0 || m.X != 1 || m.C != 2 {
		t.Errorf("step 1: %v", err)
	}
	// The float32 CHW case reports channel-first positions as y, x, c.
	dir = copyCase(t, "video_blur_1.4.18")
	b, _ := os.ReadFile(filepath.Join(dir, "expected.npy"))
	j := 128 + 4*(1*45*60+2*60+3) // channel 1, y=2, x=3
	b[j] ^= 1
	os.WriteFile(filepath.Join(dir, "expected.npy"), b, 0o644)
	if err := Check(dir); !errors.As(err, &m) || m.Step != -1 || m.Y != 2 || m.X != 3 || m.C != 1 {
		t.Errorf("CHW: %v", err)
	}
}

func TestBadCase(t *testing.T) {
	dir := copyCase(t, "astro_colour_1.3.1")
	os.Remove(filepath.Join(dir, "expected.npy"))
	if err := Check(dir); !errors.Is(err, ErrCase) {
		t.Errorf("missing expected.npy: %v", err)
	}
	dir = copyCase(t, "astro_colour_1.3.1")
	os.WriteFile(filepath.Join(dir, "params.json"), []byte(`{"params": {"": {"apply": true}}}`), 0o644)
	if err := Check(dir); err == nil || !strings.Contains(err.Error(), "replay") {
		t.Errorf("params without draws: %v", err)
	}
	if cs, err := Cases(t.TempDir()); err != nil || len(cs) != 0 {
		t.Errorf("empty dir: %v %v", cs, err)
	}
}

// The cases in testdata/recorded are what record_golden.py's convert makes
// of replay dicts shaped as each Albumentations version's ReplayCompose
// writes them (1.3.1, 1.4.8, 1.4.12, 1.4.14, 1.4.18, 1.4.21 and
// rec_1.4.21_rotate, whose Rotate records its matrix: Affine,
// ShiftScaleRotate, SafeRotate, Rotate with crop_border, CropAndPad,
// CoarseDropout with the random fill, Equalize with a mask, MotionBlur 13,
// CLAHE, RandomRotate90, RandomSizedCrop, 1.4.0-1.4.14's FancyPCA); the
// expected outputs are the
// cv2/numpy calls of that version (testdata/gen_recorded.py).
func TestRecorded(t *testing.T) { Golden(t, "testdata/recorded") }
