#pragma once
// Runs body(i) for i in [0, count) on `jobs` threads. Results must be written by index, so the
// output does not depend on the number of threads; the exception of the lowest failing index is
// rethrown after all threads have joined.
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace pimhls::opt {

template <typename Body>
void parallel_for(int count, int jobs, const Body& body) {
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  const auto worker = [&] {
    for (int i = next++; i < count; i = next++) {
      try {
        body(i);
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs && t < count; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace pimhls::opt
