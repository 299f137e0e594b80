package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// committed is the default instance at the module root.
const committed = "../../testdata/synth"

// TestCommittedIdentical regenerates the default instance and compares it
// byte for byte with the committed one: the generator is deterministic, and
// the committed files are what it writes today. Regenerate with
// `go run ./examples/synth` from the module root.
func TestCommittedIdentical(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, Generate(context.Background(), dir, nil))
	want := listFiles(t, committed)
	got := listFiles(t, dir)
	if len(got) != len(want) {
		t.Fatalf("generated %d files, committed %d", len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Fatalf("%s is committed but not generated", name)
		}
		if !bytes.Equal(g, w) {
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Fatalf("%s differs from the committed file at byte %d (generated %d bytes, committed %d); regenerate with go run ./examples/synth", name, i, len(g), len(w))
		}
	}
}

func listFiles(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "README.md" {
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	require.NoError(t, err)
	return files
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err, "%s", path)
	return rows
}

// TestCommittedLayout checks the committed instance against the
// competition's layout (REFERENCE.md section 1) without using the generator.
func TestCommittedLayout(t *testing.T) {
	rows := readCSV(t, filepath.Join(committed, "train", "train.csv"))
	require.Equal(t, "id,gender,race,age,path", strings.Join(rows[0], ","), "train.csv header")
	rows = rows[1:]
	require.Equal(t, DefaultPeople, len(rows), "people in train.csv")
	idRE := regexp.MustCompile(`^[0-9]{6}$`)
	exts := map[string]int{}
	prev, gaps := 0, 0
	var groups [maskcls.NumGenders][maskcls.NumAges]int
	for i, r := range rows {
		id, gender, race, age, path := r[0], r[1], r[2], r[3], r[4]
		n, _ := strconv.Atoi(id)
		years, err := strconv.Atoi(age)
		g, gerr := maskcls.ParseGender(gender)
		switch {
		case !idRE.MatchString(id) || n <= prev:
			t.Fatalf("line %d: id %q not six digits or not increasing", i+2, id)
		case race != "Asian" || err != nil || gerr != nil:
			t.Fatalf("line %d: bad race, age or gender: %q", i+2, r)
		case path != fmt.Sprintf("%s_%s_%s_%s", id, gender, race, age):
			t.Fatalf("line %d: path %q does not match the other columns", i+2, path)
		}
		if n > prev+1 {
			gaps++
		}
		prev = n
		groups[g][maskcls.AgeGroup(years)]++
		entries, err := os.ReadDir(filepath.Join(committed, "train", "images", path))
		require.NoError(t, err)
		stems := map[string]bool{}
		for _, e := range entries {
			ext := filepath.Ext(e.Name())
			exts[ext]++
			stems[strings.TrimSuffix(e.Name(), ext)] = true
			checkImage(t, filepath.Join(committed, "train", "images", path, e.Name()))
		}
		for _, s := range maskcls.Stems {
			if !stems[s] {
				t.Fatalf("%s has no %s", path, s)
			}
		}
		if len(entries) != 7 {
			t.Fatalf("%s has %d files, want 7", path, len(entries))
		}
	}
	if gaps == 0 {
		t.Error("ids are contiguous; the competition's are not")
	}
	if exts[".jpg"] == 0 || exts[".jpeg"] == 0 || exts[".png"] == 0 {
		t.Errorf("extensions %v, want a mix of .jpg, .jpeg and .png", exts)
	}
	for g := range groups {
		for a := range groups[g] {
			if groups[g][a] == 0 {
				t.Errorf("no %v %v person in the committed instance", maskcls.Gender(g), maskcls.Age(a))
			}
		}
	}

	info := readCSV(t, filepath.Join(committed, "eval", "info.csv"))
	labels := readCSV(t, filepath.Join(committed, "eval", "labels.csv"))
	if strings.Join(info[0], ",") != "ImageID,ans" || strings.Join(labels[0], ",") != "ImageID,class" {
		t.Fatalf("eval headers %q, %q", info[0], labels[0])
	}
	if len(info) != 7*DefaultEvalPeople+1 || len(labels) != len(info) {
		t.Fatalf("eval has %d info and %d label rows, want %d", len(info)-1, len(labels)-1, 7*DefaultEvalPeople)
	}
	nameRE := regexp.MustCompile(`^[0-9a-f]{40}\.jpg$`)
	var masks [maskcls.NumMasks]int
	for i := 1; i < len(info); i++ {
		if !nameRE.MatchString(info[i][0]) || info[i][1] != "0" || labels[i][0] != info[i][0] {
			t.Fatalf("eval row %d: info %q, labels %q", i, info[i], labels[i])
		}
		c, err := strconv.Atoi(labels[i][1])
		l, lerr := maskcls.LabelOf(c)
		if err != nil || lerr != nil {
			t.Fatalf("eval row %d: class %q", i, labels[i][1])
		}
		masks[l.Mask]++
		checkImage(t, filepath.Join(committed, "eval", "images", info[i][0]))
	}
	assert.Equal(t, [3]int{5 * DefaultEvalPeople, DefaultEvalPeople, DefaultEvalPeople}, masks, "eval mask states (7 photos per person)")
}

