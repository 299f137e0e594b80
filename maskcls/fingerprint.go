package maskcls

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// EnsembleFingerprint returns a hex SHA-256 of everything the ensemble
// config file at path loads: the config's own bytes and the bytes of every
// model and pipeline file it names, in member order. Two runs with the same
// fingerprint used the same models with the same preprocessing; a retrained
// model, an edited pipeline or a reordered config changes it. It reads the
// files but loads no model, so it is cheap next to LoadEnsemble. A missing
// or malformed config, or a missing file, is an error wrapping ErrEnsemble.
func EnsembleFingerprint(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrEnsemble, err)
	}
	c, err := ReadEnsembleConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	h := sha256.New()
	io.WriteString(h, "maskkit ensemble fingerprint v1\n")
	writeBlock(h, data)
	dir := filepath.Dir(path)
	for i, m := range c.Members {
		for _, name := range []string{m.Model.Path, m.Pipeline} {
			if err := hashFile(h, osDir(dir).resolve(name)); err != nil {
				return "", fmt.Errorf("%s: members[%d]: %w: %w", path, i, ErrEnsemble, err)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile writes the file's length and bytes to h.
func hashFile(h hash.Hash, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	binary.Write(h, binary.LittleEndian, fi.Size())
	_, err = io.Copy(h, f)
	return err
}

// writeBlock writes b's length and bytes to h, so that no two sequences of
// blocks hash alike.
func writeBlock(h hash.Hash, b []byte) {
	binary.Write(h, binary.LittleEndian, int64(len(b)))
	h.Write(b)
}
