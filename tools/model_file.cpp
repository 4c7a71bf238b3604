// Model files for the command line, through dagprop/io/model.hpp: loaded in
// double precision with the saved scaler or all metadata, saved atomically in a named archive
// format. It adds no format of its own.
#include "cli.hpp"
#include "dagprop/io/model.hpp"

namespace dagprop::cli {

Network<double> load_model(const std::string& path, io::Scaler* scaler) {
  check_input_file(path);
  return io::load_network<double>(path, scaler);
}

template <class T>
void save_model(const std::string& path, const Network<T>& net, const std::string& format,
                const io::Scaler* scaler) {
  io::save_network(path, net, io::parse_archive_kind(format), scaler);
}

Network<double> load_model(const std::string& path, io::ModelMeta& meta) {
  check_input_file(path);
  return io::load_model<double>(path, &meta);
}

template <class T>
void save_model(const std::string& path, const Network<T>& net, const std::string& format,
                const io::ModelMeta& meta) {
  io::save_model(path, net, meta, io::parse_archive_kind(format));
}

template void save_model(const std::string&, const Network<float>&, const std::string&,
                         const io::Scaler*);
template void save_model(const std::string&, const Network<float>&, const std::string&,
                         const io::ModelMeta&);
template void save_model(const std::string&, const Network<double>&, const std::string&,
                         const io::ModelMeta&);
template void save_model(const std::string&, const Network<double>&, const std::string&,
                         const io::Scaler*);

}  // namespace dagprop::cli
