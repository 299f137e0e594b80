package maskcls_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"slices"

	"github.com/maskkit/maskkit/maskcls"
	"gorgonia.org/tensor"
)

// LoadEnsemble reads the config, loads each member's model with the loader
// registered for its kind (here the tests' "test-const", a JSON list of
// logits) and prepares its pipeline for the config's input size.
func ExampleLoadEnsemble() {
	e, err := maskcls.LoadEnsemble("testdata/ensemble/ensemble.json", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range e.Members() {
		fmt.Println(m.Name, m.Task)
	}
	preds, err := e.Predict(context.Background(), []image.Image{image.NewRGBA(image.Rect(0, 0, 384, 512))})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(preds[0].Class, preds[0].Label)
	// Output:
	// mask mask
	// gender gender
	// age age
	// age2 age
	// 13 not_wear/male/30-59
}

// A backend registers its kind of model file once, in an init function;
// LoadEnsemble then opens files of that kind. This loader reads a JSON
// list of logits and returns a model that gives them to every photo.
func ExampleRegisterModelKind() {
	if !slices.Contains(maskcls.ModelKinds(), "example-json-logits") { // examples may run more than once
		maskcls.RegisterModelKind("example-json-logits", func(path string) (maskcls.Model, error) {
			data, err := os.ReadFile(path) // the path exists: LoadEnsemble checked
			if err != nil {
				return nil, err
			}
			var logits []float32
			if err := json.Unmarshal(data, &logits); err != nil {
				return nil, err
			}
			return maskcls.ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
				n := x.Shape()[0]
				out := make([]float32, 0, n*len(logits))
				for range n {
					out = append(out, logits...)
				}
				return tensor.New(tensor.WithShape(n, len(logits)), tensor.WithBacking(out)), nil
			}), nil
		})
	}
	fmt.Println(slices.Contains(maskcls.ModelKinds(), "example-json-logits"))
	// Output: true
}