// checkImage decodes a photo fully and checks its size.
func checkImage(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, format, err := image.Decode(f)
	require.NoError(t, err, "%s", path)
	wantFormat := "jpeg"
	if filepath.Ext(path) == ".png" {
		wantFormat = "png"
	}
	if format != wantFormat || img.Bounds() != image.Rect(0, 0, DefaultWidth, DefaultHeight) {
		t.Fatalf("%s: %s %v, want %s %dx%d", path, format, img.Bounds(), wantFormat, DefaultWidth, DefaultHeight)
	}
}

func TestWorkersDoNotChangeOutput(t *testing.T) {
	var trees []map[string][]byte
	for _, w := range []int{1, 3} {
		dir := t.TempDir()
		o := &Options{People: 4, EvalPeople: 2, Width: 24, Height: 32, Seed: 9, Workers: w}
		require.NoError(t, Generate(context.Background(), dir, o))
		trees = append(trees, listFiles(t, dir))
	}
	require.Equal(t, 4*7+2*7+3, len(trees[0]), "files")
	for name, b := range trees[0] {
		if !bytes.Equal(b, trees[1][name]) {
			t.Fatalf("%s differs between 1 and 3 workers", name)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []Options{
		{Width: 8}, {Height: MaxSize + 1}, {People: -1}, {People: MaxPeople + 1}, {Workers: -2},
	} {
		assert.ErrorIs(t, Generate(context.Background(), dir, &o), ErrOptions, "%+v", o)
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "eval"), 0o755))
	assert.ErrorIs(t, Generate(context.Background(), dir, nil), ErrExists, "into a dir with eval/")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, Generate(ctx, t.TempDir(), nil), context.Canceled, "cancelled")
	_, err := Photo(rand.New(rand.NewPCG(1, 1)), 32, 32, maskcls.Gender(2), 20, maskcls.Wear)
	assert.ErrorIs(t, err, maskcls.ErrLabel, "gender 2")
}

// TestAgeSkew checks the proportions of People on a competition-sized set.
func TestAgeSkew(t *testing.T) {
	ps := People(2700, 1)
	var n [maskcls.NumAges]int
	female := 0
	for _, p := range ps {
		n[maskcls.AgeGroup(p.Age)]++
		if p.Gender == maskcls.Female {
			female++
		}
		if p.Age < 18 || p.Age > 80 {
			t.Fatalf("%s: age out of range", p.Folder())
		}
	}
	frac := func(k int) float64 { return float64(k) / float64(len(ps)) }
	if frac(n[maskcls.Young]) < 0.38 || frac(n[maskcls.Middle]) < 0.33 || frac(n[maskcls.Old]) < 0.1 || frac(n[maskcls.Old]) > 0.2 {
		t.Errorf("age groups %v of %d: want about 45%%, 40%%, 15%%", n, len(ps))
	}
	if f := frac(female); f < 0.55 || f > 0.65 {
		t.Errorf("female fraction %.3f, want about 0.6", f)
	}
	assert.LessOrEqual(t, ps[len(ps)-1].ID, 999999, "last id fits six digits")
}

// regionMean returns the mean of R+G+B over the part of img given in
// fractions of its size.
func regionMean(img *image.RGBA, x0, y0, x1, y1 float64) float64 {
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	sum, n := 0.0, 0
	for y := int(y0 * h); y < int(y1*h); y++ {
		for x := int(x0 * w); x < int(x1*w); x++ {
			p := img.Pix[y*img.Stride+4*x:]
			sum += float64(p[0]) + float64(p[1]) + float64(p[2])
			n++
		}
	}
	return sum / float64(n)
}

