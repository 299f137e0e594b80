#!/bin/sh
# Regenerate with: cd maskcls/serve/testdata && sh gen_photos.sh   (Debian's imagemagick and libjpeg-turbo-progs)
#
# Photos in the encodings Go's decoders allocate differently for, written by
# ImageMagick/libjpeg (Go's own encoders write only baseline 4:2:0 JPEG and
# non-interlaced PNG): TestCostCoversDecode checks the server's memory
# price of each against what image/jpeg and image/png really allocate, and
# the bombs are the hostile photos of the memory-budget tests.
set -eu
cd "$(dirname "$0")/photos"
src="-size 97x61 gradient:red-blue -swirl 90"
convert $src -sampling-factor 1x1 -quality 90 baseline444.jpg
convert $src -sampling-factor 2x1 -quality 90 baseline422.jpg
convert $src -sampling-factor 2x2 -interlace JPEG -quality 90 progressive420.jpg
convert $src -sampling-factor 1x1 -interlace JPEG -quality 90 progressive444.jpg
convert $src -colorspace Gray -interlace JPEG gray_progressive.jpg
convert $src -colorspace CMYK -quality 90 cmyk.jpg
convert $src ppm:- | cjpeg -rgb -quality 90 > rgb.jpg   # RGB components, no colour transform
convert $src -interlace PNG interlaced.png
convert $src -depth 16 rgb16.png
convert $src -colorspace Gray -depth 16 gray16.png
convert $src -colors 16 -type Palette palette.png
# Decompression bombs: 4096x4096 of one colour, tiny files.
convert -size 4096x4096 xc:"#806040" -sampling-factor 1x1 -interlace JPEG -quality 95 bomb_progressive_4096.jpg
convert -size 4096x4096 xc:gray50 -depth 16 -define png:color-type=2 bomb_rgb16_4096.png
ls -l
