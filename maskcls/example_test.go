package maskcls_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/maskkit/maskkit/maskcls"
)

// buildTrain writes a two-person training set in the competition layout
// under dir (empty photo files: the reader never opens them) and leaves
// one photo out, so that the example has a problem to show.
func buildTrain(dir string) error {
	people := []string{"000001_female_Asian_45", "006959_male_Asian_19"}
	csv := "id,gender,race,age,path\n000001,female,Asian,45,000001_female_Asian_45\n006959,male,Asian,19,006959_male_Asian_19\n"
	if err := os.WriteFile(filepath.Join(dir, "train.csv"), []byte(csv), 0o644); err != nil {
		return err
	}
	for i, p := range people {
		folder := filepath.Join(dir, "images", p)
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return err
		}
		for _, name := range []string{"mask1.jpg", "mask2.jpg", "mask3.png", "mask4.jpg", "mask5.jpeg", "incorrect_mask.jpg", "normal.jpg", "._mask1.jpg"} {
			if i == 1 && name == "normal.jpg" {
				continue
			}
			if err := os.WriteFile(filepath.Join(folder, name), nil, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

func ExampleReadTrain() {
	dir, _ := os.MkdirTemp("", "train")
	defer os.RemoveAll(dir)
	if err := buildTrain(dir); err != nil {
		fmt.Println(err)
		return
	}
	// Strict: the missing photo is an error that names the CSV line.
	if _, err := maskcls.ReadTrain(dir, nil); err != nil {
		var ps maskcls.Problems
		fmt.Println(errors.As(err, &ps), len(ps), errors.Is(err, maskcls.ErrMissingStem), ps[0].Line)
	}
	// Lenient: the problem is listed and the person left out.
	d, err := maskcls.ReadTrain(dir, &maskcls.ReadOptions{Lenient: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(d.People), "person,", len(d.Samples), "photos,", len(d.Problems), "problem")
	for _, i := range d.People[0].Samples {
		s := d.Samples[i]
		fmt.Println(filepath.Base(s.Path), s.Label, s.Label.Class())
	}
	// Output:
	// true 1 true 3
	// 1 person, 7 photos, 1 problem
	// mask1.jpg wear/female/30-59 4
	// mask2.jpg wear/female/30-59 4
	// mask3.png wear/female/30-59 4
	// mask4.jpg wear/female/30-59 4
	// mask5.jpeg wear/female/30-59 4
	// incorrect_mask.jpg incorrect/female/30-59 10
	// normal.jpg not_wear/female/30-59 16
}

func ExampleMacroF1() {
	yTrue := []int{0, 0, 1, 1, 2}
	yPred := []int{0, 1, 1, 1, 0}
	// Per class F1: 0.5, 0.8, 0; class 3 never occurs and counts 0 too.
	fmt.Printf("%.4f %.4f\n", maskcls.MacroF1(yTrue, yPred, 4), maskcls.Accuracy(yTrue, yPred))
	// Output: 0.3250 0.6000
}

func ExampleNewReport() {
	// 18-class codes: the third answer gets the mask wrong, the fourth the age.
	yTrue := []int{4, 16, 10, 0}
	yPred := []int{4, 16, 4, 1}
	r, err := maskcls.NewReport(yTrue, yPred)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mask accuracy %.2f, gender %.2f, age %.2f, all %.2f\n",
		r.Mask.Accuracy(), r.Gender.Accuracy(), r.Age.Accuracy(), r.Classes.Accuracy())
	// Output: mask accuracy 0.75, gender 1.00, age 0.75, all 0.50
}

func ExampleWriteSubmission() {
	dir, _ := os.MkdirTemp("", "eval")
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "images"), 0o755)
	for _, id := range []string{"b.jpg", "a.jpg"} {
		os.WriteFile(filepath.Join(dir, "images", id), nil, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "info.csv"), []byte("ImageID,ans\nb.jpg,0\na.jpg,0\n"), 0o644)
	set, err := maskcls.ReadEval(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "submission.csv")
	if err := maskcls.WriteSubmission(out, set, []int{17, 3}); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(out)
	fmt.Print(string(b))
	// Output:
	// ImageID,ans
	// b.jpg,17
	// a.jpg,3
}
