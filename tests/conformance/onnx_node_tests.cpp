// Conformance of import_onnx + run_float against outputs computed by others:
//  - ONNX's own backend tests (node/, pytorch-converted/, pytorch-operator/, simple/ under
//    /usr/include/onnx/backend/test/data, or $PIMHLS_ONNX_TEST_DATA), one Catch2 test case each;
//  - the PyTorch fixtures tests/data/torch_*/ (scripts/make_torch_fixtures.py);
//  - the example networks examples/<name>.onnx with <name>_input.pb and <name>_output.pb.
// Every ONNX test made only of operators pimhls imports is either run or excluded below with
// its reason; the "inventory" test case fails on a test that is neither.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "frontend/onnx_import.h"
#include "frontend/tensor_file.h"
#include "golden/float_reference.h"
#include "util/error.h"

namespace fs = std::filesystem;
using namespace pimhls;

namespace {

// Tolerance of the comparison: |actual - expected| <= kAbsTolerance + kRelTolerance * |expected|.
constexpr double kRelTolerance = 1e-4;
constexpr double kAbsTolerance = 1e-5;

// ONNX tests that must pass (paths below the test data directory).
const char* const kIncludedTests[] = {
    // ArgMax (on the host after the accelerator, as Softmax)
    "node/test_argmax_default_axis_example",
    "node/test_argmax_default_axis_example_select_last_index",
    "node/test_argmax_default_axis_random",
    "node/test_argmax_default_axis_random_select_last_index",
    "node/test_argmax_keepdims_example",
    "node/test_argmax_keepdims_example_select_last_index",
    "node/test_argmax_keepdims_random",
    "node/test_argmax_keepdims_random_select_last_index",
    "node/test_argmax_negative_axis_keepdims_example",
    "node/test_argmax_negative_axis_keepdims_example_select_last_index",
    "node/test_argmax_negative_axis_keepdims_random",
    "node/test_argmax_negative_axis_keepdims_random_select_last_index",
    "node/test_argmax_no_keepdims_example",
    "node/test_argmax_no_keepdims_example_select_last_index",
    "node/test_argmax_no_keepdims_random",
    "node/test_argmax_no_keepdims_random_select_last_index",
    // Add (numpy broadcasting of two activations)
    "node/test_add",
    // Expand (of a 4-D map, or read by element-wise operators that broadcast it anyway)
    "simple/test_expand_shape_model1",
    "node/test_mul",
    "node/test_mul_example",
    "node/test_add_bcast",
    "pytorch-operator/test_operator_add_broadcast",
    "pytorch-operator/test_operator_add_size1_broadcast",
    "pytorch-operator/test_operator_add_size1_right_broadcast",
    "pytorch-operator/test_operator_add_size1_singleton_broadcast",
    "pytorch-operator/test_operator_addconstant",
    // AveragePool
    "node/test_averagepool_2d_ceil",
    "node/test_averagepool_2d_default",
    "node/test_averagepool_2d_pads",
    "node/test_averagepool_2d_pads_count_include_pad",
    "node/test_averagepool_2d_precomputed_pads",
    "node/test_averagepool_2d_precomputed_pads_count_include_pad",
    "node/test_averagepool_2d_precomputed_same_upper",
    "node/test_averagepool_2d_precomputed_strides",
    "node/test_averagepool_2d_same_lower",
    "node/test_averagepool_2d_same_upper",
    "node/test_averagepool_2d_strides",
    "pytorch-converted/test_AvgPool2d",
    "pytorch-converted/test_AvgPool2d_stride",
    // BatchNormalization (inference mode)
    "node/test_batchnorm_epsilon",
    "node/test_batchnorm_example",
    "pytorch-converted/test_BatchNorm1d_3d_input_eval",
    "pytorch-converted/test_BatchNorm2d_eval",
    "pytorch-converted/test_BatchNorm2d_momentum_eval",
    "pytorch-converted/test_BatchNorm3d_eval",  // ChannelAffine is rank-agnostic past axis 1
    "pytorch-converted/test_BatchNorm3d_momentum_eval",
    // Celu
    "node/test_celu",
    // Clip
    "node/test_clip",
    "node/test_clip_default_inbounds",
    "node/test_clip_default_max",
    "node/test_clip_default_min",
    "node/test_clip_example",
    "node/test_clip_inbounds",
    "node/test_clip_outbounds",
    "node/test_clip_splitbounds",
    "pytorch-operator/test_operator_clip",
    // Concat
    "node/test_concat_1d_axis_0",
    "node/test_concat_1d_axis_negative_1",
    "node/test_concat_2d_axis_0",
    "node/test_concat_2d_axis_1",
    "node/test_concat_2d_axis_negative_1",
    "node/test_concat_2d_axis_negative_2",
    "node/test_concat_3d_axis_0",
    "node/test_concat_3d_axis_1",
    "node/test_concat_3d_axis_2",
    "node/test_concat_3d_axis_negative_1",
    "node/test_concat_3d_axis_negative_2",
    "node/test_concat_3d_axis_negative_3",
    "pytorch-operator/test_operator_concat2",
    // Conv (strides, pads, auto_pad, dilations, groups, depthwise, batch)
    "node/test_basic_conv_with_padding",
    "node/test_basic_conv_without_padding",
    "node/test_conv_with_autopad_same",
    "node/test_conv_with_strides_and_asymmetric_padding",
    "node/test_conv_with_strides_no_padding",
    "node/test_conv_with_strides_padding",
    "pytorch-converted/test_Conv2d",
    "pytorch-converted/test_Conv2d_depthwise",
    "pytorch-converted/test_Conv2d_depthwise_padded",
    "pytorch-converted/test_Conv2d_depthwise_strided",
    "pytorch-converted/test_Conv2d_depthwise_with_multiplier",
    "pytorch-converted/test_Conv2d_dilated",
    "pytorch-converted/test_Conv2d_groups",
    "pytorch-converted/test_Conv2d_groups_thnn",
    "pytorch-converted/test_Conv2d_no_bias",
    "pytorch-converted/test_Conv2d_padding",
    "pytorch-converted/test_Conv2d_strided",
    "pytorch-operator/test_operator_conv",
    // Dropout (inference: identity)
    "node/test_dropout_default",
    "node/test_dropout_default_old",
    "node/test_dropout_default_ratio",
    "node/test_dropout_random_old",
    // Elu
    "node/test_elu",
    "node/test_elu_default",
    "node/test_elu_example",
    "pytorch-converted/test_ELU",
    // Flatten
    "node/test_flatten_axis0",
    "node/test_flatten_axis1",
    "node/test_flatten_axis2",
    "node/test_flatten_axis3",
    "node/test_flatten_default_axis",
    "node/test_flatten_negative_axis1",
    "node/test_flatten_negative_axis2",
    "node/test_flatten_negative_axis3",
    "node/test_flatten_negative_axis4",
    "pytorch-operator/test_operator_flatten",
    "pytorch-operator/test_operator_view",
    // Gemm and MatMul with a constant B
    "node/test_gemm_alpha",
    "node/test_gemm_beta",
    "node/test_gemm_default_no_bias",
    "node/test_gemm_default_scalar_bias",
    "node/test_gemm_default_single_elem_vector_bias",
    "node/test_gemm_default_vector_bias",
    "node/test_gemm_default_zero_bias",
    "node/test_gemm_transposeB",
    "node/test_matmul_2d",
    "pytorch-converted/test_Linear",
    "pytorch-operator/test_operator_mm",
    // GlobalAveragePool
    "node/test_globalaveragepool",
    "node/test_globalaveragepool_precomputed",
    "node/test_globalmaxpool",
    "node/test_globalmaxpool_precomputed",
    // HardSigmoid
    "node/test_hardsigmoid",
    "node/test_hardsigmoid_default",
    "node/test_hardsigmoid_example",
    // HardSwish, and x * HardSigmoid(x) (Mul fused into one Unary)
    "node/test_hardswish",
    "node/test_hardswish_expanded",
    // Identity
    "node/test_identity",
    // LeakyRelu
    "node/test_leakyrelu",
    "node/test_leakyrelu_default",
    "node/test_leakyrelu_example",
    "pytorch-converted/test_LeakyReLU",
    "pytorch-converted/test_LeakyReLU_with_negval",
    // LRN (squares, a band of the channels summed by a 1x1 Conv, a power, a product)
    "node/test_lrn",
    "node/test_lrn_default",
    // Sum and Mean of activations (chains of Adds; Mean then scales by 1 / n)
    "node/test_sum_example",
    "node/test_sum_one_input",
    "node/test_sum_two_inputs",
    "node/test_mean_example",
    "node/test_mean_one_input",
    "node/test_mean_two_inputs",
    // Element-wise functions as tables: Abs, Exp, Log, Neg, Reciprocal, Sqrt, Pow by a constant
    "node/test_abs",
    "node/test_exp",
    "node/test_exp_example",
    "node/test_log",
    "node/test_log_example",
    "node/test_neg",
    "node/test_neg_example",
    "node/test_pow_bcast_scalar",
    "node/test_reciprocal",
    "node/test_reciprocal_example",
    "node/test_sqrt",
    "node/test_sqrt_example",
    "pytorch-converted/test_Softmin",
    "pytorch-operator/test_operator_basic",
    "pytorch-operator/test_operator_exp",
    "pytorch-operator/test_operator_params",
    "pytorch-operator/test_operator_sqrt",
    "pytorch-operator/test_operator_symbolic_override_nested",
    // Sub of activations (a negating table, then Add)
    "node/test_sub",
    "node/test_sub_bcast",
    "node/test_sub_example",
    // Div of activations: y's reciprocal as a table, then Mul
    "node/test_div",
    "node/test_div_example",
    "node/test_celu_expanded",          // x / alpha of an activation, exp, min, max
    "pytorch-converted/test_Softsign",  // x / (1 + |x|)
    // InstanceNormalization: pools and tables per channel
    "node/test_instancenorm_epsilon",
    "node/test_instancenorm_example",
    "pytorch-operator/test_operator_symbolic_override",  // an InstanceNormalization
    // MaxPool
    "node/test_maxpool_2d_ceil",
    "node/test_maxpool_2d_default",
    "node/test_maxpool_2d_dilations",
    "node/test_maxpool_2d_pads",
    "node/test_maxpool_2d_precomputed_pads",
    "node/test_maxpool_2d_precomputed_same_upper",
    "node/test_maxpool_2d_precomputed_strides",
    "node/test_maxpool_2d_same_lower",
    "node/test_maxpool_2d_same_upper",
    "node/test_maxpool_2d_strides",
    "pytorch-converted/test_MaxPool2d",
    "pytorch-converted/test_MaxPool2d_stride_padding_dilation",
    // PRelu with a single slope, and one per channel (opset 6: a slope of C values)
    "pytorch-converted/test_PReLU_1d",
    "pytorch-converted/test_PReLU_2d",
    "pytorch-converted/test_PReLU_3d",
    "pytorch-converted/test_PReLU_1d_multiparam",
    "pytorch-converted/test_PReLU_2d_multiparam",
    "pytorch-converted/test_PReLU_3d_multiparam",
    // Relu
    "node/test_relu",
    "pytorch-converted/test_ReLU",
    "simple/test_single_relu_model",
    // Reshape
    "node/test_reshape_extended_dims",
    "node/test_reshape_negative_dim",
    "node/test_reshape_negative_extended_dims",
    "node/test_reshape_one_dim",
    "node/test_reshape_reduced_dims",
    "node/test_reshape_reordered_all_dims",
    "node/test_reshape_reordered_last_dims",
    "node/test_reshape_zero_and_negative_dim",
    "node/test_reshape_zero_dim",
    // Selu
    "node/test_selu",
    "node/test_selu_default",
    "node/test_selu_example",
    "pytorch-converted/test_SELU",
    "pytorch-operator/test_operator_selu",
    // Sigmoid
    "node/test_sigmoid",
    "node/test_sigmoid_example",
    "pytorch-converted/test_Sigmoid",
    // LogSoftmax
    "node/test_logsoftmax_axis_0",
    "node/test_logsoftmax_axis_1",
    "node/test_logsoftmax_axis_2",
    "node/test_logsoftmax_default_axis",
    "node/test_logsoftmax_example_1",
    "node/test_logsoftmax_large_number",
    "node/test_logsoftmax_negative_axis",
    "pytorch-converted/test_LogSoftmax",
    "pytorch-converted/test_log_softmax_dim3",
    "pytorch-converted/test_log_softmax_lastdim",
    // Max, Min (of one input: the input itself; of several: a + Relu(b - a), a - Relu(a - b))
    "node/test_max_one_input",
    "node/test_min_one_input",
    "node/test_max_example",
    "node/test_max_float32",
    "node/test_max_two_inputs",
    "node/test_min_example",
    "node/test_min_float32",
    "node/test_min_two_inputs",
    "pytorch-operator/test_operator_max",
    "pytorch-operator/test_operator_min",
    // Softmax
    "node/test_softmax_axis_0",
    "node/test_softmax_axis_1",
    "node/test_softmax_axis_2",
    "node/test_softmax_default_axis",
    "node/test_softmax_example",
    "node/test_softmax_large_number",
    "node/test_softmax_negative_axis",
    "pytorch-converted/test_Softmax",
    "pytorch-converted/test_softmax_functional_dim3",
    "pytorch-converted/test_softmax_lastdim",
    // Softplus
    "node/test_softplus",
    "node/test_softplus_example",
    "pytorch-converted/test_Softplus",
    // Softsign
    "node/test_softsign",
    "node/test_softsign_example",
    // Tanh
    "node/test_tanh",
    "node/test_tanh_example",
    "pytorch-converted/test_Tanh",
    // ThresholdedRelu
    "node/test_thresholdedrelu",
    "node/test_thresholdedrelu_default",
    "node/test_thresholdedrelu_example",
    // Transpose (the identity; NHWC to NCHW on a graph input: frontend_transpose tests; a
    // permutation of the axes after the batch: a ChannelGather of them flattened)
    "node/test_transpose_all_permutations_0",
    "node/test_transpose_all_permutations_1",
    "pytorch-converted/test_PixelShuffle",  // Reshape 6-D, Transpose 0,1,4,2,5,3, Reshape
    "pytorch-operator/test_operator_permute2",
    // Erf (a table on codes; GELU as PyTorch exports it)
    "node/test_erf",
    // ConvTranspose (a ZeroInsert and a Conv): strides, pads, output_padding, output_shape,
    // auto_pad, dilations, kernel_shape
    "node/test_convtranspose",
    "node/test_convtranspose_autopad_same",
    "node/test_convtranspose_dilations",
    "node/test_convtranspose_kernel_shape",
    "node/test_convtranspose_output_shape",
    "node/test_convtranspose_pad",
    "node/test_convtranspose_pads",
    "node/test_convtranspose_with_kernel",
    "pytorch-converted/test_ConvTranspose2d",
    "pytorch-converted/test_ConvTranspose2d_no_bias",
    "pytorch-operator/test_operator_convtranspose",
    // Slice of the channels of [N, C, L] (a ChannelGather)
    "node/test_slice_end_out_of_bounds",
    "node/test_slice_neg",
    // Gather of channels by constant indices (a ChannelGather)
    "node/test_gather_1",
    // Split along the channel axis (ChannelGather nodes of consecutive channels)
    "node/test_split_equal_parts_2d",
    "node/test_split_variable_parts_2d",
    "pytorch-converted/test_GLU",  // Split on the last axis (the channels of [N, K]), x * Sigmoid
    "pytorch-converted/test_GLU_dim",
    // Resize (half_pixel, round_prefer_floor) and Upsample: nearest, by whole factors 2 and 3
    "node/test_resize_upsample_scales_nearest",
    "node/test_upsample_nearest",
    // Resize linear by 2 (half_pixel) and from 2 to 4 (align_corners): Upsample, box averages
    "node/test_resize_upsample_scales_linear",
    "node/test_resize_upsample_scales_linear_align_corners",
    // Resize by other sizes, nearest (any rounding and coordinate mode) or linear, down and up
    // (a Resample: a weighted window per output pixel at a tabled origin)
    "node/test_resize_downsample_scales_linear",
    "node/test_resize_downsample_scales_linear_align_corners",
    "node/test_resize_downsample_scales_nearest",
    "node/test_resize_downsample_sizes_linear_pytorch_half_pixel",
    "node/test_resize_downsample_sizes_nearest",
    "node/test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn",
    "node/test_resize_upsample_sizes_nearest",
    "node/test_resize_upsample_sizes_nearest_ceil_half_pixel",
    "node/test_resize_upsample_sizes_nearest_floor_align_corners",
    "node/test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric",
    // Resize cubic by 2 (half_pixel, asymmetric): an edge BorderPad, a grouped Conv of the 4
    // phases, an Upsample interleaving them
    "node/test_resize_upsample_scales_cubic",
    "node/test_resize_upsample_scales_cubic_asymmetric",
    // Pad in reflect and edge mode (a BorderPad: a 1x1 max pool whose taps fold back;
    // node/test_reflect_pad and _edge_pad are int32)
    "pytorch-converted/test_ReflectionPad2d",
    "pytorch-converted/test_ReplicationPad2d",
    "pytorch-operator/test_operator_pad",
    // DepthToSpace (an Upsample with channels per block phase) in DCR and CRD mode, SpaceToDepth
    // (strided slices and a Concat)
    "node/test_depthtospace_crd_mode",
    "node/test_depthtospace_crd_mode_example",
    "node/test_depthtospace_dcr_mode",
    "node/test_depthtospace_example",
    "node/test_spacetodepth",
    "node/test_spacetodepth_example",
};

struct Exclusion {
  const char* test;
  const char* reason;
};

const char* const kIntegerTypes = "integer tensors: pimhls computes in float32 (no wrap-around)";
const char* const kNot2d = "1-D/3-D windows: pimhls supports 2-D (NCHW) Conv and pooling only";
const char* const kTraining = "training mode (batch statistics, random masks): inference only";
const char* const kProduct =
    "product of activations broadcast other than per channel: pimhls multiplies operands of one "
    "shape, a map by a value per channel (squeeze-and-excitation), and x * f(x)";
const char* const kExpandNot4d =
    "Expand of a tensor that is not an NCHW map, as a graph output: pimhls materializes only the "
    "channels, rows and columns of a map";
const char* const kSlopeAlongOtherAxes =
    "PRelu slope varying along another axis than the channels (per element, or along the last "
    "axis of [N, C, W]): one slope, or one per channel, is supported";

const char* const kExtremumOfActivations =
    "Max/Min in float16 or float64: pimhls computes in float32";
const char* const kPadAlone =
    "Pad is the graph output: pimhls folds a zero Pad into the pads of the Conv or AveragePool "
    "after it";
const char* const kPadMode = "Pad with a constant other than zero";
const char* const kTransposeOfActivations =
    "Transpose of an activation that moves the batch axis: pimhls imports the identity, NHWC to "
    "NCHW (perm 0,3,1,2) on a graph input and permutations of the axes after the batch";
const char* const kGatherOffChannels =
    "Gather along an axis other than the channels (1) or by indices that are not a list: pimhls "
    "gathers the channels of an activation by a 1-D list of constant indices";

const char* const kSliceOffChannels =
    "Slice/Split of an activation's batch axis, of axes other than the channels of a tensor that "
    "is not NCHW, or empty: pimhls slices channels (ChannelGather) and the rows and columns of "
    "NCHW maps (a 1x1 MaxPool, or a Resample backwards)";
const char* const kPowPerElement =
    "Pow by an exponent per element, or of integer tensors: pimhls raises an activation to one "
    "constant exponent (a table on codes)";
const char* const kScaleByElement =
    "an activation times a constant per element: pimhls scales by a scalar or one factor per "
    "channel";
const char* const kResizeOtherThanWhole =
    "Resize with tf_crop_and_resize, or cubic other than upsampling by whole factors with edge "
    "values (align_corners, sizes that are no multiple, downsampling, exclude_outside): pimhls "
    "resizes nearest or linear over the whole input, cubic as a polyphase filter";

const char* const kIfOnInput =
    "If whose condition is a graph input (decided at run time) and whose branches make constants, "
    "sequences or optionals: pimhls imports Ifs decided at import time, on shapes and constants";

// ONNX tests of supported operators that are not run, each with the reason.
const Exclusion kExcludedTests[] = {
    {"node/test_if", kIfOnInput},
    {"node/test_if_opt", kIfOnInput},
    {"node/test_if_seq", kIfOnInput},
    {"node/test_pow", kPowPerElement},
    {"node/test_pow_bcast_array", kPowPerElement},
    {"node/test_pow_example", kPowPerElement},
    {"node/test_pow_types_float", kPowPerElement},
    {"node/test_pow_types_float32_int32", kPowPerElement},
    {"node/test_pow_types_float32_int64", kPowPerElement},
    {"node/test_pow_types_float32_uint32", kPowPerElement},
    {"node/test_pow_types_float32_uint64", kPowPerElement},
    {"node/test_pow_types_int", kPowPerElement},
    {"node/test_pow_types_int32_float32", kPowPerElement},
    {"node/test_pow_types_int32_int32", kPowPerElement},
    {"node/test_pow_types_int64_float32", kPowPerElement},
    {"node/test_pow_types_int64_int64", kPowPerElement},
    {"pytorch-operator/test_operator_pow", kPowPerElement},
    {"node/test_add_uint8", kIntegerTypes},
    {"node/test_sub_uint8", kIntegerTypes},
    {"pytorch-converted/test_PoissonNLLLLoss_no_reduce", kScaleByElement},
    {"node/test_averagepool_1d_default", kNot2d},
    {"node/test_averagepool_3d_default", kNot2d},
    {"node/test_batchnorm_epsilon_training_mode", kTraining},
    {"node/test_batchnorm_example_training_mode", kTraining},
    {"node/test_clip_default_int8_inbounds", kIntegerTypes},
    {"node/test_clip_default_int8_max", kIntegerTypes},
    {"node/test_clip_default_int8_min", kIntegerTypes},
    {"node/test_constant_pad", kPadMode},
    {"node/test_edge_pad", kIntegerTypes},
    {"node/test_reflect_pad", kIntegerTypes},
    {"node/test_convtranspose_1d", kNot2d},
    {"node/test_convtranspose_3d", kNot2d},
    {"node/test_dropout_default_mask", "second output is the boolean mask: not an IR value"},
    {"node/test_dropout_default_mask_ratio", "second output is the boolean mask: not an IR value"},
    {"node/test_gemm_all_attributes",
     "transA=1 on the activation: the IR's Gemm reads x as [M, K]"},
    {"node/test_gemm_default_matrix_bias", "bias C of shape [M, N]: the IR's Gemm bias is [N]"},
    {"node/test_gemm_transposeA", "transA=1 on the activation: the IR's Gemm reads x as [M, K]"},
    {"node/test_identity_opt", "optional type: pimhls handles dense tensors only"},
    {"node/test_identity_sequence", "sequence type: pimhls handles dense tensors only"},
    {"node/test_matmul_3d", "batched B (one matrix per batch): not a layer with one weight"},
    {"node/test_matmul_4d", "batched B (one matrix per batch): not a layer with one weight"},
    {"node/test_max_float16", kExtremumOfActivations},
    {"node/test_max_float64", kExtremumOfActivations},
    {"node/test_max_int16", kIntegerTypes},
    {"node/test_max_int32", kIntegerTypes},
    {"node/test_max_int64", kIntegerTypes},
    {"node/test_max_int8", kIntegerTypes},
    {"node/test_max_uint16", kIntegerTypes},
    {"node/test_max_uint32", kIntegerTypes},
    {"node/test_max_uint64", kIntegerTypes},
    {"node/test_max_uint8", kIntegerTypes},
    {"node/test_maxpool_1d_default", kNot2d},
    {"node/test_maxpool_2d_uint8", kIntegerTypes},
    {"node/test_maxpool_3d_default", kNot2d},
    {"node/test_maxpool_with_argmax_2d_precomputed_pads", "second output (argmax indices) used"},
    {"node/test_maxpool_with_argmax_2d_precomputed_strides", "second output (argmax indices) used"},
    {"node/test_min_float16", kExtremumOfActivations},
    {"node/test_min_float64", kExtremumOfActivations},
    {"node/test_min_int16", kIntegerTypes},
    {"node/test_min_int32", kIntegerTypes},
    {"node/test_min_int64", kIntegerTypes},
    {"node/test_min_int8", kIntegerTypes},
    {"node/test_min_uint16", kIntegerTypes},
    {"node/test_min_uint32", kIntegerTypes},
    {"node/test_min_uint64", kIntegerTypes},
    {"node/test_min_uint8", kIntegerTypes},
    {"node/test_mul_bcast", kProduct},
    {"node/test_div_bcast", kProduct},
    {"node/test_div_uint8", kIntegerTypes},
    {"node/test_mul_uint8", kIntegerTypes},
    {"node/test_prelu_broadcast", kSlopeAlongOtherAxes},
    {"node/test_expand_dim_changed", kExpandNot4d},
    {"node/test_expand_dim_unchanged", kExpandNot4d},
    {"simple/test_expand_shape_model2", kExpandNot4d},
    {"simple/test_expand_shape_model3", kExpandNot4d},
    {"simple/test_expand_shape_model4", kExpandNot4d},
    {"node/test_prelu_example", kSlopeAlongOtherAxes},
    {"node/test_reshape_allowzero_reordered", "zero-sized tensor (allowzero): nothing to compute"},
    {"node/test_resize_downsample_scales_cubic", kResizeOtherThanWhole},
    {"node/test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", kResizeOtherThanWhole},
    {"node/test_resize_downsample_scales_cubic_align_corners", kResizeOtherThanWhole},
    {"node/test_resize_downsample_sizes_cubic", kResizeOtherThanWhole},
    {"node/test_resize_tf_crop_and_resize", kResizeOtherThanWhole},
    {"node/test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", kResizeOtherThanWhole},
    {"node/test_resize_upsample_scales_cubic_align_corners", kResizeOtherThanWhole},
    {"node/test_resize_upsample_sizes_cubic", kResizeOtherThanWhole},
    {"node/test_slice", kSliceOffChannels},
    {"node/test_slice_default_axes", kSliceOffChannels},
    {"node/test_slice_default_steps", kSliceOffChannels},
    {"node/test_slice_neg_steps", kSliceOffChannels},
    {"node/test_slice_negative_axes", kSliceOffChannels},
    {"node/test_slice_start_out_of_bounds", kSliceOffChannels},
    {"node/test_split_equal_parts_1d", kSliceOffChannels},
    {"node/test_split_equal_parts_default_axis", kSliceOffChannels},
    {"node/test_split_variable_parts_1d", kSliceOffChannels},
    {"node/test_split_variable_parts_default_axis", kSliceOffChannels},
    {"node/test_split_zero_size_splits", kSliceOffChannels},
    {"node/test_gather_0", kGatherOffChannels},
    {"node/test_gather_2d_indices", kGatherOffChannels},
    {"node/test_gather_negative_indices", kGatherOffChannels},
    {"pytorch-converted/test_Embedding", kGatherOffChannels},  // rows of a table by input indices
    {"pytorch-converted/test_Embedding_sparse", kGatherOffChannels},
    {"node/test_training_dropout", kTraining},
    {"node/test_training_dropout_default", kTraining},
    {"node/test_training_dropout_default_mask", kTraining},
    {"node/test_training_dropout_mask", kTraining},
    {"node/test_training_dropout_zero_ratio", kTraining},
    {"node/test_training_dropout_zero_ratio_mask", kTraining},
    {"node/test_transpose_all_permutations_2", kTransposeOfActivations},
    {"node/test_transpose_all_permutations_3", kTransposeOfActivations},
    {"node/test_transpose_all_permutations_4", kTransposeOfActivations},
    {"node/test_transpose_all_permutations_5", kTransposeOfActivations},
    {"node/test_transpose_default", kTransposeOfActivations},
    {"pytorch-converted/test_AvgPool3d", kNot2d},
    {"pytorch-converted/test_AvgPool3d_stride", kNot2d},
    {"pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input", kNot2d},
    {"pytorch-converted/test_ConstantPad2d", kPadMode},
    {"pytorch-converted/test_Conv1d", kNot2d},
    {"pytorch-converted/test_Conv1d_dilated", kNot2d},
    {"pytorch-converted/test_Conv1d_groups", kNot2d},
    {"pytorch-converted/test_Conv1d_pad1", kNot2d},
    {"pytorch-converted/test_Conv1d_pad1size1", kNot2d},
    {"pytorch-converted/test_Conv1d_pad2", kNot2d},
    {"pytorch-converted/test_Conv1d_pad2size1", kNot2d},
    {"pytorch-converted/test_Conv1d_stride", kNot2d},
    {"pytorch-converted/test_Conv3d", kNot2d},
    {"pytorch-converted/test_Conv3d_dilated", kNot2d},
    {"pytorch-converted/test_Conv3d_dilated_strided", kNot2d},
    {"pytorch-converted/test_Conv3d_groups", kNot2d},
    {"pytorch-converted/test_Conv3d_no_bias", kNot2d},
    {"pytorch-converted/test_Conv3d_stride", kNot2d},
    {"pytorch-converted/test_Conv3d_stride_padding", kNot2d},
    {"pytorch-converted/test_Linear_no_bias",
     "the weight is a graph input that a Transpose feeds to MatMul: weights must be initializers "
     "(and a Transpose of an activation is imported only from NHWC to NCHW)"},
    {"pytorch-converted/test_MaxPool1d", kNot2d},
    {"pytorch-converted/test_MaxPool1d_stride", kNot2d},
    {"pytorch-converted/test_MaxPool1d_stride_padding_dilation", kNot2d},
    {"pytorch-converted/test_MaxPool3d", kNot2d},
    {"pytorch-converted/test_MaxPool3d_stride", kNot2d},
    {"pytorch-converted/test_MaxPool3d_stride_padding", kNot2d},
    {"pytorch-converted/test_ZeroPad2d", kPadAlone},
    {"pytorch-operator/test_operator_addmm", "second Gemm multiplies two activations"},
    {"pytorch-operator/test_operator_maxpool", kNot2d},
    {"pytorch-operator/test_operator_non_float_params", kProduct},
    {"pytorch-operator/test_operator_chunk", kSliceOffChannels},
};

// The ONNX operators pimhls imports. A test is in the inventory when each of its nodes is one
// of these or a Constant, and at least one is not a Constant.
const std::set<std::string> kSupportedOperators = {"ArgMax",
                                                   "DepthToSpace",
                                                   "SpaceToDepth",
                                                   "Sub",
                                                   "InstanceNormalization",
                                                   "Div",
                                                   "Abs",
                                                   "Add",
                                                   "Exp",
                                                   "Expand",
                                                   "LRN",
                                                   "Log",
                                                   "Mean",
                                                   "Neg",
                                                   "Pow",
                                                   "Reciprocal",
                                                   "Sqrt",
                                                   "Sum",
                                                   "AveragePool",
                                                   "BatchNormalization",
                                                   "Celu",
                                                   "Clip",
                                                   "Concat",
                                                   "Conv",
                                                   "ConvTranspose",
                                                   "Dropout",
                                                   "Elu",
                                                   "Erf",
                                                   "Flatten",
                                                   "Gather",
                                                   "Gelu",
                                                   "Gemm",
                                                   "GlobalAveragePool",
                                                   "GlobalMaxPool",
                                                   "HardSigmoid",
                                                   "HardSwish",
                                                   "Identity",
                                                   "If",
                                                   "LeakyRelu",
                                                   "LogSoftmax",
                                                   "MatMul",
                                                   "Max",
                                                   "MaxPool",
                                                   "Min",
                                                   "Mish",
                                                   "Mul",
                                                   "PRelu",
                                                   "Pad",
                                                   "Relu",
                                                   "Reshape",
                                                   "Resize",
                                                   "Selu",
                                                   "Sigmoid",
                                                   "Softmax",
                                                   "Softplus",
                                                   "Slice",
                                                   "Softsign",
                                                   "Split",
                                                   "Tanh",
                                                   "ThresholdedRelu",
                                                   "Transpose",
                                                   "Upsample"};

// Inputs past the first that are parameters (weights, bounds, shapes): ONNX node tests feed
// them as graph inputs; pimhls wants them as constants.
const std::map<std::string, std::vector<int>> kParameterInputs = {
    {"BatchNormalization", {1, 2, 3, 4}},
    {"Clip", {1, 2}},
    {"Conv", {1, 2}},
    {"ConvTranspose", {1, 2}},
    {"Dropout", {1, 2}},
    {"Expand", {1}},
    {"Gather", {1}},
    {"Gemm", {1, 2}},
    {"InstanceNormalization", {1, 2}},
    {"MatMul", {1}},
    {"PRelu", {1}},
    {"Pow", {1}},
    {"Reshape", {1}},
    {"Resize", {1, 2, 3}},
    {"Slice", {1, 2, 3, 4}},
    {"Split", {1}},
    {"Upsample", {1}},
};

fs::path onnx_test_data() {
  if (const char* path = std::getenv("PIMHLS_ONNX_TEST_DATA")) return path;
  return "/usr/include/onnx/backend/test/data";  // Debian's libonnx-dev
}

onnx::ModelProto load_model(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  onnx::ModelProto model;
  if (!file || !model.ParseFromIstream(&file))
    fail("{}: cannot read the ModelProto", path.string());
  return model;
}

std::vector<fs::path> sorted_entries(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> entries;
  if (!fs::is_directory(dir)) return entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

// "" when `actual` matches `expected` within the tolerance, else what differs.
std::string compare(const ir::Tensor& actual, const ir::Tensor& expected) {
  if (actual.shape != expected.shape)
    return fmt::format("shape {} instead of {}", ir::format_dims(actual.shape),
                       ir::format_dims(expected.shape));
  std::size_t mismatches = 0, first = 0;
  double worst = 0.0;
  for (std::size_t i = 0; i < expected.data.size(); ++i) {
    const double a = actual.data[i], e = expected.data[i];
    if (a == e || (std::isnan(a) && std::isnan(e))) continue;  // also equal infinities
    const double error = std::abs(a - e);
    if (!(error <= kAbsTolerance + kRelTolerance * std::abs(e))) {
      if (mismatches++ == 0) first = i;
      worst = std::max(worst, std::isnan(error) ? std::numeric_limits<double>::infinity() : error);
    }
  }
  if (mismatches == 0) return "";
  return fmt::format("{} of {} values differ; first at index {}: {} instead of {}; worst error {}",
                     mismatches, expected.data.size(), first, actual.data[first],
                     expected.data[first], worst);
}

// Graph inputs (not initializers) that feed a parameter input of some node.
std::set<std::string> parameter_inputs(const onnx::GraphProto& graph) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto& tensor : graph.initializer()) initializers.insert(tensor.name());
  std::set<std::string> parameters;
  for (const onnx::NodeProto& node : graph.node()) {
    const auto slots = kParameterInputs.find(node.op_type());
    if (slots == kParameterInputs.end()) continue;
    for (int slot : slots->second)
      if (slot < node.input_size() && !node.input(slot).empty() &&
          !initializers.contains(node.input(slot)))
        parameters.insert(node.input(slot));
  }
  return parameters;
}

