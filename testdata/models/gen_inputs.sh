#!/bin/sh
# Writes mask_input.npy, gender_input.npy and age_input.npy: the first
# photo of the synthetic eval set through each default model's eval
# pipeline (float32 CHW), ready for examples/onnxrun, which adds the batch
# axis. Regenerate from the module root:
#
#	sh testdata/models/gen_inputs.sh
set -e
photo=testdata/synth/eval/images/$(sed -n 2p testdata/synth/eval/info.csv | cut -d, -f1)
go build -o /tmp/maskkit-augment ./examples/augment
for task in mask gender age; do
	/tmp/maskkit-augment -pipeline testdata/models/${task}_eval.json -in "$photo" -out testdata/models/${task}_input.npy >/dev/null
done
rm -f /tmp/maskkit-augment
