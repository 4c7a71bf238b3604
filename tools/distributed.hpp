// `dagprop train` across processes: under mpirun (Open MPI's
// OMPI_COMM_WORLD_SIZE) or with --distributed it joins the MPI job through
// dagprop::dist; rank 0 alone prints and writes files. A build without MPI
// says so instead. The training itself stays in cmd_train.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "dagprop/dataset.hpp"
#include "dagprop/network.hpp"
#include "dagprop/trainer.hpp"

namespace dagprop::cli {

class Distributed {
 public:
  // Joins the job when `flag` is set or the process runs under mpirun (more
  // than one process, or one with the flag); throws usage_error when it should
  // but this build has no MPI. Otherwise a single process, and every call below
  // does nothing. On ranks other than 0 the standard output is discarded.
  explicit Distributed(bool flag);
  ~Distributed();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  bool active() const;
  int rank() const;
  bool writes() const { return rank() == 0; }  // files and output: rank 0 only

  // Runs `body`. In a job, an exception prints "dagprop: error: rank R of N:
  // ..." on stderr and ends every rank (MPI_Abort, exit status 1).
  int guard(const std::function<int()>& body);

  // Collective: refuses a training setup (`setup`, the options that must
  // agree, as text) that differs between the ranks, which would otherwise
  // train different numbers of steps and wait on each other for ever.
  void check_same_setup(const std::string& setup);
  // Collective: refuses data that differs between the ranks.
  void check_same_data(const Dataset<double>& train, const std::string& path);
  // Makes `trainer` compute this rank's share; prints "training on N ranks × T threads".
  template <class T>
  void attach(Trainer<T>& trainer, std::size_t threads);
  // Collective: refuses weights that differ between the ranks after `epoch`.
  template <class T>
  void check_same_weights(const Network<T>& net, std::size_t epoch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dagprop::cli
