package onnxmodel

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkConv times single Conv nodes of the model families (built as
// at load, so a constant weight is prepared the way Run sees it), batch
// 1, on one thread.
func BenchmarkConv(b *testing.B) {
	cases := []struct {
		name          string
		c, h, m, k, s int
		group, pad    int
	}{
		{"vit-patch16", 3, 224, 64, 16, 16, 1, 0},
		{"swin-patch4", 3, 224, 24, 4, 4, 1, 0},
		{"stem3x3s2", 3, 224, 16, 3, 2, 1, 1},
		{"effnet3x3-24x96@56", 24, 56, 96, 3, 1, 1, 1},
		{"effnet3x3-16x16@112", 16, 112, 16, 3, 1, 1, 1},
		{"1x1-96x24@56", 96, 56, 24, 1, 1, 1, 0},
		{"1x1-16x72@56", 16, 56, 72, 1, 1, 1, 0},
		{"1x1-40x240@14", 40, 14, 240, 1, 1, 1, 0},
		{"1x1-384x80@7", 384, 7, 80, 1, 1, 1, 0},
		{"1x1-288x64@14", 288, 14, 64, 1, 1, 1, 0},
		{"1x1-64x384@14", 64, 14, 384, 1, 1, 1, 0},
		{"dw3x3s2-72@56", 72, 56, 72, 3, 2, 72, 1},
		{"dw5x5-120@14", 120, 14, 120, 5, 1, 120, 2},
		// The default ensemble's small planes (testdata/models, 32x32 in).
		{"dw3x3-16@16", 16, 16, 16, 3, 1, 16, 1},
		{"dw3x3s2-48@16", 48, 16, 48, 3, 2, 48, 1},
		{"dw5x5s2-96@8", 96, 8, 96, 5, 2, 96, 2},
		{"dw5x5-120@4", 120, 4, 120, 5, 1, 120, 2},
		// gender (56x48 in) and age (40x40 in), square stand-ins.
		{"dw3x3-16@26", 16, 26, 16, 3, 1, 16, 1},
		{"dw3x3s2-48@26", 48, 26, 48, 3, 2, 48, 1},
		{"dw3x3-72@13", 72, 13, 72, 3, 1, 72, 1},
		{"dw5x5s2-96@13", 96, 13, 96, 5, 2, 96, 2},
		{"dw5x5-120@7", 120, 7, 120, 5, 1, 120, 2},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x := &array{dt: Float32, shape: []int{1, c.c, c.h, c.h}, f: randSlice(r, c.c*c.h*c.h)}
			w := &array{dt: Float32, shape: []int{c.m, c.c / c.group, c.k, c.k}, f: randSlice(r, c.m*c.c/c.group*c.k*c.k)}
			bias := &array{dt: Float32, shape: []int{c.m}, f: randSlice(r, c.m)}
			p := int64(c.pad)
			node := &nodeProto{opType: "Conv", attrs: map[string]*attrProto{
				"strides": {ints: []int64{int64(c.s), int64(c.s)}},
				"pads":    {ints: []int64{p, p, p, p}},
				"group":   {i: int64(c.group)},
			}}
			k, err := registry["Conv"](&nodeCtx{node: node, consts: []*array{nil, w, bias}, opset: 17, limit: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			rc := &runCtx{limit: 1 << 30, threads: 1, ar: newArena()}
			in := []*array{x, w, bias}
			out, err := k.run(rc, in)
			if err != nil {
				b.Fatal(err)
			}
			rc.release(out[0].f)
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				out, _ := k.run(rc, in)
				rc.release(out[0].f)
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e3, "cpu-us/op")
		})
	}
}
