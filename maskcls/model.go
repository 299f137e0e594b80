package maskcls

import (
	"context"

	"gorgonia.org/tensor"
)

// Model is a classifier over a batch of preprocessed images: Predict takes a
// batch as a float32 tensor of shape [N, C, H, W] and returns logits as a
// float32 tensor of shape [N, K], one row per image in input order.
//
// Implementations must be safe for concurrent use: an Ensemble calls Predict
// from several goroutines at once. Predict must not modify batch: members
// that share a pipeline share the batch.
type Model interface {
	Predict(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error)
}

// ModelFunc adapts a plain function to the Model interface.
type ModelFunc func(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error)

// Predict calls f(ctx, batch).
func (f ModelFunc) Predict(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error) {
	return f(ctx, batch)
}
