// The train command's flags of iRPROP- (--optimizer irprop-): its five
// constants, checked before any work, refused with the other optimizers, and
// the flags irprop- has no use for (--lr, --weight-decay, --schedule) refused
// with it. Training itself is in cmd_train.cpp.
#pragma once

#include <vector>

#include "cli.hpp"
#include "train_state.hpp"

namespace dagprop::cli {

// Adds --rprop-delta0, --rprop-increase, --rprop-decrease, --rprop-delta-min
// and --rprop-delta-max, stored in `o`.
void add_rprop_options(po::options_description& desc, OptimizerOptions& o);

// Throws usage_error naming the flag: an --rprop-* flag with another
// optimizer than irprop-, one out of range, or --lr, --weight-decay or a
// --schedule with irprop-.
void check_rprop_flags(const TrainArgs& a);

// With --resume into a checkpoint of `optimizer` (its state's `scalars`):
// throws usage_error when it has no learning rate and --lr is given, or when
// an --rprop-* flag given asks for another value than the checkpoint holds.
void check_resume_rprop_flags(const TrainArgs& a, const std::string& optimizer,
                              bool has_learning_rate, const std::vector<double>& scalars);

}  // namespace dagprop::cli
