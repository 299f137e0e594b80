//go:build unix

package optim

import "syscall"

// cpuNanos is the process's user+system CPU time: on a shared machine it
// measures the work done, where wall time measures the neighbours too.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
