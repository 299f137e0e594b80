package maskcls

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

//go:embed testdata/ensemble
var embedded embed.FS

// mapFS copies testdata/ensemble into a MapFS under folder cfg/.
func mapFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := os.ReadDir("testdata/ensemble")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile("testdata/ensemble/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		m["cfg/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	return m
}

func TestLoadEnsembleFS(t *testing.T) {
	for _, c := range []struct {
		name string
		fsys fs.FS
		cfg  string
	}{
		{"DirFS", os.DirFS("testdata/ensemble"), "ensemble.json"},
		{"embed", embedded, "testdata/ensemble/ensemble.json"},
		{"MapFS", mapFS(t), "cfg/ensemble.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			e, err := LoadEnsembleFS(c.fsys, c.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkTestEnsemble(t, e)
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temporary model copies left behind: %v", left)
			}
		})
	}
}

func TestLoadEnsembleFSReportsEveryProblem(t *testing.T) {
	_, err := LoadEnsembleFS(os.DirFS("testdata/ensemble"), "bad.json", nil)
	if err == nil {
		t.Fatal("no error")
	}
	t.Log(err)
	if !errors.Is(err, ErrEnsemble) {
		t.Errorf("%v does not wrap ErrEnsemble", err)
	}
	for _, want := range []string{
		`bad.json: members[0] (mask).task: maskcls: invalid ensemble: task "masks" is not mask, gender, age or all`,
		`members[1] (gender).model: maskcls: invalid ensemble: path: stat missing.logits: `,
		`members[1] (gender).pipeline: maskcls: invalid ensemble: no_tensor.json: pipeline gave uint8 HWC pixels, want CHW`,
		`members[2] (gender).model: maskcls: invalid ensemble: loading test-const model broken.logits: unexpected end of JSON input`,
		`members[2] (gender).pipeline: maskcls: invalid ensemble: too_tall.json: `,
		`members[3].model: maskcls: invalid ensemble: path: missing`,
		`members[3].pipeline: maskcls: invalid ensemble: open nowhere.json: `,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

// TestLoadEnsembleFSOutside: paths that leave the file system are refused
// by name, not read from the disk around it.
func TestLoadEnsembleFSOutside(t *testing.T) {
	m := mapFS(t)
	m["cfg/outside.json"] = &fstest.MapFile{Data: []byte(`{"members": [
		{"task": "mask", "model": {"kind": "test-const", "path": "../../testdata/ensemble/mask.logits"}, "pipeline": "mask_eval.json"},
		{"task": "age", "model": {"kind": "test-const", "path": "age.logits"}, "pipeline": "/cfg/age_eval.json"}]}`)}
	_, err := LoadEnsembleFS(m, "cfg/outside.json", nil)
	if err == nil {
		t.Fatal("no error")
	}
	t.Log(err)
	if !errors.Is(err, ErrEnsemble) || !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("%v does not wrap ErrEnsemble and fs.ErrInvalid", err)
	}
	for _, want := range []string{
		`members[0].model: maskcls: invalid ensemble: path: open ../testdata/ensemble/mask.logits: not a path inside the file system`,
		`members[1].pipeline: maskcls: invalid ensemble: open /cfg/age_eval.json: not a path inside the file system`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if _, err := LoadEnsembleFS(m, "cfg/nothing.json", nil); !errors.Is(err, ErrEnsemble) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing config: %v does not wrap ErrEnsemble and fs.ErrNotExist", err)
	}
}
