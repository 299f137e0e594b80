package onnxmodel

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// ensembleDir holds the default ensemble's three models (repository
// testdata/models: mask, gender and age, inputs 32x32, 56x48 and 40x40,
// batch dimension dynamic).
var ensembleDir = filepath.Join("..", "..", "testdata", "models")

// BenchmarkThroughput times Run on batches of 1, 8 and 64 random images
// for each model of the default ensemble, and of 1 and 8 for the four
// families' fixtures (224x224), with the Model's default thread count
// (GOMAXPROCS: use -cpu 1,2). It reports images per second and the median
// milliseconds per image besides ns/op; testdata/bench_throughput.py
// runs it alternating with onnxruntime (bench_throughput_ort.js) on the
// same models and batches.
func BenchmarkThroughput(b *testing.B) {
	type model struct{ name, path string }
	var models []model
	for _, n := range []string{"mask", "gender", "age"} {
		models = append(models, model{"ensemble-" + n, filepath.Join(ensembleDir, n+".onnx")})
	}
	for _, f := range []string{"mobilenetv3", "efficientnetv2", "vit", "swin"} {
		models = append(models, model{f, filepath.Join(modelDir, f+"_op17.onnx")})
	}
	for _, mm := range models {
		m, err := LoadFile(mm.path, nil)
		if err != nil {
			b.Fatal(err)
		}
		info := m.Inputs()[0]
		batches := []int{1, 8, 64}
		if mm.name[0] != 'e' || mm.name == "efficientnetv2" {
			batches = []int{1, 8}
		}
		for _, n := range batches {
			b.Run(fmt.Sprintf("%s/b%d", mm.name, n), func(b *testing.B) {
				shape := append([]int{n}, info.Shape[1:]...)
				r := rand.New(rand.NewPCG(1, uint64(n)))
				x := make([]float32, n*numel(shape[1:]))
				for i := range x {
					x[i] = r.Float32()*4 - 2
				}
				in := map[string]*tensor.Dense{info.Name: tensor.New(tensor.WithShape(shape...), tensor.WithBacking(x))}
				benchRuns(b, m, in, n)
			})
		}
	}
}

// benchRuns times m.Run on in (a batch of n images) after one warm-up run.
func benchRuns(b *testing.B, m *Model, in map[string]*tensor.Dense, n int) {
	ctx := context.Background()
	if _, err := m.Run(ctx, in); err != nil {
		b.Fatal(err)
	}
	laps := make([]time.Duration, 0, 1<<12)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	t0 := time.Now()
	for b.Loop() {
		t1 := time.Now()
		if _, err := m.Run(ctx, in); err != nil {
			b.Fatal(err)
		}
		laps = append(laps, time.Since(t1))
	}
	wall := time.Since(t0)
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	slices.Sort(laps)
	med := float64(laps[len(laps)/2]) / 1e6
	b.ReportMetric(float64(n*b.N)/wall.Seconds(), "img/s")
	b.ReportMetric(med, "median-ms")
	b.ReportMetric(med/float64(n), "ms/img")
}
