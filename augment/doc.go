// Package augment is Albumentations (1.3.x and 1.4.x) in Go, pixel for
// pixel: the transforms, their parameters and defaults, the pipeline JSON
// that A.save writes, plus replay files and preview sheets.
package augment
