package maskcls_test

import (
	"context"
	"fmt"
	"os"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
)

// The models and pipelines come from an fs.FS, here a folder; an embed.FS
// compiled into a container's program, or an adapter over a bucket that a
// cluster's workers all read, serves the same way.
func ExampleLoadEnsembleFS() {
	models := os.DirFS("../testdata/models")
	e, err := maskcls.LoadEnsembleFS(models, "ensemble.json", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	photo, err := augment.Load("../testdata/synth/eval/images/86cc3034c42df874afa538a2c10f98b2453766e1.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	preds, err := e.PredictAugmentImages(context.Background(), []*augment.Image{photo})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := preds[0]
	// testdata/models/eval_predictions.csv, from PyTorch, says class 4,
	// mask 0.928, gender 0.980, age 0.972 (Go decodes the JPEG a level
	// apart from libjpeg here and there, so the third digit may differ).
	fmt.Printf("class %d (%v): mask %.3f, gender %.3f, age %.3f\n", p.Class, p.Label, p.Mask[0], p.Gender[1], p.Age[1])
	// Output:
	// class 4 (wear/female/30-59): mask 0.929, gender 0.980, age 0.973
}
