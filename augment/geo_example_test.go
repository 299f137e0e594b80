package augment_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/maskkit/maskkit/augment"
)

// A pipeline JSON with ShiftScaleRotate, as Albumentations 1.4.18 saves
// it, replayed with the draws a Python run recorded (ReplayCompose's
// angle, scale, dx and dy).
func ExampleShiftScaleRotate() {
	js := `{"__version__": "1.4.18", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` +
		`{"__class_fullname__": "ShiftScaleRotate", "p": 0.5, "shift_limit_x": [-0.0625, 0.0625], ` +
		`"shift_limit_y": [-0.0625, 0.0625], "scale_limit": [-0.09999999999999998, 0.10000000000000009], ` +
		`"rotate_limit": [-45, 45], "interpolation": 1, "border_mode": 0, "value": 0, "mask_value": 0, ` +
		`"rotate_method": "largest_box"}]}}`
	tr, err := augment.ReadPipeline(strings.NewReader(js))
	if err != nil {
		panic(err)
	}
	ssr := tr.(augment.Compose).Transforms[0].(augment.ShiftScaleRotate)
	fmt.Println(ssr.ScaleLimit, ssr.RotateLimit, ssr.V14)

	img := augment.NewImage(40, 30, 3, augment.Uint8)
	for i := range img.U8 {
		img.U8[i] = 200
	}
	pl, err := augment.Prepare(tr, img.Height, img.Width)
	if err != nil {
		panic(err)
	}
	ps, err := augment.ReadParams(strings.NewReader(`{"params": {"": {"apply": true}, "0": {"apply": true, "angle": 30.0, "scale": 0.9, "dx": 0.05, "dy": 0.0}}}`))
	if err != nil {
		panic(err)
	}
	out := &augment.Image{}
	if err := pl.Replay(out, img, ps); err != nil {
		panic(err)
	}
	// A corner is outside the rotated frame: BorderConstant's value 0.
	fmt.Println(out.U8[0:3], out.U8[(20*30+15)*3:(20*30+15)*3+3])
	// Output:
	// [0.9 1.1] [-45 45] true
	// [0 0 0] [200 200 200]
}

// GaussNoise replays the noise a run drew: Record keeps it in memory,
// SaveNoise writes it as .npy files beside the replay file, and
// LoadParams reads both back.
func ExampleLoadParams() {
	img := augment.NewImage(4, 5, 3, augment.Uint8)
	for i := range img.U8 {
		img.U8[i] = 128
	}
	tr := augment.NewCompose(augment.GaussNoise{VarLimit: [2]float64{100, 100}, PerChannel: true, P: 1})
	pl, err := augment.Prepare(tr, img.Height, img.Width)
	if err != nil {
		panic(err)
	}
	out, again := &augment.Image{}, &augment.Image{}
	ps, err := pl.Record(out, img, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "replay")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := ps.SaveNoise(dir); err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := ps.WriteJSON(&b); err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "params.json"), b.Bytes(), 0o644); err != nil {
		panic(err)
	}
	fmt.Print(b.String())
	ps2, err := augment.LoadParams(filepath.Join(dir, "params.json"))
	if err != nil {
		panic(err)
	}
	if err := pl.Replay(again, img, ps2); err != nil {
		panic(err)
	}
	fmt.Println(bytes.Equal(out.U8, again.U8))
	// Output:
	// {"params": {"": {"apply": true}, "0": {"apply": true, "gauss": "noise_0.npy"}}}
	// true
}
