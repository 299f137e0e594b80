package maskcls

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeEval writes an eval layout: info.csv with the given body after the
// header and an empty image file per name.
func writeEval(t *testing.T, dir, body string, images ...string) {
	t.Helper()
	mkdir(t, filepath.Join(dir, "images"))
	for _, im := range images {
		touch(t, filepath.Join(dir, "images", im))
	}
	writeFile(t, filepath.Join(dir, "info.csv"), "ImageID,ans\n"+body)
}

const (
	imgA = "cbc5c6e168e63498590db46022617123f1fe1268.jpg"
	imgB = "0e72482bf56b3581c081f7da2a6180b8792c7089.jpg"
	imgC = "b549040c49190cedc41327748aeb197c1670f14d.png"
)

func TestReadEvalAndSubmission(t *testing.T) {
	dir := t.TempDir()
	writeEval(t, dir, imgB+",0\r\n"+imgA+",0\r\n\r\n"+imgC+",0\r\n", imgA, imgB, imgC, "extra.jpg")
	set, err := ReadEval(dir)
	require.NoError(t, err)
	require.Equal(t, []string{imgB, imgA, imgC}, set.ImageIDs, "ImageIDs in info.csv order")
	assert.Equal(t, filepath.Join(dir, "images", imgA), set.Paths[1])
	assert.Equal(t, 5, set.Lines[2])

	out := filepath.Join(t.TempDir(), "submission.csv")
	writeFile(t, out, "old")
	require.NoError(t, WriteSubmission(out, set, []int{17, 0, 9}))
	// What pandas' to_csv(index=False) writes for this frame.
	want := "ImageID,ans\n" + imgB + ",17\n" + imgA + ",0\n" + imgC + ",9\n"
	got, _ := os.ReadFile(out)
	assert.Equal(t, want, string(got), "submission")

	for _, bad := range [][]int{{1, 2}, {1, 2, 3, 4}, {0, 18, 1}, {0, -1, 1}, nil} {
		assert.ErrorIs(t, WriteSubmission(out, set, bad), ErrSubmission, "WriteSubmission(%v)", bad)
	}
	got, _ = os.ReadFile(out)
	assert.Equal(t, want, string(got), "a failed write changed the file")
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*.tmp"))
	assert.Empty(t, m, "temporary files left")
	assert.Error(t, WriteSubmission(filepath.Join(dir, "no/such/dir/s.csv"), set, []int{0, 0, 0}), "writing into a missing folder")
}

func TestReadEvalProblems(t *testing.T) {
	cases := []struct {
		name, body string
		sentinel   error
		where      string
	}{
		{"missing image", imgA + ",0\n" + imgC + ",0\n", ErrMissingImage, "info.csv:3:"},
		{"duplicate", imgA + ",0\n" + imgB + ",0\n" + imgA + ",0\n", ErrDuplicateRow, "info.csv:4:"},
		{"escape", imgA + ",0\n../" + imgB + ",0\n", ErrImageID, "info.csv:3:"},
		{"empty id", imgA + ",0\n,0\n", ErrImageID, "info.csv:3:"},
		{"short row", imgA + "\n", ErrCSV, "info.csv:2:"},
		{"non-utf8", imgA + "\xff,0\n", ErrEncoding, "info.csv:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeEval(t, dir, c.body, imgA, imgB)
			_, err := ReadEval(dir)
			require.ErrorIs(t, err, c.sentinel)
			require.ErrorContains(t, err, c.where)
		})
	}
	dir := t.TempDir()
	writeEval(t, dir, "")
	writeFile(t, filepath.Join(dir, "info.csv"), "ImageID,answer\n")
	_, err := ReadEval(dir)
	assert.ErrorIs(t, err, ErrCSV, "header without ans")
}

// A failed write or rename leaves neither a temporary file nor a changed
// target behind.
func TestWriteAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "s.csv")
	writeFile(t, target, "old")
	boom := errors.New("boom")
	assert.ErrorIs(t, writeAtomic(target, func(w io.Writer) error { w.Write([]byte("partial")); return boom }), boom)
	mkdir(t, filepath.Join(dir, "adir", "x"))
	assert.Error(t, writeAtomic(filepath.Join(dir, "adir"), func(w io.Writer) error { return nil }), "renaming over a non-empty folder")
	got, _ := os.ReadFile(target)
	assert.Equal(t, "old", string(got), "target after failed writes")
	m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	assert.Empty(t, m, "temporary files left")
}
