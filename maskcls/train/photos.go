package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/internal/workers"
	"github.com/maskkit/maskkit/maskcls"
)

// LoadPhotos decodes every photo of the dataset with augment.Load, on up
// to GOMAXPROCS goroutines, and returns them in Samples order. The first
// error, by sample order, is returned; ctx cancels.
func LoadPhotos(ctx context.Context, d *maskcls.Dataset) ([]*augment.Image, error) {
	return LoadFiles(ctx, samplePaths(d))
}

func samplePaths(d *maskcls.Dataset) []string {
	paths := make([]string, len(d.Samples))
	for i, s := range d.Samples {
		paths[i] = s.Path
	}
	return paths
}

// LoadFiles decodes image files with augment.Load in parallel, in order.
func LoadFiles(ctx context.Context, paths []string) ([]*augment.Image, error) {
	return loadFiles(ctx, paths, 0)
}

// LoadPhotosShrunk is LoadPhotos for a dataset too large to hold at full
// size: each photo is decoded once and, when wider than width, shrunk to
// width pixels with its aspect ratio kept (see Shrink), so memory holds
// 3*width*round(width*H/W) bytes per photo instead of 3*W*H. On the
// competition's layout (18,900 photos of 384x512) and width 64 that is
// 309 MB instead of 11.1 GB; the only other memory is one full-size photo
// per goroutine while it is being shrunk. Pipelines must then be prepared
// for the shrunk size (TaskPipelines with the shrunk photo's size).
func LoadPhotosShrunk(ctx context.Context, d *maskcls.Dataset, width int) ([]*augment.Image, error) {
	return LoadFilesShrunk(ctx, samplePaths(d), width)
}

// LoadFilesShrunk decodes image files in parallel, in order, and shrinks
// each one wider than width (see Shrink).
func LoadFilesShrunk(ctx context.Context, paths []string, width int) ([]*augment.Image, error) {
	if width < 1 {
		return nil, fmt.Errorf("%w: shrinking photos to width %d", ErrConfig, width)
	}
	return loadFiles(ctx, paths, width)
}

// Shrink returns img shrunk to width pixels, keeping its aspect ratio
// (the height rounded), or img itself when it is no wider. It halves with
// OpenCV's INTER_LINEAR, which is an exact 2x2 area average at a factor
// of 2, while the half is still at least width, and then resizes the rest
// of the way bilinearly (a factor under 2), so no pixel is skipped: a
// plain bilinear resize by 6x would sample a third of the rows.
func Shrink(img *augment.Image, width int) (*augment.Image, error) {
	r := rand.New(rand.NewPCG(0, 0)) // Resize draws nothing
	for img.Width > width {
		w, h := img.Width/2, img.Height/2
		if w < width || img.Width%2 != 0 || img.Height%2 != 0 {
			w = width
			h = max(1, int(float64(img.Height)*float64(width)/float64(img.Width)+0.5))
		}
		out, err := augment.NewResize(h, w).Apply(img, r)
		if err != nil {
			return nil, err
		}
		img = out
	}
	return img, nil
}

// loadFiles decodes (and with width > 0 shrinks) image files.
func loadFiles(ctx context.Context, paths []string, width int) ([]*augment.Image, error) {
	imgs := make([]*augment.Image, len(paths))
	err := workers.Run(ctx, len(paths), 0, func(_ context.Context, i int) error {
		img, err := augment.Load(paths[i])
		if err == nil && width > 0 {
			if img, err = Shrink(img, width); err != nil {
				err = fmt.Errorf("train: shrinking %s: %w", paths[i], err)
			}
		}
		imgs[i] = img
		return err
	})
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	return imgs, nil
}
