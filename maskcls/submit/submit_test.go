package submit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// byRed is a Classifier whose answer is the photo's first red value mod 18,
// so each photo's expected class is known from how it was drawn. It counts
// the photos it sees, and calls hook (if set) after each batch.
type byRed struct {
	seen atomic.Int64
	hook func()
}

func (b *byRed) PredictAugmentImages(_ context.Context, imgs []*augment.Image) ([]maskcls.Prediction, error) {
	out := make([]maskcls.Prediction, len(imgs))
	for i, m := range imgs {
		out[i].Class = int(m.U8[0]) % maskcls.NumClasses
	}
	b.seen.Add(int64(len(imgs)))
	if b.hook != nil {
		b.hook()
	}
	return out, nil
}

// evalDir writes an eval layout of n photos, photo i red = i (so class
// i%18), and returns its folder and the expected submission rows. Photos
// listed in bad are written as garbage.
func evalDir(t *testing.T, n int, bad ...int) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "images"), 0o755)
	info := []string{"ImageID,ans"}
	var want []string
	for i := range n {
		id := fmt.Sprintf("%040x.png", i)
		info = append(info, id+",0")
		want = append(want, fmt.Sprintf("%s,%d", id, i%18))
		var data []byte
		if contains(bad, i) {
			data = []byte("not a photo")
		} else {
			img := image.NewRGBA(image.Rect(0, 0, 4, 4))
			img.Set(0, 0, color.RGBA{uint8(i), 0, 0, 255})
			var buf bytes.Buffer
			png.Encode(&buf, img)
			data = buf.Bytes()
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "images", id), data, 0o644))
	}
	os.WriteFile(filepath.Join(dir, "info.csv"), []byte(strings.Join(info, "\n")+"\n"), 0o644)
	return dir, want
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// rows reads a submission and returns its rows after the header.
func rows(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Equal(t, "ImageID,ans", lines[0], "header")
	return lines[1:]
}

func sameRows(t *testing.T, got, want []string) {
	t.Helper()
	require.Equal(t, len(want), len(got), "rows")
	for i := range got {
		require.Equal(t, want[i], got[i], "row %d", i)
	}
}

func TestRun(t *testing.T) {
	dir, want := evalDir(t, 40)
	out := filepath.Join(t.TempDir(), "submission.csv")
	var progress bytes.Buffer
	rep, err := Run(context.Background(), &byRed{}, dir, out, &Options{BatchSize: 16, Progress: &progress})
	require.NoError(t, err)
	sameRows(t, rows(t, out), want)
	if rep.Images != 40 || rep.Scored != 40 || rep.Resumed != 0 || len(rep.Bad) != 0 {
		t.Errorf("report %+v", rep)
	}
	if _, err := os.Stat(PartialPath(out)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("partial file left behind: %v", err)
	}
	if !strings.Contains(progress.String(), "40/40 100%") || !strings.HasSuffix(progress.String(), "\n") {
		t.Errorf("progress %q", progress.String())
	}
}

func TestBadImage(t *testing.T) {
	// Photos 3 and 30 are garbage. Classes of the rest: i%18 for i in
	// 0..39, so 0..3 occur three times, and 3 lost one: 0 is the most
	// frequent (the smallest of 0, 1, 2).
	dir, want := evalDir(t, 40, 3, 30)
	out := filepath.Join(t.TempDir(), "submission.csv")
	_, err := Run(context.Background(), &byRed{}, dir, out, &Options{BatchSize: 16})
	require.ErrorIs(t, err, ErrBadImages)
	for _, id := range []string{fmt.Sprintf("%040x.png", 3), fmt.Sprintf("%040x.png", 30)} {
		assert.Contains(t, err.Error(), id, "error does not name %s: %v", id, err)
	}
	if _, serr := os.Stat(out); !errors.Is(serr, os.ErrNotExist) {
		t.Error("a failed run wrote the submission")
	}

	rep, err := Run(context.Background(), &byRed{}, dir, out, &Options{BatchSize: 16, SkipBad: true})
	require.NoError(t, err)
	if len(rep.Bad) != 2 || rep.FillClass != 0 || rep.Scored != 38 {
		t.Errorf("report %+v, want 2 bad filled with class 0 and 38 scored", rep)
	}
	want[3] = fmt.Sprintf("%040x.png,0", 3)
	want[30] = fmt.Sprintf("%040x.png,0", 30)
	sameRows(t, rows(t, out), want)
}

func TestAllBad(t *testing.T) {
	dir, _ := evalDir(t, 3, 0, 1, 2)
	_, err := Run(context.Background(), &byRed{}, dir, filepath.Join(t.TempDir(), "s.csv"), &Options{SkipBad: true})
	require.ErrorIs(t, err, ErrBadImages)
}

func TestResume(t *testing.T) {
	dir, want := evalDir(t, 50)
	out := filepath.Join(t.TempDir(), "submission.csv")
	// The first run is interrupted after its second batch.
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	first := &byRed{hook: func() {
		if calls++; calls == 2 {
			cancel()
		}
	}}
	rep, err := Run(ctx, first, dir, out, &Options{BatchSize: 10})
	require.ErrorIs(t, err, context.Canceled, "interrupted run")
	require.Equal(t, 20, rep.Scored, "photos the interrupted run scored")
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("an interrupted run wrote the submission")
	}
	// A crash in the middle of a write leaves a cut line: it is dropped.
	f, _ := os.OpenFile(PartialPath(out), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(fmt.Sprintf("%040x.png,1", 20))
	f.Close()

	second := &byRed{}
	rep, err = Run(context.Background(), second, dir, out, &Options{BatchSize: 10, Resume: true})
	require.NoError(t, err)
	if rep.Resumed != 20 || rep.Scored != 30 || second.seen.Load() != 30 {
		t.Errorf("resumed run: report %+v, classifier saw %d photos; want 20 resumed, 30 scored", rep, second.seen.Load())
	}
	sameRows(t, rows(t, out), want)

	// Without Resume, an old partial file is ignored.
	os.WriteFile(PartialPath(out), []byte(fmt.Sprintf("%040x.png,17\n", 0)), 0o644)
	_, err = Run(context.Background(), &byRed{}, dir, out, nil)
	require.NoError(t, err)
	sameRows(t, rows(t, out), want)
}

