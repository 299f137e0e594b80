package augment_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/maskkit/maskkit/augment"
)

func Example() {
	img, err := augment.Load("../testdata/photos/astronaut_384x512.jpg")
	if err != nil {
		panic(err)
	}
	tr := augment.NewCompose(
		augment.NewCenterCrop(384, 384),
		augment.Sharpen{Alpha: [2]float64{0.5, 1}, Lightness: [2]float64{0.5, 1}, P: 0.5},
		augment.HorizontalFlip{P: 0.3},
		augment.NewNormalize(),
		augment.NewToTensorV2(),
	)
	pl, err := augment.Prepare(tr, img.Height, img.Width)
	if err != nil {
		panic(err)
	}
	out := &augment.Image{} // reused across calls: no allocation once warm
	if err := pl.Run(out, img, rand.New(rand.NewPCG(1, 2))); err != nil {
		panic(err)
	}
	fmt.Println(out.Shape(), out.DType())
	// Output: [3 384 384] float32
}

func ExampleReadPipeline() {
	f, err := os.Open("../testdata/pipelines/mask.json")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	tr, err := augment.ReadPipeline(f)
	if err != nil {
		panic(err)
	}
	for _, t := range tr.(augment.Compose).Transforms {
		fmt.Printf("%T\n", t)
	}
	// Output:
	// augment.UnderCrop
	// augment.Sharpen
	// augment.HorizontalFlip
	// augment.Resize
	// augment.Normalize
	// augment.ToTensorV2
}

func ExamplePipeline_Replay() {
	img := augment.NewImage(6, 8, 3, augment.Uint8)
	tr := augment.NewCompose(augment.NewRandomCrop(4, 4), augment.NewSharpen())
	pl, _ := augment.Prepare(tr, 6, 8)
	ps, _ := augment.ReadParams(strings.NewReader(`{"params": {"": {"apply": true},
		"0": {"apply": true, "crop_coords": [2, 1, 6, 5]}, "1": {"apply": true, "alpha": 0.7, "lightness": 1.0}}}`))
	out := &augment.Image{}
	if err := pl.Replay(out, img, ps); err != nil {
		panic(err)
	}
	fmt.Println(out.Shape())
	// Output: [4 4 3]
}

func ExampleTransformFunc() {
	invert := augment.TransformFunc(func(m *augment.Image, _ *rand.Rand) (*augment.Image, error) {
		for i, v := range m.U8 {
			m.U8[i] = 255 - v // m is the pipeline's own copy
		}
		return m, nil
	})
	img := &augment.Image{Height: 1, Width: 2, Channels: 1, U8: []uint8{0, 200}}
	out, _ := augment.NewCompose(invert, augment.HorizontalFlip{P: 1}).Apply(img, rand.New(rand.NewPCG(0, 0)))
	fmt.Println(out.U8)
	// Output: [55 255]
}

func ExampleNewSharpen() {
	s := augment.NewSharpen() // Albumentations' defaults
	fmt.Println(s.Alpha, s.Lightness, s.P)
	// Output: [0.2 0.5] [0.5 1] 0.5
}
