// compile(): the step from the editable Topology (Boost.Graph) to the flat
// Network that computes. Declared apart from both so that neither header
// needs the other; it is defined in engine/src/compile.cpp.
#pragma once

namespace dagprop {

class Topology;
template <class T>
class Network;

// Validates `t` (Topology::validate: cycles, duplicates, units no input reaches,
// ...) and compiles it: units renumbered in topological order with inputs first
// (in input-number order), upstream sets as compressed sparse rows, levels, and
// the dense groups that run as matrix products. Throws topology_error when `t`
// is not valid.
template <class T>
Network<T> compile(const Topology& t);

}  // namespace dagprop
