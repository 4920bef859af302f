#pragma once
// Small, dependency-free SVG charts for the HTML report: horizontal bars (optionally on a log
// axis), one stacked bar with a legend, and a timeline (Gantt) of labelled spans. Output is
// deterministic text (fixed decimals) and every label is XML-escaped.
#include <string>
#include <string_view>
#include <vector>

namespace pimhls::report {

// `text` with & < > " ' replaced by entities (for HTML and SVG).
std::string xml_escape(std::string_view text);

// A CSS colour for series `index` of a fixed palette (colour-blind safe, Okabe-Ito).
std::string palette(int index);

struct Bar {
  std::string label;
  double value = 0;
  std::string annotation;  // printed after the bar ("1.00x, 15.6 mm2")
  int color = 0;           // palette index
};

// One row per bar, values to scale (log10 axis when `log_scale`, for values spanning decades).
std::string bar_chart(const std::vector<Bar>& bars, std::string_view axis_label, bool log_scale);

struct Segment {
  std::string label;
  double value = 0;
};

// One bar cut into segments in order, with a legend below (value and percent of the total).
std::string stacked_bar(const std::vector<Segment>& segments, std::string_view unit);

struct Span {
  std::string row;   // the row's label (a unit, a group)
  double start = 0;  // in axis units
  double end = 0;
  int color = 0;      // palette index
  std::string title;  // tooltip
};

// Rows in order of first appearance; spans drawn on a shared time axis from 0 to the largest end.
std::string timeline(const std::vector<Span>& spans, std::string_view axis_label,
                     const std::vector<std::string>& legend);

}  // namespace pimhls::report
