package train

import (
	"context"
	"runtime"
	"sync"

	"github.com/maskkit/maskkit/augment"
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
	imgs := make([]*augment.Image, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				imgs[i], errs[i] = augment.Load(paths[i])
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return imgs, nil
}
