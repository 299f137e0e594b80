package augment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Replay entries, preview labels and sweeps of the geometry, noise and
// dropout transforms (replay.go and preview.go call these).

// geoParams adds a node's geometry draws to its replay entry.
func geoParams(np *NodeParams, d *drawn, lf leaf) {
	if d.hasHoles {
		np.Holes = append([][4]int{}, d.holes...)
		if d.fillImg != nil {
			np.fill = d.fillImg
		} else if d.fill != nil {
			np.fill = holeFillImage(d)
		}
	}
	if d.hasPCA {
		a, v := d.alpha, d.pcaAdd
		np.Alpha, np.AddVect = &a, &v
	}
	if d.hasPCA14 {
		av, m, mean := d.pcaAlphaVec, d.pcaM, d.pcaMean
		np.AlphaVector, np.PCAMatrix, np.PCAMean = &av, &m, &mean
	}
	if d.noise != nil {
		g := *d.noise
		g.v = append([]float64(nil), g.v...)
		np.gauss = &g
	}
	if d.hasCP {
		pv := d.padValue
		np.PadValue = &pv
		if d.cpHasCrop {
			c := d.cpCrop
			np.CropParams = &c
		}
		if d.cpHasPad {
			p := d.cpPad
			np.PadParams = &p
		}
	}
	if d.hasMatrix {
		m, o := d.matrix, d.outShape
		np.Matrix, np.OutputShape = &m, &o
	}
	if d.hasPad {
		t, l := d.pad[0], d.pad[2]
		np.PadTop, np.PadLeft = &t, &l
	}
	if !d.hasGeo {
		return
	}
	switch lf.(type) {
	case ShiftScaleRotate:
		a, s, x, y := d.angle, d.scale, d.dx, d.dy
		np.Angle, np.Scale, np.Dx, np.Dy = &a, &s, &x, &y
		if d.scaleY != d.scale {
			sy := d.scaleY
			np.ScaleY = &sy
		}
	case Rotate, SafeRotate:
		a := d.angle
		np.Angle = &a
	case RandomRotate90:
		k := d.factor
		np.Factor = &k
	case LongestMaxSize, SmallestMaxSize:
		k := d.factor
		np.MaxSize = &k
	case RandomScale:
		s := d.scale
		np.Scale = &s
	}
}

// geoReplay fills d from a replay entry for the transforms of this family;
// it returns the name of a missing key, or "".
func geoReplay(np NodeParams, d *drawn, lf leaf) string {
	switch v := lf.(type) {
	case ShiftScaleRotate:
		if np.Matrix != nil && np.Angle == nil {
			// A 1.4 recording: Affine's params hold the matrix, not the shift.
			d.hasGeo, d.hasMatrix, d.matrix = true, true, *np.Matrix
			return ""
		}
		if np.Angle == nil || np.Scale == nil || np.Dx == nil || np.Dy == nil {
			return "angle, scale, dx and dy (or matrix)"
		}
		d.hasGeo, d.angle, d.scale, d.dx, d.dy = true, *np.Angle, *np.Scale, *np.Dx, *np.Dy
		d.scaleY = d.scale
		if np.ScaleY != nil {
			d.scaleY = *np.ScaleY
		}
	case Rotate:
		switch {
		case np.Angle != nil:
			d.hasGeo, d.angle = true, *np.Angle
		case np.Matrix != nil: // 1.4.19+ records the matrix, not the angle
			d.hasGeo, d.hasMatrix, d.matrix = true, true, *np.Matrix
		default:
			return "angle (or matrix)"
		}
		if v.CropBorder {
			if np.CropCoords == nil {
				return "crop_coords"
			}
			d.hasCrop, d.crop = true, *np.CropCoords
		}
	case SafeRotate:
		if np.Angle == nil {
			return "angle"
		}
		d.hasGeo, d.angle = true, *np.Angle
	case RandomRotate90:
		if np.Factor == nil {
			return "factor"
		}
		d.hasGeo, d.factor = true, *np.Factor
	case LongestMaxSize, SmallestMaxSize:
		if np.MaxSize == nil {
			return "max_size"
		}
		d.hasGeo, d.factor = true, *np.MaxSize
	case RandomScale:
		if np.Scale == nil {
			return "scale"
		}
		d.hasGeo, d.scale = true, *np.Scale
	case RandomSizedCrop:
		if np.CropCoords == nil {
			return "crop_coords"
		}
		d.hasCrop, d.crop = true, *np.CropCoords
	case CropAndPad:
		if np.PadValue == nil {
			return "pad_value"
		}
		d.hasCP, d.padValue = true, *np.PadValue
		if np.CropParams != nil {
			d.cpHasCrop, d.cpCrop = true, *np.CropParams
		}
		if np.PadParams != nil {
			d.cpHasPad, d.cpPad = true, *np.PadParams
		}
	case Affine:
		if np.Matrix == nil || np.OutputShape == nil {
			return "matrix and output_shape"
		}
		d.hasMatrix, d.matrix, d.outShape = true, *np.Matrix, *np.OutputShape
	case CoarseDropout:
		if np.Holes == nil {
			return "holes"
		}
		d.hasHoles, d.holes = true, np.Holes
		if v.RandomFill {
			if np.fill == nil {
				return "fill (an .npy file of the image with the random fill in its holes, loaded with LoadParams or Params.LoadNoise)"
			}
			d.fillImg = np.fill
		}
	case GaussNoise:
		if np.gauss == nil {
			return "gauss (an .npy file named in the params, loaded with LoadParams or Params.LoadNoise)"
		}
		d.noise = np.gauss
	case FancyPCA:
		if v.V14 {
			if np.PCAMatrix == nil || np.PCAMean == nil {
				return "pca_matrix and pca_mean (what numpy computed; alpha_vector alone does not fix the eigenvectors' signs)"
			}
			for _, x := range append(np.PCAMatrix[:], np.PCAMean[:]...) {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return "finite pca_matrix and pca_mean"
				}
			}
			d.hasPCA14, d.pcaM, d.pcaMean = true, *np.PCAMatrix, *np.PCAMean
			if np.AlphaVector != nil {
				d.pcaAlphaVec = *np.AlphaVector
			}
			break
		}
		if np.AddVect == nil {
			return "add_vect (the three shifts numpy computed; alpha alone does not fix their signs)"
		}
		for _, v := range np.AddVect {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return "finite add_vect"
			}
		}
		d.hasPCA, d.pcaAdd = true, *np.AddVect
		if np.Alpha != nil {
			d.alpha = *np.Alpha
		}
	case ISONoise:
		if np.gauss == nil {
			return "gauss (an .npy file of the hue and luminance noise named in the params, loaded with LoadParams or Params.LoadNoise)"
		}
		d.noise = np.gauss
	case PadIfNeeded:
		if v.Position == "random" {
			if np.PadTop == nil || np.PadLeft == nil {
				return "pad_top and pad_left"
			}
			d.hasPad, d.pad = true, [4]int{*np.PadTop, 0, *np.PadLeft, 0}
		}
	}
	return ""
}

