package maskcls

import (
	"errors"
	"fmt"
	"testing"
)

// The expectations are the competition's definition (REFERENCE section 1),
// written out by hand: class = 6*mask + 3*gender + age.
func TestClassTable(t *testing.T) {
	cases := []struct {
		l     Label
		class int
	}{
		{Label{Wear, Male, Young}, 0},
		{Label{Wear, Male, Old}, 2},
		{Label{Wear, Female, Young}, 3},
		{Label{Wear, Female, Middle}, 4},
		{Label{Incorrect, Male, Young}, 6},
		{Label{Incorrect, Female, Old}, 11},
		{Label{NotWear, Male, Middle}, 13},
		{Label{NotWear, Female, Old}, 17},
	}
	for _, c := range cases {
		if got := c.l.Class(); got != c.class {
			t.Errorf("%v.Class() = %d, want %d", c.l, got, c.class)
		}
		back, err := LabelOf(c.class)
		if err != nil || back != c.l {
			t.Errorf("LabelOf(%d) = %v, %v; want %v", c.class, back, err, c.l)
		}
	}
}

func TestLabelOfRoundTrip(t *testing.T) {
	seen := map[Label]bool{}
	for c := 0; c < NumClasses; c++ {
		l, err := LabelOf(c)
		if err != nil {
			t.Fatal(err)
		}
		if !l.Valid() || l.Class() != c || seen[l] {
			t.Fatalf("class %d: label %v (valid %v, class %d, seen %v)", c, l, l.Valid(), l.Class(), seen[l])
		}
		seen[l] = true
	}
	for _, c := range []int{-1, 18, 1 << 40} {
		if _, err := LabelOf(c); !errors.Is(err, ErrLabel) {
			t.Errorf("LabelOf(%d) error = %v, want ErrLabel", c, err)
		}
	}
}

func TestAgeGroup(t *testing.T) {
	cases := map[int]Age{0: Young, 29: Young, 30: Middle, 59: Middle, 60: Old, 100: Old, -3: Young}
	for years, want := range cases {
		if got := AgeGroup(years); got != want {
			t.Errorf("AgeGroup(%d) = %v, want %v", years, got, want)
		}
	}
	b := AgeBounds{Middle: 30, Old: 58}
	if b.Group(58) != Old || b.Group(57) != Middle {
		t.Errorf("AgeBounds{30,58}: 57 -> %v, 58 -> %v", b.Group(57), b.Group(58))
	}
	if (AgeBounds{}).Group(60) != Old {
		t.Error("zero AgeBounds must mean the competition's bounds")
	}
}

func TestParseGender(t *testing.T) {
	for s, want := range map[string]Gender{"male": Male, "Female": Female, "MALE": Male} {
		if got, err := ParseGender(s); err != nil || got != want {
			t.Errorf("ParseGender(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "man", "females"} {
		if _, err := ParseGender(s); !errors.Is(err, ErrLabel) {
			t.Errorf("ParseGender(%q) error = %v, want ErrLabel", s, err)
		}
	}
}

func TestStrings(t *testing.T) {
	l := Label{Wear, Female, Middle}
	if got := l.String(); got != "wear/female/30-59" {
		t.Errorf("String() = %q", got)
	}
	if got := Mask(7).String(); got != "Mask(7)" {
		t.Errorf("Mask(7).String() = %q", got)
	}
}

func ExampleLabelOf() {
	l, _ := LabelOf(7)
	fmt.Println(l, l.Class())
	// Output: incorrect/male/30-59 7
}
