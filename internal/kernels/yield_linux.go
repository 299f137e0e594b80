//go:build linux

package kernels

import (
	"runtime"
	"syscall"
)

// yield lets other goroutines run, and then other threads: a waiting
// ParallelFor caller or an idle worker spins, and when the machine has
// fewer free cores than our threads, the thread it waits for may be
// queued behind it on the same core. sched_yield hands that core over;
// runtime.Gosched alone keeps the OS thread running.
func yield() {
	runtime.Gosched()
	syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
}
