//===- FakeModel.cpp - A test double of a compiled model ------------------===//
//
// Test-only. Stands in for what `mlc compile` generates, so that the runtime
// can be tested before (and independently of) Halide code generation: a
// linear regression
//
//   pred = scale * (x @ linear.weight^T + linear.bias)     x: f32[N, 3], pred: f32[N, 2]
//   loss = mse(pred, y), metric mae = mean |pred - y|,      Adam(lr=0.05)
//
// with `scale` (f32[1], ones) frozen. The three "pipelines" are plain C++
// loops behind Halide's argv calling convention: they read halide_buffer_t
// arguments in ArgSpec order, allocate scratch with halide_malloc, report
// errors with halide_error, and check that no output aliases an input.
// MLC_FAKE_FAIL_AT_STEP=k makes train_step fail at step k.
// Built with FAKE_INIT_FROM, `scale` is initialized by the DSL's
// `init model.scale from "pretrained.safetensors"` (key "pre.scale").
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Model.h"

#include <HalideRuntime.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mlc::rt;

namespace {

constexpr int kIn = 3, kOut = 2;
constexpr double kLr = 0.05, kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;

int fakeError(const std::string &message) {
  halide_error(nullptr, (message + "\n").c_str());
  return -1;
}

/// Checks a buffer's rank and type; `extents` are tensor dims (outermost
/// first), -1 for the batch. Returns the batch extent (or 1).
bool checkBuffer(const char *what, const halide_buffer_t *b, bool isFloat,
                 std::initializer_list<int> extents, int &batch, std::string &error) {
  if (!b || !b->host) {
    error = std::string(what) + ": null buffer";
    return false;
  }
  int rank = int(extents.size());
  bool typeOk = isFloat ? (b->type.code == halide_type_float && b->type.bits == 32)
                        : (b->type.code == halide_type_int && b->type.bits == 64);
  if (!typeOk || b->dimensions != rank) {
    error = std::string(what) + ": wrong type or rank";
    return false;
  }
  int i = 0, stride = 1;
  for (auto it = extents.end(); it != extents.begin(); ++i) {
    --it;
    int want = *it;
    const halide_dimension_t &d = b->dim[i];
    if (d.stride != stride || (want >= 0 && d.extent != want)) {
      error = std::string(what) + ": wrong extent or stride in dimension " + std::to_string(i);
      return false;
    }
    if (want < 0)
      batch = d.extent;
    stride *= d.extent;
  }
  return true;
}

#define CHECK_BUFFER(what, buf, isFloat, ...)                                                      \
  do {                                                                                             \
    std::string error;                                                                             \
    if (!checkBuffer(what, buf, isFloat, __VA_ARGS__, batch, error))                               \
      return fakeError("fake: " + error);                                                          \
  } while (0)

float *f32(void *arg) {
  return reinterpret_cast<float *>(static_cast<halide_buffer_t *>(arg)->host);
}
halide_buffer_t *buf(void *arg) { return static_cast<halide_buffer_t *>(arg); }

/// pred (N, 2) into scratch; returns the scratch (halide_malloc'd).
float *forward(const float *w, const float *b, float scale, const float *x, int n) {
  float *pred = static_cast<float *>(halide_malloc(nullptr, sizeof(float) * size_t(n) * kOut));
  if (!pred)
    return nullptr;
  for (int s = 0; s < n; ++s)
    for (int o = 0; o < kOut; ++o) {
      float acc = b[o];
      for (int i = 0; i < kIn; ++i)
        acc += x[s * kIn + i] * w[o * kIn + i];
      pred[s * kOut + o] = scale * acc;
    }
  return pred;
}

void lossAndMae(const float *pred, const float *y, int n, float *loss, float *mae) {
  double se = 0, ae = 0;
  for (int k = 0; k < n * kOut; ++k) {
    double d = double(pred[k]) - double(y[k]);
    se += d * d;
    ae += std::fabs(d);
  }
  *loss = float(se / (n * kOut));
  *mae = float(ae / (n * kOut));
}

bool aliases(void **args, int numArgs, int firstOutput) {
  for (int o = firstOutput; o < numArgs; ++o)
    for (int i = 0; i < firstOutput; ++i)
      if (buf(args[o])->host == buf(args[i])->host)
        return true;
  return false;
}

// train_step(w, b, scale, m_w, v_w, m_b, v_b, step, x, y)
//   -> (w', b', m_w', v_w', m_b', v_b', loss, mae)
int trainStepArgv(void **args) {
  int batch = 1;
  CHECK_BUFFER("linear.weight", buf(args[0]), true, {kOut, kIn});
  CHECK_BUFFER("linear.bias", buf(args[1]), true, {kOut});
  CHECK_BUFFER("scale", buf(args[2]), true, {1});
  CHECK_BUFFER("step", buf(args[7]), false, {});
  CHECK_BUFFER("x", buf(args[8]), true, {-1, kIn});
  int n = batch;
  CHECK_BUFFER("y", buf(args[9]), true, {-1, kOut});
  if (batch != n)
    return fakeError("fake: x and y batch extents differ");
  CHECK_BUFFER("loss", buf(args[16]), true, {});
  if (aliases(args, 18, 10))
    return fakeError("fake: an output aliases an input");
  int64_t t = *reinterpret_cast<int64_t *>(buf(args[7])->host);
  if (t < 1)
    return fakeError("fake: step " + std::to_string(t) + " is not positive");
  if (const char *failAt = std::getenv("MLC_FAKE_FAIL_AT_STEP"))
    if (std::atoll(failAt) == t)
      return fakeError("fake failure at step " + std::to_string(t));

  const float *w = f32(args[0]), *b = f32(args[1]), *x = f32(args[8]), *y = f32(args[9]);
  float scale = f32(args[2])[0];
  float *pred = forward(w, b, scale, x, n);
  if (!pred)
    return fakeError("fake: out of memory");
  lossAndMae(pred, y, n, f32(args[16]), f32(args[17]));

  // Gradients of the mean squared error.
  float *grad = static_cast<float *>(halide_malloc(nullptr, sizeof(float) * (kOut * kIn + kOut)));
  std::memset(grad, 0, sizeof(float) * (kOut * kIn + kOut));
  for (int s = 0; s < n; ++s)
    for (int o = 0; o < kOut; ++o) {
      float g = 2.0f * (pred[s * kOut + o] - y[s * kOut + o]) / float(n * kOut) * scale;
      for (int i = 0; i < kIn; ++i)
        grad[o * kIn + i] += g * x[s * kIn + i];
      grad[kOut * kIn + o] += g;
    }
  halide_free(nullptr, pred);

  // PyTorch's Adam.
  auto adam = [&](const float *p, const float *g, const float *m, const float *v, float *p2,
                  float *m2, float *v2, int count) {
    double c1 = 1 - std::pow(kBeta1, double(t)), c2 = 1 - std::pow(kBeta2, double(t));
    for (int k = 0; k < count; ++k) {
      m2[k] = float(kBeta1 * m[k] + (1 - kBeta1) * g[k]);
      v2[k] = float(kBeta2 * v[k] + (1 - kBeta2) * g[k] * g[k]);
      p2[k] = float(p[k] - kLr * (m2[k] / c1) / (std::sqrt(v2[k] / c2) + kEps));
    }
  };
  adam(w, grad, f32(args[3]), f32(args[4]), f32(args[10]), f32(args[12]), f32(args[13]),
       kOut * kIn);
  adam(b, grad + kOut * kIn, f32(args[5]), f32(args[6]), f32(args[11]), f32(args[14]),
       f32(args[15]), kOut);
  halide_free(nullptr, grad);
  return 0;
}

// eval_step(w, b, scale, x, y) -> (loss, mae)
int evalStepArgv(void **args) {
  int batch = 1;
  CHECK_BUFFER("x", buf(args[3]), true, {-1, kIn});
  int n = batch;
  CHECK_BUFFER("y", buf(args[4]), true, {-1, kOut});
  if (batch != n)
    return fakeError("fake: x and y batch extents differ");
  float *pred = forward(f32(args[0]), f32(args[1]), f32(args[2])[0], f32(args[3]), n);
  if (!pred)
    return fakeError("fake: out of memory");
  lossAndMae(pred, f32(args[4]), n, f32(args[5]), f32(args[6]));
  halide_free(nullptr, pred);
  return 0;
}

// predict(w, b, scale, x) -> pred
int predictArgv(void **args) {
  int batch = 1;
  CHECK_BUFFER("x", buf(args[3]), true, {-1, kIn});
  int n = batch;
  CHECK_BUFFER("pred", buf(args[4]), true, {-1, kOut});
  if (batch != n)
    return fakeError("fake: x and pred batch extents differ");
  float *pred = forward(f32(args[0]), f32(args[1]), f32(args[2])[0], f32(args[3]), n);
  if (!pred)
    return fakeError("fake: out of memory");
  std::memcpy(f32(args[4]), pred, sizeof(float) * size_t(n) * kOut);
  halide_free(nullptr, pred);
  return 0;
}

const double kScale = 0.5773502691896258; // 1/sqrt(in_features), PyTorch's Linear

#ifdef FAKE_INIT_FROM
#define SCALE_INIT "pretrained.safetensors", "pre.scale"
#else
#define SCALE_INIT nullptr, nullptr
#endif

const ParamSpec kParams[] = {
    {{"linear.weight", DType::F32, 2, {kOut, kIn}}, "uniform", kScale, false, nullptr, nullptr},
    {{"linear.bias", DType::F32, 1, {kOut}}, "uniform", kScale, false, nullptr, nullptr},
    {{"scale", DType::F32, 1, {1}}, "ones", 0, true, SCALE_INIT},
};
const StateSpec kState[] = {
    {"optimizer.linear.weight.exp_avg", 0},
    {"optimizer.linear.weight.exp_avg_sq", 0},
    {"optimizer.linear.bias.exp_avg", 1},
    {"optimizer.linear.bias.exp_avg_sq", 1},
};
const TensorSpec kData[] = {
    {"x", DType::F32, 2, {kBatch, kIn}},
    {"y", DType::F32, 2, {kBatch, kOut}},
};
const char *const kOutputs[] = {"loss", "mae"};
const Hyper kHyper[] = {{"lr", 1, {kLr, 0}},
                        {"betas", 2, {kBeta1, kBeta2}},
                        {"eps", 1, {kEps, 0}},
                        {"weight_decay", 1, {0, 0}}};

using A = ArgSpec;
const ArgSpec kTrainArgs[] = {
    {A::Param, 0, false}, {A::Param, 1, false}, {A::Param, 2, false}, {A::State, 0, false},
    {A::State, 1, false}, {A::State, 2, false}, {A::State, 3, false}, {A::Step, 0, false},
    {A::Data, 0, false},  {A::Data, 1, false},  {A::Param, 0, true},  {A::Param, 1, true},
    {A::State, 0, true},  {A::State, 1, true},  {A::State, 2, true},  {A::State, 3, true},
    {A::Output, 0, true}, {A::Output, 1, true},
};
const ArgSpec kEvalArgs[] = {
    {A::Param, 0, false}, {A::Param, 1, false}, {A::Param, 2, false}, {A::Data, 0, false},
    {A::Data, 1, false},  {A::Output, 0, true}, {A::Output, 1, true},
};
const ArgSpec kPredictArgs[] = {
    {A::Param, 0, false}, {A::Param, 1, false}, {A::Param, 2, false},
    {A::Data, 0, false},  {A::Output, 0, true},
};

} // namespace

namespace mlc::rt {

const ModelSpec kModel = {
    "fit",
    "Linear",
    "host",
    3,
    kParams,
    4,
    kState,
    2,
    kData,
    1,
    kData, // predict takes x
    2,
    kOutputs,
    {"pred", DType::F32, 2, {kBatch, kOut}},
    "Adam",
    4,
    kHyper,
    /*batchSize=*/4,
    /*epochs=*/5,
    {"train_step", trainStepArgv, 18, kTrainArgs},
    {"eval_step", evalStepArgv, 7, kEvalArgs},
    {"predict", predictArgv, 5, kPredictArgs},
    /*scratchBytesPerSample=*/8,
    /*scratchBytesFixed=*/32,
};

} // namespace mlc::rt
