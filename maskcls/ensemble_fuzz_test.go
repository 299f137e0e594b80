package maskcls

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadEnsembleConfig feeds arbitrary bytes to the config parser and,
// when they parse, to Load (against testdata/ensemble): errors, never a
// panic.
func FuzzReadEnsembleConfig(f *testing.F) {
	for _, name := range []string{"ensemble.json", "bad.json"} {
		if data, err := os.ReadFile("testdata/ensemble/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"input": {"height": -1}, "members": [{"task": "all", "weight": -0}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadEnsembleConfig(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, m := range c.Members { // stay inside testdata (no /dev/zero)
			if !filepath.IsLocal(m.Model.Path) || !filepath.IsLocal(m.Pipeline) {
				return
			}
		}
		e, err := c.Load("testdata/ensemble", nil)
		if err == nil && e == nil {
			t.Fatal("no ensemble and no error")
		}
	})
}
