package augment

import (
	"errors"
	"strings"
	"testing"
)

// A file that is not pipeline JSON is named once, after one "augment: ".
func TestLoadPipelineErrorNamesFileOnce(t *testing.T) {
	path := "../testdata/photos/astronaut_384x512.jpg"
	_, err := LoadPipeline(path)
	if !errors.Is(err, ErrJSON) {
		t.Fatalf("err = %v, want ErrJSON", err)
	}
	want := "augment: " + path + ": "
	if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Count(msg, "augment: ") != 1 {
		t.Errorf("err = %q, want it to start with %q and name the package once", msg, want)
	}
}
