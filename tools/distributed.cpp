// The MPI glue of `dagprop train` (distributed.hpp): with DAGPROP_HAVE_MPI it
// drives dagprop::dist; without, it only detects mpirun and refuses to start
// N independent trainings. It trains nothing itself.
#include "distributed.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <streambuf>

#include <tbb/task_arena.h>

#include "cli.hpp"

#ifdef DAGPROP_HAVE_MPI
#include "dagprop/dist/cluster.hpp"
#endif

namespace dagprop::cli {

namespace {

// The number of processes mpirun started (Open MPI, else MPICH/PMI); 0 outside mpirun.
std::size_t world_size_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* v = std::getenv(name)) return std::strtoul(v, nullptr, 10);
  return 0;
}

// Swallows what a rank other than 0 would print.
class NullBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

#ifdef DAGPROP_HAVE_MPI

struct Distributed::Impl {
  dist::Cluster cluster;
  NullBuffer null;
  std::streambuf* cout_buffer = nullptr;
};

Distributed::Distributed(bool flag) {
  if (!flag && world_size_from_environment() == 0) return;
  impl_ = std::make_unique<Impl>();
  if (impl_->cluster.rank() != 0) impl_->cout_buffer = std::cout.rdbuf(&impl_->null);
}

Distributed::~Distributed() {
  if (impl_ && impl_->cout_buffer) std::cout.rdbuf(impl_->cout_buffer);
}

bool Distributed::active() const {
  return impl_ != nullptr;
}
int Distributed::rank() const {
  return impl_ ? impl_->cluster.rank() : 0;
}

int Distributed::guard(const std::function<int()>& body) {
  if (!impl_) return body();
  try {
    return body();
  } catch (const std::exception& e) {
    std::cout.flush();
    // One write per line: the ranks' lines do not interleave mid-line.
    std::cerr << "dagprop: error: rank " + std::to_string(impl_->cluster.rank()) + " of " +
                     std::to_string(impl_->cluster.size()) + ": " + e.what() + "\n"
              << std::flush;
  } catch (...) {
    std::cerr << "dagprop: error: rank " + std::to_string(impl_->cluster.rank()) +
                     ": unexpected error\n"
              << std::flush;
  }
  impl_->cluster.abort(1);
}

void Distributed::check_same_setup(const std::string& setup) {
  if (impl_)
    impl_->cluster.check_same(dist::hash_bytes(setup.data(), setup.size()),
                              "the training options (--epochs, --batch, --lr, --optimizer and "
                              "its constants, --precision, --loss, --reduction, --validation, "
                              "--patience, --schedule, --clip-*, --dropout, --scale*) or the "
                              "network's size");
}

void Distributed::check_same_data(const Dataset<double>& train, const std::string& path) {
  if (impl_)
    impl_->cluster.check_same(dist::data_hash(train),
                              "the training rows read from " + path + " (each rank reads it)");
}

template <class T>
void Distributed::attach(Trainer<T>& trainer, std::size_t threads) {
  if (!impl_) return;
  trainer.reduce_with(impl_->cluster.reducer<T>());
  const int n = impl_->cluster.size();
  const std::size_t t =
      threads ? threads : static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  std::cout << "training on " << n << (n == 1 ? " rank" : " ranks") << " × " << t
            << (t == 1 ? " thread" : " threads") << std::endl;
}

template <class T>
void Distributed::check_same_weights(const Network<T>& net, std::size_t epoch) {
  if (impl_)
    impl_->cluster.check_same(dist::weights_hash(net),
                              "the weights after epoch " + std::to_string(epoch));
}

#else  // a build without MPI

struct Distributed::Impl {};

Distributed::Distributed(bool flag) {
  const std::size_t n = world_size_from_environment();
  if (flag || n > 1)
    throw usage_error(
        "this build of dagprop has no MPI, so it cannot train across processes" +
        (n > 1 ? " (mpirun started " + std::to_string(n) + " of them)" : std::string()) +
        "; rebuild it with Open MPI and Boost.MPI installed (libboost-mpi-dev, openmpi-bin)");
}

Distributed::~Distributed() = default;
bool Distributed::active() const {
  return false;
}
int Distributed::rank() const {
  return 0;
}
int Distributed::guard(const std::function<int()>& body) {
  return body();
}
void Distributed::check_same_setup(const std::string&) {}
void Distributed::check_same_data(const Dataset<double>&, const std::string&) {}
template <class T>
void Distributed::attach(Trainer<T>&, std::size_t) {}
template <class T>
void Distributed::check_same_weights(const Network<T>&, std::size_t) {}

#endif

template void Distributed::attach(Trainer<float>&, std::size_t);
template void Distributed::attach(Trainer<double>&, std::size_t);
template void Distributed::check_same_weights(const Network<float>&, std::size_t);
template void Distributed::check_same_weights(const Network<double>&, std::size_t);

}  // namespace dagprop::cli
