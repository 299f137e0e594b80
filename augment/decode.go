package augment

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif"  // register GIF for Decode
	_ "image/jpeg" // register JPEG for Decode
	_ "image/png"  // register PNG for Decode
	"io"
	"os"
)

// Decode reads a JPEG, PNG or GIF photo and converts it with FromImage.
// It checks the dimensions the file declares with image.DecodeConfig
// before decoding, so a small file that claims to be huge is refused with
// ErrTooLarge instead of allocating; an empty, corrupt or truncated file is
// an error wrapping ErrDecode; a 0x0 image wraps ErrEmptyImage. Decode
// never panics on bad input.
func Decode(r io.Reader) (*Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("augment: reading image: %v: %w", err, ErrDecode)
	}
	return decodeBytes(data, "image")
}

// Load reads the image file at path with Decode; errors name the file.
func Load(path string) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("augment: %w: %w", err, ErrDecode)
	}
	return decodeBytes(data, path)
}

func decodeBytes(data []byte, name string) (*Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("augment: %s: empty file: %w", name, ErrDecode)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("augment: %s: bad header: %v: %w", name, err, ErrDecode)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("augment: %s: %s declares %dx%d: %w", name, format, cfg.Width, cfg.Height, ErrEmptyImage)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("augment: %s: %s declares %dx%d, over the %d-pixel limit: %w", name, format, cfg.Width, cfg.Height, MaxPixels, ErrTooLarge)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("augment: %s: decoding %s: %v: %w", name, format, err, ErrDecode)
	}
	m, err := FromImage(img)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}