// fingerprintLine is the first line Run writes into the partial file for
// the eval folder dir and the models' fingerprint.
func fingerprintLine(t *testing.T, dir, models string) string {
	t.Helper()
	eval, err := maskcls.ReadEval(dir)
	require.NoError(t, err)
	fp, err := evalFingerprint(eval)
	require.NoError(t, err)
	return fingerprint{models: models, eval: fp}.line()
}

func TestResumeBadPartial(t *testing.T) {
	dir, _ := evalDir(t, 5)
	out := filepath.Join(t.TempDir(), "submission.csv")
	os.WriteFile(PartialPath(out), []byte(fingerprintLine(t, dir, "")+fmt.Sprintf("%040x.png,99\n", 0)), 0o644)
	_, err := Run(context.Background(), &byRed{}, dir, out, &Options{Resume: true})
	assert.ErrorContains(t, err, "99", "want an error about class 99")
}

// TestResumeStalePartial: a partial file from another run (other models,
// another eval set, or no fingerprint at all) is refused, naming what
// differs, and never merged; without Resume the run starts over.
func TestResumeStalePartial(t *testing.T) {
	dir, want := evalDir(t, 30)
	other, _ := evalDir(t, 31)
	out := filepath.Join(t.TempDir(), "submission.csv")
	partial := PartialPath(out)
	// Rows that would all be wrong if merged: class 17 for every photo.
	var wrong strings.Builder
	for i := range 30 {
		fmt.Fprintf(&wrong, "%040x.png,17\n", i)
	}
	cases := []struct {
		name, header, says string
	}{
		{"other models", fingerprintLine(t, dir, "model-A"), "the models"},
		{"other eval listing", fingerprintLine(t, other, "model-B"), "the eval listing"},
		{"both", fingerprintLine(t, other, "model-A"), "the models (fingerprint \"model-A\", now \"model-B\") and the eval listing"},
		{"no fingerprint", "", "no fingerprint line"},
	}
	for _, c := range cases {
		require.NoError(t, os.WriteFile(partial, []byte(c.header+wrong.String()), 0o644))
		clf := &byRed{}
		_, err := Run(context.Background(), clf, dir, out, &Options{Resume: true, Fingerprint: "model-B"})
		assert.ErrorIs(t, err, ErrStalePartial, c.name)
		assert.ErrorContains(t, err, c.says, c.name)
		assert.Zero(t, clf.seen.Load(), "%s: photos scored after a stale partial file", c.name)
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a submission was written", c.name)
		}
	}
	// The same fingerprint resumes; without Resume the stale rows are dropped.
	require.NoError(t, os.WriteFile(partial, []byte(fingerprintLine(t, dir, "model-B")+want[0]+"\n"), 0o644))
	rep, err := Run(context.Background(), &byRed{}, dir, out, &Options{Resume: true, Fingerprint: "model-B"})
	if err != nil || rep.Resumed != 1 {
		t.Fatalf("matching fingerprint: report %+v, error %v; want 1 row resumed", rep, err)
	}
	sameRows(t, rows(t, out), want)
	os.WriteFile(partial, []byte(fingerprintLine(t, dir, "model-A")+wrong.String()), 0o644)
	if _, err := Run(context.Background(), &byRed{}, dir, out, &Options{Fingerprint: "model-B"}); err != nil {
		t.Fatal(err)
	}
	sameRows(t, rows(t, out), want)
}

// TestOutputPathCheckedFirst: an output that names a directory, or sits in
// a folder that does not exist, fails before any photo is scored and
// leaves no partial file.
func TestOutputPathCheckedFirst(t *testing.T) {
	dir, _ := evalDir(t, 10)
	outDir := t.TempDir()
	for _, out := range []string{outDir, filepath.Join(outDir, "missing", "s.csv")} {
		clf := &byRed{}
		_, err := Run(context.Background(), clf, dir, out, nil)
		assert.ErrorIs(t, err, ErrOutput, "out %s", out)
		if clf.seen.Load() != 0 {
			t.Errorf("out %s: %d photos scored before the output path was refused", out, clf.seen.Load())
		}
		if _, err := os.Stat(PartialPath(out)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("out %s: a partial file was left behind", out)
		}
	}
	assert.NoError(t, checkOut(filepath.Join(outDir, "s.csv")), "a file in an existing folder is refused")
}

// TestFillClass: the most frequent class, the smallest on a tie, unread
// photos (negative) ignored, 0 when nothing was read.
func TestFillClass(t *testing.T) {
	for _, c := range []struct {
		classes []int
		want    int
	}{
		{[]int{3, 5, 5, -1, -1, -1}, 5},
		{[]int{7, 2, 7, 2}, 2},
		{[]int{-1, -1}, 0},
		{nil, 0},
	} {
		assert.Equal(t, c.want, FillClass(c.classes), "FillClass(%v)", c.classes)
	}
}
