package kernels

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// forEachPath runs body once per kernel path this CPU can run: "avx512"
// (everything on), "avx2" (AVX-512 masked) and "go" (all assembly
// masked), and logs each path it skips and why. Paths that the build
// leaves out (purego, other architectures) run as "go" only.
func forEachPath(t *testing.T, body func(t *testing.T, path string)) {
	t.Helper()
	type path struct {
		name string
		has  bool
		why  string
		mask func() func()
	}
	asm := len(asmKernels()) > 0
	paths := []path{
		{"avx512", asm && cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA, "no AVX-512F (or no assembly in this build)", func() func() { return func() {} }},
		{"avx2", asm && cpu.X86.HasAVX2 && cpu.X86.HasFMA, "no AVX2+FMA (or no assembly in this build)", maskAVX512},
		{"go", true, "", MaskCPUFeatures},
	}
	for _, p := range paths {
		if !p.has {
			t.Logf("path %s not run: %s", p.name, p.why)
			continue
		}
		restore := p.mask()
		t.Run(p.name, func(t *testing.T) { body(t, p.name) })
		restore()
	}
}

// benchPaths runs body as one sub-benchmark per assembly path this CPU
// has ("avx512", "avx2"), so the two can be compared in one run.
func benchPaths(b *testing.B, body func(b *testing.B)) {
	if len(asmKernels()) == 0 {
		b.Skip("no assembly in this build")
	}
	if cpu.X86.HasAVX512F {
		b.Run("avx512", body)
	} else {
		b.Logf("path avx512 not run: no AVX-512F")
	}
	restore := maskAVX512()
	defer restore()
	b.Run("avx2", body)
}
