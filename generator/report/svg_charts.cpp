#include "report/svg_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace pimhls::report {
namespace {

constexpr double kWidth = 760;
constexpr double kLabelWidth = 190;  // row labels left of the plot
constexpr double kNoteWidth = 150;   // annotations right of the bars
constexpr double kRowHeight = 22;
constexpr double kAxisHeight = 34;

std::string svg_open(double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "width=\"{0:.0f}\" height=\"{1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, height);
}

std::string text(double x, double y, std::string_view label, std::string_view anchor = "start") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>\n", x, y, anchor,
                     xml_escape(label));
}

std::string rect(double x, double y, double width, double height, const std::string& fill,
                 std::string_view title = {}) {
  std::string out =
      fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"",
                  x, y, std::max(width, 0.0), height, fill);
  if (title.empty()) return out + "/>\n";
  return out + fmt::format("><title>{}</title></rect>\n", xml_escape(title));
}

std::string line(double x1, double y1, double x2, double y2) {
  return fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#999\" "
      "stroke-width=\"0.5\"/>\n",
      x1, y1, x2, y2);
}

// A tick value as short text: 1, 10, 1k, 1M (log axes), or with up to 3 significant digits.
std::string tick_text(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e9) return fmt::format("{:g}G", value / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:g}M", value / 1e6);
  if (magnitude >= 1e4) return fmt::format("{:g}k", value / 1e3);
  return fmt::format("{:g}", value);
}

// A "nice" step (1, 2 or 5 times a power of ten) giving about `ticks` intervals up to `top`.
double nice_step(double top, int ticks) {
  const double raw = top / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0})
    if (raw <= factor * power) return factor * power;
  return 10 * power;
}

// Maps a value to x in [0, width] on a linear axis from 0 or a log10 axis over whole decades.
struct Axis {
  bool log = false;
  double low = 0, high = 1;  // linear: values; log: exponents
  double width = 1;

  double x(double value) const {
    if (!log) return width * value / high;
    if (value <= 0) return 0;
    return width * std::clamp((std::log10(value) - low) / (high - low), 0.0, 1.0);
  }

  std::vector<double> ticks() const {
    std::vector<double> out;
    if (log) {
      for (double e = low; e <= high + 1e-9; e += 1) out.push_back(std::pow(10.0, e));
    } else {
      const double step = nice_step(high, 5);
      for (double v = 0; v <= high + step * 1e-9; v += step) out.push_back(v);
    }
    return out;
  }
};

Axis make_axis(double low, double high, double width, bool log_scale) {
  Axis axis;
  axis.width = width;
  if (log_scale && low > 0) {
    axis.log = true;
    axis.low = std::floor(std::log10(low));
    axis.high = std::max(axis.low + 1, std::ceil(std::log10(high)));
  } else {
    axis.high = high > 0 ? high : 1;
    const double step = nice_step(axis.high, 5);
    axis.high = std::ceil(axis.high / step - 1e-9) * step;
  }
  return axis;
}

