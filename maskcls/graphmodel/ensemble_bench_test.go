package graphmodel_test

import (
	"context"
	"image"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/maskkit/maskkit/maskcls/synth"
	"github.com/stretchr/testify/require"
)

// benchSize is the models' input in BenchmarkEnsemble384x512.
const benchSize = 96

// benchEnsemble is a 3-member ensemble over 384x512 photos with the
// seed's eval crops (mask: bottom 384 square; gender: gray centre square;
// age: centre square), each resized to benchSize and normalised, and a
// MobileNet (width 0.5) per task.
func benchEnsemble(b *testing.B) *maskcls.Ensemble {
	b.Helper()
	norm, tt := augment.NewNormalize(), augment.NewToTensorV2()
	resize := augment.NewResize(benchSize, benchSize)
	gray := augment.NewToGray()
	gray.P = 1
	pipes := map[maskcls.Task]augment.Transform{
		maskcls.TaskMask:   augment.NewCompose(augment.NewUnderCrop(384, 384), resize, norm, tt),
		maskcls.TaskGender: augment.NewCompose(gray, augment.NewCenterCrop(384, 384), resize, norm, tt),
		maskcls.TaskAge:    augment.NewCompose(augment.NewCenterCrop(384, 384), resize, norm, tt),
	}
	var members []maskcls.Member
	for _, task := range []maskcls.Task{maskcls.TaskMask, maskcls.TaskGender, maskcls.TaskAge} {
		m, err := graphmodel.New(graphmodel.Arch{Name: graphmodel.MobileNet, Classes: task.NumClasses(),
			Height: benchSize, Width: benchSize, WidthMult: 0.5}, uint64(task))
		require.NoError(b, err)
		p, err := augment.Prepare(pipes[task], 512, 384)
		require.NoError(b, err)
		members = append(members, maskcls.Member{Task: task, Model: m, Pipeline: p, Weight: 1})
	}
	e, err := maskcls.NewEnsemble(members, nil)
	require.NoError(b, err)
	return e
}

// BenchmarkEnsemble384x512 predicts batches of 32 drawn 384x512 photos
// (decoded, as image.Image) with a 3-member ensemble, preprocessing
// included, and reports images per second. Run with -cpu 1,2 for
// GOMAXPROCS 1 and 2.
func BenchmarkEnsemble384x512(b *testing.B) {
	e := benchEnsemble(b)
	r := rand.New(rand.NewPCG(1, 2))
	photos := make([]image.Image, 32)
	for i := range photos {
		p, err := synth.Photo(r, 384, 512, maskcls.Gender(i%2), 20+i*2, maskcls.Mask(i%3))
		require.NoError(b, err)
		photos[i] = p
	}
	ctx := context.Background()
	if _, err := e.Predict(ctx, photos); err != nil { // warm the machine pools
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := e.Predict(ctx, photos); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N * len(photos))
	b.ReportMetric(n/b.Elapsed().Seconds(), "images/s")
	// CPU time per image does not depend on how busy a shared machine is.
	b.ReportMetric((cpuTime()-cpu0).Seconds()*1e3/n, "cpu-ms/image")
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
