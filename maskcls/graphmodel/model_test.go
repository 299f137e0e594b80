package graphmodel

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

func randomBatch(n, h, w int, seed uint64) *tensor.Dense {
	r := newRand(seed)
	return tensor.New(tensor.WithShape(n, 3, h, w), tensor.WithBacking(randF32(r, n*3*h*w)))
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, a := range []Arch{
		{Name: Base, Classes: 3, Height: 20, Width: 16, WidthMult: 0.25},
		{Name: MobileNet, Classes: 18, Height: 32, Width: 24, WidthMult: 0.5, Dropout: 0.2},
	} {
		m, err := New(a, 3)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "w.npz")
		require.NoError(t, m.Save(path))
		m2, err := LoadFile(path)
		require.NoError(t, err)
		assert.Equal(t, a, m2.Arch(), "arch")
		x := randomBatch(2, a.Height, a.Width, 9)
		y1, err := m.Predict(context.Background(), x)
		require.NoError(t, err)
		y2, err := m2.Predict(context.Background(), x)
		require.NoError(t, err)
		if !equalF32(y1.Data().([]float32), y2.Data().([]float32)) {
			t.Errorf("%s: logits differ after a round trip", a.Name)
		}
		var buf bytes.Buffer
		require.NoError(t, m.Write(&buf))
		m3, err := Load(&buf)
		require.NoError(t, err)
		y3, err := m3.Predict(context.Background(), x)
		require.NoError(t, err)
		if !equalF32(y1.Data().([]float32), y3.Data().([]float32)) {
			t.Errorf("%s: logits differ after Write and Load", a.Name)
		}
	}
}

func equalF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// TestPredictConcurrent runs Predict from 8 goroutines with batch sizes
// 1 to 4 (run with -race) and checks each result equals the serial one.
func TestPredictConcurrent(t *testing.T) {
	m, err := New(Arch{Name: MobileNet, Classes: 3, Height: 24, Width: 20, WidthMult: 0.25}, 1)
	require.NoError(t, err)
	var xs, want []*tensor.Dense
	for n := 1; n <= 4; n++ {
		x := randomBatch(n, 24, 20, uint64(n))
		y, err := m.Predict(context.Background(), x)
		require.NoError(t, err)
		xs, want = append(xs, x), append(want, y)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 6 {
				i := (g + k) % len(xs)
				y, err := m.Predict(context.Background(), xs[i])
				if err != nil {
					t.Error(err)
					return
				}
				if !equalF32(y.Data().([]float32), want[i].Data().([]float32)) {
					t.Errorf("goroutine %d: batch of %d differs from serial", g, i+1)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPredictBadInput(t *testing.T) {
	m, err := New(Arch{Name: Base, Classes: 2, Height: 20, Width: 20, WidthMult: 0.125}, 1)
	require.NoError(t, err)
	nan := randomBatch(1, 20, 20, 1)
	nan.Data().([]float32)[7] = float32(math.NaN())
	for _, c := range []struct {
		name string
		x    *tensor.Dense
		want string
	}{
		{"nil", nil, "batch is missing"},
		{"shape", randomBatch(1, 20, 21, 1), "batch shape (1, 3, 20, 21), want [N 3 20 20]"},
		{"float64", tensor.New(tensor.WithShape(1, 3, 20, 20), tensor.Of(tensor.Float64)), "batch is float64"},
		{"nan", nan, "batch element 7 is NaN"},
	} {
		_, err := m.Predict(context.Background(), c.x)
		assert.ErrorIs(t, err, ErrInput, c.name)
		assert.ErrorContains(t, err, c.want, c.name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = m.Predict(ctx, randomBatch(1, 20, 20, 1))
	assert.ErrorIs(t, err, context.Canceled, "cancelled")
}

func TestReadBadWeights(t *testing.T) {
	good, err := os.ReadFile("testdata/ref/base_odd.npz")
	require.NoError(t, err)
	_, err = Read(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not an .npz archive"},
		{"truncated", good[:len(good)/2], "not an .npz archive"},
		{"text", []byte("hello"), "not an .npz archive"},
	} {
		_, err := Read(bytes.NewReader(c.data), int64(len(c.data)))
		assert.ErrorIs(t, err, ErrWeights, c.name)
		assert.ErrorContains(t, err, c.want, c.name)
		if err != nil {
			assert.Equal(t, 1, strings.Count(err.Error(), "graphmodel:"), "%s: the package is named once in %q", c.name, err)
		}
	}
	_, err = LoadFile("testdata/ref/base_odd_ref.npz")
	assert.ErrorIs(t, err, ErrWeights, "file without __arch__")
	assert.ErrorContains(t, err, "no __arch__", "file without __arch__")
}

func TestParseNPYErrors(t *testing.T) {
	hdr := func(d string) []byte { return npyHeader(d) }
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"magic", []byte("NUMPY...."), "no magic"},
		{"fortran", hdr("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }"), "Fortran order"},
		{"dtype", hdr("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"), `dtype "<i8"`},
		{"short", append(hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), 1, 2, 3), "3 data bytes for 6 float32"},
		{"shape", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }"), "shape"},
		{"huge", hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"), "too large"},
		{"header", []byte("\x93NUMPY\x01\x00\xff\xff{"), "header of 65535 bytes"},
	} {
		_, err := parseNPY(c.data)
		assert.ErrorIs(t, err, ErrWeights, c.name)
		assert.ErrorContains(t, err, c.want, c.name)
	}
}

func TestArchCheck(t *testing.T) {
	for _, c := range []struct {
		a    Arch
		want string
	}{
		{Arch{Name: "resnet", Classes: 3, Height: 32, Width: 32}, `"resnet" is not`},
		{Arch{Name: Base, Classes: 1, Height: 32, Width: 32}, "1 classes"},
		{Arch{Name: Base, Classes: 3, Height: 8, Width: 32}, "too small"},
		{Arch{Name: MobileNet, Classes: 3, Height: 32, Width: 32, Dropout: 1}, "dropout 1"},
		{Arch{Name: MobileNet, Classes: 3, Height: 32, Width: 32, WidthMult: math.NaN()}, "width multiplier NaN"},
	} {
		err := c.a.Check()
		assert.ErrorIs(t, err, ErrArch, "%+v", c.a)
		assert.ErrorContains(t, err, c.want, "%+v", c.a)
	}
}
