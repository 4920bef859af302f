#include "report/html_report.h"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "report/svg_charts.h"
#include "util/text.h"

namespace pimhls::report {
namespace {

constexpr const char* kStyle = R"(body{font-family:sans-serif;max-width:820px;margin:2em auto;
color:#222;line-height:1.4}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;
border-bottom:1px solid #ccc}table{border-collapse:collapse;font-size:0.85em}
td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:140px}
.card b{display:block;font-size:1.3em}.muted{color:#666;font-size:0.9em})";

std::string esc(const Json& value) {
  return xml_escape(value.is_string() ? value.get<std::string>() : value.dump());
}

std::string number(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

// Thousands separators make cycle counts readable: 553,491.
std::string integer(const Json& value) { return with_thousands(value.get<std::int64_t>()); }

std::string card(std::string_view title, const std::string& value, const std::string& note) {
  return fmt::format("<div class=\"card\">{}<b>{}</b><span class=\"muted\">{}</span></div>\n",
                     xml_escape(title), value, note);
}

// Row cells, already escaped/formatted, as one <tr>.
std::string row(const std::vector<std::string>& cells, bool header = false) {
  std::string out = "<tr>";
  for (const std::string& cell : cells)
    out += header ? "<th>" + cell + "</th>" : "<td>" + cell + "</td>";
  return out + "</tr>\n";
}

// Technology name -> palette index, in the report's order.
std::map<std::string, int> technology_colors(const Json& report) {
  std::map<std::string, int> colors;
  for (const Json& name : report.at("technologies"))
    colors.emplace(name.get<std::string>(), static_cast<int>(colors.size()));
  return colors;
}

std::string summary_section(const Json& report) {
  const Json& area = report.at("area");
  const Json& energy = report.at("energy");
  std::string tiles;
  for (const Json& run : report.at("tiles"))
    tiles += fmt::format("{} {}<br>", integer(run.at("tiles")), esc(run.at("config")));
  std::string out = "<div class=\"cards\">\n";
  out += card("latency", number(report.at("latency").at("us").get<double>(), 2) + " &micro;s",
              integer(report.at("latency").at("cycles")) + " cycles");
  out += card("area", number(area.at("total_mm2").get<double>(), 3) + " mm&sup2;",
              fmt::format("budget {} mm&sup2;{}", number(area.at("budget_mm2").get<double>(), 3),
                          area.at("within_budget").get<bool>() ? "" : " (exceeded)"));
  out +=
      card("energy", number(energy.at("total_uj").get<double>(), 2) + " &micro;J", "per inference");
  out += card("layer groups", std::to_string(report.at("groups").size()),
              std::to_string(report.at("units").size()) + " units");
  out += card("tiles", "", tiles);
  return out + "</div>\n";
}

std::string designs_section(const Json& report) {
  const std::map<std::string, int> colors = technology_colors(report);
  std::vector<Bar> bars;
  std::string table = row({"design", "latency &micro;s", "vs chosen", "area mm&sup2;", "in budget",
                           "energy &micro;J", "groups", "layers"},
                          true);
  for (const Json& design : report.at("designs")) {
    const std::string key = design.at("key").get<std::string>();
    // Colour by family: heterogeneous first, then each technology.
    int color = static_cast<int>(colors.size());
    for (const auto& [name, index] : colors)
      if (key.rfind(name + "-", 0) == 0) color = index;
    if (key.rfind("heterogeneous", 0) == 0) color = static_cast<int>(colors.size()) + 1;
    const double us = design.at("latency").at("us").get<double>();
    const double speed = design.at("speedup_of_chosen").get<double>();
    bars.push_back({key, us,
                    fmt::format("{:.2f}x, {:.1f} mm2", speed, design.at("area_mm2").get<double>()),
                    color});
    table += row({xml_escape(key), number(us, 2), number(speed, 2) + "x",
                  number(design.at("area_mm2").get<double>(), 3),
                  design.at("within_budget").get<bool>() ? "yes" : "no",
                  number(design.at("energy_uj").get<double>(), 2), esc(design.at("groups")),
                  esc(design.at("layer_technologies"))});
  }
  return "<p>Latency of every design of the run (log scale); the annotation is its latency "
         "relative to the chosen design and its area. Baselines keep all weights on chip at the "
         "area they need.</p>\n" +
         bar_chart(bars, "latency (us, log scale)", true) + "<table>\n" + table + "</table>\n";
}

std::string schedule_section(const Json& report) {
  const std::map<std::string, int> colors = technology_colors(report);
  const double cycles = report.at("latency").at("cycles").get<double>();
  const double us_per_cycle = cycles > 0 ? report.at("latency").at("us").get<double>() / cycles : 0;
  const int reload_color = static_cast<int>(colors.size());
  std::vector<Span> spans;
  for (const Json& group : report.at("groups")) {
    const double start = group.at("start_cycle").get<double>();
    const double reload = group.at("reload_cycles").get<double>();
    if (reload > 0)
      spans.push_back({"weight reload", start * us_per_cycle, (start + reload) * us_per_cycle,
                       reload_color,
                       fmt::format("group {}: reload {} cycles", esc(group.at("group")),
                                   integer(group.at("reload_cycles")))});
  }
  for (const Json& unit : report.at("units")) {
    std::string name = unit.at("layer").get<std::string>();
    if (!unit.at("piece").is_null())
      name = fmt::format("{} {}", name, unit.at("piece").get<std::string>());
    const std::string technology = unit.at("technology").get<std::string>();
    spans.push_back({name, unit.at("start_cycle").get<double>() * us_per_cycle,
                     unit.at("end_cycle").get<double>() * us_per_cycle, colors.at(technology),
                     fmt::format("{}: group {}, {} x{}, {} cycles", name, esc(unit.at("group")),
                                 esc(unit.at("config")), esc(unit.at("duplication")),
                                 integer(unit.at("compute_cycles")))});
  }
  std::vector<std::string> legend(colors.size());  // palette order: technologies, then reload
  for (const auto& [name, index] : colors) legend[static_cast<std::size_t>(index)] = name;
  legend.push_back("weight reload");
  std::string out =
      "<p>One inference: each unit (a layer, or a piece of a split layer) from its start to its "
      "finish; layers of a group run as a pipeline, groups one after another with their weights "
      "reloaded in between.</p>\n" +
      timeline(spans, "time (us)", legend);
  std::string table =
      row({"group", "units", "start", "reload", "compute", "spill", "end", "bottleneck"}, true);
  for (const Json& group : report.at("groups"))
    table +=
        row({esc(group.at("group")),
             fmt::format("{}&ndash;{}", esc(group.at("first_unit")), esc(group.at("last_unit"))),
             integer(group.at("start_cycle")), integer(group.at("reload_cycles")),
             integer(group.at("compute_cycles")), integer(group.at("spill_cycles")),
             integer(group.at("end_cycle")), esc(group.at("bottleneck_unit"))});
  return out + "<p class=\"muted\">Cycles of the chip clock.</p>\n<table>\n" + table + "</table>\n";
}

std::string units_section(const Json& report) {
  std::string table = row({"unit", "layer", "piece", "technology / configuration", "group",
                           "copies", "tiles", "weight bits", "MACs", "cycles", "energy &micro;J"},
                          true);
  for (const Json& unit : report.at("units"))
    table +=
        row({esc(unit.at("unit")), esc(unit.at("layer")),
             unit.at("piece").is_null() ? "" : esc(unit.at("piece")), esc(unit.at("config")),
             esc(unit.at("group")), esc(unit.at("duplication")), esc(unit.at("tiles")),
             integer(unit.at("weight_bits")), integer(unit.at("macs")),
             integer(unit.at("compute_cycles")), number(unit.at("energy_uj").get<double>(), 3)});
  return "<table>\n" + table + "</table>\n";
}

std::string breakdown_section(const Json& report) {
  const Json& area = report.at("area");
  std::vector<Segment> area_parts;
  for (const auto& item : area.at("tile_parts_mm2").items())
    area_parts.push_back({item.key(), item.value().get<double>()});
  area_parts.push_back({"global buffer", area.at("global_buffer_mm2").get<double>()});
  area_parts.push_back({"controller", area.at("controller_mm2").get<double>()});
  const Json& energy = report.at("energy");
  std::vector<Segment> energy_parts;
  for (const char* key : {"compute_uj", "reload_uj", "spill_uj", "leakage_uj"}) {
    std::string label = key;
    energy_parts.push_back({label.substr(0, label.size() - 3), energy.at(key).get<double>()});
  }
  return "<h3>Area</h3>\n" + stacked_bar(area_parts, "mm2") + "<h3>Energy per inference</h3>\n" +
         stacked_bar(energy_parts, "uJ");
}

std::string search_section(const Json& report) {
  const Json& search = report.at("search");
  const Json& criteria = search.at("per_criterion");
  std::string out = fmt::format(
      "<p>Technology assignments: 10<sup>{}</sup> possible; the criteria of Eq. 1 produced {} "
      "(memory), {} (computation) and {} (ratio), {} after removing duplicates; candidate {} was "
      "chosen. Tuning tried {} changes and kept {}.</p>\n",
      number(search.at("naive_assignments_log10").get<double>(), 2), esc(criteria.at("memory")),
      esc(criteria.at("computation")), esc(criteria.at("ratio")),
      esc(search.at("unique_candidates")), esc(search.at("chosen_candidate")),
      esc(search.at("tuning").at("trials")), search.at("tuning").at("accepted").size());
  if (search.contains("exhaustive")) {
    const Json& exhaustive = search.at("exhaustive");
    out += fmt::format(
        "<p>Exhaustive check: {} assignments ({} feasible); the criteria's best is {:.2f}% from "
        "the optimum (rank {}).</p>\n",
        esc(exhaustive.at("assignments")), esc(exhaustive.at("feasible")),
        100 * exhaustive.at("criteria_gap").get<double>(), esc(exhaustive.at("criteria_rank")));
  }
  return out;
}

}  // namespace

std::string html_report(const Json& report) {
  const std::string title =
      fmt::format("pimhls: {} under {} mm2", report.at("network").get<std::string>(),
                  number(report.at("area_budget_mm2").get<double>(), 3));
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", xml_escape(title),
                      kStyle);
  page += fmt::format("<h1>{}</h1>\n", xml_escape(title));
  page += fmt::format(
      "<p class=\"muted\">model {}, hardware library {}; chosen design <b>{}</b>; technology "
      "per weight layer: {}</p>\n",
      esc(report.at("model")), esc(report.at("hardware_library")), esc(report.at("design")),
      xml_escape(report.at("layer_technologies").dump()));
  page += summary_section(report);
  page += "<h2>Designs compared</h2>\n" + designs_section(report);
  page += "<h2>Schedule</h2>\n" + schedule_section(report);
  page += "<h2>Units</h2>\n" + units_section(report);
  page += "<h2>Breakdowns</h2>\n" + breakdown_section(report);
  page += "<h2>Search</h2>\n" + search_section(report);
  return page + "</body>\n</html>\n";
}

}  // namespace pimhls::report
