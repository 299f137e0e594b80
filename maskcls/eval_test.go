package maskcls

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(set.ImageIDs, " "); got != imgB+" "+imgA+" "+imgC {
		t.Fatalf("ImageIDs = %s, want info.csv order", got)
	}
	if set.Paths[1] != filepath.Join(dir, "images", imgA) || set.Lines[2] != 5 {
		t.Errorf("Paths[1] = %s, Lines = %v", set.Paths[1], set.Lines)
	}

	out := filepath.Join(t.TempDir(), "submission.csv")
	writeFile(t, out, "old")
	if err := WriteSubmission(out, set, []int{17, 0, 9}); err != nil {
		t.Fatal(err)
	}
	// What pandas' to_csv(index=False) writes for this frame.
	want := "ImageID,ans\n" + imgB + ",17\n" + imgA + ",0\n" + imgC + ",9\n"
	if got, _ := os.ReadFile(out); string(got) != want {
		t.Errorf("submission =\n%s\nwant\n%s", got, want)
	}

	for _, bad := range [][]int{{1, 2}, {1, 2, 3, 4}, {0, 18, 1}, {0, -1, 1}, nil} {
		if err := WriteSubmission(out, set, bad); !errors.Is(err, ErrSubmission) {
			t.Errorf("WriteSubmission(%v): err = %v, want ErrSubmission", bad, err)
		}
	}
	if got, _ := os.ReadFile(out); string(got) != want {
		t.Errorf("a failed write changed the file to\n%s", got)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*.tmp")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	if err := WriteSubmission(filepath.Join(dir, "no/such/dir/s.csv"), set, []int{0, 0, 0}); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
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
			if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.where) {
				t.Fatalf("err = %v, want %v naming %q", err, c.sentinel, c.where)
			}
		})
	}
	dir := t.TempDir()
	writeEval(t, dir, "")
	writeFile(t, filepath.Join(dir, "info.csv"), "ImageID,answer\n")
	if _, err := ReadEval(dir); !errors.Is(err, ErrCSV) {
		t.Errorf("header without ans: err = %v", err)
	}
}

// A failed write or rename leaves neither a temporary file nor a changed
// target behind.
func TestWriteAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "s.csv")
	writeFile(t, target, "old")
	boom := errors.New("boom")
	if err := writeAtomic(target, func(w io.Writer) error { w.Write([]byte("partial")); return boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	mkdir(t, filepath.Join(dir, "adir", "x"))
	if err := writeAtomic(filepath.Join(dir, "adir"), func(w io.Writer) error { return nil }); err == nil {
		t.Error("renaming over a non-empty folder succeeded")
	}
	if got, _ := os.ReadFile(target); string(got) != "old" {
		t.Errorf("target now %q", got)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
