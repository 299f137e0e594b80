package augmenttest_test

import (
	"fmt"

	"github.com/maskkit/maskkit/augment/augmenttest"
)

// A user records cases in the training environment (Python, real
// Albumentations):
//
//	python augment/augmenttest/record_golden.py pipeline.json face.jpg testdata/golden/face1
//
// and checks them in CI from a Go test:
//
//	func TestAugmentParity(t *testing.T) { augmenttest.Golden(t, "testdata/golden") }
//
// Check is the same for one case folder, returning the difference as an
// error.
func Example() {
	cases, err := augmenttest.Cases("testdata/cases")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cases {
		fmt.Println(c, augmenttest.Check(c))
	}
	// Output:
	// testdata/cases/astro_colour_1.3.1 <nil>
	// testdata/cases/grad_isonoise_1.3.1 <nil>
	// testdata/cases/r11x13_isonoise_1.4.18 <nil>
	// testdata/cases/video_blur_1.4.18 <nil>
	// testdata/cases/video_isonoise_1.4.21 <nil>
}
