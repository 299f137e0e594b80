// Package split assigns groups of samples (the photos of one person, say)
// to folds or to a train/validation holdout, stratified by a per-group
// stratum, and orders samples for training epochs. It knows groups and
// strata, not faces: any label can be a stratum.
//
// A whole group always lands on one side, so no group is in both training
// and validation. Every assignment is a pure function of the seed and of
// the set of (group, stratum) pairs: the input order does not matter (the
// unique groups are sorted first), and the random numbers come from
// math/rand/v2's PCG with the package's own bounded draws and shuffle, so
// the same seed gives the same folds on every machine and Go release.
//
// All functions are safe for concurrent use: they share no state.
package split
