package augment_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/maskkit/maskkit/augment"
)

// ExampleISONoise records a seeded ISONoise run, writes its noise and
// params as a Python run would (an .npy named by the "gauss" key), and
// replays them: the same pixels come back.
func ExampleISONoise() {
	img, err := augment.Load(filepath.Join("..", "testdata", "photos", "astronaut_384x512.jpg"))
	if err != nil {
		fmt.Println(err)
		return
	}
	tr := augment.NewISONoise()
	tr.P = 1
	pl, err := augment.Prepare(augment.NewCompose(tr), img.Height, img.Width)
	if err != nil {
		fmt.Println(err)
		return
	}
	out := &augment.Image{}
	ps, err := pl.Record(out, img, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "iso")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := ps.SaveNoise(dir); err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := ps.WriteJSON(&b); err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(dir, "params.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	back, err := augment.LoadParams(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	again := &augment.Image{}
	if err := pl.Replay(again, img, back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.Equal(out.U8, again.U8), back["0"].Gauss != "")
	// Output: true true
}

// ExampleFancyPCA replays a 1.3.1 FancyPCA draw as Python recorded it:
// alpha and the add_vect numpy computed from its eigenvectors, which
// fixes their signs; every pixel of channel k moves by 255*add_vect[k].
func ExampleFancyPCA() {
	img := augment.NewImage(1, 2, 3, augment.Uint8)
	copy(img.U8, []uint8{10, 100, 200, 20, 120, 250})
	pl, err := augment.Prepare(augment.NewCompose(augment.NewFancyPCA()), 1, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, err := augment.ReadParams(bytes.NewReader([]byte(
		`{"params": {"": {"apply": true}, "0": {"apply": true, "alpha": 0.1, "add_vect": [0.01, -0.02, 0.5]}}}`)))
	if err != nil {
		fmt.Println(err)
		return
	}
	out := &augment.Image{}
	if err := pl.Replay(out, img, ps); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.U8)
	// Output: [12 94 255 22 114 255]
}
