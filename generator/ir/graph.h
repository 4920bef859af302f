#pragma once
// The layer IR: a small, explicit data-flow graph that every stage after import works on.
// It knows nothing of ONNX/protobuf or of hardware. Shapes are static and follow ONNX order
// (NCHW for images, [M, K] for matrices); batch is whatever the model says (usually 1).
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "ir/unary.h"

namespace pimhls::ir {

using Dims = std::vector<std::int64_t>;
using ValueId = int;

// Number of elements of a shape (1 for a scalar).
std::int64_t element_count(const Dims& shape);
// "1x3x32x32" for tables and messages.
std::string format_dims(const Dims& shape);

// A dense row-major float tensor: weights, constants and executor values.
struct Tensor {
  Dims shape;
  std::vector<float> data;

  std::int64_t size() const { return static_cast<std::int64_t>(data.size()); }
};

enum class Op {
  Conv,               // weight [Cout, Cin/group, kh, kw], bias [Cout]
  Gemm,               // fully connected over the last axis: y = x W^T + b, weight [N, K], bias [N]
  Relu,               // kept only where it could not be fused into the producer
  Clip,               // activation.min/max
  MaxPool,            // pool
  AveragePool,        // pool
  GlobalAveragePool,  //
  Add,                // two inputs, or one input and a constant operand in `weight` (broadcast);
                      // with `subtract` the last input's negation (x - y, c - x)
  Mul,                // two inputs, the second the same shape or a gate per channel or per pixel
  Concat,             // axis
  Flatten,            // output shape is the value's shape
  Reshape,            // output shape is the value's shape
  ChannelAffine,  // a BatchNormalization that had no Conv/Gemm to fold into: x*weight[c]+bias[c]
  Softmax,        // axis; left for the host
  LogSoftmax,     // axis; left for the host (the log of Softmax's probabilities)
  ArgMax,         // axis; left for the host: the index of the max along it (the first, or the
                  // last with last_index); the output's shape says keepdims
  Unary,          // unary: an element-wise function of one activation (a table on codes)
  Upsample,       // nearest, by whole factors: output (y, x) is input (y / upsample_h, x / ..._w);
                  // with source_channels per phase (DepthToSpace, ir/upsample.h)
  ZeroInsert,     // ConvTranspose's strides: Upsample where the factors divide y and x, else 0
  ChannelGather,  // output channel c is input channel source_channels[c] (axis 1)
  ChannelMax,     // the max over the channels of each pixel: [N, C, H, W] -> [N, 1, H, W]
  BorderPad,      // Pad: window pads on H and W filled as window.border says
  Resample,       // Resize by any sizes: a 2x2 (linear) or 1x1 (nearest) window per output
                  // pixel at a tabled origin, weighted (ir/resample.h)
};

const char* op_name(Op op);
// Softmax, LogSoftmax and ArgMax end a network on the host: the accelerator outputs their input.
inline bool runs_on_host(Op op) {
  return op == Op::Softmax || op == Op::LogSoftmax || op == Op::ArgMax;
}

// An element-wise clamp fused after a Conv/Gemm (ReLU is [0, inf), ReLU6 is [0, 6]).
struct Activation {
  enum class Kind { None, Relu, Clip };
  Kind kind = Kind::None;
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
};

// What a window's taps in its pads read: nothing (pools' rule: skipped), or as ONNX Pad's modes
// fill them: the input mirrored without repeating the edge (reflect), the edge repeated (edge),
// zeros (a zero Pad read by a MaxPool or materialized as a BorderPad).
enum class Border { Skip = 0, Reflect = 1, Edge = 2, Zero = 3 };  // values: the ISA's FLAGS[7:6]

// 2-D window geometry shared by Conv and pooling. auto_pad is resolved into explicit pads.
struct Window {
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  std::int64_t group = 1;          // Conv only
  bool ceil_mode = false;          // pooling only
  bool count_include_pad = false;  // AveragePool only
  // The window's origin moves on every upsample_h-th output row (Upsample, ZeroInsert; 1
  // otherwise).
  std::int64_t upsample_h = 1, upsample_w = 1;
  Border border = Border::Skip;  // BorderPad (any but Skip), MaxPool (Skip or Zero)
};

// Resample: per output row (then column), the first input index its window reads and the
// weight of the next one (the first's is 1 - weight); ir/resample.h.
struct ResampleAxis {
  std::vector<std::int64_t> first;
  std::vector<double> weight;
};

struct Node {
  std::string name;  // the ONNX node name (or "<op>_<index>" when the model left it empty)
  Op op = Op::Relu;
  std::vector<ValueId> inputs;  // activations only; constants live in weight/bias
  ValueId output = -1;
  Window window;
  Activation activation;                         // fused (Conv, Gemm) or the op itself (Relu, Clip)
  std::int64_t axis = 1;                         // Concat, Flatten, Softmax
  std::vector<std::int64_t> source_channels;     // ChannelGather; Upsample per phase
  Unary unary;                                   // Unary
  ResampleAxis resample_rows, resample_columns;  // Resample
  bool subtract = false;                         // Add: the last input is subtracted
  bool last_index = false;                       // ArgMax: the last of equal maxima
  Tensor weight;
  Tensor bias;

  bool has_weights() const { return op == Op::Conv || op == Op::Gemm; }
};

struct Value {
  std::string name;
  Dims shape;
  int producer = -1;  // node index; -1 for a graph input
};

struct Graph {
  std::string name;
  std::vector<Value> values;
  std::vector<Node> nodes;  // always in topological order
  std::vector<ValueId> inputs;
  std::vector<ValueId> outputs;
  // Graph inputs the model declares in another layout (tf2onnx's NHWC): the IR's input is the
  // model's input transposed by the permutation (input files are in the model's layout).
  std::map<ValueId, Dims> input_permutations;
  // Graph outputs the model declares in another layout (a channels-last view of a map: [N, H, W,
  // C], or [N, L, C] of [N, C, 1, L]), by index into `outputs`: the model's output is the IR's
  // value transposed by `perm`, then of `shape`.
  struct OutputLayout {
    Dims perm;
    Dims shape;
  };
  std::map<std::size_t, OutputLayout> output_layouts;
  // What the import assumed on the user's behalf (a dynamic batch taken as 1), for the CLI.
  std::vector<std::string> notes;

  const Value& value(ValueId id) const { return values.at(static_cast<std::size_t>(id)); }
  const Dims& shape(ValueId id) const { return value(id).shape; }
  // Nodes that read `id`, in topological order.
  std::vector<int> consumers(ValueId id) const;
  bool is_output(ValueId id) const;
  // The shape of graph input `input` and of graph output `output` (indices into `inputs` and
  // `outputs`) as the model declares them.
  Dims model_input_shape(std::size_t input) const;
  const Dims& model_output_shape(std::size_t output) const;
  // Indices of the nodes that hold weights (Conv, Gemm) in topological order: the "layers"
  // that the cost model and the optimizer map onto PIM arrays.
  std::vector<int> weight_layers() const;
  // The samples one run infers: the leading dimension (N) of the first input; 1 without one.
  std::int64_t batch_size() const;
};

// Reorders graph.nodes topologically (stable: keeps the given order where it is already valid)
// and fixes Value::producer. Throws Error naming a node on a cycle, a value read before any node
// writes it, or a value written twice.
void sort_topologically(Graph& graph);

}  // namespace pimhls::ir
