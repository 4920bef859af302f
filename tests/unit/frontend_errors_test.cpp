// Every way a model can be refused: one line that names the file, the node or value, and what
// is wrong.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "onnx_builder.h"
#include "util/error.h"

namespace pimhls::test {
namespace {

using Ints = std::vector<std::int64_t>;

// x (1x1x4x4) -> Conv(W 1x1x1x1) -> y: a valid base to break.
OnnxBuilder small_conv(int opset = 13) {
  OnnxBuilder b(opset);
  b.input("x", {1, 1, 4, 4}).initializer("W", {1, 1, 1, 1}, {1}).output("y", 4);
  return b;
}

TEST_CASE("bytes that are not an ONNX model") {
  CHECK_THAT(import_error(std::string("\xff\xff\xff\xff garbage", 13)),
             Catch::Contains("not an ONNX model"));
  CHECK_THAT(import_error(std::string()), Catch::Contains("no graph"));
}

TEST_CASE("a truncated model") {
  OnnxBuilder b = small_conv();
  b.node("Conv", {"x", "W"}, {"y"});
  const std::string bytes = b.bytes();
  CHECK_THAT(import_error(bytes.substr(0, bytes.size() - 7)), Catch::Contains("not an ONNX model"));
}

TEST_CASE("import_onnx names a missing file") {
  REQUIRE_THROWS_WITH(frontend::import_onnx("/nonexistent/model.onnx"),
                      Catch::Contains("/nonexistent/model.onnx"));
}

TEST_CASE("an unsupported operator lists the supported ones") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Sin", {"x"}, {"y"}, "wave");
  const std::string message = import_error(b);
  CHECK_THAT(message, Catch::Contains("node 'wave' (Sin): unsupported operator"));
  CHECK_THAT(message,
             Catch::Contains("supported: Abs, Add, ArgMax, AveragePool, BatchNormalization"));
  // (the reductions rewritten before import are listed too)
  CHECK_THAT(message, Catch::Contains("ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceMax"));
}

TEST_CASE("control characters in names from the file are escaped") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Sin", {"x"}, {"y"}, "two\nlines");
  CHECK_THAT(import_error(b), Catch::Contains("node 'two\\x0alines' (Sin)"));
}

TEST_CASE("an operator from another domain is unsupported") {
  OnnxBuilder b;
  auto* import = b.model.add_opset_import();
  import->set_domain("com.example");
  import->set_version(1);
  b.input("x", {1, 4}).output("y", 2);
  b.node("Relu", {"x"}, {"y"}, "custom").proto().set_domain("com.example");
  CHECK_THAT(import_error(b), Catch::Contains("node 'custom' (com.example.Relu): unsupported"));
}

TEST_CASE("InstanceNormalization needs NCHW maps and a scale and bias per channel") {
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y", 4);
  b.initializer("scale", {3}, {1, 1, 1}).initializer("B", {2}, {0, 0});
  b.node("InstanceNormalization", {"x", "scale", "B"}, {"y"}, "norm");
  CHECK_THAT(import_error(b), Catch::Contains("node 'norm' (InstanceNormalization)") &&
                                  Catch::Contains("input 'scale' has shape 3, expected 2"));
}

TEST_CASE("InstanceNormalization of [N, G, L] must be a GroupNorm of an NCHW map") {
  // [1, 3, 8] is not [N, C, H, W] = [1, 4, 2, 2] in groups: 4 channels do not split into 3.
  OnnxBuilder b;
  b.input("x", {1, 4, 2, 2}).output("y", 3);
  b.int_initializer("shape", {3}, {1, 2, 8});
  b.initializer("scale", {2}, {1, 1}).initializer("B", {2}, {0, 0});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Reshape", {"r", "shape"}, {"grouped"}, "group");
  b.node("InstanceNormalization", {"grouped", "scale", "B"}, {"y"}, "norm");
  CHECK_NOTHROW(b.import());
  OnnxBuilder odd;
  odd.input("x", {1, 2, 3, 4}).output("y", 3);
  odd.int_initializer("shape", {3}, {1, 3, 8});
  odd.initializer("scale", {3}, {1, 1, 1}).initializer("B", {3}, {0, 0, 0});
  odd.node("Relu", {"x"}, {"r"}, "relu");
  odd.node("Reshape", {"r", "shape"}, {"grouped"}, "group");
  odd.node("InstanceNormalization", {"grouped", "scale", "B"}, {"y"}, "norm");
  CHECK_THAT(import_error(odd), Catch::Contains("node 'norm' (InstanceNormalization)") &&
                                    Catch::Contains("is not an NCHW map [N, C, H, W] reshaped"));
}

