package augment

import (
	"fmt"
	"math/rand/v2"
)

// runSweep runs, for each value of sp, what augment/preview's SweepSheet
// draws as one tile (that package imports this one, so its sheets cannot
// be drawn here): the swept transform, prepared and recorded, and its
// description.
func runSweep(tr Transform, src *Image, sp SweepSpec, seed uint64) error {
	for _, v := range sp.Values() {
		tv, found := sp.Apply(tr, v)
		if !found {
			return fmt.Errorf("the pipeline has no %s", sp.Class)
		}
		pl, err := Prepare(tv, src.Height, src.Width)
		if err != nil {
			return fmt.Errorf("%s.%s=%v: %w", sp.Class, sp.Param, v, err)
		}
		ps, err := pl.Record(&Image{}, src, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			return fmt.Errorf("%s.%s=%v: %w", sp.Class, sp.Param, v, err)
		}
		if pl.Describe(ps) == "" {
			return fmt.Errorf("%s.%s=%v: empty description", sp.Class, sp.Param, v)
		}
	}
	return nil
}
