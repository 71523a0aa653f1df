//===- mlc-oracle.cpp - Reference evaluator of mlc IR, for tests ----------===//
//
//   mlc-oracle gradcheck FILE [--batch N] [--seed S] [--samples K] [--rtol R]
//                             [--atol A] [--step H]
//   mlc-oracle run FILE --func NAME [--batch N] [--seed S] [--set NAME=v,...]...
//   mlc-oracle train FILE --steps K [--batch N] [--seed S] [--set NAME=v,...]...
//
// Options and I/O only: the evaluator is Evaluator.h, the subcommands
// Commands.h. Exit code 0 on success (gradcheck: PASS), 1 otherwise.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "mlc/Dialect/MLC/MLCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory oracleCategory("mlc-oracle options");

static cl::SubCommand gradcheckCmd("gradcheck",
                                   "compare @gradients with finite differences of @loss");
static cl::SubCommand runCmd("run", "evaluate one function and print its results");
static cl::SubCommand trainCmd("train", "run @train_step for some steps");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<file.mlir>"),
                                      cl::cat(oracleCategory), cl::Required, cl::sub(gradcheckCmd),
                                      cl::sub(runCmd), cl::sub(trainCmd));
static cl::opt<int> batchSize("batch", cl::desc("the batch size N (default 3)"),
                              cl::cat(oracleCategory), cl::init(3), cl::sub(gradcheckCmd),
                              cl::sub(runCmd), cl::sub(trainCmd));
static cl::opt<unsigned long long> seedValue("seed", cl::desc("the random seed"),
                                             cl::cat(oracleCategory), cl::init(1),
                                             cl::sub(gradcheckCmd), cl::sub(runCmd),
                                             cl::sub(trainCmd));

static cl::opt<int> numSamples("samples", cl::desc("elements checked per parameter"),
                               cl::cat(oracleCategory), cl::init(8), cl::sub(gradcheckCmd));
static cl::opt<double> relTol("rtol", cl::desc("relative tolerance"), cl::cat(oracleCategory),
                              cl::init(1e-5), cl::sub(gradcheckCmd));
static cl::opt<double> absTol("atol", cl::desc("absolute tolerance"), cl::cat(oracleCategory),
                              cl::init(1e-7), cl::sub(gradcheckCmd));
static cl::opt<double> fdStep("step", cl::desc("finite-difference step h"), cl::cat(oracleCategory),
                              cl::init(1e-6), cl::sub(gradcheckCmd));

static cl::opt<bool>
    scaledParams("scaled-params",
                 cl::desc("draw parameters from U(-scale, scale) of their 'scale' attribute "
                          "(U(-1, 1) where it is 0) instead of U(-1, 1)"),
                 cl::cat(oracleCategory), cl::sub(gradcheckCmd));

static cl::opt<std::string> funcName("func", cl::desc("the function to run"),
                                     cl::cat(oracleCategory), cl::Required, cl::sub(runCmd));
static cl::opt<int> numSteps("steps", cl::desc("training steps"), cl::cat(oracleCategory),
                             cl::Required, cl::sub(trainCmd));
static cl::list<std::string>
    setValues("set", cl::desc("NAME=v1,v2,...: row-major values of a parameter or argument"),
              cl::cat(oracleCategory), cl::sub(runCmd), cl::sub(trainCmd));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  for (cl::SubCommand *sub : {&cl::SubCommand::getTopLevel(), &gradcheckCmd, &runCmd, &trainCmd})
    cl::HideUnrelatedOptions(oracleCategory, *sub);
  cl::ParseCommandLineOptions(argc, argv,
                              "mlc-oracle: double-precision reference evaluator of "
                              "mlc IR, for tests\n");
  if (!gradcheckCmd && !runCmd && !trainCmd) {
    llvm::errs() << "mlc-oracle: error: expected a subcommand: gradcheck, run or train\n";
    return 1;
  }
  if (batchSize < 1 || numSamples < 1 || (trainCmd && numSteps < 0)) {
    llvm::errs() << "mlc-oracle: error: --batch and --samples must be >= 1, --steps >= 0\n";
    return 1;
  }

  DialectRegistry registry;
  registry.insert<mlc::MLCDialect, func::FuncDialect, arith::ArithDialect, tensor::TensorDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFile, sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;

  LogicalResult result = failure();
  if (gradcheckCmd) {
    mlc::oracle::GradCheckOptions o;
    o.batch = batchSize;
    o.seed = seedValue;
    o.samples = numSamples;
    o.rtol = relTol;
    o.atol = absTol;
    o.step = fdStep;
    o.scaledParams = scaledParams;
    result = mlc::oracle::gradCheck(*module, o);
  } else {
    mlc::oracle::RunOptions o;
    if (batchSize.getNumOccurrences())
      o.batch = batchSize;
    o.seed = seedValue;
    o.sets.assign(setValues.begin(), setValues.end());
    result = runCmd ? mlc::oracle::runFunction(*module, funcName, o)
                    : mlc::oracle::train(*module, numSteps, o);
  }
  return succeeded(result) ? 0 : 1;
}
