//go:build !unix

package augment

func cpuNow() int64 { return 0 }
