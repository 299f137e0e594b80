//go:build !purego

package augment

// warpLinearF32C3 is warpRowLinearF32's inside for 3 channels (every
// pixel's 2x2 neighbourhood inside the source): n pixels of out from
// ad/bd, src at the view's first value, stride in values, lim the largest
// offset at which 4-value loads of both rows stay inside src.
//
//go:noescape
func warpLinearF32C3(out, src *float32, ad, bd *int32, n int, x0, y0 int32, stride, lim int, tab *[4]float32)
