// `dagprop`: the command line of the engine. This file only dispatches to a
// subcommand and turns every error into one line on stderr and exit status 1;
// the subcommands live in cmd_*.cpp.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <utility>

#include "cli.hpp"

namespace {

using dagprop::cli::Command;

struct Entry {
  const char* name;
  Command run;
  const char* what;
};

const Entry commands[] = {
    {"new", dagprop::cli::cmd_new, "create a layered network (optionally densely connected)"},
    {"import", dagprop::cli::cmd_import,
     "create a network from a Graphviz DOT file, a neat-python JSON export or a FANN .net file"},
    {"train", dagprop::cli::cmd_train, "train a network on a data set"},
    {"eval", dagprop::cli::cmd_eval, "loss, accuracy and confusion matrix on a data set"},
    {"predict", dagprop::cli::cmd_predict, "outputs (or classes) for every input row"},
    {"inspect", dagprop::cli::cmd_inspect, "units, connections, levels and file format"},
    {"dot", dagprop::cli::cmd_dot, "write a network as Graphviz DOT"},
    {"edit", dagprop::cli::cmd_edit, "add, remove, split and prune units and connections"},
    {"convert", dagprop::cli::cmd_convert, "rewrite a model file as text, binary or XML"},
    {"gradcheck", dagprop::cli::cmd_gradcheck, "compare back-propagation with central differences"},
    {"export-c", dagprop::cli::cmd_export_c, "write a network as a C99 function (NAME.c, NAME.h)"},
    {"export-fann", dagprop::cli::cmd_export_fann, "write a network as a FANN 2.2 .net file"},
};

void usage(std::ostream& out) {
  out << "usage: dagprop <command> [options]   (dagprop <command> --help for its options)\n\n"
         "commands:\n";
  for (const Entry& e : commands)
    out << "  " << e.name << std::string(12 - std::string(e.name).size(), ' ') << e.what << "\n";
}

int fail(const std::string& message) {
  std::cout.flush();
  std::cerr << "dagprop: error: " << message << std::endl;
  return 1;
}

// The status of a subcommand that returned `status`: 1 when its standard
// output could not be written (a full disk, a closed pipe), so that a
// truncated result never passes for a complete one.
int finish(int status) {
  if (!std::cout.flush() || std::fflush(stdout) != 0 || std::ferror(stdout))
    return fail("cannot write to the standard output");
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("no command given (see dagprop --help)");
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return finish(0);
  }
  for (const Entry& e : commands) {
    if (name != e.name) continue;
    try {
      return finish(e.run(dagprop::cli::Args(argv + 2, argv + argc)));
    } catch (const boost::program_options::error& ex) {
      return fail(std::string(ex.what()) + " (see dagprop " + name + " --help)");
    } catch (const dagprop::error& ex) {
      return fail(ex.what());
    } catch (const std::bad_alloc&) {
      return fail("out of memory");
    } catch (const std::exception& ex) {
      return fail(ex.what());
    } catch (...) {
      return fail("unexpected error");
    }
  }
  return fail("unknown command '" + name + "' (see dagprop --help)");
}