TEST_CASE("arithmetic with constants that the accelerator cannot run") {
  SECTION("a factor per element of a sequence (not an NCHW map; flattened too: no view)") {
    OnnxBuilder b;
    b.input("x", {1, 2, 3}).initializer("k", {1, 1, 3}, {1, 2, 3}).output("y", 3);
    b.output("f", 2).node("Flatten", {"x"}, {"f"}, "flatten");
    b.node("Mul", {"x", "k"}, {"y"}, "scale");
    CHECK_THAT(import_error(b),
               Catch::Contains("node 'scale' (Mul): constant 'k' of shape 1x1x3 scales input 'x' "
                               "of shape 1x2x3; per element only an NCHW map"));
  }
  SECTION("a constant per element over an activation") {
    OnnxBuilder b;
    b.input("x", {1, 4}).initializer("k", {1, 4}, {1, 2, 3, 4}).output("y", 2);
    b.node("Div", {"k", "x"}, {"y"}, "inv");
    CHECK_THAT(import_error(b), Catch::Contains("node 'inv' (Div)") &&
                                    Catch::Contains("only a scalar numerator is supported"));
  }
  SECTION("division by zero") {
    OnnxBuilder b;
    b.input("x", {1, 4}).initializer("k", {}, {0}).output("y", 2);
    b.node("Div", {"x", "k"}, {"y"}, "inv");
    CHECK_THAT(import_error(b),
               Catch::Contains("node 'inv' (Div)") && Catch::Contains("divides by 0"));
  }
}

TEST_CASE("Mul of two activations of shapes the vector engines cannot pair") {
  SECTION("a gate of another rank") {
    OnnxBuilder b;
    b.input("a", {1, 4, 2, 2}).input("v", {4, 1, 1}).output("y", 4);
    b.node("Mul", {"a", "v"}, {"y"}, "product");
    CHECK_THAT(import_error(b),
               Catch::Contains("node 'product' (Mul): the product of activations 'a' (1x4x2x2) "
                               "and 'v' (4x1x1) is not supported"));
  }
  SECTION("a gate with a batch of its own") {
    OnnxBuilder b;
    b.input("x", {1, 4, 2, 2}).input("g", {2, 4, 1, 1}).output("y", 4);
    b.node("Mul", {"x", "g"}, {"y"}, "gated");
    CHECK_THAT(import_error(b), Catch::Contains("node 'gated' (Mul): the product of activations"));
  }
}

TEST_CASE("LRN without a size, with a bias that is not positive, or over a matrix") {
  const auto lrn_error = [](const ir::Dims& shape, std::int64_t size, float bias) {
    OnnxBuilder b;
    b.input("x", shape).output("y", static_cast<int>(shape.size()));
    auto node = b.node("LRN", {"x"}, {"y"}, "norm");
    node.attr("bias", bias);
    if (size >= 0) node.attr("size", size);
    return import_error(b);
  };
  CHECK_THAT(lrn_error({1, 4, 2, 2}, -1, 1.0f),  // (ONNX's checker)
             Catch::Contains("Required attribute 'size' is missing"));
  CHECK_THAT(lrn_error({1, 4, 2, 2}, 0, 1.0f),
             Catch::Contains("node 'norm' (LRN): attribute 'size' = 0 must be a positive"));
  CHECK_THAT(lrn_error({1, 4, 2, 2}, 3, 0.0f),
             Catch::Contains("node 'norm' (LRN): attribute 'bias' = 0 is not supported"));
  CHECK_THAT(lrn_error({1, 4}, 3, 1.0f),
             Catch::Contains("node 'norm' (LRN): input 'x' has shape 1x4; only 2-D LRN"));
}

