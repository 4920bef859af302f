#include "quant/nonideal.h"

#include "util/error.h"

namespace pimhls::quant {

bool NonidealConfig::ideal() const {
  return device_variation_sigma == 0.0 && read_noise_sigma == 0.0 && on_off_ratio == 0.0 &&
         ir_drop == 0.0 && stuck_at_off_rate == 0.0 && stuck_at_on_rate == 0.0;
}

std::unique_ptr<Nonideality> make_nonideality(const NonidealConfig& config) {
  if (config.ideal()) return nullptr;
  fail(
      "non-ideal analog models (device variation, read noise, on/off ratio, IR drop, stuck-at "
      "faults) are not implemented yet; only the ideal array is modelled");
}

}  // namespace pimhls::quant
