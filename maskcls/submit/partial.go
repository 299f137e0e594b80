package submit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/maskkit/maskkit/maskcls"
)

// The partial file starts with a fingerprint line,
//
//	# maskkit partial v1 models=<Options.Fingerprint> eval=<hash of the listing>
//
// followed by a CSV of ImageID,ans rows without a header, one row per
// scored photo, appended and synced batch by batch. A run killed in the
// middle of a write leaves at most one incomplete last line, which
// readPartial drops.

// partialMagic starts the fingerprint line.
const partialMagic = "# maskkit partial v1 "

// fingerprint identifies what a partial file's rows were computed from.
type fingerprint struct {
	models, eval string
}

func (f fingerprint) line() string {
	return fmt.Sprintf("%smodels=%s eval=%s\n", partialMagic, f.models, f.eval)
}

// evalFingerprint hashes the eval listing: each ImageID in info.csv's
// order with its file's size, so another eval set, a reordered info.csv or
// a replaced photo of another size tells.
func evalFingerprint(eval *maskcls.EvalSet) (string, error) {
	h := sha256.New()
	for i, id := range eval.ImageIDs {
		fi, err := os.Stat(eval.Paths[i])
		if err != nil {
			return "", fmt.Errorf("submit: %w", err)
		}
		fmt.Fprintf(h, "%d:%s %d\n", len(id), id, fi.Size())
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// readPartial fills classes from the partial file at path for the photos
// eval lists, and returns how many it filled. A missing file fills none; a
// file written for other models or another eval listing than want is an
// error wrapping ErrStalePartial.
func readPartial(path string, want fingerprint, eval *maskcls.EvalSet, classes []int) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("submit: resume: %w", err)
	}
	data, err = checkFingerprint(path, data, want)
	if err != nil {
		return 0, err
	}
	// Only whole lines count: the last one may have been cut by a crash.
	if i := lastNewline(data); i < len(data)-1 {
		data = data[:i+1]
	}
	index := make(map[string]int, len(eval.ImageIDs))
	for i, id := range eval.ImageIDs {
		index[id] = i
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 2
	filled := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("submit: resume from %s: %w", path, err)
		}
		c, err := strconv.Atoi(rec[1])
		if err != nil || c < 0 || c >= maskcls.NumClasses {
			return 0, fmt.Errorf("submit: resume from %s: class %q of %s is not in [0, 18)", path, rec[1], rec[0])
		}
		if i, ok := index[rec[0]]; ok && classes[i] < 0 {
			classes[i] = c
			filled++
		}
	}
	return filled, nil
}

// checkFingerprint checks the partial file's first line against want and
// returns the rows after it.
func checkFingerprint(path string, data []byte, want fingerprint) ([]byte, error) {
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(first, []byte(partialMagic)) {
		return nil, fmt.Errorf("%w: %s has no fingerprint line, so its rows cannot be trusted", ErrStalePartial, path)
	}
	var got fingerprint
	for _, f := range strings.Fields(string(first[len(partialMagic):])) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "models":
			got.models = v
		case "eval":
			got.eval = v
		}
	}
	var differs []string
	if got.models != want.models {
		differs = append(differs, fmt.Sprintf("the models (fingerprint %q, now %q)", short(got.models), short(want.models)))
	}
	if got.eval != want.eval {
		differs = append(differs, fmt.Sprintf("the eval listing (fingerprint %q, now %q)", short(got.eval), short(want.eval)))
	}
	if len(differs) > 0 {
		return nil, fmt.Errorf("%w: %s was written for other inputs: %s differ",
			ErrStalePartial, path, strings.Join(differs, " and "))
	}
	return rest, nil
}

// short abbreviates a fingerprint for messages.
func short(fp string) string {
	if len(fp) > 12 {
		return fp[:12]
	}
	return fp
}

func lastNewline(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}

// partialWriter appends rows to the partial file.
type partialWriter struct {
	f    *os.File
	path string
}

// openPartial opens the partial file for appending. Unless keep, it starts
// anew with fp's line. When keep (readPartial has checked the file), a cut
// last line is removed first, so appends start on a line of their own; a
// file that does not exist yet starts with fp's line too.
func openPartial(path string, fp fingerprint, keep bool) (*partialWriter, error) {
	data, err := os.ReadFile(path)
	fresh := !keep || errors.Is(err, os.ErrNotExist) || len(data) == 0
	if !fresh && data[len(data)-1] != '\n' {
		if err := os.Truncate(path, int64(lastNewline(data)+1)); err != nil {
			return nil, fmt.Errorf("submit: %w", err)
		}
	}
	flag := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if fresh {
		flag |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("submit: %w", err)
	}
	p := &partialWriter{f: f, path: path}
	if fresh {
		if _, err := io.WriteString(f, fp.line()); err != nil {
			f.Close()
			return nil, fmt.Errorf("submit: %w", err)
		}
	}
	return p, nil
}

// append writes the rows of the photos idx and syncs.
func (p *partialWriter) append(ids []string, idx []int, classes []int) error {
	bw := bufio.NewWriter(p.f)
	cw := csv.NewWriter(bw)
	for _, i := range idx {
		cw.Write([]string{ids[i], strconv.Itoa(classes[i])})
	}
	cw.Flush()
	err := cw.Error()
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if err != nil {
		return fmt.Errorf("submit: writing progress to %s: %w", p.path, err)
	}
	return nil
}

// Close closes the file; closing twice is harmless.
func (p *partialWriter) Close() error {
	if p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}
