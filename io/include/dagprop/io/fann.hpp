// FANN 2.2 network files (FANN_FLO_2.1, also FANN_FLO_2.0) in both directions.
// read_fann builds a Topology that computes what FANN's fann_run computes, its
// steepness, clamp of the sum and symmetric forms folded into weights, biases
// and a few extra units; write_fann writes any network of FANN's functions as
// a sparse FANN network. Training parameters of the file are ignored.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dagprop/io/scaling.hpp"
#include "dagprop/network.hpp"
#include "dagprop/topology.hpp"

namespace dagprop::io {

// FANN's activation codes (enum fann_activationfunc_enum of fann_data.h).
enum class FannFunction : unsigned {
  linear = 0,
  threshold,
  threshold_symmetric,
  sigmoid,
  sigmoid_stepwise,
  sigmoid_symmetric,
  sigmoid_symmetric_stepwise,
  gaussian,
  gaussian_symmetric,
  gaussian_stepwise,
  elliot,
  elliot_symmetric,
  linear_piece,
  linear_piece_symmetric,
  sin_symmetric,
  cos_symmetric,
  sin,
  cos
};
inline constexpr unsigned num_fann_functions = 18;
// "FANN_LINEAR", "FANN_SIGMOID", ... as fann_data.h names them.
std::string fann_function_name(unsigned code);

// The largest deviation of FANN's stepwise sigmoids from the smooth functions
// they are imported as (sampled densely, at t = -0.979): sigmoid_stepwise from
// 1/(1 + e^(-2t)), sigmoid_symmetric_stepwise from tanh(t).
inline constexpr double fann_stepwise_deviation = 0.0333;
inline constexpr double fann_symmetric_stepwise_deviation = 0.0665;

struct FannNetwork {
  Topology topology;  // validated; unit names n<k> after FANN's neuron numbers
  // scale_included=1: x' = (x - offset) / scale per input, what fann_scale_input
  // does; kind none without scaling.
  Scaler input_scaling;
  // scale_included=1: raw output = y' * scale + offset, what fann_descale_output
  // does (as a Scaler of targets: y' = (raw - offset) / scale); kind none without.
  Scaler output_scaling;
  // One line per approximation made (a stepwise sigmoid imported as the smooth
  // one, naming the neurons and the largest deviation); empty when exact.
  std::vector<std::string> notes;
};

// Reads a FANN_FLO_2.1 or FANN_FLO_2.0 file: standard, shortcut and sparse
// networks (cascade-trained ones are shortcut networks). Every defect is an
// io_error naming the file, the line and the neuron: a missing or repeated
// field, a malformed number, counts that disagree with each other or with the
// bytes present (checked before allocating), a connection from a neuron not
// computed before, a non-finite weight, a steepness not positive, FANN_THRESHOLD,
// FANN_THRESHOLD_SYMMETRIC or FANN_GAUSSIAN_STEPWISE (no derivative, or not
// implemented by FANN), a fixed-point file, a scale deviation or factor of 0.
// identity_outputs: every output an identity unit of its own (for a caller
// that folds the output scaling into its weights and bias).
FannNetwork read_fann(const std::string& path, bool identity_outputs = false);
FannNetwork read_fann_text(const std::string& text, const std::string& source,
                           bool identity_outputs = false);

// Which of FANN's runtimes an exported file is for (fann_text below).
enum class FannRuntime { floating_point, fixed_point };

// FANN's own view of the network: every non-input unit a FANN neuron (layers
// by level, outputs in the last layer, bias neurons ending each layer), with
// explicit connections (connection_rate < 1, which makes fann_run follow
// them). identity -> FANN_LINEAR, sigmoid -> FANN_SIGMOID, tanh ->
// FANN_SIGMOID_SYMMETRIC, hard_tanh -> FANN_LINEAR_PIECE_SYMMETRIC, gaussian ->
// FANN_GAUSSIAN, softsign -> FANN_ELLIOT_SYMMETRIC, sin -> FANN_SIN_SYMMETRIC;
// any other activation is an invalid_argument naming the unit and it. A unit
// whose sum may pass FANN's clamp of ±150/steepness and change its value gets
// steepness 2^-20 (weights scaled up to match). `input` (kind not none) and
// `output` (raw = y * scale + offset) are written as FANN's scaling.
//
// For FannRuntime::fixed_point the file is meant for fann_save_to_fixed and
// FANN's integer fann_run, which neither clamps a sum nor reads a linear
// neuron's steepness and has no gaussian, elliot or sine: identity units and
// relays keep steepness 1 and their own weights (in FANN's float runtime their
// sums are then clamped at ±150), and gaussian, softsign and sin units are
// refused by name. That runtime replaces sigmoid and tanh by FANN's stepwise
// lines (at most fann_stepwise_deviation and fann_symmetric_stepwise_deviation
// from the functions) and computes in 2^-decimal_point steps.
std::string fann_text(const Network<double>& net, const Scaler* input = nullptr,
                      const Scaler* output = nullptr,
                      FannRuntime runtime = FannRuntime::floating_point);
// fann_text written atomically (atomic_file.hpp); io_error naming the file.
void write_fann(const std::string& path, const Network<double>& net, const Scaler* input = nullptr,
                const Scaler* output = nullptr, FannRuntime runtime = FannRuntime::floating_point);

}  // namespace dagprop::io