// Gives every symbolic dimension of the graph inputs the size of the tensor fed to it, and the
// same size wherever the symbol appears among the outputs and value_info (a runtime binds a
// dynamic batch axis the same way). pimhls itself imports static shapes only.
void bind_dynamic_dimensions(onnx::GraphProto& graph,
                             const std::map<std::string, ir::Tensor>& tensors) {
  std::map<std::string, std::int64_t> sizes;
  for (onnx::ValueInfoProto& input : *graph.mutable_input()) {
    const auto tensor = tensors.find(input.name());
    if (tensor == tensors.end() || !input.type().tensor_type().has_shape()) continue;
    auto& dims = *input.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim();
    for (int d = 0; d < dims.size() && static_cast<std::size_t>(d) < tensor->second.shape.size();
         ++d) {
      if (dims[d].has_dim_value()) continue;
      if (dims[d].has_dim_param()) sizes[dims[d].dim_param()] = tensor->second.shape[d];
      dims[d].set_dim_value(tensor->second.shape[d]);
    }
  }
  for (auto* infos : {graph.mutable_output(), graph.mutable_value_info()})
    for (onnx::ValueInfoProto& info : *infos)
      for (auto& dim : *info.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim())
        if (dim.has_dim_param() && sizes.contains(dim.dim_param()))
          dim.set_dim_value(sizes.at(dim.dim_param()));
}

