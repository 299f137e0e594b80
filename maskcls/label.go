package maskcls

import (
	"errors"
	"fmt"
)

// NumClasses is the number of classes of the competition: 3 mask states x 2
// genders x 3 age groups.
const NumClasses = 18

// ErrLabel is wrapped by every error about an invalid class, label or label
// field, so callers can test for it with errors.Is.
var ErrLabel = errors.New("maskcls: invalid label")

// Mask is the mask state of a photo.
type Mask uint8

// The mask states, in the competition's encoding.
const (
	Wear      Mask = 0 // mask1..mask5: worn correctly
	Incorrect Mask = 1 // incorrect_mask: worn incorrectly
	NotWear   Mask = 2 // normal: no mask
)

// NumMasks is the number of mask states.
const NumMasks = 3

// String returns "wear", "incorrect" or "not_wear".
func (m Mask) String() string {
	switch m {
	case Wear:
		return "wear"
	case Incorrect:
		return "incorrect"
	case NotWear:
		return "not_wear"
	}
	return fmt.Sprintf("Mask(%d)", uint8(m))
}

// Gender is the gender of the person in a photo.
type Gender uint8

// The genders, in the competition's encoding.
const (
	Male   Gender = 0
	Female Gender = 1
)

// NumGenders is the number of genders.
const NumGenders = 2

// String returns "male" or "female".
func (g Gender) String() string {
	switch g {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return fmt.Sprintf("Gender(%d)", uint8(g))
}

// ParseGender parses "male" or "female", ignoring case, as the baseline does.
func ParseGender(s string) (Gender, error) {
	switch {
	case equalFold(s, "male"):
		return Male, nil
	case equalFold(s, "female"):
		return Female, nil
	}
	return 0, fmt.Errorf("%w: gender %q is neither male nor female", ErrLabel, s)
}

// Age is an age group.
type Age uint8

// The age groups, in the competition's encoding.
const (
	Young  Age = 0 // under 30
	Middle Age = 1 // 30 to 59
	Old    Age = 2 // 60 and over
)

// NumAges is the number of age groups.
const NumAges = 3

// String returns "<30", "30-59" or "60+".
func (a Age) String() string {
	switch a {
	case Young:
		return "<30"
	case Middle:
		return "30-59"
	case Old:
		return "60+"
	}
	return fmt.Sprintf("Age(%d)", uint8(a))
}

// AgeGroup returns the competition's age group of an age in years: under 30
// is Young, under 60 is Middle, and 60 or more is Old. So 29 is Young, 30 and
// 59 are Middle, 60 is Old.
func AgeGroup(years int) Age { return CompetitionAges.Group(years) }

// AgeBounds are the boundaries of the age groups: an age below Middle is
// Young, below Old is Middle, else Old. Teams trained with Old lowered (58,
// say) so that the rare 60+ group gets more examples; the competition's
// labels always use CompetitionAges.
type AgeBounds struct {
	Middle, Old int
}

// CompetitionAges are the competition's boundaries, 30 and 60.
var CompetitionAges = AgeBounds{Middle: 30, Old: 60}

// Group returns the age group of an age in years under these bounds. The zero
// AgeBounds means CompetitionAges.
func (b AgeBounds) Group(years int) Age {
	if b == (AgeBounds{}) {
		b = CompetitionAges
	}
	switch {
	case years < b.Middle:
		return Young
	case years < b.Old:
		return Middle
	}
	return Old
}

// Label is the full label of a photo.
type Label struct {
	Mask   Mask
	Gender Gender
	Age    Age
}

// Class returns the 18-class code, 6*mask + 3*gender + age.
func (l Label) Class() int {
	return 6*int(l.Mask) + 3*int(l.Gender) + int(l.Age)
}

// Valid reports whether every field of l is in range.
func (l Label) Valid() bool {
	return l.Mask < NumMasks && l.Gender < NumGenders && l.Age < NumAges
}

// String returns the label as "mask/gender/age", for example "wear/female/30-59".
func (l Label) String() string {
	return l.Mask.String() + "/" + l.Gender.String() + "/" + l.Age.String()
}

// LabelOf decodes an 18-class code: mask = class/6, gender = class/3 mod 2,
// age = class mod 3. A class outside [0, 18) is an error wrapping ErrLabel.
func LabelOf(class int) (Label, error) {
	if class < 0 || class >= NumClasses {
		return Label{}, fmt.Errorf("%w: class %d outside [0, %d)", ErrLabel, class, NumClasses)
	}
	return Label{Mask: Mask(class / 6 % 3), Gender: Gender(class / 3 % 2), Age: Age(class % 3)}, nil
}

// equalFold compares ASCII strings ignoring case, without allocating.
func equalFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// Task is what a member of an Ensemble predicts.
type Task uint8

// The tasks. TaskAll predicts the 18 classes directly.
const (
	TaskMask   Task = iota // 3 mask states
	TaskGender             // 2 genders
	TaskAge                // 3 age groups
	TaskAll                // the 18 classes
)

// NumClasses returns the number of logits a model of the task gives:
// 3, 2, 3 or 18.
func (t Task) NumClasses() int {
	switch t {
	case TaskMask:
		return NumMasks
	case TaskGender:
		return NumGenders
	case TaskAge:
		return NumAges
	case TaskAll:
		return NumClasses
	}
	return 0
}

// String returns "mask", "gender", "age" or "all".
func (t Task) String() string {
	switch t {
	case TaskMask:
		return "mask"
	case TaskGender:
		return "gender"
	case TaskAge:
		return "age"
	case TaskAll:
		return "all"
	}
	return fmt.Sprintf("Task(%d)", uint8(t))
}

// ParseTask parses "mask", "gender", "age" or "all".
func ParseTask(s string) (Task, error) {
	for t := TaskMask; t <= TaskAll; t++ {
		if s == t.String() {
			return t, nil
		}
	}
	return 0, fmt.Errorf("%w: task %q is not mask, gender, age or all", ErrEnsemble, s)
}

// Of returns the label's class for the task: its mask state, gender, age
// group or 18-class code.
func (t Task) Of(l Label) int {
	switch t {
	case TaskMask:
		return int(l.Mask)
	case TaskGender:
		return int(l.Gender)
	case TaskAge:
		return int(l.Age)
	}
	return l.Class()
}
