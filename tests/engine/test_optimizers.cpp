// The optimizers of optimizer.hpp against PyTorch (three full-batch steps on
// a 2-2-1 network; values from tests/engine/reference/optimizers_reference.py),
// the factory's errors, and state() -> set_state() continuing bit-identically.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "dagprop/dagprop.hpp"
#include "dagprop/optimizer.hpp"

using namespace dagprop;

namespace {

// 2-2-1, tanh hidden, identity output, the reference script's weights.
struct Tiny {
  Network<double> net;
  std::vector<UnitId> c;  // compiled id of topology ids x0 x1 h0 h1 o
};

Tiny tiny() {
  Topology t;
  const UnitId x0 = t.add_input("x0"), x1 = t.add_input("x1");
  const UnitId h0 = t.add_unit(Activation::tanh, Role::hidden, "h0", 0.1);
  const UnitId h1 = t.add_unit(Activation::tanh, Role::hidden, "h1", -0.2);
  const UnitId o = t.add_output(Activation::identity, "o", 0.05);
  t.connect(x0, h0, 0.3), t.connect(x1, h0, -0.5), t.connect(x0, h1, 0.8);
  t.connect(x1, h1, 0.2), t.connect(h0, o, 0.7), t.connect(h1, o, -0.4);
  Tiny s{compile<double>(t), std::vector<UnitId>(5)};
  for (UnitId i = 0; i < s.net.num_units(); ++i) s.c[s.net.topology_id(i)] = i;
  return s;
}

Dataset<double> tiny_data() {
  Dataset<double> d;
  d.num_inputs = 2, d.num_targets = 1;
  d.inputs = {0.5, -1.0, 1.5, 0.3, -0.7, 0.9, 0.2, 0.4};
  d.targets = {0.3, -0.6, 0.9, 0.1};
  return d;
}

// w(x0->h0), w(x1->h0), w(x0->h1), w(x1->h1), w(h0->o), w(h1->o), b(h0), b(h1), b(o)
std::vector<double> tiny_params(const Tiny& s) {
  const auto& c = s.c;
  const Network<double>& n = s.net;
  return {n.weight(c[0], c[2]), n.weight(c[1], c[2]), n.weight(c[0], c[3]),
          n.weight(c[1], c[3]), n.weight(c[2], c[4]), n.weight(c[3], c[4]),
          n.b()[c[2]],          n.b()[c[3]],          n.b()[c[4]]};
}

TrainOptions full_batch(std::size_t epochs) {
  TrainOptions o;
  o.epochs = epochs, o.batch_size = 4, o.chunk_size = 2, o.shuffle = false, o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("each optimizer takes PyTorch's three steps on a 2-2-1 network", "[optimizer]") {
  // Printed by tests/engine/reference/optimizers_reference.py (torch.optim, float64).
  const std::map<std::string, std::vector<double>> reference = {
      {"sgd",
       {0.086780063764146556, -0.39366172515930392, 0.89941778906398284, 0.11652519989369914,
        0.52904925212032694, -0.64795346747938942, 0.13602069040276679, -0.24150283740046782,
        0.12544636633782072}},
      {"sgd_wd",
       {0.081649793267958723, -0.38139924797867453, 0.87453022050754659, 0.11274673046335429,
        0.51271535639747157, -0.63253293864983862, 0.13293583275988061, -0.23583884063583305,
        0.12445549982584921}},
      {"momentum",
       {-0.11406760107916022, -0.2942285844834947, 0.98527761513048662, 0.044895816221161053,
        0.35332317937285329, -0.87173450574792932, 0.16851822875626937, -0.27845811825789585,
        0.19455997855600771}},
      {"momentum_wd",
       {-0.12476629565269241, -0.27045591177975131, 0.93907713328222087, 0.03709712518377755,
        0.32150415500770918, -0.84425102941128882, 0.1627904959447124, -0.267997759462756,
        0.1926294927883638}},
      {"nesterov_wd",
       {-0.1846893677117239, -0.24101046372852714, 0.9551131754762614, 0.02386836652425494,
        0.28688374490565266, -0.91884188402521028, 0.16971265980513428, -0.2764563007446611,
        0.21673431009613761}},
      {"adam",
       {0.15099193943655154, -0.35320221615696012, 0.94948263898673124, 0.053119678438150124,
        0.55309549821942239, -0.54957705578674243, 0.19440229790986349, -0.3049443745729174,
        0.13472050301570021}},
      {"adam_wd",
       {0.15168905997503548, -0.35409440727549107, 0.94836419145238804, 0.054458530151155933,
        0.55415844836689476, -0.5491375798460908, 0.17933588520355076, -0.28451751831667166,
        0.12785647108243769}},
      {"adamw",
       {0.14731083457637767, -0.3466116744635685, 0.93678422605486555, 0.051051540875040366,
        0.54354230971283701, -0.54283869333178403, 0.19353804641069214, -0.30254725974608626,
        0.13464769227985263}},
      {"rmsprop",
       {0.10248462018413065, -0.31968862465713149, 1.0012055883563036, 0.025337964716694649,
        0.52886114041284793, -0.61139397385764338, 0.19162109789876247, -0.29978640743148172,
        0.13441510628524911}},
      {"rmsprop_wd",
       {0.22821755152739281, -0.42996463763829051, 0.8718306473137859, 0.1301800359804075,
        0.63062300420371076, -0.47292440227571542, 0.14829348924705937, -0.24979805125702101,
        0.096595979257663223}},
  };
  // The script's hyper-parameters, case by case.
  std::map<std::string, OptimizerOptions> cases;
  auto& sgd = cases["sgd"];
  sgd.name = "sgd";
  cases["sgd_wd"] = sgd, cases["sgd_wd"].weight_decay = 0.1;
  auto& mom = cases["momentum"];
  mom = sgd, mom.name = "momentum", mom.momentum = 0.9;
  cases["momentum_wd"] = mom, cases["momentum_wd"].weight_decay = 0.1;
  cases["nesterov_wd"] = cases["momentum_wd"], cases["nesterov_wd"].name = "nesterov";
  auto& adam = cases["adam"];
  adam.name = "adam", adam.beta1 = 0.9, adam.beta2 = 0.999;
  adam.epsilon = 1e-8;
  auto& adam_wd = cases["adam_wd"];
  adam_wd = adam, adam_wd.beta1 = 0.8, adam_wd.beta2 = 0.99, adam_wd.weight_decay = 0.1;
  cases["adamw"] = adam, cases["adamw"].name = "adamw", cases["adamw"].weight_decay = 0.1;
  auto& rms = cases["rmsprop"];
  rms.name = "rmsprop", rms.alpha = 0.99, rms.epsilon = 1e-8;
  cases["rmsprop_wd"] = rms, cases["rmsprop_wd"].alpha = 0.9,
  cases["rmsprop_wd"].weight_decay = 0.1;
  REQUIRE(cases.size() == reference.size());
  // The script's η: set once, in TrainOptions (OptimizerOptions holds none).
  const auto eta = [](const std::string& name) {
    return name.rfind("adam", 0) == 0 ? 0.05 : name.rfind("rmsprop", 0) == 0 ? 0.01 : 0.1;
  };

  const Dataset<double> data = tiny_data();
  for (const auto& [name, options] : cases) {
    INFO("case " << name);
    Tiny s = tiny();
    const std::vector<double> before = tiny_params(s);
    TrainOptions to = full_batch(3);
    to.learning_rate = eta(name);
    Trainer<double> trainer(s.net, to, make_optimizer<double>(options));
    CHECK(trainer.optimizer().name() == options.name);
    CHECK(trainer.optimizer().learning_rate() == eta(name));
    trainer.fit(data);
    const std::vector<double> after = tiny_params(s), &want = reference.at(name);
    for (std::size_t k = 0; k < want.size(); ++k) {
      INFO("parameter " << k);
      CHECK(std::abs(after[k] - want[k]) <= 1e-12);
      CHECK(std::abs(after[k] - before[k]) > 1e-3);  // the case moved every parameter
    }
    if (name != "sgd") CHECK(trainer.optimizer().state().scalars.back() == 3);  // steps
  }
}

TEST_CASE("make_optimizer: plain sgd is the memo's Sgd, bad options throw", "[optimizer]") {
  OptimizerOptions o;
  auto plain = make_optimizer<float>(o);
  CHECK(dynamic_cast<Sgd<float>*>(plain.get()) != nullptr);
  CHECK(plain->learning_rate() == default_learning_rate);
  CHECK(TrainOptions{}.learning_rate == default_learning_rate);

  auto bad = [](OptimizerOptions b) {
    CHECK_THROWS_AS(make_optimizer<double>(b), invalid_argument);
  };
  OptimizerOptions b = o;
  b.name = "adamx";
  CHECK_THROWS_WITH(make_optimizer<double>(b),
                    Catch::Contains("adamx") && Catch::Contains("rmsprop"));
  b = o, b.weight_decay = -1, bad(b);
  b = o, b.name = "momentum", b.momentum = 1, bad(b);
  b = o, b.name = "nesterov", b.momentum = 0, bad(b);
  b = o, b.name = "adam", b.beta1 = 1, bad(b);
  b = o, b.name = "adamw", b.beta2 = -0.1, bad(b);
  b = o, b.name = "adam", b.epsilon = 0, bad(b);
  b = o, b.name = "rmsprop", b.alpha = 1.5, bad(b);
  // A state for another optimizer, or of the wrong shape, is refused.
  o.name = "adam";
  auto adam = make_optimizer<double>(o);
  OptimizerState<double> s = adam->state();
  s.name = "adamw";
  CHECK_THROWS_AS(adam->set_state(s), invalid_argument);
  s = adam->state(), s.scalars.pop_back();
  CHECK_THROWS_AS(adam->set_state(s), invalid_argument);
  s = adam->state(), s.scalars.back() = 2;  // steps taken but no buffers
  CHECK_THROWS_AS(adam->set_state(s), invalid_argument);
  s = adam->state(), s.name = "lion";
  CHECK_THROWS_AS(make_optimizer<double>(s), invalid_argument);
}

TEST_CASE("optimizer state round trip: resumed training is bit-identical", "[optimizer]") {
  // 4-6-5-2 tanh MLP, 40 shuffled runs in batches of 8, dropout on: the state
  // taken after 2 epochs continues to the same weights as 4 uninterrupted.
  Topology t = make_mlp({4, 6, 5, 2}, Activation::tanh, Activation::identity);
  initialize(t, InitScheme::glorot_uniform, 7);
  Dataset<double> data;
  data.num_inputs = 4, data.num_targets = 2;
  SplitMix64 rng(3);
  for (std::size_t r = 0; r < 40; ++r) {
    for (std::size_t k = 0; k < 4; ++k) data.inputs.push_back(rng.uniform(-1, 1));
    for (std::size_t k = 0; k < 2; ++k) data.targets.push_back(rng.uniform(-1, 1));
  }
  for (const char* name : {"momentum", "nesterov", "adam", "adamw", "rmsprop"}) {
    INFO("optimizer " << name);
    OptimizerOptions o;
    o.name = name, o.weight_decay = 0.01;
    TrainOptions to;
    to.learning_rate = 0.02;
    to.epochs = 4, to.batch_size = 8, to.chunk_size = 3, to.threads = 2, to.dropout = 0.2;
    to.schedule = parse_schedule("exp:0.9");

    Network<double> whole = compile<double>(t);
    Trainer<double> a(whole, to, make_optimizer<double>(o));
    a.fit(data);

    Network<double> part = compile<double>(t);
    TrainOptions first = to;
    first.epochs = 2;
    Trainer<double> b(part, first, make_optimizer<double>(o));
    b.fit(data);
    const OptimizerState<double> saved = b.optimizer().state();
    CHECK(saved.buffers.size() ==
          (std::string(name) == "rmsprop" || std::string(name) == "momentum" ||
                   std::string(name) == "nesterov"
               ? 1u
               : 2u));
    CHECK(saved.buffers[0].size() == part.params().size());

    // Two ways back: a fresh optimizer plus set_state, or built from the state.
    for (bool from_state : {false, true}) {
      Network<double> resumed = part;
      Trainer<double> c(resumed, to,
                        from_state ? make_optimizer<double>(saved) : make_optimizer<double>(o));
      if (!from_state) c.optimizer().set_state(saved);
      c.set_state(b.state());
      c.fit(data);
      CHECK(resumed.params() == whole.params());
    }
    CHECK(part.params() != whole.params());
  }
}
