package augment

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The fixtures are handwritten in the exact formats that A.save writes
// (REFERENCE section 2): Albumentations cannot be installed on our
// machines, so no file here was written by Albumentations itself.
// testdata/json/v1.3.1_reference.json is the 1.3.1 example from REFERENCE
// byte for byte; ../testdata/pipelines/*.json come from gen_pipelines.py.

func TestPipelineJSONRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/json/*.json")
	more, _ := filepath.Glob("../testdata/pipelines/*.json")
	files = append(files, more...)
	if len(files) < 6 {
		t.Fatalf("found only %d fixtures", len(files))
	}
	for _, name := range files {
		in, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := ReadPipeline(bytes.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out bytes.Buffer
		if err := WritePipeline(&out, tr); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(out.Bytes(), in) {
			t.Errorf("%s: re-saved differs at byte %d:\n got %s\nwant %s", name, diffAt(out.Bytes(), in), out.Bytes(), in)
		}
	}
}

func diffAt(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestPipelineJSONValues(t *testing.T) {
	tr, err := LoadPipeline("testdata/json/v1.4.4.json")
	if err != nil {
		t.Fatal(err)
	}
	c := tr.(Compose)
	rrc := c.Transforms[1].(RandomResizedCrop)
	if rrc.Height != 384 || rrc.Width != 384 || rrc.Scale != [2]float64{0.8, 1} || rrc.Ratio != [2]float64{0.75, 4.0 / 3} {
		t.Errorf("RandomResizedCrop from size: %+v", rrc)
	}
	one := c.Transforms[2].(OneOf)
	if one.P != 0.5 || len(one.Transforms) != 2 || one.Transforms[0].(Sharpen).Alpha != [2]float64{0.5, 1} {
		t.Errorf("OneOf: %+v", one)
	}
	if !c.Transforms[6].(ToTensorV2).AlwaysApply {
		t.Error("ToTensorV2 lost always_apply")
	}
	mask, err := LoadPipeline("../testdata/pipelines/mask.json")
	if err != nil {
		t.Fatal(err)
	}
	if u := mask.(Compose).Transforms[0].(UnderCrop); u.Height != 384 || u.Width != 384 || u.P != 1 {
		t.Errorf("__main__.UnderCrop: %+v", u)
	}
	new21, err := LoadPipeline("testdata/json/v1.4.21.json")
	if err != nil {
		t.Fatal(err)
	}
	if s := new21.(Compose).Transforms[3].(Sequential); s.P != 0.5 || s.Transforms[1].(VerticalFlip).P != 0.25 {
		t.Errorf("Sequential: %+v", s)
	}
}

// A pipeline built in Go is written as Albumentations 1.3.1 writes its
// defaults: the gender pipeline matches gen_pipelines.py's bytes.
func TestWritePipelineFromGo(t *testing.T) {
	gender := NewCompose(NewToGray(), NewCenterCrop(384, 384), NewHorizontalFlip(), NewNormalize(), NewToTensorV2())
	var b bytes.Buffer
	if err := WritePipeline(&b, gender); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("../testdata/pipelines/gender.json")
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("got  %s\nwant %s", b.Bytes(), want)
	}
	// Resize writes its default p as the int 1, UnderCrop its module path.
	b.Reset()
	if err := WritePipeline(&b, NewCompose(NewUnderCrop(384, 384), NewResize(224, 224))); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"__class_fullname__": "__main__.UnderCrop"`, `"Resize", "always_apply": false, "p": 1, "height": 224`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("%s lacks %s", b.String(), s)
		}
	}
	// Changing a loaded value writes the new value, keeping the rest.
	tr, _ := LoadPipeline("testdata/json/v1.3.1_reference.json")
	c := tr.(Compose)
	sh := c.Transforms[1].(Sharpen)
	sh.Alpha[1] = 0.75
	c.Transforms = append([]Transform(nil), c.Transforms...)
	c.Transforms[1] = sh
	b.Reset()
	if err := WritePipeline(&b, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"alpha": [0.5, 0.75], "lightness": [0.5, 1.0]`) {
		t.Errorf("edited alpha: %s", b.String())
	}
	// Func transforms cannot be written.
	if err := WritePipeline(&b, NewCompose(TransformFunc(func(m *Image, _ *rand.Rand) (*Image, error) { return m, nil }))); !errors.Is(err, ErrUnsupported) {
		t.Errorf("TransformFunc: %v", err)
	}
}

func TestPipelineJSONErrors(t *testing.T) {
	ref, _ := os.ReadFile("testdata/json/v1.3.1_reference.json")
	for _, tc := range []struct {
		name, from, to string
		sentinel       error
		path           string
	}{
		{"unknown transform", `"Sharpen"`, `"Emboss"`, ErrJSON, "transform.transforms[1].__class_fullname__"},
		{"wrong type", `"alpha": [0.5, 1]`, `"alpha": "x"`, ErrJSON, "transform.transforms[1].alpha"},
		{"wrong list length", `"alpha": [0.5, 1]`, `"alpha": [0.5, 1, 2]`, ErrJSON, "transform.transforms[1].alpha"},
		{"missing parameter", `"height": 384, `, ``, ErrJSON, "transform.transforms[0].height"},
		{"unknown key", `"transpose_mask": false`, `"transpose_mask": false, "colour": 1`, ErrJSON, "transform.transforms[4].colour"},
		{"p out of range", `"p": 0.3`, `"p": 1.5`, ErrParam, "transform.transforms[2]"},
		{"NaN", `"p": 0.3`, `"p": NaN`, ErrJSON, "transform: invalid character 'N'"},
		{"alpha out of range", `"alpha": [0.5, 1]`, `"alpha": [0.5, 2]`, ErrParam, "transform.transforms[1]"},
		{"non-integer size", `"width": 384}`, `"width": 38.5}`, ErrJSON, "transform.transforms[0].width"},
		{"no transforms", `"transforms": [`, `"transformz": [`, ErrJSON, "transform.transforms"},
		{"not an object", `{"__class_fullname__": "HorizontalFlip"`, `[{"__class_fullname__": "HorizontalFlip"`, ErrJSON, "at byte"},
		{"unsupported interpolation", `"p": 0.3}`, `"p": 0.3}, {"__class_fullname__": "Resize", "height": 5, "width": 5, "interpolation": 2}`, ErrUnsupported, "transform.transforms[3]"},
		{"unsupported normalization", `"max_pixel_value": 255.0}`, `"max_pixel_value": 255.0, "normalization": "image"}`, ErrUnsupported, "transform.transforms[3].normalization"},
	} {
		in := strings.Replace(string(ref), tc.from, tc.to, 1)
		if in == string(ref) {
			t.Fatalf("%s: replacement did not apply", tc.name)
		}
		_, err := ReadPipeline(strings.NewReader(in))
		if err == nil || !errors.Is(err, tc.sentinel) && !(tc.sentinel == ErrUnsupported && errors.Is(err, ErrJSON)) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.sentinel)
			continue
		}
		if !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %q does not name %s", tc.name, err, tc.path)
		}
	}
	for _, in := range []string{"", "{", "null", "[]", `{"transform": 1}`, `{"__version__": 1, "transform": {}}`, `{}`} {
		if _, err := ReadPipeline(strings.NewReader(in)); !errors.Is(err, ErrJSON) {
			t.Errorf("%q: err %v", in, err)
		}
	}
}

func TestJSONNumbersLikePython(t *testing.T) {
	for v, want := range map[float64]string{1: "1.0", 0.5: "0.5", 1e-5: "1e-05", 1e16: "1e+16", 1e15: "1000000000000000.0", 4.0 / 3: "1.3333333333333333", 0.0001: "0.0001", -2.5e-7: "-2.5e-07", 123.675: "123.675"} {
		if got := pyFloat(v); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", v, got, want)
		}
	}
	if !reflect.DeepEqual(ent("x", [2]float64{0.5, 1}).text, "[0.5, 1.0]") {
		t.Error("range formatting")
	}
}
