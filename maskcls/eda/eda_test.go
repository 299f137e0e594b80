package eda

import (
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const committed = "../../testdata/synth"

func read(t *testing.T, dir string) (*maskcls.Dataset, *maskcls.EvalSet) {
	t.Helper()
	train, err := maskcls.ReadTrain(filepath.Join(dir, "train"), nil)
	require.NoError(t, err)
	eval, err := maskcls.ReadEval(filepath.Join(dir, "eval"))
	require.NoError(t, err)
	return train, eval
}

// TestComputeCommitted checks the statistics of the committed instance
// against counts taken straight from its CSV files.
func TestComputeCommitted(t *testing.T) {
	train, eval := read(t, committed)
	s, err := Compute(context.Background(), train, eval)
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(committed, "train", "train.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var strata [2][3]int
	var classes [maskcls.NumClasses]int
	ages := map[int]int{}
	for _, r := range rows[1:] {
		g := 0
		if r[1] == "female" {
			g = 1
		}
		years, _ := strconv.Atoi(r[3])
		a := 0
		if years >= 60 {
			a = 2
		} else if years >= 30 {
			a = 1
		}
		strata[g][a]++
		ages[years]++
		classes[3*g+a] += 5 // mask1..mask5
		classes[6+3*g+a]++  // incorrect_mask
		classes[12+3*g+a]++ // normal
	}
	if s.People != len(rows)-1 || s.Photos != 7*s.People || s.EvalPhotos != 7*synth.DefaultEvalPeople {
		t.Fatalf("people %d, photos %d, eval %d", s.People, s.Photos, s.EvalPhotos)
	}
	assert.Equal(t, strata, s.Strata, "strata")
	assert.Equal(t, classes, s.Classes, "classes")
	if want := [3]int{5 * s.People, s.People, s.People}; s.Masks != want {
		t.Errorf("masks %v, want %v", s.Masks, want)
	}
	if fmt.Sprint(s.Ages) != fmt.Sprint(ages) {
		t.Errorf("ages %v, want %v", s.Ages, ages)
	}
	n := 0
	for _, sc := range s.Sizes {
		if sc.Width != synth.DefaultWidth || sc.Height != synth.DefaultHeight {
			t.Errorf("size %+v", sc)
		}
		n += sc.Count
	}
	if n != s.Photos || len(s.EvalSizes) != 1 || s.EvalSizes[0] != (SizeCount{48, 64, "jpeg", s.EvalPhotos}) || len(s.Bad) != 0 {
		t.Errorf("sizes %+v (%d photos), eval %+v, bad %v", s.Sizes, n, s.EvalSizes, s.Bad)
	}
	ext := 0
	for _, e := range s.Extensions {
		ext += e.Count
	}
	if ext != s.Photos || len(s.Extensions) != 3 {
		t.Errorf("extensions %v", s.Extensions)
	}
}

func TestComputeBadPhoto(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, synth.Generate(context.Background(), dir, &synth.Options{People: 2, EvalPeople: -1, Width: 24, Height: 32}))
	train, err := maskcls.ReadTrain(filepath.Join(dir, "train"), nil)
	require.NoError(t, err)
	broken := train.Samples[3].Path
	require.NoError(t, os.WriteFile(broken, []byte("not an image"), 0o644))
	s, err := Compute(context.Background(), train, nil)
	require.NoError(t, err)
	if len(s.Bad) != 1 || !strings.HasPrefix(s.Bad[0], broken+": ") || s.Photos != 14 || s.EvalPhotos != 0 {
		t.Fatalf("bad %q, photos %d, eval %d; want %s listed", s.Bad, s.Photos, s.EvalPhotos, broken)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Compute(ctx, train, nil)
	assert.ErrorIs(t, err, context.Canceled, "cancelled")
}

func TestWriteReport(t *testing.T) {
	train, eval := read(t, committed)
	s, err := Compute(context.Background(), train, eval)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "report")
	require.NoError(t, s.WriteReport(out))
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	for _, want := range []string{
		"| 0 | wear | male | <30 | " + strconv.Itoa(s.Classes[0]) + " |",
		fmt.Sprintf("| all | %d (", s.Strata[0][0]+s.Strata[1][0]),
		"| incorrect | " + strconv.Itoa(s.People) + " |",
		"| eval | 48x64 | jpeg | 210 |",
		"| `.png` |",
	} {
		assert.Contains(t, string(md), want, "report.md lacks %q", want)
	}
	for _, name := range Charts {
		assert.Contains(t, string(md), "]("+name+")", "report.md does not link %s", name)
		f, err := os.Open(filepath.Join(out, name))
		require.NoError(t, err)
		_, err = png.Decode(f)
		f.Close()
		assert.NoError(t, err, "%s", name)
	}
}

// TestBarChart checks bar heights in pixels: the largest bar spans the
// plot, a half-size bar half of it, and a zero bar none.
func TestBarChart(t *testing.T) {
	img := BarChart("t", []Bar{{"a", 10}, {"b", 5}, {"c", 0}, {"d", -3}})
	base := chartTop + chartPlotH
	barW := 48
	height := func(i int) int {
		x := axisW + i*barW + barW/2
		h := 0
		for y := base - 1; y >= 0 && img.RGBAAt(x, y) == barInk; y-- {
			h++
		}
		return h
	}
	for i, want := range []int{chartPlotH, chartPlotH / 2, 0, 0} {
		assert.Equal(t, want, height(i), "bar %d px high", i)
	}
	if b := BarChart("empty", nil).Bounds(); b.Empty() {
		t.Errorf("empty chart has bounds %v", b)
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ vmax, want int }{{1, 1}, {5, 1}, {6, 2}, {11, 2}, {12, 5}, {30, 10}, {80, 20}, {300, 100}, {18900, 5000}} {
		assert.Equal(t, c.want, niceStep(c.vmax), "niceStep(%d)", c.vmax)
	}
}

func ExampleCompute() {
	train, err := maskcls.ReadTrain("../../testdata/synth/train", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := Compute(context.Background(), train, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.People, "people,", s.Photos, "photos; masks", s.Masks, "; sizes", s.Sizes[0].Width, "x", s.Sizes[0].Height)
	// Output: 60 people, 420 photos; masks [300 60 60] ; sizes 48 x 64
}

func ExampleBarChart() {
	img := BarChart("people per gender", []Bar{{"male", 25}, {"female", 35}})
	fmt.Println(img.Bounds().Dx() > 0, png.Encode(io.Discard, img) == nil)
	// Output: true true
}
