// Package train trains maskcls/graphmodel networks with the seed's recipe:
// per-task samplers (every photo for mask, one photo per person and epoch
// for gender and age), per-task augmentation pipelines, focal loss with
// label smoothing, SAM around Adam, an EMA of the weights evaluated on
// validation, a cosine or step learning-rate schedule, the best checkpoint
// by validation macro F1, early stopping, and reproducibility from a seed
// (for a given GOMAXPROCS). A step splits its batch into one shard per
// thread, each run through its own replica of the graph on its own
// goroutine, and adds their gradients up in a fixed order (replicas.go).
// It reports progress as a bar, a CSV row per epoch and a PNG of the
// training curves.
//
// LoadPhotosShrunk keeps a competition-size set in memory as uint8
// photos shrunk once to a working width (3*width*height bytes a photo),
// and Export ships a trained model as ONNX with its eval pipeline JSON
// beside it, the way a Python-trained ensemble member ships.
package train