// Imports dir/model.onnx with the parameters of each test_data_set_* as constants, runs it on
// the other inputs and compares every output with output_<i>.pb.
void run_test_directory(const fs::path& dir) {
  const fs::path model_path = dir / "model.onnx";
  const onnx::ModelProto model = load_model(model_path);
  const std::set<std::string> parameters = parameter_inputs(model.graph());
  std::vector<std::string> graph_inputs;  // the ones input_<i>.pb files feed, in order
  std::set<std::string> initializers;
  for (const onnx::TensorProto& tensor : model.graph().initializer())
    initializers.insert(tensor.name());
  for (const onnx::ValueInfoProto& input : model.graph().input())
    if (!initializers.contains(input.name())) graph_inputs.push_back(input.name());

  const std::vector<fs::path> data_sets = sorted_entries(dir, "test_data_set_");
  REQUIRE_FALSE(data_sets.empty());
  for (const fs::path& data_set : data_sets) {
    INFO("data set " << data_set.filename().string());
    frontend::ImportOptions options;
    std::map<std::string, ir::Tensor> feeds;
    for (std::size_t i = 0; i < graph_inputs.size(); ++i) {
      ir::Tensor tensor = frontend::read_tensor_file(data_set / fmt::format("input_{}.pb", i));
      if (parameters.contains(graph_inputs[i]))
        options.constant_inputs.emplace(graph_inputs[i], std::move(tensor));
      else
        feeds.emplace(graph_inputs[i], std::move(tensor));
    }
    onnx::ModelProto bound = model;
    bind_dynamic_dimensions(*bound.mutable_graph(), feeds);
    const ir::Graph graph =
        frontend::import_onnx_bytes(bound.SerializeAsString(), model_path.string(), options);
    std::vector<ir::Tensor> inputs;  // (in the IR's layout: an input transposed on import)
    for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
      const auto feed = feeds.find(graph.value(graph.inputs[i]).name);
      if (feed == feeds.end())
        FAIL("the imported graph has an unknown input " << graph.value(graph.inputs[i]).name);
      inputs.push_back(frontend::to_graph_input(feed->second, graph, i, feed->first));
    }
    const std::vector<ir::Tensor> outputs = golden::run_float(graph, inputs);
    REQUIRE(outputs.size() == static_cast<std::size_t>(model.graph().output_size()));
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const ir::Tensor expected =
          frontend::read_tensor_file(data_set / fmt::format("output_{}.pb", i));
      INFO("output " << i << " ('" << model.graph().output(static_cast<int>(i)).name() << "')");
      const std::string difference =
          compare(frontend::to_model_output(outputs[i], graph, i), expected);
      CHECK(difference == "");
    }
  }
}

