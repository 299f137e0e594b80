package maskbeam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/submit"
)

// runPipeline runs what examples/beam's main runs, writing into dir, and
// returns the submission's bytes.
func runPipeline(t *testing.T, eval, dir string, skipBad bool) ([]byte, *Report, error) {
	t.Helper()
	ctx := context.Background()
	scores, dead, out := dir+"/scores.csv", dir+"/dead.csv", dir+"/submission.csv"
	if err := ClearOutputs(ctx, scores, dead); err != nil {
		t.Fatal(err)
	}
	p, s := beam.NewPipelineWithRoot()
	ids, err := ReadIDs(s, eval+"/info.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := Score(s, ids, Options{Images: eval + "/images", Models: modelsDir, SkipBad: skipBad})
	textio.Write(s, scores, FormatScores(s, res.Scores))
	textio.Write(s, dead, FormatDead(s, res.Dead))
	if err := ptest.Run(p); err != nil {
		t.Fatal(err)
	}
	rep, err := WriteSubmission(ctx, eval+"/info.csv", scores, dead, out, skipBad)
	if err != nil {
		return nil, rep, err
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data, rep, nil
}

// predictSubmission writes the submission examples/predict writes
// (package submit, the same ensemble) and returns its bytes.
func predictSubmission(t *testing.T, eval string, skipBad bool) []byte {
	t.Helper()
	e, err := maskcls.LoadEnsemble(modelsDir+"/ensemble.json", &maskcls.EnsembleOptions{BatchSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "predict.csv")
	if _, err := submit.Run(context.Background(), e, eval, out, &submit.Options{SkipBad: skipBad}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// firstDiff names the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: %q, want %q", i+1, g[i], w[i])
		}
	}
	return "lengths differ"
}

// The pipeline's submission is byte for byte examples/predict's, with
// and without bad photos.
func TestSubmissionMatchesPredict(t *testing.T) {
	got, rep, err := runPipeline(t, evalDir, t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	if want := predictSubmission(t, evalDir, false); !bytes.Equal(got, want) {
		t.Errorf("submission differs from examples/predict's: %s", firstDiff(got, want))
	}
	if rep.Rows != 210 || rep.Scored != 210 || len(rep.Dead) != 0 {
		t.Errorf("report %+v, want 210 rows scored", rep)
	}

	bad, _ := badEval(t, 20)
	// submit.Run refuses the ImageID that climbs out of images/ (ReadEval
	// checks the table first); the pipeline takes it as a bad photo.
	info, err := os.ReadFile(bad + "/info.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad+"/info.csv", bytes.Replace(info, []byte("../info.csv,0\n"), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad+"/images/gone.jpg", nil, 0o644); err != nil { // empty: listed, unreadable
		t.Fatal(err)
	}
	got, rep, err = runPipeline(t, bad, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	if want := predictSubmission(t, bad, true); !bytes.Equal(got, want) {
		t.Errorf("submission with bad photos differs from examples/predict -skip-bad's: %s", firstDiff(got, want))
	}
	if len(rep.Dead) != 2 || rep.Dead[0].ImageID != "corrupt.jpg" || rep.Dead[1].ImageID != "gone.jpg" {
		t.Errorf("dead letters %+v, want corrupt.jpg and gone.jpg", rep.Dead)
	}
}

func TestWriteSubmissionErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	info := write("info.csv", "ans,ImageID\n0,a.jpg\n0,b.jpg\n0,\"c,1.jpg\"\n")
	for _, c := range []struct {
		name, scores, dead string
		skipBad            bool
		want               error
		says               string // "" when it succeeds
		rows               string
	}{
		{name: "ok", scores: "b.jpg,2\n\"c,1.jpg\",17\na.jpg,0\n", rows: "ImageID,ans\na.jpg,0\nb.jpg,2\n\"c,1.jpg\",17\n"},
		{name: "retried", scores: "b.jpg,2\na.jpg,1\nb.jpg,2\n\"c,1.jpg\",3\n", rows: "ImageID,ans\na.jpg,1\nb.jpg,2\n\"c,1.jpg\",3\n"},
		{name: "filled", scores: "b.jpg,2\na.jpg,2\n", dead: "\"c,1.jpg\",cannot decode\n", skipBad: true, rows: "ImageID,ans\na.jpg,2\nb.jpg,2\n\"c,1.jpg\",2\n"},
		{name: "dead", scores: "b.jpg,2\na.jpg,2\n", dead: "\"c,1.jpg\",cannot decode\n", want: ErrScores, says: `first c,1.jpg: cannot decode`},
		{name: "all dead", dead: "a.jpg,x\nb.jpg,x\n\"c,1.jpg\",x\n", skipBad: true, want: ErrScores, says: "none of the 3 photos"},
		{name: "conflict", scores: "a.jpg,1\na.jpg,2\n", want: ErrScores, says: `"a.jpg" is "1" and "2"`},
		{name: "missing", scores: "a.jpg,1\nb.jpg,2\n", want: ErrScores, says: `no answer for 1 of the 3 photos`},
		{name: "unlisted", scores: "a.jpg,1\nb.jpg,2\n\"c,1.jpg\",3\nd.jpg,4\n", want: ErrScores, says: `an answer for "d.jpg"`},
		{name: "class", scores: "a.jpg,18\nb.jpg,2\n\"c,1.jpg\",3\n", want: ErrScores, says: `answer "18" for a.jpg`},
		{name: "fields", scores: "a.jpg,1,2\n", want: ErrScores, says: "wrong number of fields"},
	} {
		t.Run(c.name, func(t *testing.T) {
			scores := filepath.Join(dir, c.name+".scores")
			if c.scores != "" {
				write(c.name+".scores", c.scores)
			}
			dead := ""
			if c.dead != "" {
				dead = write(c.name+".dead", c.dead)
			}
			out := filepath.Join(dir, c.name+".csv")
			_, err := WriteSubmission(context.Background(), info, scores, dead, out, c.skipBad)
			if c.want != nil {
				if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
					t.Fatalf("error %v, want one wrapping %v that says %q", err, c.want, c.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.rows {
				t.Errorf("wrote\n%s\nwant\n%s", got, c.rows)
			}
		})
	}
	if _, err := WriteSubmission(context.Background(), write("noid.csv", "id,ans\n"), "", "", filepath.Join(dir, "x.csv"), false); !errors.Is(err, ErrInfo) {
		t.Errorf("info.csv without ImageID: %v, want ErrInfo", err)
	}
	if _, err := WriteSubmission(context.Background(), write("dup.csv", "ImageID,ans\na,0\na,0\n"), "", "", filepath.Join(dir, "x.csv"), false); !errors.Is(err, ErrInfo) || !strings.Contains(err.Error(), "already on line 2") {
		t.Errorf("info.csv with a duplicate: %v, want ErrInfo naming line 2", err)
	}
}

func TestFS(t *testing.T) {
	fsys, err := NewFS(context.Background(), modelsDir+"/")
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	got, err := fs.ReadFile(fsys, "ensemble.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(modelsDir + "/ensemble.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fs.ReadFile read %d bytes, want the file's %d", len(got), len(want))
	}
	st, err := fs.Stat(fsys, "ensemble.json")
	if err != nil || st.Size() != int64(len(want)) || st.Name() != "ensemble.json" || st.IsDir() {
		t.Errorf("Stat: %v, %v; want ensemble.json of %d bytes", st, err, len(want))
	}
	if _, err := fsys.Open("nothing.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want fs.ErrNotExist", err)
	}
	for _, name := range []string{"../models/ensemble.json", "/ensemble.json", "a//b"} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): %v, want fs.ErrInvalid", name, err)
		}
	}
	e, err := maskcls.LoadEnsembleFS(fsys, "ensemble.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Members()) != 3 {
		t.Errorf("%d members, want testdata/models' 3", len(e.Members()))
	}
}
