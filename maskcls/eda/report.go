package eda

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/maskkit/maskkit/maskcls"
)

// Charts are the PNG files that WriteReport writes beside report.md.
var Charts = []string{"classes.png", "strata.png", "masks.png", "ages.png"}

// PixelCharts are the PNG files that WriteReport adds when Stats.Pixels is
// set.
var PixelCharts = []string{"brightness.png", "contrast.png", "montage.png"}

// WriteReport writes dir/report.md and the PNG charts named in Charts,
// creating dir if needed. The Markdown links the charts by relative path, so
// the folder can be moved as a whole.
func (s *Stats) WriteReport(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("eda: %w", err)
	}
	charts := map[string][]Bar{
		"classes.png": s.classBars(),
		"strata.png":  s.strataBars(),
		"masks.png":   s.maskBars(),
		"ages.png":    s.ageBars(),
	}
	titles := map[string]string{
		"classes.png": "photos per class: number, mask (wear/incorrect/no mask), gender, age",
		"strata.png":  "people per gender x age group",
		"masks.png":   "photos per mask state",
		"ages.png":    "people per age in years",
	}
	for _, name := range Charts {
		var buf bytes.Buffer
		if err := png.Encode(&buf, BarChart(titles[name], charts[name])); err != nil {
			return fmt.Errorf("eda: %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("eda: %w", err)
		}
	}
	if s.Pixels != nil {
		for name, img := range map[string]image.Image{
			"brightness.png": histograms("photo brightness (mean luma, 0-255) per class; m: the mean", s.Pixels.Brightness, 256),
			"contrast.png":   histograms("photo contrast (luma standard deviation) per class; m: the mean", s.Pixels.Contrast, 128),
			"montage.png":    s.Pixels.Montage,
		} {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return fmt.Errorf("eda: %s: %w", name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("eda: %w", err)
			}
		}
	}
	var md bytes.Buffer
	s.Markdown(&md)
	if err := os.WriteFile(filepath.Join(dir, "report.md"), md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("eda: %w", err)
	}
	return nil
}

// shortMask names the mask states in the five letters a class bar has.
var shortMask = [maskcls.NumMasks]string{"wear", "incor", "no"}

// classBars labels each class with its number, mask state, gender (M/F)
// and age group.
func (s *Stats) classBars() []Bar {
	bars := make([]Bar, maskcls.NumClasses)
	for c, n := range s.Classes {
		l, _ := maskcls.LabelOf(c)
		bars[c] = Bar{fmt.Sprintf("%d\n%s\n%c\n%v", c, shortMask[l.Mask], "MF"[l.Gender], l.Age), n}
	}
	return bars
}

func (s *Stats) strataBars() []Bar {
	var bars []Bar
	for g := range s.Strata {
		for a, n := range s.Strata[g] {
			bars = append(bars, Bar{fmt.Sprintf("%c%v", "MF"[g], maskcls.Age(a)), n})
		}
	}
	return bars
}

func (s *Stats) maskBars() []Bar {
	bars := make([]Bar, maskcls.NumMasks)
	for m, n := range s.Masks {
		bars[m] = Bar{maskcls.Mask(m).String(), n}
	}
	return bars
}

// ageBars has one bar per year from the youngest to the oldest, gaps
// included, so the histogram shows where ages are missing.
func (s *Stats) ageBars() []Bar {
	years := s.years()
	if len(years) == 0 {
		return nil
	}
	var bars []Bar
	for y := years[0]; y <= years[len(years)-1]; y++ {
		bars = append(bars, Bar{strconv.Itoa(y), s.Ages[y]})
	}
	return bars
}

func (s *Stats) years() []int {
	years := make([]int, 0, len(s.Ages))
	for y := range s.Ages {
		years = append(years, y)
	}
	slices.Sort(years)
	return years
}

// meanSD returns the mean and the standard deviation of vs, 0 and 0 when
// empty.
func meanSD(vs []float64) (mean, sd float64) {
	if len(vs) == 0 {
		return 0, 0
	}
	for _, v := range vs {
		mean += v
	}
	mean /= float64(len(vs))
	for _, v := range vs {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(vs)))
}

func pct(n, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
}