// The examples/<name>.onnx networks with <name>_input.pb and <name>_output.pb next to them.
void run_example(const fs::path& model_path) {
  const fs::path stem = model_path.parent_path() / model_path.stem();
  const ir::Graph graph = frontend::import_onnx(model_path);
  REQUIRE(graph.inputs.size() == 1);
  REQUIRE(graph.outputs.size() == 1);
  const ir::Tensor input = frontend::read_tensor_file(stem.string() + "_input.pb");
  const ir::Tensor expected = frontend::read_tensor_file(stem.string() + "_output.pb");
  const std::vector<ir::Tensor> outputs = golden::run_float(graph, {input});
  CHECK(compare(outputs.at(0), expected) == "");
}

// One Catch2 test case per directory, so that ctest lists and reports each.
class DirectoryTest : public Catch::ITestInvoker {
 public:
  DirectoryTest(fs::path path, void (*run)(const fs::path&)) : path_(std::move(path)), run_(run) {}
  void invoke() const override {
    INFO("test directory " << path_.string());
    run_(path_);
  }

 private:
  fs::path path_;
  void (*run_)(const fs::path&);
};

void register_test(const std::string& name, const char* tags, fs::path path,
                   void (*run)(const fs::path&)) {
  Catch::AutoReg(new DirectoryTest(std::move(path), run), CATCH_INTERNAL_LINEINFO,
                 Catch::StringRef(), Catch::NameAndTags{name, tags});
}