TEST_CASE("a Sum of more than two inputs with a constant among them") {
  OnnxBuilder b;
  b.input("a", {1, 2}).input("b", {1, 2}).initializer("k", {1, 2}, {1, 2}).output("y", 2);
  b.node("Sum", {"a", "b", "k"}, {"y"}, "total");
  CHECK_THAT(import_error(b), Catch::Contains("node 'total' (Sum): input 'k' is a constant; only "
                                              "a Sum of activations is supported"));
}

TEST_CASE("a reduction over other axes names the input, its shape and the axes") {
  OnnxBuilder b(13);
  b.input("x", {1, 3, 4, 5}).output("y", 4);
  b.node("ReduceMean", {"x"}, {"y"}, "mean").attr("axes", std::vector<std::int64_t>{1, 3});
  CHECK_THAT(
      import_error(b),
      Catch::Contains("node 'mean' (ReduceMean): the mean of input 'x' (1x3x4x5) over axes "
                      "1, 3 is not supported; only over H, W or both (axes 2, 3) or the "
                      "channels (axis 1) of an NCHW map or the features of an [N, D] vector"));
  OnnxBuilder batch(13);
  batch.input("x", {2, 3}).output("y", 2);
  batch.node("ReduceMax", {"x"}, {"y"}, "max").attr("axes", std::vector<std::int64_t>{0});
  CHECK_THAT(import_error(batch),
             Catch::Contains("the max of input 'x' (2x3) over axes 0 is not supported; only over "
                             "H, W or both (axes 2, 3) or the channels (axis 1) of an NCHW map") &&
                 !Catch::Contains("[N, D]"));
}

TEST_CASE("ImageScaler with a bias count other than the channels") {
  OnnxBuilder b(8);
  b.input("x", {1, 3, 2, 2}).output("y", 4);
  b.node("ImageScaler", {"x"}, {"y"}, "scaler").attr("bias", std::vector<float>{1.0f, 2.0f});
  CHECK_THAT(import_error(b), Catch::Contains("node 'scaler' (ImageScaler): attribute 'bias' has "
                                              "2 values for 3 channels"));
}

TEST_CASE("Pow by an exponent per element, or of a constant by an activation") {
  OnnxBuilder b;
  b.input("x", {1, 2}).initializer("e", {1, 2}, {2, 3}).output("y", 2);
  b.node("Pow", {"x", "e"}, {"y"}, "power");
  CHECK_THAT(import_error(b), Catch::Contains("node 'power' (Pow): exponent 'e' has shape 1x2; "
                                              "only one exponent for every element"));
  OnnxBuilder base;
  base.input("x", {1, 2}).initializer("k", {1}, {2}).output("y", 2);
  base.node("Pow", {"k", "x"}, {"y"}, "exp2");
  CHECK_THAT(import_error(base),
             Catch::Contains("node 'exp2' (Pow): only an activation to the power of a constant"));
}

TEST_CASE("PRelu with a slope per element or along W, or a slope that is an activation") {
  SECTION("per element") {
    OnnxBuilder b;
    b.input("x", {1, 1, 2, 2}).initializer("slope", {2, 2}, {0.1f, 0.2f, 0.3f, 0.4f});
    b.output("y", 4).node("PRelu", {"x", "slope"}, {"y"}, "prelu");
    CHECK_THAT(import_error(b),
               Catch::Contains("node 'prelu' (PRelu): slope 'slope' of shape 2x2 varies along "
                               "more than the channels of input 'x' (1x1x2x2)"));
  }
  SECTION("[C] at opset 7 and later: along W (numpy broadcasting), not per channel") {
    OnnxBuilder b;
    b.input("x", {1, 3, 3, 3}).initializer("slope", {3}, {0.1f, 0.2f, 0.3f});
    b.output("y", 4).node("PRelu", {"x", "slope"}, {"y"}, "prelu");
    CHECK_THAT(import_error(b), Catch::Contains("slope 'slope' of shape 3 varies along more"));
  }
  SECTION("an activation") {
    OnnxBuilder b;
    b.input("x", {1, 4}).input("s", {1, 4}).output("y", 2);
    b.node("PRelu", {"x", "s"}, {"y"}, "prelu");
    CHECK_THAT(import_error(b), Catch::Contains("node 'prelu' (PRelu): input 's' must be a "
                                                "constant"));
  }
}

