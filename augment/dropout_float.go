package augment

// dropoutF32 is CoarseDropout's img[y1:y2, x1:x2] = fill_value on float32
// pixels: numpy stores each value as float32(v) whatever the image's range
// (Albumentations does not scale the fill for float images).
func (st *state) dropoutF32(holes [][4]int, fill []float64) {
	st.solidF32()
	c := st.c
	for _, h := range holes {
		for y := h[1]; y < h[3]; y++ {
			row := st.f32[st.off+y*st.stride+h[0]*c : st.off+y*st.stride+h[2]*c]
			for i := range row {
				row[i] = float32(fill[(i%c)%len(fill)])
			}
		}
	}
}
