package split_test

import (
	"fmt"

	"github.com/maskkit/maskkit/split"
)

// Six people with two photos each; the stratum of a photo is its person's
// (here 0 = young, 1 = old). No person's photos are split between folds.
func ExampleStratifiedGroupKFold() {
	groups := []string{"ann", "ann", "bob", "bob", "cy", "cy", "dee", "dee", "eve", "eve", "fay", "fay"}
	strata := []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}
	folds, err := split.StratifiedGroupKFold(groups, strata, 2, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := range folds.K {
		fmt.Printf("fold %d: validate on samples %v\n", k, folds.Val(k))
	}
	// Output:
	// fold 0: validate on samples [0 1 4 5 10 11]
	// fold 1: validate on samples [2 3 6 7 8 9]
}

func ExampleHoldout() {
	groups := []string{"ann", "ann", "bob", "bob", "cy", "cy", "dee", "dee", "eve", "eve"}
	strata := []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}
	train, val, err := split.Holdout(groups, strata, 0.2, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("train:", train)
	fmt.Println("val:  ", val)
	// Output:
	// train: [0 1 2 3 4 5 8 9]
	// val:   [6 7]
}

// For age and gender, one photo of each person per epoch; for mask, every
// photo. Both orders depend only on the seed and the epoch.
func ExampleOnePerGroup() {
	photos := [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}} // three people
	for epoch := range 2 {
		fmt.Println("age epoch", epoch, split.OnePerGroup(photos, 42, epoch))
	}
	fmt.Println("mask epoch 0", split.Shuffled([]int{0, 1, 2, 3, 4, 5, 6, 7, 8}, 42, 0))
	// Output:
	// age epoch 0 [7 1 3]
	// age epoch 1 [2 6 5]
	// mask epoch 0 [7 3 6 0 8 2 4 1 5]
}