TEST_CASE("Celu with alpha 0") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Celu", {"x"}, {"y"}, "celu").attr("alpha", 0.0f);
  CHECK_THAT(import_error(b), Catch::Contains("node 'celu' (Celu): attribute 'alpha' = 0"));
}

TEST_CASE("a 3-D convolution names kernel_shape") {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4, 4}).initializer("W", {1, 1, 2, 2, 2}, ramp(8)).output("y", 5);
  b.node("Conv", {"x", "W"}, {"y"}, "conv3d").attr("kernel_shape", Ints{2, 2, 2});
  CHECK_THAT(import_error(b), Catch::Contains("node 'conv3d' (Conv)") &&
                                  Catch::Contains("'kernel_shape'") && Catch::Contains("2-D"));
}

TEST_CASE("Gemm with transA = 1 names transA") {
  OnnxBuilder b;
  b.input("a", {3, 2}).initializer("B", {3, 4}, ramp(12)).output("y", 2);
  b.node("Gemm", {"a", "B"}, {"y"}, "fc").attr("transA", 1);
  CHECK_THAT(import_error(b),
             Catch::Contains("node 'fc' (Gemm)") && Catch::Contains("'transA' = 1"));
}

TEST_CASE("a zero stride is refused before ONNX's shape inference divides by it") {
  OnnxBuilder b = small_conv();
  b.node("Conv", {"x", "W"}, {"y"}, "conv").attr("strides", Ints{1, 0});
  CHECK_THAT(import_error(b),
             Catch::Contains("node 'conv' (Conv)") && Catch::Contains("'strides' value 0"));
}

TEST_CASE("Gemm whose matrix C varies between rows") {
  OnnxBuilder b;
  b.input("a", {2, 3}).initializer("B", {3, 2}, ramp(6)).initializer("C", {2, 2}, ramp(4));
  b.output("y", 2);
  b.node("Gemm", {"a", "B", "C"}, {"y"}, "fc");
  CHECK_THAT(import_error(b), Catch::Contains("'C'") && Catch::Contains("per-column"));
}

TEST_CASE("BatchNormalization in training mode names training_mode") {
  OnnxBuilder b(15);
  b.input("x", {1, 2, 2, 2}).output("y", 4);
  for (const char* name : {"s", "b", "m", "v"}) b.initializer(name, {2}, {1, 1});
  b.node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y", "running_mean", "running_var"},
         "bn")
      .attr("training_mode", 1);
  CHECK_THAT(import_error(b), Catch::Contains("node 'bn'") && Catch::Contains("'training_mode'"));
}

TEST_CASE("Softmax before opset 13 over several axes") {
  OnnxBuilder b(11);
  b.input("x", {1, 3, 2, 2}).output("y", 4);
  b.node("Softmax", {"x"}, {"y"}, "soft");
  CHECK_THAT(import_error(b), Catch::Contains("node 'soft'") && Catch::Contains("'axis'"));
  OnnxBuilder log(11);
  log.input("x", {1, 3, 2, 2}).output("y", 4);
  log.node("LogSoftmax", {"x"}, {"y"}, "lsm");
  CHECK_THAT(import_error(log),
             Catch::Contains("node 'lsm'") && Catch::Contains("before opset 13 LogSoftmax"));
}

TEST_CASE("a graph with a cycle names its nodes") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Add", {"x", "b"}, {"a"}, "join");
  b.node("Relu", {"a"}, {"b"}, "loop");
  b.node("Relu", {"a"}, {"y"}, "out");
  const std::string message = import_error(b);
  CHECK_THAT(message, Catch::Contains("cycle"));
  CHECK_THAT(message, Catch::Contains("'join' (Add)") && Catch::Contains("'loop' (Relu)"));
}

TEST_CASE("a missing initializer names the node and the input") {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4}).output("y", 4);
  b.node("Conv", {"x", "conv1.weight"}, {"y"}, "conv1");
  CHECK_THAT(import_error(b), Catch::Contains("node 'conv1' (Conv)") &&
                                  Catch::Contains("'conv1.weight'") &&
                                  Catch::Contains("missing initializer"));
}

TEST_CASE("a value written by two nodes") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2);
  b.node("Relu", {"x"}, {"y"}, "first");
  b.node("Relu", {"x"}, {"y"}, "second");
  CHECK_THAT(import_error(b),
             Catch::Contains("'y'") && Catch::Contains("'first'") && Catch::Contains("'second'"));
}

