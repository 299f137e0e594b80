package submit_test

import (
	"context"
	"fmt"
	"os"

	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
	"github.com/maskkit/maskkit/maskcls/submit"
)

// Score the synthetic eval set with the default model set, as
// examples/predict does. (Not run by go test: it writes a file.)
func ExampleRun() {
	e, err := maskcls.LoadEnsemble("testdata/models/ensemble.json", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := submit.Run(context.Background(), e, "testdata/synth/eval", "submission.csv",
		&submit.Options{SkipBad: true, Resume: true, Progress: os.Stderr})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %d bad, %.0f images/s\n", rep.Images, len(rep.Bad), rep.ImagesPerSecond())
}
