// The HTML report: a well-formed, self-contained page that shows every design, unit and group of
// report.json, escapes what it prints, and is byte-identical for the same report.
#include <fmt/core.h>

#include <catch2/catch.hpp>
#include <regex>

#include "opt/network_shapes.h"
#include "opt/optimizer.h"
#include "opt_test_problems.h"
#include "report/html_report.h"
#include "report/report_json.h"
#include "report/svg_charts.h"

namespace pimhls::report {
namespace {

Json chain_report() {
  const opt::Problem problem = opt::testing::synthetic_problem(opt::chain_network(7, 5));
  opt::OptimizerSettings settings;
  settings.area_budget_um2 = 60000;
  const opt::OptimizationResult result = opt::optimize(problem, settings);
  return report_json(problem, result, RunInfo{"net<1>.onnx", "<test>", 8, 8, 32});
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

TEST_CASE("xml_escape replaces the five special characters") {
  CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(xml_escape("plain") == "plain");
}

TEST_CASE("bar chart scales bars linearly or by decades") {
  const std::string linear = bar_chart({{"a", 50, "", 0}, {"b", 100, "", 1}}, "x", false);
  // Plot width 760 - 190 - 150 = 420 px for the axis 0..100: 210 and 420 px bars.
  CHECK(linear.find("width=\"210.0\"") != std::string::npos);
  CHECK(linear.find("width=\"420.0\"") != std::string::npos);
  const std::string log = bar_chart({{"a", 10, "", 0}, {"b", 1000, "", 1}}, "x", true);
  // Decades 10..1000: 10 at 0 (drawn 1.5 px), 1000 at the full 420 px; ticks 10, 100, 1000.
  CHECK(log.find("width=\"1.5\"") != std::string::npos);
  CHECK(log.find("width=\"420.0\"") != std::string::npos);
  CHECK(log.find(">100<") != std::string::npos);
}

TEST_CASE("stacked bar segments add up to the bar and show percentages") {
  const std::string svg = stacked_bar({{"x", 1}, {"y", 3}}, "mm2");
  // 740 px in all: 185 and 555.
  CHECK(svg.find("width=\"185.0\"") != std::string::npos);
  CHECK(svg.find("width=\"555.0\"") != std::string::npos);
  CHECK(svg.find("y 3.000 mm2 (75.0%)") != std::string::npos);
}

TEST_CASE("the page shows every design, unit and group of the report") {
  const Json report = chain_report();
  const std::string page = html_report(report);
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("net&lt;1&gt;.onnx") != std::string::npos);  // escaped
  CHECK(page.find("net<1>") == std::string::npos);
  for (const Json& design : report.at("designs"))
    CHECK(page.find(fmt::format(">{}<", design.at("key").get<std::string>())) != std::string::npos);
  // One table row per design, unit and group, plus their header rows.
  const std::size_t rows =
      report.at("designs").size() + report.at("units").size() + report.at("groups").size() + 3;
  CHECK(count(page, "<tr>") == rows);
  // Balanced elements: every opened svg, table, rect-with-title and text is closed.
  CHECK(count(page, "<svg") == count(page, "</svg>"));
  CHECK(count(page, "<table>") == count(page, "</table>"));
  CHECK(count(page, "<text") == count(page, "</text>"));
  CHECK(count(page, "<script") == 0);  // self-contained, nothing runs
  // The latency card prints the report's own number.
  CHECK(page.find(fmt::format("{:.2f} &micro;s", report.at("latency").at("us").get<double>())) !=
        std::string::npos);
}

TEST_CASE("the page is deterministic") {
  CHECK(html_report(chain_report()) == html_report(chain_report()));
}

}  // namespace
}  // namespace pimhls::report