// TestCuesShow checks, over many random faces, that each cue is where the
// package doc says: grey hair above old faces, hair beside female faces, a
// mask over the lower face (masks are brighter or darker than skin, so the
// check is on the variation of the mouth area between mask states).
func TestCuesShow(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 60
	var top [3]float64   // hair above the face, by age group
	var side [2]float64  // beside the face at mouth height, by gender
	var mouth [3]float64 // redness of the mouth area, by mask state
	for i := 0; i < n; i++ {
		for a, years := range []int{22, 45, 62} {
			img, err := Photo(r, 48, 64, maskcls.Male, years, maskcls.Wear)
			require.NoError(t, err)
			top[a] += regionMean(img, 0.4, 0.22, 0.6, 0.28) / n
		}
		for g := range side {
			img, _ := Photo(r, 48, 64, maskcls.Gender(g), 25, maskcls.Wear)
			// Hair is darker than the background on average.
			side[g] += (regionMean(img, 0.17, 0.62, 0.26, 0.72) + regionMean(img, 0.74, 0.62, 0.83, 0.72)) / 2 / n
		}
		for m := range mouth {
			img, _ := Photo(r, 48, 64, maskcls.Female, 25, maskcls.Mask(m))
			mouth[m] += lipRedness(img) / n
		}
	}
	if !(top[0] < top[1] && top[1] < top[2]) {
		t.Errorf("hair brightness by age group %.0f, want increasing", top)
	}
	if side[maskcls.Female] >= side[maskcls.Male]-20 {
		t.Errorf("brightness beside the face: male %.0f, female %.0f; want long dark hair beside female faces", side[0], side[1])
	}
	if !(mouth[maskcls.Wear] < mouth[maskcls.NotWear]-3) {
		t.Errorf("lip redness by mask state %.1f, want the mouth hidden when worn", mouth)
	}
}

// lipRedness is the mean of R - (G+B)/2 around the mouth.
func lipRedness(img *image.RGBA) float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	sum, n := 0.0, 0
	for y := h * 60 / 100; y < h*68/100; y++ {
		for x := w * 38 / 100; x < w*62/100; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			sum += float64(p[0]) - (float64(p[1])+float64(p[2]))/2
			n++
		}
	}
	return sum / float64(n)
}

func ExampleGenerate() {
	dir, _ := os.MkdirTemp("", "synth")
	defer os.RemoveAll(dir)
	opts := &Options{People: 3, EvalPeople: 1, Width: 48, Height: 64, Seed: 7}
	if err := Generate(context.Background(), dir, opts); err != nil {
		fmt.Println(err)
		return
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "train", "train.csv"))
	fmt.Print(string(csv))
	// Output:
	// id,gender,race,age,path
	// 000002,male,Asian,60,000002_male_Asian_60
	// 000005,male,Asian,18,000005_male_Asian_18
	// 000006,male,Asian,20,000006_male_Asian_20
}

func ExamplePhoto() {
	r := rand.New(rand.NewPCG(1, 2))
	img, err := Photo(r, 384, 512, maskcls.Female, 61, maskcls.Incorrect)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 384 512
}

// TestCommittedReads reads the committed instance with the package's own
// reader, strictly, and checks it against the CSV files.
func TestCommittedReads(t *testing.T) {
	ds, err := maskcls.ReadTrain(filepath.Join(committed, "train"), nil)
	require.NoError(t, err)
	if len(ds.People) != DefaultPeople || len(ds.Samples) != 7*DefaultPeople || len(ds.Skipped) != 0 {
		t.Fatalf("ReadTrain: %d people, %d samples, %d skipped", len(ds.People), len(ds.Samples), len(ds.Skipped))
	}
	want := People(DefaultPeople, DefaultSeed)
	for i, p := range ds.People {
		if p.Folder != want[i].Folder() || p.Gender != want[i].Gender || p.Age != want[i].Age {
			t.Fatalf("person %d: read %+v, generated %+v", i, p, want[i])
		}
		for k, si := range p.Samples {
			s := ds.Samples[si]
			m, _ := maskcls.StemMask(maskcls.Stems[k])
			if s.Label != (maskcls.Label{Mask: m, Gender: p.Gender, Age: maskcls.AgeGroup(p.Age)}) {
				t.Fatalf("%s: label %v", s.Path, s.Label)
			}
		}
	}
	ev, err := maskcls.ReadEval(filepath.Join(committed, "eval"))
	require.NoError(t, err)
	labels := readCSV(t, filepath.Join(committed, "eval", "labels.csv"))[1:]
	require.Equal(t, len(labels), len(ev.ImageIDs), "ReadEval's images against labels.csv's rows")
	for i, id := range ev.ImageIDs {
		require.Equal(t, labels[i][0], id, "eval row %d: info.csv against labels.csv", i)
	}
}

// BenchmarkPhoto draws one competition-size photo (384x512), without
// encoding.
func BenchmarkPhoto(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Photo(r, 384, 512, maskcls.Female, 45, maskcls.Wear); err != nil {
			b.Fatal(err)
		}
	}
}
