// Checkpoints (io/checkpoint.hpp): training stopped mid-epoch, saved, loaded
// into a new network and trainer, and finished ends with parameters
// bit-identical to training that never stopped (SGD, momentum, Adam, iRPROP-: their
// buffers round-trip); every field of the checkpoint survives each archive kind.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <limits>

#include "dagprop/dagprop.hpp"
#include "dagprop/io/checkpoint.hpp"
#include "dagprop/io/model.hpp"
#include "dagprop/optimizer.hpp"
#include "engine/random_dag.hpp"
#include "temp_dir.hpp"

using namespace dagprop;
using dagprop::io::ArchiveKind;

namespace {

std::string temp_path(const std::string& name) {
  static const test::TempDir dir("io-checkpoint");  // one per test process
  return dir.file(name);
}

template <class T>
Dataset<T> make_data(std::size_t rows, std::size_t n_in, std::size_t n_out) {
  SplitMix64 rng(99);
  Dataset<T> d;
  d.num_inputs = n_in;
  d.num_targets = n_out;
  for (std::size_t r = 0; r < rows * n_in; ++r)
    d.inputs.push_back(static_cast<T>(rng.uniform(-1, 1)));
  for (std::size_t r = 0; r < rows * n_out; ++r)
    d.targets.push_back(static_cast<T>(rng.uniform(-1, 1)));
  return d;
}

template <class T>
std::unique_ptr<Optimizer<T>> optimizer(const std::string& name) {
  if (name == "sgd") return nullptr;  // the Trainer's own Sgd (Algorithm 5)
  OptimizerOptions o;
  o.name = name;
  return make_optimizer<T>(o);
}

}  // namespace

TEMPLATE_TEST_CASE("a checkpointed training resumes bit-identically", "[io][checkpoint]", float,
                   double) {
  using T = TestType;
  const std::string name = GENERATE(as<std::string>{}, "sgd", "momentum", "adam", "irprop-");
  const auto kind = GENERATE(ArchiveKind::binary, ArchiveKind::text, ArchiveKind::xml);
  INFO(name << ", " << io::to_string(kind));
  const Network<T> initial = compile<T>(test::random_dag(11, Loss::sse).topology);
  const Dataset<T> data = make_data<T>(40, initial.num_inputs(), initial.num_outputs());
  TrainOptions o;
  o.epochs = 3;
  o.batch_size = 8;  // 5 batches per epoch
  o.chunk_size = 3;
  o.threads = 2;
  o.learning_rate = 0.05;
  o.seed = 17;

  Network<T> straight = initial;
  {
    Trainer<T> trainer(straight, o, optimizer<T>(name));
    trainer.fit(data);
  }

  Network<T> first_half = initial;
  const std::string path = temp_path("resume.dpc");
  {
    Trainer<T> trainer(first_half, o, optimizer<T>(name));
    for (int b = 0; b < 8; ++b) trainer.train_batch(data);  // 1.6 epochs
    REQUIRE(trainer.state().epoch == 1);
    REQUIRE(trainer.state().batch == 3);
    io::Checkpoint<T> ck{first_half,      trainer.optimizer().state(),
                         trainer.state(), trainer.options(),
                         std::nullopt,    {},
                         std::nullopt};
    if (name != "sgd") REQUIRE_FALSE(ck.optimizer.buffers.empty());
    io::save_checkpoint(path, ck, kind);
  }
  io::Checkpoint<T> ck = io::load_checkpoint<T>(path);
  REQUIRE(std::memcmp(ck.network.params().data(), first_half.params().data(),
                      first_half.params().size() * sizeof(T)) == 0);
  Trainer<T> resumed(ck.network, ck.options, optimizer<T>(ck.optimizer.name));
  resumed.set_state(ck.trainer);
  resumed.optimizer().set_state(ck.optimizer);
  resumed.fit(data);
  REQUIRE(resumed.state().epoch == 3);
  REQUIRE(ck.network.params().size() == straight.params().size());
  CHECK(std::memcmp(ck.network.params().data(), straight.params().data(),
                    straight.params().size() * sizeof(T)) == 0);
  // and the resumption did change something: a test that cannot fail is a defect
  CHECK(std::memcmp(ck.network.params().data(), first_half.params().data(),
                    first_half.params().size() * sizeof(T)) != 0);
}

