// FANN's training data files (.data, as fann_save_train writes them): a line
// "pairs inputs outputs", then for each pair a line of inputs and a line of
// outputs, numbers separated by blanks. Reading only; load_data (data.hpp)
// tells them from CSV and IDX by their first line.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "dagprop/dataset.hpp"

namespace dagprop::io {

// Whether `first_line` is a FANN data header: three counts separated by single
// spaces (CSV fields are separated by , ; or tab, never by a space alone).
bool is_fann_data_header(std::string_view first_line);

// Reads a FANN data file into a data set (outputs as targets). Every defect is
// an io_error naming the source and the line: a bad header, counts whose
// values cannot fit in the bytes present (checked before allocating: `size`,
// the file's size, or 0 when unknown), a line with too few or too many
// numbers, a value that is not a finite number, missing or extra pairs.
Dataset<double> read_fann_data(std::istream& in, const std::string& source, std::uint64_t size = 0);
Dataset<double> read_fann_data(const std::string& path);

}  // namespace dagprop::io
