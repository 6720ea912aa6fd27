// Package synth generates the synthetic catalog used by Keelson's benchmarks.
//
// The output is byte-identical to the reference generator described in
// shared/bench/DATA-SHAPE.md for the same number of components, so figures
// measured with Keelson and with other portals are taken on the same data.
package synth
