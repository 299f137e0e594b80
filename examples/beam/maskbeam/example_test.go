package maskbeam_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/maskkit/maskkit/examples/beam/maskbeam"
)

// The whole program: ImageIDs from info.csv, scored on the workers
// (here prism, in process), then the submission written locally.
func ExampleScore() {
	ctx := context.Background()
	eval, out := "../../../testdata/synth/eval", os.TempDir()
	scores, dead := filepath.Join(out, "example.scores"), filepath.Join(out, "example.dead")
	if err := maskbeam.ClearOutputs(ctx, scores, dead); err != nil {
		fmt.Println(err)
		return
	}

	p, s := beam.NewPipelineWithRoot()
	ids, err := maskbeam.ReadIDs(s, eval+"/info.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res := maskbeam.Score(s, ids, maskbeam.Options{
		Images:  eval + "/images",
		Models:  "../../../testdata/models", // gs://bucket/models on a cluster
		SkipBad: true,
	})
	textio.Write(s, scores, maskbeam.FormatScores(s, res.Scores))
	textio.Write(s, dead, maskbeam.FormatDead(s, res.Dead))
	if err := beamx.Run(ctx, p); err != nil {
		fmt.Println(err)
		return
	}

	rep, err := maskbeam.WriteSubmission(ctx, eval+"/info.csv", scores, dead, filepath.Join(out, "example.csv"), true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %d scored, %d dead\n", rep.Rows, rep.Scored, len(rep.Dead))
	// Output:
	// 210 rows, 210 scored, 0 dead
}
