// The data-parallel seam (reducer.hpp) without MPI: R trainers in R threads,
// each with its own copy of the network, pass the chunk fold along through an
// in-memory mailbox, in segments, and end every batch with the bits of one
// Trainer; shares fewer than the processes, uneven, and of more chunks than
// buffers (waves).
// The MPI reducer itself is tested under mpirun (tests/dist).
#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "dagprop/dagprop.hpp"

using namespace dagprop;

namespace {

// Values posted by one process for others, per (slot, batch, first parameter).
class Mailbox {
 public:
  using Key = std::tuple<std::size_t, std::size_t, std::size_t>;
  void post(const Key& key, std::vector<double> values) {
    std::lock_guard<std::mutex> lock(mutex_);
    box_[key] = std::move(values);
    ready_.notify_all();
  }
  std::vector<double> take(const Key& key) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return box_.count(key) > 0; });
    return box_[key];
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::map<Key, std::vector<double>> box_;
};

// Process r of R: its even share; the fold goes r -> r + 1 in segments of 7
// parameters (slot r + 1), the last process with chunks posts the batch's sum
// (slot R), and each process its chunks' losses and counts (slot R + 1 + r).
class MailboxReducer : public GradientReducer<float> {
 public:
  MailboxReducer(Mailbox& box, std::size_t r, std::size_t processes)
      : box_(box), r_(r), R_(processes) {}
  ChunkShare share(std::size_t chunks) override { return even_share(chunks, R_, r_); }
  std::size_t segment() const override { return 7; }
  void receive(float* sum, std::size_t k0, std::size_t k1, std::size_t) override {
    const std::vector<double> v = box_.take({r_, batch_, k0});
    for (std::size_t k = k0; k < k1; ++k) sum[k] = static_cast<float>(v[k - k0]);
  }
  void send(const float* sum, std::size_t k0, std::size_t k1, std::size_t chunks) override {
    if (r_ + 1 < std::min(chunks, R_)) box_.post({r_ + 1, batch_, k0}, {sum + k0, sum + k1});
  }
  void complete(float* sum, std::size_t size, double* loss, std::size_t* correct,
                std::size_t chunks) override {
    if (r_ + 1 == std::min(chunks, R_)) box_.post({R_, batch_, 0}, {sum, sum + size});
    const std::vector<double> all = box_.take({R_, batch_, 0});
    for (std::size_t k = 0; k < size; ++k) sum[k] = static_cast<float>(all[k]);
    const ChunkShare mine = share(chunks);
    std::vector<double> mine_values;
    for (std::size_t q = mine.first; q < mine.last; ++q)
      mine_values.insert(mine_values.end(), {loss[q], static_cast<double>(correct[q])});
    box_.post({R_ + 1 + r_, batch_, 0}, mine_values);
    for (std::size_t r = 0; r < R_; ++r) {
      const std::vector<double> v = box_.take({R_ + 1 + r, batch_, 0});
      const ChunkShare s = even_share(chunks, R_, r);
      for (std::size_t q = s.first; q < s.last; ++q)
        loss[q] = v[2 * (q - s.first)],
        correct[q] = static_cast<std::size_t>(v[2 * (q - s.first) + 1]);
    }
    ++batch_;
  }

 private:
  Mailbox& box_;
  std::size_t r_, R_, batch_ = 0;
};

// Rows of 5 inputs in [-1, 1) and a one-hot class of 3 from the inputs' signs.
Dataset<float> three_classes(std::size_t rows) {
  SplitMix64 rng(21);
  Dataset<float> d;
  d.num_inputs = 5;
  d.num_targets = 3;
  for (std::size_t r = 0; r < rows; ++r) {
    float x[5];
    for (float& v : x) v = static_cast<float>(rng.uniform(-1, 1));
    d.inputs.insert(d.inputs.end(), x, x + 5);
    const std::size_t c = x[0] + x[1] > 0 ? (x[2] > 0 ? 2 : 1) : 0;
    for (std::size_t k = 0; k < 3; ++k) d.targets.push_back(k == c ? 1.0f : 0.0f);
  }
  return d;
}

struct Result {
  std::vector<float> params;
  std::vector<double> loss, accuracy;
};

