//===- Cli.cpp - The executable's command line ----------------------------===//
//
// CLI11 collects the flags as text; the values are checked here so that a bad
// one gets the same one-line `error: --flag: problem` as every other error.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Commands.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/Tensor.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace mlc::rt {

namespace {

const char *const kCommands = "'train', 'eval', 'predict' or 'info'";

uint64_t parseUInt(const std::string &flag, const std::string &text, uint64_t min, uint64_t max) {
  uint64_t v = 0;
  const char *end = text.data() + text.size();
  auto r = std::from_chars(text.data(), end, v);
  if (text.empty() || r.ptr != end || r.ec == std::errc::invalid_argument)
    fail("{}: '{}' is not {}", flag, text,
         min > 0 ? "a positive integer" : "a non-negative integer");
  if (r.ec == std::errc::result_out_of_range || v > max)
    fail("{}: {} is too large (at most {})", flag, text, max);
  if (v < min)
    fail("{}: must be at least {}, not {}", flag, min, text);
  return v;
}

std::optional<int64_t> count(const std::string &flag, const std::string &text, int64_t max) {
  if (text.empty())
    return std::nullopt;
  return int64_t(parseUInt(flag, text, 1, uint64_t(max)));
}

int threads(const std::string &text) {
  return text.empty() ? 0 : int(parseUInt("--threads", text, 1, 1024));
}

int device(const std::string &text) {
  return text.empty() ? -1 : int(parseUInt("--device", text, 0, 1023));
}

constexpr const char *kDeviceHelp =
    "GPU executables: the GPU to run on, from 0 (default: HL_GPU_DEVICE, else 0)";

/// Unknown flags and stray arguments (CLI11 leaves them for us).
void checkExtras(const CLI::App &command, const std::string &prog) {
  for (const std::string &arg : command.remaining()) {
    if (arg.size() > 1 && arg[0] == '-')
      fail("{}: unknown flag for '{}' (see '{} {} --help')", arg.substr(0, arg.find('=')),
           command.get_name(), prog, command.get_name());
    fail("'{}': unexpected argument for '{}' (see '{} {} --help')", arg, command.get_name(), prog,
         command.get_name());
  }
}

std::string dataHelp(const TensorSpec *specs, int count) {
  std::string s = "bind a data name to a .npy or .csv file (one sample per row); repeat for each"
                  " of:";
  for (int i = 0; i < count; ++i)
    s += fmt::format("{} {} ({})", i ? "," : "", specs[i].name, formatSpec(specs[i]));
  return s;
}

CLI::Option *addData(CLI::App *cmd, std::vector<std::string> &data, const TensorSpec *specs,
                     int count) {
  return cmd->add_option("--data", data, dataHelp(specs, count))
      ->type_name("NAME=PATH")
      ->allow_extra_args(false);
}

/// A flag that takes one value; given twice, the last one counts.
CLI::Option *addFlag(CLI::App *cmd, const std::string &name, std::string &value,
                     const std::string &help, const std::string &typeName) {
  return cmd->add_option(name, value, help)
      ->type_name(typeName)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

const char *const kDataFooter =
    "Data: .npy (C order; float32, float64, int32 or int64; converted to the declared type) or "
    ".csv (one sample per row, comma-separated numbers, an optional header row); the first "
    "dimension is the sample count N, the others must match the declaration.";

struct TextOptions {
  std::string epochs, steps, batchSize, lr, seed, shuffle, threads, device;
};

} // namespace

int runMain(const ModelSpec &model, int argc, char **argv) {
  std::string prog = argc > 0 ? argv[0] : "model";
  if (size_t slash = prog.rfind('/'); slash != std::string::npos)
    prog = prog.substr(slash + 1);
  try {
    if (argc < 2)
      fail("no command given; expected {} (see '{} --help')", kCommands, prog);
    std::string first = argv[1];
    if (first != "-h" && first != "--help" && first != "train" && first != "eval" &&
        first != "predict" && first != "info") {
      if (first[0] == '-')
        fail("{}: unknown flag; the first argument must be a command: {}", first, kCommands);
      fail("'{}': unknown command; expected {}", first, kCommands);
    }

    CLI::App app(fmt::format("Trains, evaluates and runs the model '{}' (train block '{}'), "
                             "compiled by mlc for target {}.",
                             model.modelName, model.trainName, model.target),
                 prog);
    app.require_subcommand(1);
    app.set_help_flag("-h,--help", "print this help and exit");

    TrainOptions train;
    TextOptions t;
    CLI::App *trainCmd = app.add_subcommand(
        "train", "train the model; --save writes the parameters and optimizer state");
    trainCmd->allow_extras();
    addData(trainCmd, train.data, model.data, model.numData);
    addFlag(trainCmd, "--epochs", t.epochs,
            fmt::format("passes over the data (default {}, from the DSL); with --resume, the "
                        "total to reach",
                        model.epochs),
            "N");
    addFlag(trainCmd, "--steps", t.steps,
            "stop after N optimizer steps in total (with --resume, counting the checkpoint's) "
            "and save",
            "N");
    addFlag(trainCmd, "--batch-size", t.batchSize,
            fmt::format("samples per step (default {}, from the DSL); an epoch's last batch may "
                        "be smaller",
                        model.batchSize),
            "N");
    addFlag(trainCmd, "--lr", t.lr,
            "learning rate (not supported yet: the compiler bakes lr into the executable; set it "
            "in the DSL)",
            "X");
    addFlag(trainCmd, "--seed", t.seed,
            "seed of the default initial values and of the data order (default 0)", "N");
    addFlag(trainCmd, "--shuffle", t.shuffle,
            "on: a new seeded data order every epoch (default); off: file order", "on|off");
    addFlag(trainCmd, "--init", train.init,
            "start from the parameters in this safetensors file, matched by name with exact "
            "shapes; parameters it lacks keep their default initial values",
            "PATH");
    addFlag(trainCmd, "--save", train.save,
            "write the parameters, optimizer state and progress to this safetensors file at the "
            "end (atomically)",
            "PATH");
    addFlag(trainCmd, "--resume", train.resume,
            "continue the run saved in this checkpoint: weights, optimizer state, step count and "
            "position in the data order",
            "PATH");
    addFlag(trainCmd, "--log", train.log, "write one CSV row per step: step,epoch,loss[,metrics]",
            "PATH");
    trainCmd->add_flag("--profile", train.profile,
                       "print the time spent in each kernel of train_step at the end");
    addFlag(trainCmd, "--threads", t.threads,
            "worker threads of the pipelines (default: HL_NUM_THREADS, else one per core)", "N");
    addFlag(trainCmd, "--device", t.device, kDeviceHelp, "N");

    EvalOptions eval;
    std::string evalBatch, evalThreads, evalDevice;
    CLI::App *evalCmd = app.add_subcommand(
        "eval", "print the loss and metrics of saved weights on data, averaged over samples");
    evalCmd->allow_extras();
    addFlag(evalCmd, "--weights", eval.weights, "the safetensors checkpoint to evaluate", "PATH");
    addData(evalCmd, eval.data, model.data, model.numData);
    addFlag(evalCmd, "--batch-size", evalBatch,
            fmt::format("samples per pipeline call (default {})", model.batchSize), "N");
    addFlag(evalCmd, "--threads", evalThreads, "worker threads of the pipelines", "N");
    addFlag(evalCmd, "--device", evalDevice, kDeviceHelp, "N");

    PredictOptions predict;
    std::string predictBatch, predictThreads, predictDevice;
    CLI::App *predictCmd = app.add_subcommand(
        "predict", fmt::format("run the model on inputs and write its output ({}) as .npy",
                               formatSpec(model.predictOutput)));
    predictCmd->allow_extras();
    addFlag(predictCmd, "--weights", predict.weights, "the safetensors checkpoint to use", "PATH");
    addData(predictCmd, predict.data, model.predictInputs, model.numPredictInputs);
    addFlag(predictCmd, "--out", predict.out, "the .npy file to write (atomically)", "PATH");
    addFlag(predictCmd, "--batch-size", predictBatch,
            fmt::format("samples per pipeline call (default {})", model.batchSize), "N");
    addFlag(predictCmd, "--threads", predictThreads, "worker threads of the pipelines", "N");
    addFlag(predictCmd, "--device", predictDevice, kDeviceHelp, "N");

    CLI::App *infoCmd = app.add_subcommand(
        "info", "print the parameters, inputs, optimizer, kernels and static memory plan");
    infoCmd->allow_extras();
    app.footer("Run '" + prog + " COMMAND --help' for a command's flags.\n");
    trainCmd->footer(std::string(kDataFooter) +
                     "\nCheckpoints: safetensors with the parameters' state_dict names, the "
                     "optimizer state as optimizer.<param>.<state>, and the step, epoch, data "
                     "position, seed and hyper-parameters in __metadata__.\n");
    evalCmd->footer(std::string(kDataFooter) + "\n");
    predictCmd->footer(std::string(kDataFooter) + "\n");

    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
      return app.exit(e);
    } catch (const CLI::ParseError &e) {
      // CLI11's messages start with the flag: "--epochs: 1 required N missing".
      std::string what = e.what();
      size_t colon = what.find(": ");
      if (colon != std::string::npos && what.compare(0, 2, "--") == 0 &&
          what.find("missing") != std::string::npos)
        fail("{}: needs a value", what.substr(0, colon));
      fail("{}", what.empty() ? e.get_name() : what);
    }

    const int64_t maxBatch = std::numeric_limits<int32_t>::max();
    if (trainCmd->parsed()) {
      checkExtras(*trainCmd, prog);
      train.epochs = count("--epochs", t.epochs, std::numeric_limits<int64_t>::max() / 2);
      train.steps = count("--steps", t.steps, std::numeric_limits<int64_t>::max() / 2);
      train.batchSize = count("--batch-size", t.batchSize, maxBatch);
      if (!t.seed.empty())
        train.seed = parseUInt("--seed", t.seed, 0, UINT64_MAX);
      if (!t.shuffle.empty()) {
        if (t.shuffle != "on" && t.shuffle != "off")
          fail("--shuffle: '{}' is not 'on' or 'off'", t.shuffle);
        train.shuffle = t.shuffle == "on";
      }
      // runTrain rejects --lr until the pipelines take the learning rate as
      // an input; the value is carried for that hook.
      if (trainCmd->count("--lr"))
        train.lr = std::strtod(t.lr.c_str(), nullptr);
      train.threads = threads(t.threads);
      train.device = device(t.device);
      return runTrain(model, train);
    }
    if (evalCmd->parsed()) {
      checkExtras(*evalCmd, prog);
      eval.batchSize = count("--batch-size", evalBatch, maxBatch);
      eval.threads = threads(evalThreads);
      eval.device = device(evalDevice);
      return runEval(model, eval);
    }
    if (predictCmd->parsed()) {
      checkExtras(*predictCmd, prog);
      predict.batchSize = count("--batch-size", predictBatch, maxBatch);
      predict.threads = threads(predictThreads);
      predict.device = device(predictDevice);
      return runPredict(model, predict);
    }
    checkExtras(*infoCmd, prog);
    return runInfo(model);
  } catch (const UserError &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc &) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: out of memory\n");
    return 1;
  } catch (const std::exception &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
    return 1;
  }
}

} // namespace mlc::rt
