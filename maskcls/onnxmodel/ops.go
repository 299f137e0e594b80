package onnxmodel

import (
	"math"

	"github.com/maskkit/maskkit/internal/kernels"
)

// The operators of the default ai.onnx domain that the runtime runs, one
// named builder each: this table is the whole list (with arity and
// sinceOpset below), and the kernel files hold the builders. A builder
// reads the node's attributes at the model's opset (nodeCtx.opset), so one
// entry covers every opset we load.
func init() {
	register("Abs", unary(viaFloat64(math.Abs)))
	register("Acos", unary(viaFloat64(math.Acos)))
	register("Acosh", unary(viaFloat64(math.Acosh)))
	register("Add", buildBinary(opAdd))
	register("And", buildBinary(opAnd))
	register("ArgMax", buildArgMax)
	register("ArgMin", buildArgMax)
	register("Asin", unary(viaFloat64(math.Asin)))
	register("Asinh", unary(viaFloat64(math.Asinh)))
	register("Atan", unary(viaFloat64(math.Atan)))
	register("Atanh", unary(viaFloat64(math.Atanh)))
	register("AveragePool", buildPool)
	register("BatchNormalization", buildBatchNormalization)
	register("Cast", buildCast)
	register("CastLike", buildCastLike)
	register("Ceil", unary(viaFloat64(math.Ceil)))
	register("Celu", buildCelu)
	register("Clip", buildClip)
	register("Concat", buildConcat)
	register("Constant", buildConstant)
	register("ConstantOfShape", buildConstantOfShape)
	register("Conv", buildConv)
	register("Cos", unary(viaFloat64(math.Cos)))
	register("Cosh", unary(viaFloat64(math.Cosh)))
	register("CumSum", buildCumSum)
	register("DepthToSpace", buildDepthToSpace)
	register("Div", buildBinary(opDiv))
	register("Dropout", buildDropout)
	register("Elu", buildElu)
	register("Equal", buildBinary(opEqual))
	register("Erf", unary(kernels.ErfSlice))
	register("Exp", unary(expRow))
	register("Expand", buildExpand)
	register("Flatten", buildFlatten)
	register("Floor", unary(viaFloat64(math.Floor)))
	register("Gather", buildGather)
	register("GatherElements", buildGatherElements)
	register("Gemm", buildGemm)
	register("GlobalAveragePool", buildGlobalAveragePool)
	register("GlobalMaxPool", buildGlobalMaxPool)
	register("Greater", buildBinary(opGreater))
	register("GreaterOrEqual", buildBinary(opGreaterEq))
	register("Hardmax", buildHardmax)
	register("HardSigmoid", buildHardSigmoid)
	// HardSwish(x) = x * max(0, min(1, x/6 + 1/2)); PyTorch computes
	// x * relu6(x + 3) / 6, which rounds differently by at most an ulp.
	register("HardSwish", unary(kernels.HardSwish))
	register("Identity", buildIdentity)
	register("InstanceNormalization", buildInstanceNormalization)
	register("LayerNormalization", buildLayerNormalization)
	register("LeakyRelu", buildLeakyRelu)
	register("Less", buildBinary(opLess))
	register("LessOrEqual", buildBinary(opLessEq))
	register("Log", unary(viaFloat64(math.Log)))
	register("LogSoftmax", buildSoftmax)
	register("LRN", buildLRN)
	register("MatMul", buildMatMul)
	register("Max", buildVariadic)
	register("MaxPool", buildPool)
	register("Mean", buildVariadic)
	register("Min", buildVariadic)
	register("Mish", unary(viaFloat64(mish)))
	register("Mod", buildBinary(opMod))
	register("Mul", buildBinary(opMul))
	register("Neg", buildNeg)
	register("Not", buildNot)
	register("Or", buildBinary(opOr))
	register("Pad", buildPad)
	register("Pow", buildBinary(opPow))
	register("PRelu", buildPRelu)
	register("Range", buildRange)
	register("Reciprocal", unary(reciprocal))
	register("ReduceL1", buildReduce)
	register("ReduceL2", buildReduce)
	register("ReduceLogSum", buildReduce)
	register("ReduceLogSumExp", buildReduce)
	register("ReduceMax", buildReduce)
	register("ReduceMean", buildReduce)
	register("ReduceMin", buildReduce)
	register("ReduceProd", buildReduce)
	register("ReduceSum", buildReduce)
	register("ReduceSumSquare", buildReduce)
	register("Relu", unary(kernels.Relu))
	register("Reshape", buildReshape)
	register("Resize", buildResize)
	register("Round", unary(viaFloat64(math.RoundToEven)))
	register("ScatterND", buildScatterND)
	register("Selu", buildSelu)
	register("Shape", buildShape)
	register("Shrink", buildShrink)
	register("Sigmoid", unary(kernels.Sigmoid))
	register("Sign", buildSign)
	register("Sin", unary(viaFloat64(math.Sin)))
	register("Sinh", unary(viaFloat64(math.Sinh)))
	register("Size", buildSize)
	register("Slice", buildSlice)
	register("Softmax", buildSoftmax)
	register("Softplus", unary(viaFloat64(softplus)))
	register("Softsign", unary(viaFloat64(softsign)))
	register("SpaceToDepth", buildDepthToSpace)
	register("Split", buildSplit)
	register("Sqrt", unary(viaFloat64(math.Sqrt)))
	register("Squeeze", buildSqueeze)
	register("Sub", buildBinary(opSub))
	register("Sum", buildVariadic)
	register("Tan", unary(viaFloat64(math.Tan)))
	register("Tanh", unary(viaFloat64(math.Tanh)))
	register("ThresholdedRelu", buildThresholdedRelu)
	register("Tile", buildTile)
	register("Transpose", buildTranspose)
	register("Trilu", buildTrilu)
	register("Unsqueeze", buildUnsqueeze)
	register("Where", buildWhere)
	register("Xor", buildBinary(opXor))
}

