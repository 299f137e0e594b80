//go:build !race

package serve

// raceOn shrinks the tests' bombs under the race detector, which decodes
// ten times slower.
const raceOn = false
