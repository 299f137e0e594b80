package maskcls

import (
	"errors"
	"fmt"

	"github.com/maskkit/maskkit/augment"
)

// ErrTaskPipeline: TaskPipelines was asked for an unknown task or sizes
// it cannot crop.
var ErrTaskPipeline = errors.New("maskcls: invalid task pipeline")

// TaskPipelines returns the seed's per-task pipelines for photos of
// photoH x photoW pixels (portrait, like the competition's 512x384) and a
// model input of size x size: a training pipeline (random) and an eval
// pipeline (deterministic), both ending with Normalize (ImageNet mean and
// std) and ToTensorV2.
//
// The crops are the seed's, scaled from 384 of 384x512 to the photo's
// width: mask takes the bottom square (UnderCrop, where the mask is),
// gender the centre square in gray (ToGray: hair shape, not colour), age
// the centre square with a RandomResizedCrop of scale 0.8-1 and Sharpen
// in training (forehead lines). Every task flips horizontally in training.
//
// The eval pipelines are what an Ensemble member trained by maskcls/train
// needs at serving time; they live here so a service gets them without
// importing the training stack (gorgonia). A bad size or task is an error
// wrapping ErrTaskPipeline.
func TaskPipelines(task Task, photoH, photoW, size int) (train, eval augment.Transform, err error) {
	if photoH < photoW || size < 1 || size > photoW {
		return nil, nil, fmt.Errorf("%w: %dx%d photos and %d inputs: want portrait photos at least as wide as the input",
			ErrTaskPipeline, photoW, photoH, size)
	}
	side := photoW
	norm, tensor := augment.NewNormalize(), augment.NewToTensorV2()
	resize := augment.NewResize(size, size)
	flip := augment.NewHorizontalFlip()
	sharpen := augment.NewSharpen()
	sharpen.Alpha, sharpen.P = [2]float64{0.2, 0.5}, 0.3
	switch task {
	case TaskMask:
		crop := augment.NewUnderCrop(side, side)
		return augment.NewCompose(crop, resize, sharpen, flip, norm, tensor),
			augment.NewCompose(crop, resize, norm, tensor), nil
	case TaskGender:
		gray := augment.NewToGray()
		gray.P = 1
		crop := augment.NewCenterCrop(side, side)
		return augment.NewCompose(gray, crop, resize, flip, norm, tensor),
			augment.NewCompose(gray, crop, resize, norm, tensor), nil
	case TaskAge, TaskAll:
		crop := augment.NewCenterCrop(side, side)
		rrc := augment.NewRandomResizedCrop(size, size)
		rrc.Scale = [2]float64{0.8, 1}
		return augment.NewCompose(crop, rrc, sharpen, flip, norm, tensor),
			augment.NewCompose(crop, resize, norm, tensor), nil
	}
	return nil, nil, fmt.Errorf("%w: %v is not a task", ErrTaskPipeline, task)
}
