// Package synth generates synthetic datasets in exactly the layout of the
// mask competition (train/train.csv, train/images/<id>_<gender>_Asian_<age>/
// with the seven stems mask1..mask5, incorrect_mask and normal, and a flat
// eval/ set with info.csv), filled with drawn faces whose mask state, gender
// and age group can be learnt by a small CNN.
//
// The photos are drawn, not noise. The mask covers nose and mouth (wear),
// only mouth and chin or only the chin (incorrect), or is absent (not
// wear); gender shows in the length and width of the hair; age in hair
// greyness, forehead lines and, for some older men, a receding hairline.
// Pose (offset, scale, tilt), skin, hair, mask and shirt colours, light and
// background vary, and the cues overlap between neighbouring groups (dyed
// hair, early grey, bobbed hair), so the tasks are learnable but not
// trivial.
//
// Everything is drawn with integer arithmetic from a math/rand/v2 PCG seeded
// by Options.Seed, and encoded with Go's own image/jpeg and image/png
// encoders at fixed settings, so one seed gives byte-identical files on
// every machine with the same Go release.
//
// The eval set also gets eval/labels.csv (ImageID,class). That file is
// synthetic-only: the competition keeps its eval labels hidden; ours exist
// so that a submission for the synthetic eval set can be scored.
package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/maskkit/maskkit/maskcls"
)

// The committed default instance (testdata/synth at the module root).
const (
	DefaultPeople     = 60
	DefaultEvalPeople = 30
	DefaultWidth      = 48
	DefaultHeight     = 64
	DefaultSeed       = 1
)

// MaxPeople bounds People and EvalPeople: the ids must fit in six digits.
const MaxPeople = 100000

// ErrOptions is wrapped by every error about invalid Options.
var ErrOptions = errors.New("synth: invalid options")

// ErrExists is wrapped by the error of Generate when the output already has
// a train or eval folder: a second dataset on top of a first one would mix
// both, so Generate never overwrites.
var ErrExists = errors.New("synth: output exists")

// Options say what to generate. The zero value of each field means its
// default, and a nil *Options means the committed default instance.
type Options struct {
	People     int    // people in train/; 0 means DefaultPeople
	EvalPeople int    // people in eval/ (7 photos each); 0 means DefaultEvalPeople, <0 none
	Width      int    // photo width in pixels; 0 means DefaultWidth
	Height     int    // photo height in pixels; 0 means DefaultHeight. The scene is 3:4 and stretched to Width x Height
	Seed       uint64 // 0 means DefaultSeed
	Workers    int    // photos drawn at once; 0 means GOMAXPROCS. The output does not depend on it
}

// withDefaults returns o with the zero fields filled in, or an error wrapping
// ErrOptions.
func (o *Options) withDefaults() (Options, error) {
	var v Options
	if o != nil {
		v = *o
	}
	if v.People == 0 {
		v.People = DefaultPeople
	}
	if v.EvalPeople == 0 {
		v.EvalPeople = DefaultEvalPeople
	}
	if v.Width == 0 {
		v.Width = DefaultWidth
	}
	if v.Height == 0 {
		v.Height = DefaultHeight
	}
	if v.Seed == 0 {
		v.Seed = DefaultSeed
	}
	if v.People < 0 || v.People > MaxPeople || v.EvalPeople > MaxPeople {
		return v, fmt.Errorf("%w: %d train and %d eval people, want at most %d", ErrOptions, v.People, v.EvalPeople, MaxPeople)
	}
	if v.Workers < 0 {
		return v, fmt.Errorf("%w: %d workers", ErrOptions, v.Workers)
	}
	return v, checkSize(v.Width, v.Height)
}

// Person is one generated person: what train.csv says about them.
type Person struct {
	ID     int // shown zero-padded to six digits
	Gender maskcls.Gender
	Age    int // years
}

// Folder returns the person's folder name, e.g. "000001_female_Asian_45".
func (p Person) Folder() string {
	return fmt.Sprintf("%06d_%s_Asian_%d", p.ID, p.Gender, p.Age)
}

// People returns the n people that a dataset with this seed holds, in id
// order: ids increase with gaps of 1 to 3, 60% are female, and ages follow
// the competition's skew (about 45% under 30, 40% from 30 to 59 with most of
// them in their fifties, 15% 60 or over, most of those exactly 60).
func People(n int, seed uint64) []Person {
	r := rand.New(rand.NewPCG(seed, 0x7065_6f70_6c65)) // "people"
	ps := make([]Person, n)
	id := 0
	for i := range ps {
		id += 1 + r.IntN(3)
		g := maskcls.Female
		if r.IntN(10) < 4 {
			g = maskcls.Male
		}
		ps[i] = Person{ID: id, Gender: g, Age: drawAge(r)}
	}
	return ps
}

func drawAge(r *rand.Rand) int {
	switch p := r.IntN(100); {
	case p < 45: // skewed to the early twenties
		return 18 + min(r.IntN(12), r.IntN(12))
	case p < 85:
		if r.IntN(2) == 0 {
			return 30 + r.IntN(20)
		}
		return 50 + r.IntN(10)
	default:
		if r.IntN(5) < 4 {
			return 60
		}
		return 61 + r.IntN(15)
	}
}
