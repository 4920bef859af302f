#pragma once
// What every benchmark needs: a clock, pinning to one core (the targets are per core), the CPU's
// name for the result file, and the median of repeated runs.
#include <fmt/core.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

namespace pimhls::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Pins the process to the core it is on (Eigen and pimhls run single-threaded anyway).
inline void pin_to_one_core() {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(std::max(0, sched_getcpu()), &set);
  if (sched_setaffinity(0, sizeof(set), &set) != 0) fmt::print("note: could not pin to one core\n");
}

// "model name" of /proc/cpuinfo, so that a result file says what it was measured on.
inline std::string cpu_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos)
      return line.substr(line.find(':') + 2);
  return "unknown";
}

// Seconds of `runs` calls of `body` after one warm-up call, sorted (median: [size / 2]).
template <typename Body>
std::vector<double> sorted_times(int runs, const Body& body) {
  body();
  std::vector<double> times_s;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    body();
    times_s.push_back(seconds_since(start));
  }
  std::sort(times_s.begin(), times_s.end());
  return times_s;
}

template <typename Body>
double median_seconds(int runs, const Body& body) {
  return sorted_times(runs, body)[static_cast<std::size_t>(runs) / 2];
}

}  // namespace pimhls::bench
