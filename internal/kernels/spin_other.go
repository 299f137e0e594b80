//go:build !amd64 || purego

package kernels

// cpuRelax is a poll's pause; without the PAUSE instruction, nothing.
func cpuRelax() {}