const bool registered = [] {
  for (const char* test : kIncludedTests)
    register_test(fmt::format("onnx {}", test), "[onnx]", onnx_test_data() / test,
                  run_test_directory);
  const fs::path source = PIMHLS_SOURCE_DIR;
  for (const fs::path& dir : sorted_entries(source / "tests" / "data", "torch_"))
    register_test(fmt::format("torch {}", dir.filename().string()), "[torch]", dir,
                  run_test_directory);
  for (const fs::path& model : sorted_entries(source / "examples", "")) {
    const fs::path stem = model.parent_path() / model.stem();
    if (model.extension() == ".onnx" && fs::exists(stem.string() + "_input.pb") &&
        fs::exists(stem.string() + "_output.pb"))
      register_test(fmt::format("example {}", model.stem().string()), "[example]", model,
                    run_example);
  }
  return true;
}();

// True when every node is a supported operator or a Constant, and not all are Constants.
bool uses_only_supported_operators(const onnx::GraphProto& graph) {
  bool any = false;
  for (const onnx::NodeProto& node : graph.node()) {
    if (node.op_type() == "Constant") continue;
    if (!kSupportedOperators.contains(node.op_type())) return false;
    any = true;
  }
  return any;
}

}  // namespace

TEST_CASE("every ONNX test of a supported operator is run or excluded with a reason",
          "[inventory]") {
  REQUIRE(registered);
  const fs::path root = onnx_test_data();
  REQUIRE(fs::is_directory(root / "node"));
  std::set<std::string> listed;
  for (const char* test : kIncludedTests) CHECK(listed.insert(test).second);
  for (const Exclusion& exclusion : kExcludedTests) {
    CHECK(listed.insert(exclusion.test).second);
    CHECK(std::string(exclusion.reason).size() > 10);
  }
  for (const std::string& test : listed) {
    INFO(test);
    CHECK(fs::exists(root / test / "model.onnx"));
  }
  std::vector<std::string> unlisted;
  for (const char* suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
    for (const fs::path& dir : sorted_entries(root / suite, "test_")) {
      const std::string test = fmt::format("{}/{}", suite, dir.filename().string());
      if (listed.contains(test) || !fs::exists(dir / "model.onnx")) continue;
      if (uses_only_supported_operators(load_model(dir / "model.onnx").graph()))
        unlisted.push_back(test);
    }
  }
  INFO("neither run nor excluded: " << fmt::format("{}", fmt::join(unlisted, ", ")));
  CHECK(unlisted.empty());
}
