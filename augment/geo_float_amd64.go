//go:build !purego

package augment

// warpLinearF32C3 is warpRowLinearF32's inside for 3 channels (every
// pixel's 2x2 neighbourhood inside the source): n pixels of out from
// ad/bd, src at the view's first value, stride in values, lim the largest
// offset at which 4-value loads of both rows stay inside src.
//
//go:noescape
func warpLinearF32C3(out, src *float32, ad, bd *int32, n int, x0, y0 int32, stride, lim int, tab *[4]float32)

// area2F32C3 is resizeArea2F32's row for 3 channels over n output pixels
// (reading 4 values at each source pixel, so not the row's last).
//
//go:noescape
func area2F32C3(out, r0, r1 *float32, n int)
