package maskcls

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		assert.Equal(t, c.class, c.l.Class(), "%v.Class()", c.l)
		back, err := LabelOf(c.class)
		if assert.NoError(t, err, "LabelOf(%d)", c.class) {
			assert.Equal(t, c.l, back, "LabelOf(%d)", c.class)
		}
	}
}

func TestLabelOfRoundTrip(t *testing.T) {
	seen := map[Label]bool{}
	for c := 0; c < NumClasses; c++ {
		l, err := LabelOf(c)
		require.NoError(t, err)
		if !l.Valid() || l.Class() != c || seen[l] {
			t.Fatalf("class %d: label %v (valid %v, class %d, seen %v)", c, l, l.Valid(), l.Class(), seen[l])
		}
		seen[l] = true
	}
	for _, c := range []int{-1, 18, 1 << 40} {
		_, err := LabelOf(c)
		assert.ErrorIs(t, err, ErrLabel, "LabelOf(%d)", c)
	}
}

func TestAgeGroup(t *testing.T) {
	cases := map[int]Age{0: Young, 29: Young, 30: Middle, 59: Middle, 60: Old, 100: Old, -3: Young}
	for years, want := range cases {
		assert.Equal(t, want, AgeGroup(years), "AgeGroup(%d)", years)
	}
	b := AgeBounds{Middle: 30, Old: 58}
	assert.Equal(t, Old, b.Group(58), "AgeBounds{30,58}.Group(58)")
	assert.Equal(t, Middle, b.Group(57), "AgeBounds{30,58}.Group(57)")
	assert.Equal(t, Old, (AgeBounds{}).Group(60), "zero AgeBounds must mean the competition's bounds")
}

func TestParseGender(t *testing.T) {
	for s, want := range map[string]Gender{"male": Male, "Female": Female, "MALE": Male} {
		got, err := ParseGender(s)
		assert.NoError(t, err, "ParseGender(%q)", s)
		assert.Equal(t, want, got, "ParseGender(%q)", s)
	}
	for _, s := range []string{"", "man", "females"} {
		_, err := ParseGender(s)
		assert.ErrorIs(t, err, ErrLabel, "ParseGender(%q)", s)
	}
}

func TestStrings(t *testing.T) {
	l := Label{Wear, Female, Middle}
	assert.Equal(t, "wear/female/30-59", l.String())
	assert.Equal(t, "Mask(7)", Mask(7).String())
}

func ExampleLabelOf() {
	l, _ := LabelOf(7)
	fmt.Println(l, l.Class())
	// Output: incorrect/male/30-59 7
}
