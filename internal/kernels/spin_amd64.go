//go:build amd64 && !purego

package kernels

// cpuRelax executes one PAUSE: it tells the core that this thread spins,
// so a sibling hyperthread gets the core's resources meanwhile.
//
//go:noescape
func cpuRelax()
