// noc_mesh.sv + noc_router.sv on three meshes (CMakeLists.txt): every flit arrives once,
// unchanged, at its destination, in order per (source, destination); an uncontended flit takes
// hops * HOP_CYCLES + 1 cycles (hops: the Manhattan distance of XY routing); a stream runs at
// one flit per cycle when DEPTH > HOP_CYCLES (one per HOP_CYCLES + 1 cycles when DEPTH = 1);
// random and hot-spot traffic with ejection back-pressure drains (no deadlock, no starvation);
// a destination outside the mesh raises `error` and is dropped.
#include <cstdlib>
#include <deque>
#include <random>
#include <vector>

#include "Vnoc_hop1.h"
#include "Vnoc_hop2.h"
#include "Vnoc_hop3.h"
#include "tb_util.h"

namespace {

int bits_for(int n) {
  int b = 0;
  while ((1 << b) < n) ++b;
  return n > 1 ? b : 1;
}

struct Mesh {
  int x, y, locals, data_bits, depth, hop;
  int ends() const { return x * y * locals; }
  int flit_bits() const { return bits_for(locals) + bits_for(y) + bits_for(x) + data_bits; }
  int hops(int from, int to) const {
    const int a = from / locals, b = to / locals;
    return std::abs(a % x - b % x) + std::abs(a / x - b / x);
  }
};

template <typename Model>
class Bench {
 public:
  Bench(const Mesh& mesh, const char* name) : mesh_(mesh), name_(name) { reset(); }

  void reset() {
    m_.rst_n = 0;
    m_.inject_valid = 0;
    m_.eject_ready = 0;
    tb::tick(m_);
    m_.rst_n = 1;
    m_.eval();
  }

  // Sets endpoint e's injection for the next edge (dest endpoint d, field value checked by
  // nothing but the RTL: a destination outside the mesh is passed as raw x, y, local).
  void offer(int e, int dx, int dy, int dl, std::uint64_t payload) {
    const int lo = e * mesh_.flit_bits();
    const int xb = bits_for(mesh_.x), yb = bits_for(mesh_.y), lb = bits_for(mesh_.locals);
    tb::set_bits(m_.inject_flit, lo, mesh_.data_bits, payload);
    tb::set_bits(m_.inject_flit, lo + mesh_.data_bits, xb, static_cast<std::uint64_t>(dx));
    tb::set_bits(m_.inject_flit, lo + mesh_.data_bits + xb, yb, static_cast<std::uint64_t>(dy));
    tb::set_bits(m_.inject_flit, lo + mesh_.data_bits + xb + yb, lb,
                 static_cast<std::uint64_t>(dl));
    m_.inject_valid |= std::uint64_t{1} << e;
  }
  void offer(int e, int dest, std::uint64_t payload) {
    const int r = dest / mesh_.locals;
    offer(e, r % mesh_.x, r / mesh_.x, dest % mesh_.locals, payload);
  }
  bool ready(int e) const { return (m_.inject_ready >> e) & 1; }
  bool ejecting(int e) const { return (m_.eject_valid >> e) & 1; }
  std::uint64_t ejected(int e) const {
    return tb::get_bits(m_.eject_data, e * mesh_.data_bits, mesh_.data_bits);
  }
  void tick() {
    tb::tick(m_);
    m_.inject_valid = 0;
    m_.eval();
  }

  // One flit from every endpoint to every endpoint on an idle mesh.
  void test_latency() {
    m_.eject_ready = ~std::uint64_t{0} >> (64 - mesh_.ends());
    for (int s = 0; s < mesh_.ends(); ++s) {
      for (int d = 0; d < mesh_.ends(); ++d) {
        const std::uint64_t payload = static_cast<std::uint64_t>(s * 7 + d * 3 + 1) & data_mask();
        tb::check(ready(s), label("ready", s, d));
        offer(s, d, payload);
        int arrived = -1;
        for (int cycle = 1; cycle <= 64 && arrived < 0; ++cycle) {
          tick();
          for (int e = 0; e < mesh_.ends(); ++e) {
            if (!ejecting(e)) continue;
            tb::check(e == d && ejected(e) == payload, label("delivery", s, d));
            arrived = cycle;
          }
        }
        tb::check_eq(arrived, mesh_.hops(s, d) * mesh_.hop + 1, label("latency", s, d));
        tick();  // the flit leaves its ejection register
      }
    }
  }

  // `count` flits from the first endpoint to the last: one per cycle when credits suffice.
  void test_stream(int count, int interval) {
    m_.eject_ready = ~std::uint64_t{0} >> (64 - mesh_.ends());
    const int src = 0, dst = mesh_.ends() - 1;
    int sent = 0, first = -1, last = -1, received = 0;
    for (int cycle = 0; cycle < count * (interval + 2) + 64; ++cycle) {
      if (ejecting(dst)) {
        tb::check_eq(static_cast<std::int64_t>(ejected(dst)), received % 200, "stream order");
        if (first < 0) first = cycle;
        last = cycle;
        ++received;
      }
      if (sent < count && ready(src)) offer(src, dst, static_cast<std::uint64_t>(sent++ % 200));
      tick();
    }
    tb::check_eq(received, count, std::string(name_) + " stream flits");
    tb::check_eq(last - first, (count - 1) * interval, std::string(name_) + " stream cycles");
  }

