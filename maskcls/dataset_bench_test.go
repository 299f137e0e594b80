package maskcls

import "testing"

// BenchmarkReadTrain reads the layout of the real training set's size:
// 2700 people, 18900 (empty) photos.
func BenchmarkReadTrain(b *testing.B) {
	dir := b.TempDir()
	writeTrain(b, dir, somePeople(2700))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, err := ReadTrain(dir, nil)
		if err != nil || len(d.Samples) != 18900 {
			b.Fatal(err)
		}
	}
}
