// Package augment is Albumentations (1.3.x, and 1.4.x files) in Go, pixel
// for pixel: the transforms a face classifier was trained with, their
// parameters and defaults, the pipeline JSON that A.save writes, replay
// files that pin every random draw, and labelled preview sheets.
//
// # Images
//
// An Image holds HWC pixels, uint8 or float32 (CHW after ToTensorV2), like
// the numpy array Albumentations passes along. Decode and Load read photos
// (checking the declared size against MaxPixels before decoding),
// FromImage converts any image.Image, and Tensor, ToImage and WriteNPY
// hand the result on.
//
// # Transforms and their defaults
//
// Each Albumentations transform is a struct of the same name with its
// parameters as fields (Height, Width, Scale, Ratio, Alpha, Lightness,
// Mean, Std, MaxPixelValue, P, AlwaysApply). The zero value is not
// Albumentations' default: p differs per transform (ToGray, Sharpen and
// the flips 0.5, OneOf and Sequential 0.5, the rest 1) and a struct
// literal means exactly what it says (P: 0 never applies). The rule is:
//
//   - NewX(...) returns X with Albumentations' defaults, taking the
//     parameters Albumentations requires (NewCenterCrop(384, 384),
//     NewSharpen(), NewNormalize()); change fields afterwards as needed.
//   - A struct literal sets every field itself.
//
// Prepare checks every parameter (NaN, p outside [0,1], empty ranges) and
// reports ErrParam. UnderCrop, the competition seed's bottom-centre crop, is
// added to Albumentations' set.
//
// # Exactness
//
// uint8 outputs are those of OpenCV 4.x as Albumentations calls it:
// cvtColor's 15-bit fixed-point gray, resize's 11-bit fixed-point bilinear
// (and its 2x2 box for exact 2x downscales) and nearest neighbour,
// filter2D's float32 fused multiply-add accumulation for Sharpen, flips and
// crops; Normalize's float32 arithmetic is reproduced bit for bit. bild and
// x/image/draw use other arithmetic, so the kernels are our own. The tests
// compare with golden files that testdata/ref/gen_golden.py makes with
// cv2 4.6 and numpy, on photographs and odd sizes.
//
// The geometry family (ShiftScaleRotate, Rotate, SafeRotate) is
// cv2.warpAffine exactly: the matrix as getRotationMatrix2D builds it
// (cos and sin correctly rounded, as glibc's are but for about 0.1% of
// angles), OpenCV's inversion, its 10-bit fixed-point coordinates and, for
// INTER_LINEAR, its 32x32 table of 15-bit weights; border modes
// BorderConstant, BorderReplicate, BorderReflect, BorderWrap and
// BorderReflect101. PadIfNeeded is copyMakeBorder; LongestMaxSize,
// SmallestMaxSize, RandomScale and RandomSizedCrop go through Resize;
// RandomRotate90 and Transpose move pixels. Where 1.3.x and 1.4.x differ
// (a scalar border value filling one channel or all, SafeRotate's centre
// and rounding, GaussNoise's rounding, CoarseDropout's JSON, Affine's
// scikit-image 0.21 matrix, CropAndPad's choice lists), the V14 field
// chooses, and ReadPipeline sets it from the file's __version__; 1.4's
// CoarseDropout fill_value "random" replays from an .npy like the noise.
// The goldens for these come from testdata/ref/gen_geo.py.
//
// The geometry transforms take float32 pixels too, as cv2 does: warpAffine's
// remap in float32 with OpenCV's 32x32 table of float weights, resize's
// float bilinear (and its float 2x2 box), copyMakeBorder and the moves;
// CoarseDropout stores its fill as float32. testdata/ref/gen_geo.py with
// GEN_GEO_FLOAT=1 writes the same cases on float32 inputs (geo_f32: 1175,
// all bit for bit; CoarseDropout's random fill is not implemented for
// float32). ToGray (cv2's float gray, lane for lane) and Sharpen
// (filter2D's float chain) take float32 too. Some cases are not
// implemented and return ErrUnsupported: interpolations other than
// nearest and linear, and anything after ToTensorV2.
//
// # Colour and blur
//
// RandomBrightnessContrast, HueSaturationValue, RGBShift, RandomGamma,
// CLAHE, ColorJitter, Equalize, Posterize, Solarize, InvertImg, ToSepia,
// ChannelShuffle, Blur, GaussianBlur, MedianBlur and MotionBlur take
// Albumentations' class names, parameter names and defaults. Where 1.3.1
// and 1.4.x compute differently (negative fractional shifts, brightness by
// the mean, ColorJitter's tables in float64 or float32), their V14 field
// picks 1.4's formula; ReadPipeline sets it from the file's __version__.
// Their uint8 pixels are OpenCV 4.6's: the 8-bit HSV, YCrCb and Lab
// conversions and cv2.transform are checked on every input value
// (exhaustive_test.go), GaussianBlur is OpenCV's fixed-point path,
// MotionBlur is filter2D's fused chain up to ksize 11 and, from 13, its
// DFT correlation repeated operation for operation (dft.go, dft8.go,
// motion_dft.go: float32 transforms for uint8 images, .5 ties included,
// float64 ones for float32 images). testdata/ref/gen_golden_color.py writes 1010 golden cases,
// each a pipeline JSON of either version, a replay file and the output.
// ISONoise goes through OpenCV's float32 HLS, reproduced lane for lane
// (the AVX2 vector code for 8 pixels at a time, the scalar code for the
// last width%8 of each row, both with GCC's fused multiply-adds; hls.go);
// testdata/ref/gen_iso.py writes its 40 golden cases. FancyPCA's replay
// entry carries what numpy computed from its eigenvectors (1.3.1's
// add_vect; 1.4.x's pca_matrix and pca_mean), because their signs are
// LAPACK's (testdata/ref/gen_pca.py, 40 + 24 cases).
//
// On float32 pixels (values in [0, 1], as after ToFloat) the colour, blur
// and noise transforms take Albumentations' float paths, per version:
// RandomBrightnessContrast, RGBShift, InvertImg, Solarize,
// ChannelShuffle, GaussNoise, ToSepia and ColorJitter with their float32
// or float64 arithmetic and clipping to [0, 1]; numpy's float32 mean
// (pairwise in blocks of 8192); Blur, GaussianBlur, MedianBlur (3 and 5),
// MotionBlur and HueSaturationValue as OpenCV 4.6 computes them in float,
// lane for lane where its vector and scalar code differ, with the fused
// multiply-adds of its AVX2/AVX-512 builds; 1.4's FancyPCA and ISONoise
// on the float values; 1.4's CLAHE, Equalize and Posterize through uint8
// and back (albucore's uint8_io). testdata/ref/gen_float.py replays the
// colour, PCA and ISO goldens' cases on float32 inputs, with ToGray and
// Sharpen cases of its own (933 cases, bit for bit). ErrUnsupported,
// with the reason in the error: RandomGamma (np.power's float32 results
// cannot be reproduced); FancyPCA,
// ISONoise, CLAHE, Equalize and Posterize in 1.3.1 pipelines (1.3.1
// raises TypeError).
// Their draws are recorded under Albumentations' get_params names (see
// ColorParams).
//
// # Randomness
//
// Randomness is passed in as a *rand.Rand (math/rand/v2); the same seed
// gives the same output on every machine. The draws follow Albumentations
// 1.3.x one for one, each through its Go counterpart: random.random() is
// r.Float64(), random.uniform(a, b) is a+(b-a)*r.Float64(),
// random.randint(a, b) is a+r.IntN(b-a+1), and OneOf's numpy choice is one
// r.Float64() against the cumulative normalized weights. Every transform
// draws its p first, even when p is 1, as 1.3.x does. Python's Mersenne
// Twister stream itself cannot be reproduced, so a seed does not give the
// crops a Python run with the same seed gives. To reproduce a Python-side
// run exactly, write down what it drew (ReplayCompose's params, or the
// crop box and Sharpen's alpha and lightness) as a replay file and use
// Pipeline.Replay, which draws nothing. The keys of each transform are
// listed on NodeParams; they carry Albumentations' own names (angle,
// scale, dx, dy, factor, max_size, holes, pad_top, pad_left). Noise is a
// draw too: GaussNoise's and ISONoise's "gauss" names an .npy file beside
// the replay file (LoadParams reads it; for ISONoise it is H x W x 2, the
// hue noise and the Poisson luminance count, times intensity for files of
// 1.4.19-1.4.21), so Python's noise replays
// exactly; CoarseDropout's random fill is the same under "fill".
//
// When a Compose's own draw fails, 1.3.0-1.4.8 still run the transforms
// with AlwaysApply (ToTensorV2 among them); this package does the same.
//
// # Pipelines, JSON, replay, preview
//
// Prepare compiles a transform for one input size into a Pipeline whose Run
// allocates nothing once warm; Record also returns the draws (Params) and
// Replay applies recorded draws. ReadPipeline and WritePipeline read and
// write Albumentations' JSON, byte for byte for unchanged files.
// Package augment/preview renders labelled contact sheets of a pipeline
// (ParseSweep and SweepSpec say what to sweep, Describe and Display what
// each tile shows).
//
// # Speed
//
// On amd64 CPUs with AVX2 and FMA (detected at run time), Sharpen, the
// bilinear Resize passes and the final Normalize+ToTensorV2 (with a pending
// ToGray or HorizontalFlip folded in) run in assembly that gives exactly the
// pure-Go pixels, OpenCV's; with AVX-512 (BW, VBMI) so do the colour
// tables, InvertImg, HSV, Lab and CLAHE's interpolation, ToSepia (with
// VNNI), ColorJitter and the blurs (timings against cv2 in
// testdata/ref/BENCH_COLOR.md). Build with -tags purego to use only
// Go. The
// competition pipelines take well under half of cv2's time per image
// (BenchmarkPipelineAge/Gender/Mask against testdata/ref/bench_cv2.py).
// The float32 GaussianBlur and MotionBlur run their fused multiply-adds 8
// values at a time in AVX2 (the hardware fma rounds as fmaf does; timings
// in testdata/ref/BENCH_FLOAT.md). warpAffine's 3-channel interior runs in
// AVX2 (8-byte gathers and vpmaddwd on OpenCV's weights): ShiftScaleRotate and SafeRotate on the
// 384x512 photo take 0.5-1.0x of cv2.warpAffine's CPU time
// (BenchmarkGeo against testdata/ref/bench_geo.py, alternated by
// bench_geo.sh).
//
// # Concurrency
//
// Transforms are immutable values and a Pipeline is safe for concurrent use
// by many goroutines, each with its own *rand.Rand and its own destination
// Image (a *rand.Rand is not safe for concurrent use). Images are plain
// data: share them read-only.
package augment