  // Random traffic (or every source to one hot endpoint) with random ejection back-pressure,
  // then a drain with ejection always ready.
  void test_traffic(unsigned seed, int cycles, int inject_pct, int hot) {
    const int ends = mesh_.ends();
    const int seq_bits = mesh_.data_bits - bits_for(ends);
    std::mt19937 rng(seed);
    std::vector<std::vector<std::deque<std::uint64_t>>> pending(
        ends, std::vector<std::deque<std::uint64_t>>(ends));
    std::vector<int> seq(ends, 0);
    std::vector<int> delivered_from(ends, 0);  // in the second half (saturated queues)
    int outstanding = 0, delivered = 0;
    for (int cycle = 0; cycle < cycles + 2000 && (cycle < cycles || outstanding > 0); ++cycle) {
      const bool injecting = cycle < cycles;
      std::uint64_t ready_mask = 0;
      for (int e = 0; e < ends; ++e)
        if (!injecting || static_cast<int>(rng() % 100) < 70) ready_mask |= std::uint64_t{1} << e;
      m_.eject_ready = ready_mask;
      for (int e = 0; e < ends; ++e) {
        if (!ejecting(e) || !((ready_mask >> e) & 1)) continue;
        const std::uint64_t payload = ejected(e);
        const int src = static_cast<int>(payload >> seq_bits);
        if (src >= ends || pending[src][e].empty() || pending[src][e].front() != payload) {
          tb::check(false, label("unexpected flit at", src < ends ? src : 0, e));
          continue;
        }
        pending[src][e].pop_front();
        if (cycle >= cycles / 2 && injecting) ++delivered_from[src];
        ++delivered;
        --outstanding;
      }
      for (int s = 0; injecting && s < ends; ++s) {
        if (!ready(s) || static_cast<int>(rng() % 100) >= inject_pct) continue;
        const int d = hot >= 0 ? hot : static_cast<int>(rng() % ends);
        const std::uint64_t payload =
            (static_cast<std::uint64_t>(s) << seq_bits) | (seq[s]++ & ((1 << seq_bits) - 1));
        offer(s, d, payload);
        pending[s][d].push_back(payload);
        ++outstanding;
      }
      tick();
    }
    const std::string what = std::string(name_) + (hot >= 0 ? " hot spot" : " random traffic");
    tb::check_eq(outstanding, 0, what + ": flits still in the mesh (deadlock or loss)");
    tb::check(delivered > cycles / 4, what + ": too few flits");
    for (int s = 0; hot >= 0 && s < ends; ++s)
      tb::check(s == hot || delivered_from[s] > 0, label("starved source", s, hot));
    tb::check(!m_.error, what + ": error raised");
  }

  // A destination outside the mesh (x = MESH_X, else y = MESH_Y, else local = LOCALS, the first
  // its field can hold) is dropped and raises error.
  void test_bad_destination() {
    tb::check(!m_.error, std::string(name_) + ": error before the bad flit");
    if (mesh_.x < (1 << bits_for(mesh_.x)))
      offer(0, mesh_.x, 0, 0, 1);
    else if (mesh_.y < (1 << bits_for(mesh_.y)))
      offer(0, 0, mesh_.y, 0, 1);
    else
      offer(0, 0, 0, mesh_.locals, 1);
    for (int cycle = 0; cycle < 8; ++cycle) {
      tick();
      tb::check(m_.eject_valid == 0, std::string(name_) + ": bad flit delivered");
    }
    tb::check(m_.error, std::string(name_) + ": no error for a bad destination");
    reset();
    tb::check(!m_.error, std::string(name_) + ": error after reset");
  }

 private:
  std::uint64_t data_mask() const { return (std::uint64_t{1} << mesh_.data_bits) - 1; }
  std::string label(const char* what, int s, int d) const {
    return std::string(name_) + " " + what + " " + std::to_string(s) + " -> " + std::to_string(d);
  }

  Mesh mesh_;
  const char* name_;
  Model m_;
};

// Every test on one mesh: a stream of `stream` flits `interval` cycles apart, random traffic
// at `pct` percent, then every source into endpoint `hot`.
template <typename Model>
void test_mesh(const Mesh& mesh, const char* name, unsigned seed, int stream, int interval, int pct,
               int hot) {
  Bench<Model> b(mesh, name);
  b.test_latency();
  b.test_stream(stream, interval);
  b.test_traffic(seed, 3000, pct, -1);
  b.test_traffic(seed + 1, 2000, 100, hot);
  b.test_bad_destination();
}

}  // namespace

int main() {
  tb::random_initial_state();
  // The parameters of each model (CMakeLists.txt): MESH_X, MESH_Y, LOCALS, DATA_BITS, DEPTH,
  // HOP_CYCLES.
  test_mesh<Vnoc_hop2>({4, 3, 1, 32, 4, 2}, "4x3 hop 2", 1, 50, 1, 30, 5);
  test_mesh<Vnoc_hop1>({3, 2, 4, 16, 2, 1}, "3x2x4 hop 1", 3, 50, 1, 20, 9);
  test_mesh<Vnoc_hop3>({1, 5, 2, 8, 1, 3}, "1x5x2 hop 3", 5, 30, 4, 40, 0);
  return tb::finish("noc");
}
