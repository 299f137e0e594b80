package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// 1.3.x Compose: when its own draw fails, only always_apply transforms run
// (ToTensorV2 still transposes), searched through nested composes.
func TestComposeDrawFailsRunsAlwaysApply(t *testing.T) {
	img := &Image{Height: 1, Width: 2, Channels: 3, U8: []uint8{1, 2, 3, 4, 5, 6}}
	tr := Compose{P: 0, Transforms: []Transform{HorizontalFlip{P: 1}, NewSequential(HorizontalFlip{P: 1, AlwaysApply: true}), NewToTensorV2()}}
	out, err := tr.Apply(img, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// Flipped once (the always_apply one), then CHW.
	want := []uint8{4, 1, 5, 2, 6, 3}
	if !out.CHW || string(out.U8) != string(want) {
		t.Errorf("got CHW=%v %v, want %v", out.CHW, out.U8, want)
	}
}

// OneOf picks children in proportion to their p and forces the chosen one.
func TestOneOfWeights(t *testing.T) {
	tr := NewCompose(OneOf{P: 1, Transforms: []Transform{HorizontalFlip{P: 0.1}, VerticalFlip{P: 0.3}}})
	pl, err := Prepare(tr, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	img := NewImage(2, 2, 1, Uint8)
	r := rand.New(rand.NewPCG(5, 6))
	const n = 4000
	counts := [2]int{}
	for range n {
		ps, err := pl.Record(&Image{}, img, r)
		if err != nil {
			t.Fatal(err)
		}
		c := *ps["0"].Choice
		counts[c]++
		if !ps["0."+string(rune('0'+c))].Apply {
			t.Fatal("the chosen child did not apply")
		}
	}
	// Expected 1000 / 3000; 5 sigma is about 140.
	if math.Abs(float64(counts[0])-n/4) > 140 {
		t.Errorf("choice counts %v, want about [1000 3000]", counts)
	}
}

// Transforms apply with their p: HorizontalFlip{P: 0.3} about 30% of the time.
func TestApplyProbability(t *testing.T) {
	pl, _ := Prepare(NewCompose(HorizontalFlip{P: 0.3}, NewSequential(ToGray{P: 1})), 1, 1)
	img := NewImage(1, 1, 3, Uint8)
	r := rand.New(rand.NewPCG(8, 9))
	var flips, seqs int
	const n = 4000
	for range n {
		ps, _ := pl.Record(&Image{}, img, r)
		if ps["0"].Apply {
			flips++
		}
		if ps["1"].Apply {
			seqs++
			if !ps["1.0"].Apply {
				t.Fatal("Sequential applied without its child")
			}
		}
	}
	if math.Abs(float64(flips)-0.3*n) > 150 || math.Abs(float64(seqs)-0.5*n) > 160 {
		t.Errorf("flips %d (want ~1200), sequential %d (want ~2000)", flips, seqs)
	}
}
