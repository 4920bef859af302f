#include "emit/scripts.h"

#include <fmt/format.h>

#include "emit/header.h"
#include "emit/render.h"
#include "util/error.h"

namespace pimhls::emit {

std::string format_decimal(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
    const bool dot = text.back() == '.';
    text.pop_back();
    if (dot) break;
  }
  return text == "-0" ? "0" : text;
}

std::vector<GeneratedFile> design_scripts(const ScriptInputs& inputs) {
  if (!(inputs.clock_ghz > 0)) fail("design: clock_ghz must be positive, not {}", inputs.clock_ghz);
  std::vector<TemplateData> sources;
  for (const std::string& file : inputs.sources) {
    TemplateData source;
    source.set("file", file);
    sources.push_back(source);
  }
  const auto data = [&](const std::string& file, const std::string& comment,
                        const std::string& what) {
    TemplateData d;
    d.set("header", header(comment, file, what, inputs.input_hash));
    d.set("top", inputs.top);
    d.set("sources", list_of(sources));
    d.set("clock_ghz", format_decimal(inputs.clock_ghz));
    d.set("period_ns", format_decimal(1.0 / inputs.clock_ghz, 4));
    return d;
  };
  return {
      {"filelist.f",
       render("filelist.f.mustache", data("filelist.f", "//", "source files of the design"))},
      {"synth.ys", render("synth.ys.mustache", data("synth.ys", "#", "Yosys synthesis script"))},
      {"constraints.sdc",
       render("constraints.sdc.mustache", data("constraints.sdc", "#", "clock constraints"))},
  };
}

}  // namespace pimhls::emit
