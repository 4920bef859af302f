#pragma once
// Networks given by their layer shapes only (no weights), for benchmarks and tests: ResNets on
// 224x224 inputs (torchvision's layer order: conv1, conv2[, conv3], downsample, then the Add),
// VGG-8 on CIFAR-10 (NeuroSim's), and seeded chains of convolutions of any length. Lead
// vectors follow cost::layer_shapes (the next layer's first window).
#include <cstdint>

#include "opt/network.h"

namespace pimhls::opt {

// depth: 18, 34 or 50.
Network resnet_network(int depth, int weight_bits = 8, int activation_bits = 8);
Network vgg8_network(int weight_bits = 8, int activation_bits = 8);
// `layers` 3x3 convolutions (channels and resolution drawn from `seed`), then one Gemm.
Network chain_network(int layers, std::uint32_t seed, int weight_bits = 8, int activation_bits = 8);

}  // namespace pimhls::opt
