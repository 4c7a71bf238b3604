// Learning-rate schedules: η(e) = η0 · factor(e), a pure function of the
// 0-based epoch e, so a resumed run gets the same rates. The Trainer applies
// it before every mini-batch (TrainOptions::schedule); this file neither
// trains nor touches an optimizer.
//
// A Schedule is a value: set its fields, or read one from its spec text (the
// command line's --schedule, a checkpoint's field) with parse_schedule:
//   dagprop::Schedule s;                        // constant: η stays η0
//   s.kind = dagprop::Schedule::Kind::step, s.step = 10, s.gamma = 0.5;
//   train_options.schedule = s;                 // checked by TrainOptions::check()
//   train_options.schedule = dagprop::parse_schedule("cosine:warmup=2:epochs=20");
//   double eta = s.learning_rate(0.1, epoch);   // throws nothing
// Specs (parse_schedule throws invalid_argument for anything else):
//   ""  or "constant"              η0
//   "step:N:G"                     η0 · G^floor(e / N)         N >= 1, 0 < G
//   "exp:G"                        η0 · G^e                    0 < G
//   "cosine:warmup=W:epochs=E[:min=M]"
//       e < W:   η0 · (e + 1) / W  (linear warm-up reaching η0 at e = W - 1)
//       e >= W:  M·η0 + (η0 - M·η0) · (1 + cos(π · min(e - W, E - W - 1) / (E - W))) / 2
//       0 <= W < E, 0 <= M < 1; past epoch E the rate stays at that of E - 1.
#pragma once

#include <cstddef>
#include <string>

namespace dagprop {

struct Schedule {
  enum class Kind { constant, step, exponential, cosine };
  Kind kind = Kind::constant;
  std::size_t step = 1;    // step: epochs per decay
  double gamma = 1;        // step, exponential: factor per decay
  std::size_t warmup = 0;  // cosine: epochs of linear warm-up
  std::size_t epochs = 1;  // cosine: epochs of warm-up plus decay
  double min_factor = 0;   // cosine: the floor, as a fraction of η0

  // The multiplier of η0 in epoch e (0-based).
  double factor(std::size_t epoch) const;
  double learning_rate(double eta0, std::size_t epoch) const { return eta0 * factor(epoch); }
  // The spec parse_schedule reads back into the same schedule (numbers in
  // their shortest exact form: "exp:0.9", "step:10:0.5").
  std::string to_string() const;
  // Throws invalid_argument naming the field out of range (or an unknown kind).
  void check() const;
  // Throws invalid_argument ("the learning rate 0.01 becomes 0 at epoch 3 of 3;
  // ...") unless η0 stays positive and finite from the first epoch to the last
  // (an exponential decay can reach 0 in double).
  void check_rates(double eta0, std::size_t total_epochs) const;
};

// The schedule of a spec (above); throws invalid_argument naming the spec.
Schedule parse_schedule(const std::string& spec);

}  // namespace dagprop
