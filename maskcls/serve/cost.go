package serve

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
)

// A photoCost is what decoding one photo and classifying it hold in memory,
// in bytes, worked out from its header before anything is decoded. The
// figures follow Go's image/jpeg and image/png allocations (checked by
// TestCostCoversDecode against the bytes those decoders really allocate).
type photoCost struct {
	format        string
	width, height int
	// kept is held until the request is answered: the decoded image and
	// the 3-byte RGB copy the Ensemble converts it to.
	kept int64
	// transient is freed when decoding returns: progressive JPEG's
	// coefficient buffers, the YCbCr planes of an RGB or CMYK JPEG before
	// its conversion, interlaced PNG's pass images.
	transient int64
}

// total is the most the photo holds at once.
func (c photoCost) total() int64 { return c.kept + c.transient }

// errHeader is a header image.DecodeConfig accepted but costOf cannot read.
var errHeader = errors.New("unreadable header")

// costOf reads the photo's header and returns its cost. cfg and format are
// image.DecodeConfig's answer for data.
func costOf(data []byte, cfg image.Config, format string) photoCost {
	c := photoCost{format: format, width: cfg.Width, height: cfg.Height}
	px := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "png":
		c.kept = px * pngBytesPerPixel(cfg.ColorModel)
		// Row buffers: the current and previous row, at 8 bytes a pixel at most.
		c.transient = 2 * (8*int64(cfg.Width) + 1)
		if len(data) > 28 && data[28] == 1 { // IHDR's interlace method: Adam7
			c.transient += c.kept // the seven pass images, merged one by one
		}
	case "jpeg":
		j, err := readJPEGHeader(data)
		if err != nil {
			j = worstJPEG(cfg.Width, cfg.Height)
		}
		c.kept, c.transient = j.cost()
	default: // not accepted by the server; priced as 16-bit RGBA
		c.kept = 8 * px
	}
	c.kept += 3 * px // augment.FromImage's copy
	c.transient += decoderState[format]
	return c
}

// decoderState is what a decoder allocates whatever the image's size:
// image/png's zlib window and inflater, image/jpeg's decoder with its
// Huffman and quantization tables (measured: 74-93 KiB and 18-34 KiB).
var decoderState = map[string]int64{"png": 128 << 10, "jpeg": 64 << 10}

// pngBytesPerPixel is the size of a pixel of the image type image/png
// decodes to for the colour model DecodeConfig reports.
func pngBytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel:
		return 4
	}
	return 8 // RGBA64, NRGBA64
}

// jpegHeader is what a JPEG's markers before its first scan say about the
// memory image/jpeg will use.
type jpegHeader struct {
	width, height int
	progressive   bool
	comps         []jpegComp
	rgb           bool // three components stored as RGB, converted to RGBA
}

type jpegComp struct{ h, v int }

// worstJPEG is the dearest JPEG of that size Go decodes: progressive,
// 4:4:4, RGB.
func worstJPEG(w, h int) jpegHeader {
	return jpegHeader{width: w, height: h, progressive: true, rgb: true,
		comps: []jpegComp{{1, 1}, {1, 1}, {1, 1}}}
}

// cost returns what image/jpeg keeps (the image it returns, and the
// chroma augment.FromImage upsamples from it) and what it frees on return,
// as its makeImg and processSOS allocate: each component a plane of whole
// MCUs, progressive scans a 256-byte block of coefficients per 8x8 block
// of each plane, an RGB or CMYK JPEG a 4-byte image beside its planes.
func (j jpegHeader) cost() (kept, transient int64) {
	h0, v0 := j.comps[0].h, j.comps[0].v
	if len(j.comps) == 1 {
		h0, v0 = 1, 1
	}
	mxx := int64((j.width + 8*h0 - 1) / (8 * h0))
	myy := int64((j.height + 8*v0 - 1) / (8 * v0))
	var planes int64
	for i, c := range j.comps {
		if len(j.comps) == 1 {
			c = jpegComp{1, 1}
		}
		if i == 2 && len(j.comps) >= 3 {
			c = j.comps[1] // NewYCbCr sizes Cr as Cb
		}
		planes += 8 * int64(c.h) * mxx * 8 * int64(c.v) * myy
	}
	if j.progressive {
		transient += 4 * planes // [64]int32 per 64 samples
	}
	px := int64(j.width) * int64(j.height)
	switch {
	case len(j.comps) == 4 || j.rgb:
		transient += planes
		kept = 4 * px
	case len(j.comps) == 3:
		// augment.FromImage upsamples both chroma planes to full size
		// while it converts, which happens during classification.
		kept = planes + 2*px
	default:
		kept = planes
	}
	return kept, transient
}

// readJPEGHeader walks the markers from SOI to the first SOF and reads the
// frame header, the JFIF and Adobe markers that decide whether three
// components are RGB (as image/jpeg's isRGB does).
func readJPEGHeader(data []byte) (jpegHeader, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return jpegHeader{}, errHeader
	}
	var (
		jfif, adobeValid bool
		adobeTransform   byte
	)
	for p := 2; ; {
		for p < len(data) && data[p] != 0xFF {
			p++ // image/jpeg skips stray bytes between markers too
		}
		for p < len(data) && data[p] == 0xFF {
			p++
		}
		if p >= len(data) {
			return jpegHeader{}, errHeader
		}
		m := data[p]
		p++
		if m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7) {
			continue // no length
		}
		if m == 0xD9 || m == 0xDA || p+2 > len(data) {
			return jpegHeader{}, errHeader // no frame before the scan
		}
		n := int(binary.BigEndian.Uint16(data[p:]))
		if n < 2 || p+n > len(data) {
			return jpegHeader{}, errHeader
		}
		seg := data[p+2 : p+n]
		p += n
		switch {
		case m == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")):
			jfif = true
		case m == 0xEE && len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")):
			adobeValid, adobeTransform = true, seg[11]
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			if len(seg) < 6 {
				return jpegHeader{}, errHeader
			}
			j := jpegHeader{
				height:      int(binary.BigEndian.Uint16(seg[1:])),
				width:       int(binary.BigEndian.Uint16(seg[3:])),
				progressive: m == 0xC2,
			}
			nc := int(seg[5])
			if (nc != 1 && nc != 3 && nc != 4) || len(seg) < 6+3*nc {
				return jpegHeader{}, errHeader
			}
			var ids []byte
			for i := range nc {
				b := seg[6+3*i:]
				c := jpegComp{int(b[1] >> 4), int(b[1] & 15)}
				if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
					return jpegHeader{}, errHeader
				}
				j.comps = append(j.comps, c)
				ids = append(ids, b[0])
			}
			j.rgb = nc == 3 && !jfif && ((adobeValid && adobeTransform == 0) || string(ids) == "RGB")
			return j, nil
		}
	}
}