Result train(const Network<float>& start, const Dataset<float>& data, const TrainOptions& o,
             std::shared_ptr<GradientReducer<float>> reducer) {
  Network<float> net = start;
  Trainer<float> trainer(
      net, o, std::make_unique<Adam<float>>(o.learning_rate, 0.9, 0.999, 1e-8, 0.0, false));
  trainer.reduce_with(std::move(reducer));
  Result r;
  for (const EpochReport& e : trainer.fit(data)) {
    r.loss.push_back(e.loss);
    r.accuracy.push_back(e.accuracy);
  }
  r.params = net.params();
  return r;
}

}  // namespace

TEST_CASE("processes sharing batches through a GradientReducer train as one, bit for bit",
          "[trainer][reducer][parallel]") {
  Topology t = make_mlp({5, 12, 7, 3}, Activation::tanh, Activation::identity);
  t.connect(0, t.num_units() - 1);  // a skip connection: a sparse unit too
  initialize(t, InitScheme::he_uniform, 4);
  const Network<float> start = compile<float>(t);
  const Dataset<float> data = three_classes(301);
  // (batch, chunk): 5 chunks a batch and a last batch of one chunk (fewer than
  // the processes); 150 chunks, 75 or 50 a process (more than 64 buffers: waves).
  for (const auto& [batch, chunk] : {std::pair<std::size_t, std::size_t>{37, 8}, {150, 1}}) {
    TrainOptions o;
    o.epochs = 2;
    o.batch_size = batch;
    o.chunk_size = chunk;
    o.learning_rate = 0.01;
    o.loss = Loss::softmax_ce;
    o.dropout = 0.2;
    o.threads = 1;
    const Result one = train(start, data, o, nullptr);
    CHECK(one.params != start.params());
    for (std::size_t R : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
      INFO("batch " << batch << ", chunk " << chunk << ", " << R << " processes");
      Mailbox box;
      std::vector<Result> results(R);
      std::vector<std::thread> processes;
      for (std::size_t r = 0; r < R; ++r)
        processes.emplace_back([&, r] {
          results[r] = train(start, data, o, std::make_shared<MailboxReducer>(box, r, R));
        });
      for (std::thread& p : processes) p.join();
      for (const Result& r : results) {
        REQUIRE(r.params.size() == one.params.size());
        CHECK(std::memcmp(r.params.data(), one.params.data(), one.params.size() * sizeof(float)) ==
              0);
        CHECK(r.loss == one.loss);
        CHECK(r.accuracy == one.accuracy);
      }
    }
  }
}

namespace {
class BadShare : public GradientReducer<float> {
 public:
  explicit BadShare(ChunkShare s) : s_(s) {}
  ChunkShare share(std::size_t) override { return s_; }
  void receive(float*, std::size_t, std::size_t, std::size_t) override {}
  void send(const float*, std::size_t, std::size_t, std::size_t) override {}
  void complete(float*, std::size_t, double*, std::size_t*, std::size_t) override {}

 private:
  ChunkShare s_;
};
}  // namespace

TEST_CASE("a reducer's share outside the batch's chunks is refused before any work",
          "[trainer][reducer]") {
  Network<float> net = compile<float>(make_mlp({5, 4, 3}, Activation::tanh, Activation::identity));
  const Dataset<float> data = three_classes(20);
  TrainOptions o;
  o.batch_size = 20;
  o.chunk_size = 4;  // 5 chunks
  const std::vector<float> before = net.params();
  for (ChunkShare s : {ChunkShare{0, 0}, ChunkShare{3, 2}, ChunkShare{4, 6}}) {
    Trainer<float> trainer(net, o);
    trainer.reduce_with(std::make_shared<BadShare>(s));
    CHECK_THROWS_WITH(trainer.train_batch(data),
                      Catch::Contains("share [" + std::to_string(s.first) + ", " +
                                      std::to_string(s.last) + ") of a batch of 5 chunks"));
    CHECK(net.params() == before);
  }
  CHECK(even_share(5, 3, 0).first == 0);  // 2, 2, 1: the formula by hand
  CHECK(even_share(5, 3, 0).last == 2);
  CHECK(even_share(5, 3, 2).first == 4);
  CHECK(even_share(5, 3, 2).last == 5);
  CHECK(even_share(1, 3, 1).empty());
  CHECK(even_share(1, 3, 1).first == 1);
}
