package augment

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzColorReplay feeds replay files to a pipeline of every colour and blur
// transform: no input may panic, every error wraps ErrReplay, and what
// parses writes back and reads again. Seeds: testdata/fuzz/FuzzColorReplay.
func FuzzColorReplay(f *testing.F) {
	f.Add([]byte(`{"params": {"": {"apply": true}, "0": {"apply": true, "alpha": 1.1, "beta": -0.1}, "1": {"apply": true, "hue_shift": 3.5, "sat_shift": -2.0, "val_shift": 7.0}, "2": {"apply": true, "r_shift": 1.5, "g_shift": -0.5, "b_shift": 0.0}, "3": {"apply": true, "gamma": 0.9}, "4": {"apply": true, "threshold": 99.5}, "5": {"apply": true, "num_bits": [2, 8, 0]}, "6": {"apply": true}, "7": {"apply": true, "channels_shuffled": [2, 0, 1]}, "8": {"apply": true, "ksize": 5}, "9": {"apply": true, "ksize": 0, "sigma": 1.2}, "10": {"apply": true, "ksize": 7}, "11": {"apply": true, "kernel": [[0, 0, 0.5], [0, 0, 0], [0.5, 0, 0]]}}}`))
	tr := NewCompose(colorAll()...)
	img := testPhoto()
	pl, err := Prepare(tr, img.Height, img.Width)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ReadParams(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrReplay) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		rewrittenParams(t, ps)
		if err := pl.Replay(&Image{}, img, ps); err != nil && !errors.Is(err, ErrReplay) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("replay error without sentinel: %v", err)
		}
	})
}
