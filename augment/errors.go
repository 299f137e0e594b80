package augment

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can test with errors.Is; the message says what and where.
var (
	// ErrImage: an Image whose fields disagree (nil, no pixels, wrong length).
	ErrImage = errors.New("invalid image")
	// ErrEmptyImage: an image with a zero dimension (0x0 and the like).
	ErrEmptyImage = errors.New("empty image")
	// ErrTooLarge: an image, declared or real, over MaxPixels.
	ErrTooLarge = errors.New("image too large")
	// ErrDecode: a file that is not a decodable image (corrupt, truncated, empty).
	ErrDecode = errors.New("cannot decode image")
	// ErrCropTooLarge: a crop that does not fit in the image.
	ErrCropTooLarge = errors.New("crop larger than image")
	// ErrParam: a transform parameter out of its domain (NaN, p outside
	// [0,1], an empty range, a non-positive size, ...).
	ErrParam = errors.New("invalid parameter")
	// ErrUnsupported: a valid input this package does not handle, such as
	// Sharpen on float32 pixels or a transform missing from the JSON schema.
	ErrUnsupported = errors.New("unsupported")
	// ErrJSON: a pipeline file that is not Albumentations' format; the
	// message names the JSON path, e.g. transform.transforms[2].alpha.
	ErrJSON = errors.New("invalid pipeline JSON")
	// ErrReplay: a replay file that is malformed or does not fit the
	// pipeline it is replayed on.
	ErrReplay = errors.New("invalid replay parameters")
	// ErrNPY: a .npy file this package cannot read (only uint8 and
	// little-endian float32, C order, 2 or 3 dimensions).
	ErrNPY = errors.New("invalid .npy file")
)

// MaxPixels is the largest image, in pixels (width x height), that Decode
// and the transforms accept: 64 megapixels, far above any photo the
// competition uses, far below what exhausts memory.
const MaxPixels = 1 << 26

// fileError puts the file's name after the package's prefix of err:
// "augment: FILE: what", not "FILE: augment: what".
type fileError struct {
	file string
	err  error
}

func (e *fileError) Error() string {
	return "augment: " + e.file + ": " + strings.TrimPrefix(e.err.Error(), "augment: ")
}

func (e *fileError) Unwrap() error { return e.err }

// inFile returns err as "augment: FILE: what" (errors.Is and errors.As see
// err): for an error of this package about the contents of file, so the
// chain names the package once.
func inFile(file string, err error) error {
	if err == nil {
		return nil
	}
	return &fileError{file: file, err: err}
}