// A dynamic batch is taken as 1 (frontend_import_test); other dynamic dimensions are errors.
TEST_CASE("a dynamic input dimension suggests a fixed input shape") {
  OnnxBuilder b;
  b.dynamic_input("x", {1, 1, 4, 4}, 2, "height").initializer("W", {1, 1, 1, 1}, {1});
  b.output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"});
  const std::string message = import_error(b);
  CHECK_THAT(message, Catch::Contains("input 'x' of shape 1x1x?x4 has a dynamic dimension 2 "
                                      "('height')"));
  CHECK_THAT(message, Catch::Contains("fixed input shape"));
  // The batch too: it is fixed to 1 first, the error names the spatial dimension.
  auto* dims = b.graph().mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  dims->mutable_dim(0)->set_dim_param("N");
  CHECK_THAT(import_error(b), Catch::Contains("input 'x' of shape 1x1x?x4 has a dynamic "
                                              "dimension 2 ('height')"));
  // A 1-D input's only dimension is not a batch.
  OnnxBuilder vector;
  vector.dynamic_input("v", {3}, 0, "length").output("y", 1).node("Relu", {"v"}, {"y"});
  CHECK_THAT(import_error(vector), Catch::Contains("input 'v' of shape ? has a dynamic "
                                                   "dimension 0 ('length')"));
}

TEST_CASE("an input without a shape") {
  OnnxBuilder b;
  b.input("x", {}).output("y", 2);
  b.graph().mutable_input(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  b.node("Relu", {"x"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("invalid ONNX model") && Catch::Contains("shape"));
}

TEST_CASE("input_shapes that contradict the model or name no input") {
  OnnxBuilder b;
  b.dynamic_input("x", {1, 3}, 0, "batch").output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  frontend::ImportOptions options;
  options.input_shapes["x"] = {2, 4};
  CHECK_THAT(import_error(b, options), Catch::Contains("'x'") && Catch::Contains("2x4"));
  options.input_shapes = {{"z", {2, 3}}};
  CHECK_THAT(import_error(b, options),
             Catch::Contains("'z'") && Catch::Contains("not a graph input"));
  OnnxBuilder two;
  two.dynamic_input("a", {1, 3}, 0, "batch").dynamic_input("b", {1, 3}, 0, "batch");
  two.output("y", 2).node("Add", {"a", "b"}, {"y"});
  options.input_shapes = {{"", {1, 3}}};
  CHECK_THAT(import_error(two, options),
             Catch::Contains("an input shape without a name needs a model with one input; it has "
                             "2 ('a', 'b')"));
}

TEST_CASE("a zero input dimension") {
  OnnxBuilder b;
  b.input("x", {1, 0, 4}).output("y", 3);
  b.node("Relu", {"x"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("input 'x'") && Catch::Contains("zero dimension"));
}

TEST_CASE("an activation over the size limit is refused without allocating it") {
  // 2^28 elements is the limit; two of them concatenated are over it.
  OnnxBuilder b;
  b.input("x", {1, 1 << 14, 1 << 14}).output("y", 3);
  b.node("Concat", {"x", "x"}, {"y"}, "double").attr("axis", 1);
  CHECK_THAT(import_error(b), Catch::Contains("node 'double' (Concat)") && Catch::Contains("'y'") &&
                                  Catch::Contains("more than 268435456 elements"));
}

TEST_CASE("an input over the size limit") {
  OnnxBuilder b;
  b.input("x", {1 << 20, 1 << 20}).output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("input 'x'") && Catch::Contains("more than"));
}

TEST_CASE("an initializer whose dims claim an absurd size") {
  OnnxBuilder b = small_conv();
  onnx::TensorProto& weight = *b.graph().mutable_initializer(0);
  weight.clear_dims();
  for (std::int64_t d :
       {std::int64_t{1} << 40, std::int64_t{1} << 40, std::int64_t{1}, std::int64_t{1}})
    weight.add_dims(d);
  b.node("Conv", {"x", "W"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("initializer 'W'") && Catch::Contains("too large"));
}

TEST_CASE("an opset newer than ONNX 1.12 knows") {
  OnnxBuilder b(18);
  b.input("x", {1, 4}).output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("opset 18") && Catch::Contains("1 to 17"));
}

TEST_CASE("a model without the default operator set") {
  OnnxBuilder b;
  b.model.mutable_opset_import(0)->set_domain("com.example");
  b.input("x", {1, 4}).output("y", 2);
  b.node("Relu", {"x"}, {"y"});
  CHECK_THAT(import_error(b), Catch::Contains("operator set"));
}

TEST_CASE("ONNX's checker and shape inference refuse invalid models") {
  SECTION("wrong input count") {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y", 2);
    b.node("Relu", {"x", "x"}, {"y"}, "twice");
    CHECK_THAT(import_error(b), Catch::Contains("invalid ONNX model"));
  }
  SECTION("incompatible shapes") {
    OnnxBuilder b;
    b.input("a", {1, 3}).input("c", {1, 4}).output("y", 2);
    b.node("Add", {"a", "c"}, {"y"}, "sum");
    CHECK_THAT(import_error(b), Catch::Contains("invalid ONNX model"));
  }
}

TEST_CASE("a weight that is not a constant") {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4}).input("W", {1, 1, 1, 1}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"}, "conv");
  CHECK_THAT(import_error(b), Catch::Contains("node 'conv' (Conv)") &&
                                  Catch::Contains("'W' must be a constant") &&
                                  Catch::Contains("graph input"));
}

TEST_CASE("a constant input that the graph does not have") {
  OnnxBuilder b = small_conv();
  b.node("Conv", {"x", "W"}, {"y"});
  frontend::ImportOptions options;
  options.constant_inputs["w_typo"] = ir::Tensor{{1}, {1.0f}};
  CHECK_THAT(import_error(b, options), Catch::Contains("constant input 'w_typo'"));
}

TEST_CASE("a constant input whose shape differs from the declared one") {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4}).input("W", {1, 1, 1, 1}).output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"});
  frontend::ImportOptions options;
  options.constant_inputs["W"] = ir::Tensor{{2}, {1.0f, 2.0f}};
  CHECK_THAT(import_error(b, options), Catch::Contains("'W'") && Catch::Contains("declares"));
}

