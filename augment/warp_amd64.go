//go:build !purego

package augment

// warpLinear3AVX2 is warpRowLinear's interior for 3-channel pixels, 8 at a
// time (warp_amd64.s); it returns how many pixels it wrote, stopping at the
// first group of 8 with a pixel whose 2x2 neighbourhood leaves the image.
//
//go:noescape
func warpLinear3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh1 int32) int

// warpNearest3AVX2 is warpRowNearest's interior for 3-channel pixels, 8 at
// a time; it returns how many pixels it wrote.
//
//go:noescape
func warpNearest3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh int32) int
