// Package eda describes a dataset in the mask competition's layout: photos
// per class, people per stratum (gender x age group), photos per mask state,
// the age histogram, photo sizes and formats (read from the file headers
// only) and file extensions. It writes the description as a Markdown report
// with PNG bar charts.
//
// It reads nothing itself but the image headers: the layout comes from
// maskcls.ReadTrain and maskcls.ReadEval, so the report shows what training
// will see.
package eda

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // the competition's photos
	_ "image/png"  // some have a .png extension
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/maskkit/maskkit/maskcls"
)

// Stats describe one dataset. Counts of photos are per file, counts of
// people per row of train.csv.
type Stats struct {
	Root       string // the train directory that was read
	People     int
	Photos     int
	EvalPhotos int // 0 when there was no eval set

	Classes [maskcls.NumClasses]int                  // photos per 18-class code
	Masks   [maskcls.NumMasks]int                    // photos per mask state
	Strata  [maskcls.NumGenders][maskcls.NumAges]int // people per gender x age group
	Genders [maskcls.NumGenders]int                  // people per gender
	Ages    map[int]int                              // people per age in years

	Sizes      []SizeCount // train photo sizes and formats, most common first
	EvalSizes  []SizeCount // the same for the eval photos
	Extensions []KeyCount  // train file extensions, most common first
	Bad        []string    // photos whose header could not be read, with the reason
	// Problems are the train set's problems that a lenient read reported
	// (maskcls.ReadOptions.Lenient), as "file:line: what".
	Problems []string
	// Pixels is the opt-in pixel pass (ComputePixels), nil when it was not
	// run.
	Pixels *PixelStats
}

// SizeCount is how many photos have one size and format.
type SizeCount struct {
	Width, Height int
	Format        string // "jpeg", "png", as image.DecodeConfig names it
	Count         int
}

// KeyCount is how many times a key occurs.
type KeyCount struct {
	Key   string
	Count int
}

// Compute describes a training set and, when eval is not nil, an eval set.
// It opens every photo to read its header (image.DecodeConfig), not its
// pixels. A photo that cannot be read is listed in Stats.Bad, never
// dropped silently. ctx cancels between photos.
func Compute(ctx context.Context, train *maskcls.Dataset, eval *maskcls.EvalSet) (*Stats, error) {
	s := &Stats{Root: train.Root, People: len(train.People), Photos: len(train.Samples), Ages: map[int]int{}}
	for _, p := range train.Problems {
		s.Problems = append(s.Problems, p.Error())
	}
	for _, p := range train.People {
		s.Ages[p.Age]++
		s.Genders[p.Gender]++
		s.Strata[p.Gender][maskcls.AgeGroup(p.Age)]++
	}
	exts := map[string]int{}
	paths := make([]string, len(train.Samples))
	for i, sm := range train.Samples {
		l := maskcls.Label{Mask: sm.Mask, Gender: sm.Label.Gender, Age: maskcls.AgeGroup(train.People[sm.Person].Age)}
		s.Classes[l.Class()]++
		s.Masks[sm.Mask]++
		exts[strings.ToLower(filepath.Ext(sm.Path))]++
		paths[i] = sm.Path
	}
	s.Extensions = sortedCounts(exts)
	var err error
	if s.Sizes, err = sizes(ctx, paths, &s.Bad); err != nil {
		return nil, err
	}
	if eval != nil {
		s.EvalPhotos = len(eval.Paths)
		if s.EvalSizes, err = sizes(ctx, eval.Paths, &s.Bad); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// sizes reads the header of every file and counts sizes and formats.
func sizes(ctx context.Context, paths []string, bad *[]string) ([]SizeCount, error) {
	counts := map[SizeCount]int{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("eda: %w", err)
		}
		cfg, format, err := decodeConfig(p)
		if err != nil {
			*bad = append(*bad, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		counts[SizeCount{Width: cfg.Width, Height: cfg.Height, Format: format}]++
	}
	out := make([]SizeCount, 0, len(counts))
	for k, n := range counts {
		k.Count = n
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b SizeCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	return out, nil
}

func decodeConfig(path string) (image.Config, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, "", err
	}
	defer f.Close()
	return image.DecodeConfig(f)
}

func sortedCounts(m map[string]int) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for k, n := range m {
		out = append(out, KeyCount{k, n})
	}
	slices.SortFunc(out, func(a, b KeyCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}