// writeGeoParams writes the geometry keys of a replay entry.
func writeGeoParams(b *bytes.Buffer, np NodeParams) {
	for _, kv := range []struct {
		k string
		v *float64
	}{{"angle", np.Angle}, {"scale", np.Scale}, {"scale_y", np.ScaleY}, {"dx", np.Dx}, {"dy", np.Dy}} {
		if kv.v != nil {
			b.WriteString(`, "` + kv.k + `": ` + pyFloat(*kv.v))
		}
	}
	if np.Holes != nil {
		b.WriteString(`, "holes": [`)
		for i, h := range np.Holes {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "[%d, %d, %d, %d]", h[0], h[1], h[2], h[3])
		}
		b.WriteString("]")
	}
	if m := np.Matrix; m != nil {
		fmt.Fprintf(b, `, "matrix": [%s, %s, %s, %s, %s, %s]`, pyFloat(m[0]), pyFloat(m[1]), pyFloat(m[2]), pyFloat(m[3]), pyFloat(m[4]), pyFloat(m[5]))
	}
	if o := np.OutputShape; o != nil {
		fmt.Fprintf(b, `, "output_shape": [%d, %d]`, o[0], o[1])
	}
	if c := np.CropParams; c != nil {
		fmt.Fprintf(b, `, "crop_params": [%d, %d, %d, %d]`, c[0], c[1], c[2], c[3])
	}
	if c := np.PadParams; c != nil {
		fmt.Fprintf(b, `, "pad_params": [%d, %d, %d, %d]`, c[0], c[1], c[2], c[3])
	}
	if np.PadValue != nil {
		b.WriteString(`, "pad_value": ` + pyFloat(*np.PadValue))
	}
	for _, kv := range []struct {
		k string
		v []float64
	}{{"add_vect", sliceOrNil3(np.AddVect)}, {"alpha_vector", sliceOrNil3(np.AlphaVector)}, {"pca_mean", sliceOrNil3(np.PCAMean)}} {
		if kv.v != nil {
			writeFloats(b, kv.k, kv.v)
		}
	}
	if np.PCAMatrix != nil {
		writeFloats(b, "pca_matrix", np.PCAMatrix[:])
	}
	if np.Gauss != "" {
		gb, _ := json.Marshal(np.Gauss)
		b.WriteString(`, "gauss": `)
		b.Write(gb)
	}
	for _, kv := range [][2]string{{"fill", np.Fill}, {"mask", np.Mask}} {
		if kv[1] != "" {
			gb, _ := json.Marshal(kv[1])
			b.WriteString(`, "` + kv[0] + `": `)
			b.Write(gb)
		}
	}
	for _, kv := range []struct {
		k string
		v *int
	}{{"factor", np.Factor}, {"max_size", np.MaxSize}, {"pad_top", np.PadTop}, {"pad_left", np.PadLeft}} {
		if kv.v != nil {
			b.WriteString(`, "` + kv.k + `": ` + strconv.Itoa(*kv.v))
		}
	}
}

