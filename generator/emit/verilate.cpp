#include "emit/verilate.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "emit/hash.h"
#include "util/error.h"
#include "util/files.h"

namespace pimhls::emit {
namespace {

namespace fs = std::filesystem;

// Single-threaded model (--threads is far slower on 2 cores), fast X handling (toolchain.md)
// except the initial values: random (the harness seeds them), so a design that reads state it
// never reset or wrote fails the bit-for-bit check instead of passing on zeros.
// --unroll-stmts 400 keeps the arrays' row-write and input-load loops as C++ loops: unrolled,
// every array instance got its own copy (17x more C++ on the tiny CNN, minutes of g++).
// The model's per-cycle code at g++ -O2, not Verilator's default -Os: VGG-8 simulates 15-20%
// faster (the wide-vector helpers are inlined); without GCSE and the second scheduling pass,
// which cost compile time on the large generated functions and gained nothing measurable. The
// runtime library is off the per-cycle path: -O1. (docs/rtl.md, "Simulation speed")
const char* const kVerilatorFlags =
    "--cc --exe --build -O3 --x-assign fast --x-initial unique --unroll-stmts 400 -Wno-fatal -j 2 "
    "-MAKEFLAGS 'OPT_FAST=\"-O2 -fno-gcse -fno-schedule-insns2\" OPT_GLOBAL=-O1' "
    "--top-module pimhls_sim_top";

std::string quote(const fs::path& path) {
  std::string text = "'";
  for (const char c : path.string()) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return text + "'";
}

std::string tail(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string text;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    text += (text.empty() ? "" : " | ") + all[i];
  return text;
}

// The sources of filelist.f, in order, then the simulation's own (design_files.cpp).
std::vector<std::string> sim_sources(const fs::path& design_dir) {
  std::istringstream in(read_file(design_dir / "filelist.f"));
  std::vector<std::string> files;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    files.push_back(line);
  }
  files.push_back("sim/offchip_memory.sv");
  files.push_back("sim/pimhls_sim_top.sv");
  return files;
}

std::string verilator_version() {
  const fs::path log = fs::temp_directory_path() / fmt::format("pimhls-verilator-{}", getpid());
  std::error_code error;
  fs::remove(log, error);
  if (run_command("verilator --version", log) != 0)
    fail("verilator: not found or not working (install the verilator package: scripts/setup.sh)");
  std::string version = read_file(log);
  fs::remove(log, error);
  return version;
}

}  // namespace

int run_command(const std::string& command, const fs::path& log) {
  const int status = std::system(fmt::format("({}) >> {} 2>&1", command, quote(log)).c_str());
  if (status == -1) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

VerilatedModel verilate(const fs::path& design_dir) {
  const std::vector<std::string> sources = sim_sources(design_dir);
  const fs::path harness = design_dir / "sim" / "pimhls_sim_main.cpp";
  Fnv1a key;
  key.add(verilator_version()).add(kVerilatorFlags);
  for (const std::string& source : sources) key.add(source).add(read_file(design_dir / source));
  key.add(read_file(harness));
  const fs::path cache = design_dir / ".verilator";
  const fs::path build = cache / key.hex();
  VerilatedModel model{build / "pimhls_sim", true, 0};
  std::error_code error;
  if (fs::is_regular_file(model.executable, error)) return model;

  // One build at a time per design: older keys are dropped.
  if (fs::is_directory(cache, error))
    for (const fs::directory_entry& entry : fs::directory_iterator(cache))
      if (entry.path() != build) fs::remove_all(entry.path(), error);
  fs::create_directories(build, error);
  if (error) fail("{}: cannot create: {}", build.string(), error.message());
  const fs::path log = build / "build.log";
  std::string files;
  for (const std::string& source : sources) files += quote(source) + " ";
  std::string command =
      fmt::format("cd {} && verilator {} -Mdir {} -o pimhls_sim {}{}", quote(design_dir),
                  kVerilatorFlags, quote(fs::absolute(build)), files, quote(fs::absolute(harness)));
  const auto start = std::chrono::steady_clock::now();
  if (run_command(command, log) != 0 || !fs::is_regular_file(model.executable, error))
    fail("{}: verilator failed (log {}): {}", design_dir.string(), log.string(), tail(log, 6));
  model.cached = false;
  model.build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return model;
}

SimResults run_model(const VerilatedModel& model, const fs::path& design_dir,
                     const InputCodes& inputs) {
  const fs::path run_dir = design_dir / ".verilator" / "run";
  std::error_code error;
  fs::create_directories(run_dir, error);
  std::string input_text;
  for (const auto& [id, codes] : inputs) {
    input_text += fmt::format("buffer {} {}\n", id, codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i)
      input_text +=
          fmt::format("{}{}", codes[i], i + 1 == codes.size() || i % 32 == 31 ? "\n" : " ");
  }
  write_file_atomic(run_dir / "input_codes.txt", input_text);
  const fs::path results_path = run_dir / "results.txt";
  const fs::path log = run_dir / "sim.log";
  fs::remove(results_path, error);
  fs::remove(log, error);
  // The model keeps wide temporaries (flat accumulator vectors of large engines) on the stack:
  // run it with the largest stack the shell allows (8 MiB overflowed on a 14-tile design).
  const int status =
      run_command(fmt::format("ulimit -s unlimited 2>/dev/null || "
                              "ulimit -s \"$(ulimit -H -s)\" 2>/dev/null; "
                              "cd {} && {} sim_config.json {} {}",
                              quote(design_dir), quote(fs::absolute(model.executable)),
                              quote(fs::absolute(run_dir / "input_codes.txt")),
                              quote(fs::absolute(results_path))),
                  log);
  if (status != 0 && status != 2)
    fail("{}: the simulation failed (exit status {}; log {}): {}", design_dir.string(), status,
         log.string(), tail(log, 4));

  SimResults results;
  std::istringstream in(read_file(results_path));
  std::string keyword;
  while (in >> keyword) {
    if (keyword == "finished") {
      int flag = 0;
      in >> flag;
      results.finished = flag != 0;
    } else if (keyword == "measured_cycles") {
      in >> results.measured_cycles;
    } else if (keyword == "total_cycles") {
      in >> results.total_cycles;
    } else if (keyword == "error" || keyword == "reload_overrun" || keyword == "late") {
      int flag = 0;
      in >> flag;
      (keyword == "error"  ? results.error
       : keyword == "late" ? results.late
                           : results.reload_overrun) = flag != 0;
    } else if (keyword == "buffer") {
      int id = 0;
      std::size_t count = 0;
      in >> id >> count;
      std::vector<std::int64_t>& codes = results.buffers[id];
      codes.resize(count);
      for (std::int64_t& code : codes) in >> code;
    } else {
      fail("{}: unexpected '{}'", results_path.string(), keyword);
    }
    if (!in) fail("{}: malformed results", results_path.string());
  }
  return results;
}

}  // namespace pimhls::emit
