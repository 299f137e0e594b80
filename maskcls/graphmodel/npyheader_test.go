package graphmodel

import "encoding/binary"

// npyHeader wraps a header dict, well-formed or not, in a version 1.0
// preamble, so that the tests of parseNPY can feed it any header.
func npyHeader(d string) []byte {
	h := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(d)+1))
	return append(append(h, d...), '\n')
}
