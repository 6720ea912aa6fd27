package synth

// lcg is the reference generator's linear congruential generator.
//
// The reference computes the next state in IEEE double precision, so the
// product loses its low bits once it passes 2^53; the arithmetic below
// reproduces those roundings exactly rather than using exact integer math.
type lcg struct {
	seed int64
}

// newLCG returns the generator with the reference seed.
func newLCG() *lcg {
	return &lcg{seed: 42}
}

// next advances the state and returns a number in [0, 1].
func (r *lcg) next() float64 {
	// The explicit conversion rounds the product before the addition, which
	// keeps the compiler from fusing the two into one multiply-add.
	p := float64(float64(r.seed) * 1103515245)
	s := p + 12345
	// s is an integer-valued double below 2^62: its low 31 bits are what a
	// 32-bit conversion followed by the mask keeps.
	r.seed = int64(s) & 0x7fffffff
	return float64(r.seed) / 0x7fffffff
}

// intn returns floor(next() * n), the reference's way of drawing an index.
func (r *lcg) intn(n int) int {
	return int(floorNonNeg(r.next() * float64(n)))
}

// floorNonNeg rounds a non-negative finite number down.
func floorNonNeg(x float64) float64 {
	return float64(int64(x))
}
