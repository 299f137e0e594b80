package report_test

import (
	"fmt"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/report"
)

// A heatmap of three classes: the image grows with the number of classes
// and the width of the longest class name.
func ExampleHeatmap() {
	c, err := maskcls.NewConfusion([]int{0, 0, 1, 2}, []int{0, 1, 1, 2}, 3)
	if err != nil {
		panic(err)
	}
	c.Names = []string{"wear", "incorrect", "not_wear"}
	img := report.Heatmap(c)
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output: 201 x 183
}
