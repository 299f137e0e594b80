// Package maskkit is the root of a suite of small Go packages for face-photo
// classification in the style of the mask-wearing competition: every photo
// gets one of 18 classes, mask state (worn, worn incorrectly, not worn) x
// gender x age group (<30, 30-59, 60+).
//
// The suite follows one path from photo to answer:
//
//	photo (image.Image or file)
//	  -> augment: an Albumentations-exact pipeline (from Albumentations' own JSON or from Go code)
//	  -> *tensor.Dense, NCHW float32
//	  -> maskcls.Model (ONNX files through maskcls/onnxmodel, or gorgonia graphs)
//	  -> maskcls.Ensemble: per-task soft vote, flip test-time augmentation -> 18-class prediction
//	  -> submission CSV or an HTTP answer (see examples/)
//
// and, for training in Go:
//
//	maskcls dataset reader -> split (person-grouped, stratified) -> per-task sampler
//	  -> augment -> gorgonia graph -> loss.Focal -> optim.SAM -> optim.EMA -> metrics
//
// The packages:
//
//   - augment: Albumentations 1.3/1.4 transforms, pixel for pixel, seeded, with
//     pipeline JSON load and save, replay and preview sheets.
//   - loss: focal loss with label smoothing and class weights, and the
//     baseline's loss zoo, exact to PyTorch, as plain functions and gorgonia nodes.
//   - optim: SAM and adaptive SAM around any gorgonia solver, and EMA of weights
//     with timm's schedules.
//   - split: person-grouped hold-out and stratified group K-fold, and per-task samplers.
//   - maskcls: labels and the 18-class code, the dataset layout reader, metrics,
//     submission files, the Model interface and the Ensemble.
//   - maskcls/onnxmodel: a pure-Go ONNX runtime; maskcls/graphmodel and
//     maskcls/train: gorgonia models and the training loop; maskcls/serve and
//     maskcls/submit: the HTTP service and the folder scorer; maskcls/synth and
//     maskcls/eda: the synthetic dataset and its report.
//
// augment, loss, optim and split import no sibling package (augment and the
// backends share only the module's internal/npy, the .npy header code);
// maskcls may import augment and split; backends live below maskcls and
// register their model kind with maskcls.RegisterModelKind, so maskcls
// imports none of them. Each package documents which of its types are safe
// for concurrent use.
package maskkit
