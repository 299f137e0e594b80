package augment

import "math/rand/v2"

// Compose runs its transforms in order (Albumentations Compose). Following
// 1.3.x, it draws random() < P even when P is 1; if the draw fails, only
// the transforms with AlwaysApply run (searched through nested composes),
// so ToTensorV2 still runs. Default p is 1.
type Compose struct {
	Transforms []Transform
	P          float64
	meta       *jsonMeta
}

// NewCompose returns a Compose of ts with p=1.
func NewCompose(ts ...Transform) Compose { return Compose{Transforms: ts, P: 1} }

// Apply runs the pipeline once on img; see Transform. For repeated calls,
// Prepare it once and use Pipeline.Run.
func (t Compose) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }

// OneOf applies exactly one of its transforms, with probability P
// (Albumentations OneOf). The children's own P values, normalized to sum
// to 1, are the weights of the choice; the chosen child is forced to apply.
// A TransformFunc child weighs 1. Default p is 0.5.
type OneOf struct {
	Transforms []Transform
	P          float64
	meta       *jsonMeta
}

// NewOneOf returns a OneOf of ts with p=0.5.
func NewOneOf(ts ...Transform) OneOf { return OneOf{Transforms: ts, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t OneOf) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }

// Sequential runs all of its transforms in order, with probability P
// (Albumentations Sequential; each child still draws its own p). Default
// p is 0.5.
type Sequential struct {
	Transforms []Transform
	P          float64
	meta       *jsonMeta
}

// NewSequential returns a Sequential of ts with p=0.5.
func NewSequential(ts ...Transform) Sequential { return Sequential{Transforms: ts, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t Sequential) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
