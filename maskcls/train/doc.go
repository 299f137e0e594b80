// Package train trains maskcls/graphmodel networks with the seed's recipe:
// per-task samplers (every photo for mask, one photo per person and epoch
// for gender and age), per-task augmentation pipelines, focal loss with
// label smoothing, SAM around Adam, an EMA of the weights evaluated on
// validation, a cosine or step learning-rate schedule, the best checkpoint
// by validation macro F1, early stopping, and reproducibility from a seed.
// It reports progress as a bar, a CSV row per epoch and a PNG of the
// training curves.
//
// LoadPhotosShrunk keeps a competition-size set in memory as uint8
// photos shrunk once to a working width (3*width*height bytes a photo),
// and Export ships a trained model as ONNX with its eval pipeline JSON
// beside it, the way a Python-trained ensemble member ships.
package train