// arity gives each operator's required and largest input count (-1: any
// number, all required), checked at load so kernels can index their inputs
// without guarding. Inputs past the required count may be omitted ("").
var arity = map[string][2]int{
	"Abs": {1, 1}, "Ceil": {1, 1}, "Erf": {1, 1}, "Exp": {1, 1}, "Floor": {1, 1},
	"HardSigmoid": {1, 1}, "HardSwish": {1, 1}, "Identity": {1, 1},
	"LeakyRelu": {1, 1}, "Log": {1, 1}, "Neg": {1, 1}, "Not": {1, 1}, "Reciprocal": {1, 1},
	"Relu": {1, 1}, "Sigmoid": {1, 1}, "Softplus": {1, 1}, "Sqrt": {1, 1}, "Tanh": {1, 1},
	"Flatten": {1, 1}, "Shape": {1, 1}, "Size": {1, 1}, "Transpose": {1, 1},
	"Softmax": {1, 1}, "LogSoftmax": {1, 1}, "GlobalAveragePool": {1, 1},
	"GlobalMaxPool": {1, 1}, "MaxPool": {1, 1}, "AveragePool": {1, 1}, "Cast": {1, 1},
	"ConstantOfShape": {1, 1}, "Constant": {0, 0},
	"Clip": {1, 3}, "Dropout": {1, 3},
	"Add": {2, 2}, "Sub": {2, 2}, "Mul": {2, 2}, "Div": {2, 2}, "Pow": {2, 2}, "Mod": {2, 2},
	"Equal": {2, 2}, "Less": {2, 2}, "Greater": {2, 2}, "LessOrEqual": {2, 2},
	"GreaterOrEqual": {2, 2}, "And": {2, 2}, "Or": {2, 2}, "Xor": {2, 2},
	"Where": {3, 3}, "Max": {1, -1}, "Min": {1, -1}, "Sum": {1, -1}, "Mean": {1, -1},
	"Concat": {1, -1}, "Reshape": {2, 2}, "Squeeze": {1, 2}, "Unsqueeze": {1, 2},
	"Range": {3, 3}, "Expand": {2, 2}, "Tile": {2, 2}, "Gather": {2, 2}, "Slice": {3, 5},
	"Pad": {2, 4}, "Resize": {1, 4}, "ScatterND": {3, 3}, "Split": {1, 2}, "MatMul": {2, 2}, "Gemm": {2, 3},
	"Conv": {2, 3}, "BatchNormalization": {5, 5}, "LayerNormalization": {2, 3},
	"ReduceMean": {1, 2}, "ReduceSum": {1, 2}, "ReduceMax": {1, 2}, "ReduceMin": {1, 2},
	"ReduceProd": {1, 2}, "ReduceSumSquare": {1, 2}, "ReduceL2": {1, 2},
	"ReduceL1": {1, 2}, "ReduceLogSum": {1, 2}, "ReduceLogSumExp": {1, 2},
	"Acos": {1, 1}, "Acosh": {1, 1}, "Asin": {1, 1}, "Asinh": {1, 1}, "Atan": {1, 1},
	"Atanh": {1, 1}, "Cos": {1, 1}, "Cosh": {1, 1}, "Sin": {1, 1}, "Sinh": {1, 1},
	"Tan": {1, 1}, "Round": {1, 1}, "Sign": {1, 1}, "Elu": {1, 1}, "Celu": {1, 1},
	"Selu": {1, 1}, "Softsign": {1, 1}, "ThresholdedRelu": {1, 1}, "Shrink": {1, 1},
	"Mish": {1, 1}, "Hardmax": {1, 1}, "ArgMax": {1, 1}, "ArgMin": {1, 1},
	"PRelu": {2, 2}, "GatherElements": {2, 2}, "CumSum": {2, 2}, "Trilu": {1, 2},
	"CastLike": {2, 2}, "DepthToSpace": {1, 1}, "SpaceToDepth": {1, 1},
	"InstanceNormalization": {3, 3}, "LRN": {1, 1},
}

// sinceOpset gives the first ai.onnx opset that defines an operator, for
// those added inside the range we run (11 to 18).
var sinceOpset = map[string]int64{"Celu": 12, "GreaterOrEqual": 12, "LessOrEqual": 12,
	"HardSwish": 14, "Trilu": 14, "CastLike": 15, "LayerNormalization": 17, "Mish": 18}
