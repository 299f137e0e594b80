package augment

import "testing"

// TestFloatGeoGolden replays gen_geo.py's cases on float32 pixels
// (GEN_GEO_FLOAT=1: testdata/golden/geo_f32) and requires cv2's values bit
// for bit: warpAffine's float remap, copyMakeBorder, the float resize.
func TestFloatGeoGolden(t *testing.T) {
	for _, c := range loadReplayCases(t, "geo_f32", 900) {
		t.Run(c.Name, func(t *testing.T) { checkReplay(t, "geo_f32", c) })
	}
}