// holeFillImage is a seeded run's random fill as the image a replay reads:
// zero but inside the holes, which later holes overwrite as cutout does.
func holeFillImage(d *drawn) *noise {
	h, w, c := d.fillShape[0], d.fillShape[1], d.fillShape[2]
	g := &noise{h: h, w: w, c: c, v: make([]float64, h*w*c)}
	k := 0
	for _, hl := range d.holes {
		for y := hl[1]; y < hl[3]; y++ {
			for i := hl[0] * c; i < hl[2]*c && k < len(d.fill); i++ {
				g.v[y*w*c+i] = float64(d.fill[k])
				k++
			}
		}
	}
	return g
}

// geoDrew reports whether a replay entry holds geometry draws.
func geoDrew(np NodeParams) bool {
	return np.Angle != nil || np.Factor != nil || np.Scale != nil || np.MaxSize != nil || np.PadTop != nil || np.Matrix != nil || np.PadValue != nil || np.AddVect != nil || np.PCAMatrix != nil
}

// geoSweepable lists the parameters of this family that SweepSpec can fix
// (a range becomes [v, v]; scale_limit is given as Albumentations writes
// it, v meaning a scale of 1+v).
var geoSweepable = map[string]bool{
	"ShiftScaleRotate.rotate_limit": true, "ShiftScaleRotate.scale_limit": true, "ShiftScaleRotate.shift_limit": true,
	"ShiftScaleRotate.shift_limit_x": true, "ShiftScaleRotate.shift_limit_y": true,
	"Rotate.limit": true, "SafeRotate.limit": true, "RandomScale.scale_limit": true,
	"Affine.rotate": true, "Affine.scale": true, "Affine.shear": true,
	"LongestMaxSize.max_size": true, "SmallestMaxSize.max_size": true, "GaussNoise.var_limit": true,
	"FancyPCA.alpha": true, "ISONoise.intensity": true, "ISONoise.color_shift": true,
}

// sweepGeo fixes one parameter of a transform of this family at v (a
// range becomes [v, v]) and sets p; ok is false for other transforms.
func sweepGeo(t Transform, param string, v, p float64) (Transform, bool) {
	pt := [2]float64{v, v}
	switch x := t.(type) {
	case ShiftScaleRotate:
		switch param {
		case "rotate_limit", "angle":
			x.RotateLimit = pt
		case "scale_limit":
			x.ScaleLimit = [2]float64{1 + v, 1 + v}
		case "shift_limit_x":
			x.ShiftLimitX = pt
		case "shift_limit_y":
			x.ShiftLimitY = pt
		case "shift_limit":
			x.ShiftLimitX, x.ShiftLimitY = pt, pt
		}
		x.P = p
		return x, true
	case Rotate:
		if param == "limit" || param == "angle" {
			x.Limit = pt
		}
		x.P = p
		return x, true
	case SafeRotate:
		if param == "limit" || param == "angle" {
			x.Limit = pt
		}
		x.P = p
		return x, true
	case RandomScale:
		if param == "scale_limit" {
			x.ScaleLimit = [2]float64{1 + v, 1 + v}
		}
		x.P = p
		return x, true
	case LongestMaxSize:
		if param == "max_size" {
			x.MaxSize = []int{max(1, int(v))}
		}
		x.P = p
		return x, true
	case SmallestMaxSize:
		if param == "max_size" {
			x.MaxSize = []int{max(1, int(v))}
		}
		x.P = p
		return x, true
	case RandomRotate90:
		x.P = p
		return x, true
	case Transpose:
		x.P = p
		return x, true
	case PadIfNeeded:
		x.P = p
		return x, true
	case RandomSizedCrop:
		x.P = p
		return x, true
	case CoarseDropout:
		x.P = p
		return x, true
	case CropAndPad:
		x.P = p
		return x, true
	case Affine:
		switch param {
		case "rotate":
			x.Rotate = pt
		case "scale":
			x.ScaleX, x.ScaleY = pt, pt
		case "shear":
			x.ShearX, x.ShearY = pt, pt
		}
		x.P = p
		return x, true
	case GaussNoise:
		if param == "var_limit" {
			x.VarLimit = pt
		}
		x.P = p
		return x, true
	case FancyPCA:
		if param == "alpha" {
			x.Alpha = v
		}
		x.P = p
		return x, true
	case ISONoise:
		switch param {
		case "intensity":
			x.Intensity = pt
		case "color_shift":
			x.ColorShift = pt
		}
		x.P = p
		return x, true
	}
	return t, false
}

func sliceOrNil3(a *[3]float64) []float64 {
	if a == nil {
		return nil
	}
	return a[:]
}

// writeFloats writes `, "key": [v, ...]` with Python's float repr.
func writeFloats(b *bytes.Buffer, key string, v []float64) {
	b.WriteString(`, "` + key + `": [`)
	for i, x := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyFloat(x))
	}
	b.WriteString("]")
}