TEST_CASE("MaxPool whose Indices output is used") {
  OnnxBuilder b;
  b.input("x", {1, 1, 4, 4}).output("y", 4).output("where", 4);
  b.graph().mutable_output(1)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto_DataType_INT64);
  b.node("MaxPool", {"x"}, {"y", "where"}, "pool").attr("kernel_shape", Ints{2, 2});
  CHECK_THAT(import_error(b), Catch::Contains("node 'pool' (MaxPool)") &&
                                  Catch::Contains("'where'") && Catch::Contains("Indices"));
}

TEST_CASE("Dropout whose mask is used") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("y", 2).output("mask", 2);
  b.graph().mutable_output(1)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto_DataType_BOOL);
  b.node("Dropout", {"x"}, {"y", "mask"}, "drop");
  CHECK_THAT(import_error(b), Catch::Contains("node 'drop' (Dropout)") && Catch::Contains("mask"));
}

TEST_CASE("a graph output that folds to a constant") {
  OnnxBuilder b;
  b.input("x", {1, 4}).output("s", 1);
  b.graph().mutable_output(0)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto_DataType_INT64);
  b.node("Shape", {"x"}, {"s"});
  CHECK_THAT(import_error(b), Catch::Contains("output 's' is a constant"));
}

TEST_CASE("an integer graph input (a Reshape target fed at run time)") {
  OnnxBuilder b;
  b.input("x", {2, 6}).input("target", {2}).output("y", 2);
  b.graph().mutable_input(1)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto_DataType_INT64);
  b.node("Reshape", {"x", "target"}, {"y"}, "view");
  CHECK_THAT(import_error(b), Catch::Contains("input 'target' has element type INT64"));
}

TEST_CASE("a Conv whose kernel is larger than its input") {
  OnnxBuilder b;
  b.input("x", {1, 1, 2, 2}).initializer("W", {1, 1, 3, 3}, ramp(9)).output("y", 4);
  b.node("Conv", {"x", "W"}, {"y"}, "conv");
  CHECK_THAT(import_error(b), Catch::Contains("test.onnx: ") && Catch::Contains("conv"));
}

}  // namespace
}  // namespace pimhls::test