// Markdown writes the report's text: a summary and one table per view, with
// links to the charts.
func (s *Stats) Markdown(w io.Writer) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("# Dataset report: %s\n\n", s.Root)
	p("%d people, %d train photos", s.People, s.Photos)
	if s.EvalPhotos > 0 {
		p(", %d eval photos", s.EvalPhotos)
	}
	p(".\n\n")

	p("## Photos per class\n\n![classes](classes.png)\n\n")
	p("| class | mask | gender | age | photos | share |\n|---:|---|---|---|---:|---:|\n")
	for c, n := range s.Classes {
		l, _ := maskcls.LabelOf(c)
		p("| %d | %v | %v | %v | %d | %s |\n", c, l.Mask, l.Gender, l.Age, n, pct(n, s.Photos))
	}

	p("\n## People per stratum (gender x age group)\n\n![strata](strata.png)\n\n")
	p("| gender |")
	for a := range maskcls.NumAges {
		p(" %v |", maskcls.Age(a))
	}
	p(" all |\n|---|---:|---:|---:|---:|\n")
	var ages [maskcls.NumAges]int
	for g := range s.Strata {
		p("| %v |", maskcls.Gender(g))
		for a, n := range s.Strata[g] {
			p(" %d (%s) |", n, pct(n, s.People))
			ages[a] += n
		}
		p(" %d (%s) |\n", s.Genders[g], pct(s.Genders[g], s.People))
	}
	p("| all |")
	for _, n := range ages {
		p(" %d (%s) |", n, pct(n, s.People))
	}
	p(" %d |\n", s.People)

	p("\n## Photos per mask state\n\n![masks](masks.png)\n\n| mask | photos | share |\n|---|---:|---:|\n")
	for m, n := range s.Masks {
		p("| %v | %d | %s |\n", maskcls.Mask(m), n, pct(n, s.Photos))
	}

	p("\n## Ages\n\n![ages](ages.png)\n\n| ages | people | share |\n|---|---:|---:|\n")
	if years := s.years(); len(years) > 0 {
		for lo := years[0] / 5 * 5; lo <= years[len(years)-1]; lo += 5 {
			n := 0
			for y := lo; y < lo+5; y++ {
				n += s.Ages[y]
			}
			p("| %d-%d | %d | %s |\n", lo, lo+4, n, pct(n, s.People))
		}
		p("\nYoungest %d, oldest %d; the most common age is %d.\n", years[0], years[len(years)-1], s.mode())
	}

	p("\n## Photo sizes (from the file headers)\n\n| set | width x height | format | photos |\n|---|---|---|---:|\n")
	for _, sc := range s.Sizes {
		p("| train | %dx%d | %s | %d |\n", sc.Width, sc.Height, sc.Format, sc.Count)
	}
	for _, sc := range s.EvalSizes {
		p("| eval | %dx%d | %s | %d |\n", sc.Width, sc.Height, sc.Format, sc.Count)
	}
	p("\n## File extensions (train)\n\n| extension | photos |\n|---|---:|\n")
	for _, e := range s.Extensions {
		p("| `%s` | %d |\n", e.Key, e.Count)
	}
	if px := s.Pixels; px != nil {
		p("\n## Pixels (the opt-in pixel pass)\n\n![brightness](brightness.png)\n\n![contrast](contrast.png)\n\n![montage](montage.png)\n\n")
		p("| class | mask | gender | age | photos | brightness mean | sd | contrast mean | sd |\n|---:|---|---|---|---:|---:|---:|---:|---:|\n")
		for c := range px.Brightness {
			l, _ := maskcls.LabelOf(c)
			bm, bs := meanSD(px.Brightness[c])
			cm, cs := meanSD(px.Contrast[c])
			p("| %d | %v | %v | %v | %d | %.1f | %.1f | %.1f | %.1f |\n", c, l.Mask, l.Gender, l.Age, len(px.Brightness[c]), bm, bs, cm, cs)
		}
		if len(px.Bad) > 0 {
			p("\n%d photos could not be decoded:\n\n", len(px.Bad))
			for _, b := range px.Bad {
				p("- `%s`\n", b)
			}
		}
	}
	if len(s.Problems) > 0 {
		p("\n## Dataset problems (%d, read leniently: the people they name are left out)\n\n", len(s.Problems))
		for _, b := range s.Problems {
			p("- `%s`\n", b)
		}
	}
	if len(s.Bad) > 0 {
		p("\n## Unreadable photos (%d)\n\n", len(s.Bad))
		for _, b := range s.Bad {
			p("- `%s`\n", b)
		}
	}
}

// mode returns the most common age, the youngest of ties.
func (s *Stats) mode() int {
	best, bn := 0, -1
	for _, y := range s.years() {
		if s.Ages[y] > bn {
			best, bn = y, s.Ages[y]
		}
	}
	return best
}