TEST_CASE("every checkpoint field round-trips", "[io][checkpoint]") {
  const auto kind = GENERATE(ArchiveKind::binary, ArchiveKind::text, ArchiveKind::xml);
  io::Checkpoint<double> ck;
  ck.network = compile<double>(test::random_dag(3, Loss::sse).topology);
  ck.optimizer = {"custom", {0.1, 1.0 / 3.0, 7}, {{1.5, -2.25, 1e-300}, {0.1}, {}}};
  ck.trainer = {4, 2, 0xfedcba9876543210ull, 1.0 / 7.0, 5, 6, 2.5};
  ck.options.epochs = 9;
  ck.options.batch_size = 3;
  ck.options.chunk_size = 2;
  ck.options.learning_rate = 0.1 + 1e-17;
  ck.options.loss = Loss::bce;
  ck.options.reduction = Reduction::mean;
  ck.options.seed = 1234567890123ull;
  ck.options.shuffle = false;
  ck.options.threads = 3;
  ck.options.input_gradient = true;
  ck.options.schedule = parse_schedule("step:10:0.5");
  ck.options.clip_norm = 2.5;
  ck.options.clip_value = 0.75;
  ck.options.dropout = 0.125;
  io::Scaler s;
  s.kind = io::ScaleKind::divide;
  s.offset.assign(ck.network.num_inputs(), 0.0);
  s.scale.assign(ck.network.num_inputs(), 255.0);
  ck.scaler = s;
  const std::string path = temp_path("fields.dpc");
  io::save_checkpoint(path, ck, kind);
  const auto back = io::load_checkpoint<double>(path);
  CHECK(back.network.params() == ck.network.params());
  CHECK(back.optimizer.name == "custom");
  CHECK(back.optimizer.scalars == ck.optimizer.scalars);
  CHECK(back.optimizer.buffers == ck.optimizer.buffers);
  CHECK(back.trainer.epoch == 4);
  CHECK(back.trainer.batch == 2);
  CHECK(back.trainer.epoch_rng == 0xfedcba9876543210ull);
  CHECK(back.trainer.loss_sum == 1.0 / 7.0);
  CHECK(back.trainer.correct == 5);
  CHECK(back.trainer.runs == 6);
  CHECK(back.trainer.seconds == 2.5);
  CHECK(back.options.epochs == 9);
  CHECK(back.options.batch_size == 3);
  CHECK(back.options.chunk_size == 2);
  CHECK(back.options.learning_rate == 0.1 + 1e-17);
  CHECK(back.options.loss == Loss::bce);
  CHECK(back.options.reduction == Reduction::mean);
  CHECK(back.options.seed == 1234567890123ull);
  CHECK_FALSE(back.options.shuffle);
  CHECK(back.options.threads == 3);
  CHECK(back.options.input_gradient);
  CHECK(back.options.schedule.to_string() == "step:10:0.5");
  CHECK(back.options.clip_norm == 2.5);
  CHECK(back.options.clip_value == 0.75);
  CHECK(back.options.dropout == 0.125);
  REQUIRE(back.scaler.has_value());
  CHECK(*back.scaler == s);
  const auto info = io::inspect_file(path);
  CHECK(info.is_checkpoint);
  CHECK(info.optimizer == "custom");
  CHECK(info.epoch == 4);
  CHECK(info.batch == 2);

  ck.optimizer.buffers[1][0] = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(io::save_checkpoint(path, ck, kind), io_error);
}

TEST_CASE("a checkpoint keeps the schedule as its spec was spelled", "[io][checkpoint]") {
  io::Checkpoint<double> ck;
  ck.network = compile<double>(test::random_dag(3, Loss::sse).topology);
  ck.optimizer = {"sgd", {0.1}, {}};
  const std::string path = temp_path("schedule.dpc");
  const auto round_trip = [&] {
    io::save_checkpoint(path, ck);
    return io::load_checkpoint<double>(path);
  };
  // The user's text, not the schedule's own (cosine:warmup=0:epochs=20:min=0).
  ck.options.schedule = parse_schedule("cosine:epochs=20");
  ck.schedule_spec = "cosine:epochs=20";
  io::Checkpoint<double> back = round_trip();
  CHECK(back.schedule_spec == "cosine:epochs=20");
  CHECK(back.options.schedule.to_string() == "cosine:warmup=0:epochs=20:min=0");
  // No text: the schedule's own, and "" for the default constant one.
  ck.schedule_spec.clear();
  CHECK(round_trip().schedule_spec == "cosine:warmup=0:epochs=20:min=0");
  ck.options.schedule = Schedule{};
  CHECK(round_trip().schedule_spec.empty());
  ck.schedule_spec = "constant";
  CHECK(round_trip().schedule_spec == "constant");
  // A text that is not the schedule is refused, not saved.
  ck.options.schedule.kind = Schedule::Kind::exponential, ck.options.schedule.gamma = 0.9;
  CHECK_THROWS_AS(io::save_checkpoint(path, ck), io_error);
  ck.schedule_spec = "exp:0.90";
  CHECK(round_trip().schedule_spec == "exp:0.90");
  ck.schedule_spec = "exp:oops";
  CHECK_THROWS_AS(io::save_checkpoint(path, ck), io_error);
}