std::string axis_svg(const Axis& axis, double left, double top, double bottom,
                     std::string_view label) {
  std::string out;
  for (double tick : axis.ticks()) {
    const double x = left + axis.x(tick);
    out += line(x, top, x, bottom);
    out += text(x, bottom + 14, tick_text(tick), "middle");
  }
  out += text(left + axis.width / 2, bottom + 29, label, "middle");
  return out;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string palette(int index) {
  static const char* const kColors[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                        "#56B4E9", "#D55E00", "#F0E442", "#999999"};
  constexpr int kCount = sizeof(kColors) / sizeof(kColors[0]);
  return kColors[((index % kCount) + kCount) % kCount];
}

std::string bar_chart(const std::vector<Bar>& bars, std::string_view axis_label, bool log_scale) {
  double low = 0, high = 0;
  for (const Bar& bar : bars) {
    if (bar.value > 0) low = low == 0 ? bar.value : std::min(low, bar.value);
    high = std::max(high, bar.value);
  }
  const double plot_width = kWidth - kLabelWidth - kNoteWidth;
  const Axis axis = make_axis(low, high, plot_width, log_scale);
  const double plot_bottom = 6 + kRowHeight * static_cast<double>(bars.size());
  std::string out = svg_open(plot_bottom + kAxisHeight);
  out += axis_svg(axis, kLabelWidth, 0, plot_bottom, axis_label);
  double y = 6;
  for (const Bar& bar : bars) {
    out += text(kLabelWidth - 6, y + 13, bar.label, "end");
    const double length = std::max(axis.x(bar.value), bar.value > 0 ? 1.5 : 0.0);
    out += rect(kLabelWidth, y + 2, length, kRowHeight - 6, palette(bar.color),
                fmt::format("{}: {:g}", bar.label, bar.value));
    out += text(kLabelWidth + length + 4, y + 13, bar.annotation);
    y += kRowHeight;
  }
  return out + "</svg>\n";
}

std::string stacked_bar(const std::vector<Segment>& segments, std::string_view unit) {
  double total = 0;
  for (const Segment& segment : segments) total += std::max(segment.value, 0.0);
  const double bar_width = kWidth - 20;
  const double legend_rows = std::ceil(static_cast<double>(segments.size()) / 3.0);
  std::string out = svg_open(40 + legend_rows * kRowHeight);
  double x = 10;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const double width = total > 0 ? bar_width * std::max(segments[i].value, 0.0) / total : 0;
    out += rect(x, 6, width, 24, palette(static_cast<int>(i)),
                fmt::format("{}: {:.3f} {}", segments[i].label, segments[i].value, unit));
    x += width;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const double column_x = 10 + static_cast<double>(i % 3) * (bar_width / 3);
    const double row_y = 40 + static_cast<double>(i / 3) * kRowHeight;
    out += rect(column_x, row_y, 12, 12, palette(static_cast<int>(i)));
    const double percent = total > 0 ? 100 * segments[i].value / total : 0;
    out += text(
        column_x + 18, row_y + 11,
        fmt::format("{} {:.3f} {} ({:.1f}%)", segments[i].label, segments[i].value, unit, percent));
  }
  return out + "</svg>\n";
}

std::string timeline(const std::vector<Span>& spans, std::string_view axis_label,
                     const std::vector<std::string>& legend) {
  std::vector<std::string> rows;
  std::map<std::string, std::size_t> row_index;
  double end = 0;
  for (const Span& span : spans) {
    if (row_index.emplace(span.row, rows.size()).second) rows.push_back(span.row);
    end = std::max(end, span.end);
  }
  const double plot_width = kWidth - kLabelWidth - 20;
  const Axis axis = make_axis(0, end, plot_width, false);
  const double plot_bottom = 6 + kRowHeight * static_cast<double>(rows.size());
  std::string out = svg_open(plot_bottom + kAxisHeight + (legend.empty() ? 0 : kRowHeight));
  out += axis_svg(axis, kLabelWidth, 0, plot_bottom, axis_label);
  for (std::size_t r = 0; r < rows.size(); ++r)
    out += text(kLabelWidth - 6, 6 + kRowHeight * static_cast<double>(r) + 13, rows[r], "end");
  for (const Span& span : spans) {
    const double y = 6 + kRowHeight * static_cast<double>(row_index.at(span.row));
    const double x = kLabelWidth + axis.x(span.start);
    const double width = std::max(axis.x(span.end) - axis.x(span.start), 1.0);
    out += rect(x, y + 3, width, kRowHeight - 6, palette(span.color), span.title);
  }
  const double legend_y = plot_bottom + kAxisHeight + 4;
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const double x = kLabelWidth + static_cast<double>(i) * 150;
    out += rect(x, legend_y, 12, 12, palette(static_cast<int>(i)));
    out += text(x + 18, legend_y + 11, legend[i]);
  }
  return out + "</svg>\n";
}

}  // namespace pimhls::report
