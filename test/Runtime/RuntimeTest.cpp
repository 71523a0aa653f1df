//===- RuntimeTest.cpp - Unit tests of the mlc runtime's pieces -----------===//
//
// What the lit tests cannot reach through the fake model's command line:
// i64 inputs, dtype conversions, the allocator, random streams, buffers.
//
//===----------------------------------------------------------------------===//

#include "mlc/Runtime/Allocator.h"
#include "mlc/Runtime/AtomicFile.h"
#include "mlc/Runtime/Batches.h"
#include "mlc/Runtime/Csv.h"
#include "mlc/Runtime/DataSet.h"
#include "mlc/Runtime/Error.h"
#include "mlc/Runtime/HostBuffer.h"
#include "mlc/Runtime/Program.h"
#include "mlc/Runtime/Npy.h"
#include "mlc/Runtime/Random.h"
#include "mlc/Runtime/Safetensors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <functional>
#include <sys/stat.h>

using namespace mlc::rt;

namespace {

std::vector<uint8_t> bytesOf(const std::string &s) { return {s.begin(), s.end()}; }

std::string tempDir() {
  static std::string dir = [] {
    std::string d = testing::TempDir() + "mlc-runtime-XXXXXX";
    if (!mkdtemp(d.data()))
      std::abort();
    return d;
  }();
  return dir;
}

void writeFile(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
}

std::string errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const UserError &e) {
    return e.what();
  }
  return "(no error)";
}

Array arrayOf(ElemType type, Shape shape, const void *data, size_t size) {
  Array a;
  a.type = type;
  a.shape = std::move(shape);
  a.bytes.assign(static_cast<const uint8_t *>(data), static_cast<const uint8_t *>(data) + size);
  return a;
}

TEST(Random, EpochOrderIsASeededPermutation) {
  std::vector<int64_t> a = epochOrder(7, 3, 100, true), b = epochOrder(7, 3, 100, true);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, epochOrder(7, 4, 100, true));
  EXPECT_NE(a, epochOrder(8, 3, 100, true));
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 100; ++i)
    EXPECT_EQ(sorted[size_t(i)], i);
  std::vector<int64_t> identity = epochOrder(7, 3, 5, false);
  EXPECT_EQ(identity, (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(Random, NormalHasUnitVariance) {
  Rng rng(0, streamFor("w"));
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double v = rng.normal();
    sum += v;
    sq += v * v;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
  for (int i = 0; i < 1000; ++i) {
    double u = rng.uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(Convert, HalfAndDouble) {
  // 1.0, -2.5, the smallest subnormal, 65504, inf
  uint16_t half[] = {0x3c00, 0xc100, 0x0001, 0x7bff, 0x7c00};
  Tensor t = convertArray(arrayOf(ElemType::F16, {5}, half, sizeof(half)), DType::F32, "h");
  EXPECT_EQ(t.as<float>()[0], 1.0f);
  EXPECT_EQ(t.as<float>()[1], -2.5f);
  EXPECT_EQ(t.as<float>()[2], std::ldexp(1.0f, -24));
  EXPECT_EQ(t.as<float>()[3], 65504.0f);
  EXPECT_TRUE(std::isinf(t.as<float>()[4]));
  uint16_t bf16[] = {0x3f80, 0xc020};
  t = convertArray(arrayOf(ElemType::BF16, {2}, bf16, sizeof(bf16)), DType::F32, "b");
  EXPECT_EQ(t.as<float>()[0], 1.0f);
  EXPECT_EQ(t.as<float>()[1], -2.5f);
  double d[] = {0.1, 1e300};
  t = convertArray(arrayOf(ElemType::F64, {2}, d, sizeof(d)), DType::F32, "d");
  EXPECT_EQ(t.as<float>()[0], 0.1f);
  EXPECT_TRUE(std::isinf(t.as<float>()[1]));
}

TEST(Convert, FloatsToI64MustBeIntegral) {
  double ok[] = {3.0, -1.0, 0.0};
  Tensor t = convertArray(arrayOf(ElemType::F64, {3}, ok, sizeof(ok)), DType::I64, "y.npy");
  EXPECT_EQ(t.as<int64_t>()[0], 3);
  EXPECT_EQ(t.as<int64_t>()[1], -1);
  float bad[] = {1.0f, 2.5f};
  EXPECT_EQ(errorOf([&] {
              convertArray(arrayOf(ElemType::F32, {2}, bad, sizeof(bad)), DType::I64, "y.npy");
            }),
            "y.npy: float32 data for an i64 input must hold integers, but element 1 is 2.5");
  float nan[] = {std::nanf("")};
  EXPECT_NE(errorOf([&] {
              convertArray(arrayOf(ElemType::F32, {1}, nan, sizeof(nan)), DType::I64, "y.npy");
            }).find("must hold integers"),
            std::string::npos);
  int32_t small[] = {7, -7};
  t = convertArray(arrayOf(ElemType::I32, {2}, small, sizeof(small)), DType::I64, "i");
  EXPECT_EQ(t.as<int64_t>()[1], -7);
  uint64_t huge[] = {uint64_t(1) << 63};
  EXPECT_NE(errorOf([&] {
              convertArray(arrayOf(ElemType::U64, {1}, huge, sizeof(huge)), DType::I64, "u");
            }).find("does not fit in i64"),
            std::string::npos);
}

TEST(Npy, RoundTrip) {
  Tensor t(DType::I64, {2, 3});
  for (int i = 0; i < 6; ++i)
    t.as<int64_t>()[i] = i * 100 - 200;
  std::vector<uint8_t> bytes = formatNpy(t);
  EXPECT_EQ((bytes.size() - t.bytes()) % 64, 0u);
  Array a = parseNpy("t.npy", bytes);
  EXPECT_EQ(a.type, ElemType::I64);
  EXPECT_EQ(a.shape, (Shape{2, 3}));
  EXPECT_EQ(std::memcmp(a.bytes.data(), t.data(), t.bytes()), 0);

  Tensor scalar(DType::F32, {});
  a = parseNpy("s.npy", formatNpy(scalar));
  EXPECT_EQ(a.shape, Shape{});
  EXPECT_EQ(a.bytes.size(), 4u);
}

TEST(Npy, Version2AndOneDimensionalFortran) {
  std::string header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n";
  std::string file = std::string("\x93NUMPY\x02\x00", 8);
  uint32_t len = uint32_t(header.size());
  file.append(reinterpret_cast<const char *>(&len), 4);
  file += header;
  float v[] = {1.5f, -2.0f};
  file.append(reinterpret_cast<const char *>(v), 8);
  Array a = parseNpy("v2.npy", bytesOf(file));
  EXPECT_EQ(a.shape, Shape{2});
  EXPECT_EQ(a.type, ElemType::F32);
}

TEST(Csv, HeaderIntsAndFloats) {
  Array a = parseCsv("a.csv", bytesOf("\xEF\xBB\xBFx,y\n1,2\n\n3,4\n"));
  EXPECT_EQ(a.type, ElemType::I64);
  EXPECT_EQ(a.shape, (Shape{2, 2}));
  int64_t v[4];
  std::memcpy(v, a.bytes.data(), 32);
  EXPECT_EQ(v[3], 4);
  a = parseCsv("b.csv", bytesOf("1, 2.5\r\n-3e2,+4\r\n"));
  EXPECT_EQ(a.type, ElemType::F64);
  double d[4];
  std::memcpy(d, a.bytes.data(), 32);
  EXPECT_EQ(d[1], 2.5);
  EXPECT_EQ(d[2], -300.0);
  EXPECT_EQ(d[3], 4.0);
  EXPECT_EQ(errorOf([] { parseCsv("c.csv", bytesOf("1,2\nx,3\n")); }),
            "c.csv:2: column 1: 'x' is not a number");
  EXPECT_EQ(errorOf([] { parseCsv("c.csv", bytesOf("a,2\n")); }),
            "c.csv:1: column 1: 'a' is not a number");
}

const TensorSpec kLabels[] = {{"y", DType::I64, 1, {kBatch}}};

TEST(DataSet, IntegerInputs) {
  std::string dir = tempDir();
  writeFile(dir + "/labels.csv", bytesOf("label\n3\n1\n4\n"));
  DataSet d = loadData(kLabels, 1, {"y=" + dir + "/labels.csv"});
  ASSERT_EQ(d.samples, 3);
  EXPECT_EQ(d.arrays[0].dtype(), DType::I64);
  EXPECT_EQ(d.arrays[0].as<int64_t>()[2], 4);

  Tensor floats(DType::F32, {3});
  floats.as<float>()[0] = 2;
  floats.as<float>()[1] = 0.5f;
  writeFile(dir + "/frac.npy", formatNpy(floats));
  EXPECT_EQ(errorOf([&] { loadData(kLabels, 1, {"y=" + dir + "/frac.npy"}); }),
            dir + "/frac.npy: float32 data for an i64 input must hold integers, but element 1 "
                  "is 0.5");
  floats.as<float>()[1] = 7;
  writeFile(dir + "/whole.npy", formatNpy(floats));
  d = loadData(kLabels, 1, {"y=" + dir + "/whole.npy"});
  EXPECT_EQ(d.arrays[0].as<int64_t>()[1], 7);

  writeFile(dir + "/two.csv", bytesOf("1,2\n"));
  EXPECT_EQ(errorOf([&] { loadData(kLabels, 1, {"y=" + dir + "/two.csv"}); }),
            dir + "/two.csv: 2 values per row, but 'y' is i64[N] (1 per sample)");
}

TEST(DataSet, LabelsInRange) {
  std::string dir = tempDir();
  const TensorSpec classes[] = {{"y", DType::I64, 1, {kBatch}, /*valueLimit=*/10}};
  writeFile(dir + "/ok.csv", bytesOf("0\n9\n"));
  EXPECT_EQ(loadData(classes, 1, {"y=" + dir + "/ok.csv"}).samples, 2);
  writeFile(dir + "/big.csv", bytesOf("3\n10\n"));
  EXPECT_EQ(errorOf([&] { loadData(classes, 1, {"y=" + dir + "/big.csv"}); }),
            dir + "/big.csv: value 10 at index 1 is out of range for 'y' (0 <= y < 10)");
  writeFile(dir + "/neg.csv", bytesOf("-1\n"));
  EXPECT_NE(errorOf([&] { loadData(classes, 1, {"y=" + dir + "/neg.csv"}); }).find("value -1"),
            std::string::npos);
}

TEST(Allocator, ReusesBlocksAndAligns) {
  AllocatorStats before = allocatorStats();
  void *a = cachingMalloc(nullptr, 1000);
  void *b = cachingMalloc(nullptr, 3000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 128, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 128, 0u);
  std::memset(a, 1, 1000);
  cachingFree(nullptr, a);
  cachingFree(nullptr, b);
  AllocatorStats mid = allocatorStats();
  EXPECT_EQ(mid.systemAllocations - before.systemAllocations, 2);
  EXPECT_EQ(mid.bytesInUse, before.bytesInUse);
  // Same sizes again (and a smaller one that fits): no new system blocks.
  void *c = cachingMalloc(nullptr, 1000);
  void *d = cachingMalloc(nullptr, 2000);
  EXPECT_EQ(c, a);
  EXPECT_EQ(d, b);
  EXPECT_EQ(allocatorStats().systemAllocations, mid.systemAllocations);
  EXPECT_EQ(allocatorStats().bytesHeld, mid.bytesHeld);
  // A smaller request (a last, partial batch) reuses a free block too.
  cachingFree(nullptr, d);
  void *e = cachingMalloc(nullptr, 100);
  EXPECT_EQ(e, b);
  EXPECT_EQ(allocatorStats().systemAllocations, mid.systemAllocations);
  cachingFree(nullptr, c);
  cachingFree(nullptr, e);
}

TEST(Safetensors, RoundTripAndValidation) {
  std::string path = tempDir() + "/t.safetensors";
  Tensor w(DType::F32, {2, 3}), steps(DType::I64, {});
  for (int i = 0; i < 6; ++i)
    w.as<float>()[i] = float(i) / 4;
  *steps.as<int64_t>() = 42;
  SafetensorsWriter writer;
  writer.add("w", w);
  writer.add("steps", steps);
  writer.setMetadata("k", "v");
  writer.write(path, "--save");
  SafetensorsFile file = SafetensorsFile::read(path);
  ASSERT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.entries()[0].name, "w"); // header order kept
  EXPECT_EQ(file.metadata().at("k"), "v");
  const SafetensorsEntry *e = file.find("steps");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->shape, Shape{});
  Tensor back = convertArray(file.array(*e), DType::I64, "x");
  EXPECT_EQ(*back.as<int64_t>(), 42);

  std::ifstream in(path, std::ios::binary);
  uint64_t headerSize = 0;
  in.read(reinterpret_cast<char *>(&headerSize), 8);
  EXPECT_EQ(headerSize % 8, 0u);

  auto parse = [](const std::string &json, size_t dataSize) {
    std::string padded = json + std::string((8 - json.size() % 8) % 8, ' ');
    std::string file(8, '\0');
    uint64_t n = padded.size();
    std::memcpy(file.data(), &n, 8);
    file += padded + std::string(dataSize, '\0');
    return errorOf([&] { SafetensorsFile::parse("f", bytesOf(file)); });
  };
  EXPECT_EQ(parse(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})", 4),
            "(no error)");
  EXPECT_EQ(parse(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                      "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})",
                  4),
            "f: tensor 'a' appears twice in the header");
  EXPECT_EQ(parse(R"({"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})", 4),
            "f: tensor 'a': shape must be a list of non-negative integers, not [1.5]");
  EXPECT_EQ(parse(R"({"a": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]},
                      "b": {"dtype": "F32", "shape": [], "data_offsets": [2, 6]}})",
                  8),
            "f: tensors 'a' and 'b' overlap (data_offsets [0, 4] and [2, 6])");
  EXPECT_EQ(parse(R"({"__metadata__": {"a": 1}})", 0), "f: __metadata__ 'a' must be a string");
  // Zero-size tensors may share an offset.
  EXPECT_EQ(parse(R"({"a": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]},
                      "b": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}})",
                  0),
            "(no error)");
}

TEST(AtomicFile, NoCommitLeavesDestinationAlone) {
  std::string dir = tempDir() + "/atomic";
  mkdir(dir.c_str(), 0777);
  writeFile(dir + "/keep", bytesOf("old"));
  {
    AtomicFile f(dir + "/keep", "--save");
    f.write("new contents");
  } // destroyed without commit(), as when an exception unwinds
  std::ifstream in(dir + "/keep");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "old");
  int files = 0;
  DIR *d = opendir(dir.c_str());
  while (dirent *e = readdir(d))
    files += std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..");
  closedir(d);
  EXPECT_EQ(files, 1); // no temporary left
  EXPECT_EQ(errorOf([&] { AtomicFile(dir + "/no/such/file", "--out"); }),
            "--out: cannot write '" + dir + "/no/such/file': directory '" + dir +
                "/no/such' does not exist");
}

TEST(HostBuffer, HalideDimensionsAreInnermostFirst) {
  Tensor t(DType::F32, {5, 3, 2});
  HostBuffer b(t);
  halide_buffer_t *h = b.get();
  ASSERT_EQ(h->dimensions, 3);
  EXPECT_EQ(h->dim[0].extent, 2);
  EXPECT_EQ(h->dim[0].stride, 1);
  EXPECT_EQ(h->dim[1].extent, 3);
  EXPECT_EQ(h->dim[1].stride, 2);
  EXPECT_EQ(h->dim[2].extent, 5);
  EXPECT_EQ(h->dim[2].stride, 6);
  b.setBatch(4);
  EXPECT_EQ(h->dim[2].extent, 4);
  EXPECT_TRUE(h->type == halide_type_t(halide_type_float, 32));
  Tensor s(DType::I64, {});
  HostBuffer sb(s);
  EXPECT_EQ(sb.get()->dimensions, 0);
  EXPECT_TRUE(sb.get()->type == halide_type_t(halide_type_int, 64));
}

// Consecutive rows are read in place from the data set; any other order is
// gathered into the batch's own buffer, which a later in-order batch does
// not touch.
TEST(Batches, ConsecutiveRowsInPlaceOthersGathered) {
  const TensorSpec spec[] = {{"x", DType::F32, 2, {kBatch, 2}}};
  DataSet d;
  d.arrays.emplace_back(DType::F32, Shape{5, 2});
  for (int i = 0; i < 10; ++i)
    d.arrays[0].as<float>()[i] = float(i);
  d.samples = 5;
  BatchBuffers batches(spec, 1, 3);
  halide_buffer_t *h = batches.buffers()[0]->get();
  const float *data = d.arrays[0].as<float>();

  const int64_t inOrder[] = {1, 2, 3};
  batches.fill(d, inOrder, 3);
  EXPECT_EQ(reinterpret_cast<const float *>(h->host), data + 2);
  EXPECT_EQ(h->dim[1].extent, 3);
  EXPECT_TRUE(h->host_dirty());

  const int64_t shuffled[] = {4, 0};
  batches.fill(d, shuffled, 2);
  const float *gathered = reinterpret_cast<const float *>(h->host);
  EXPECT_TRUE(gathered < data || gathered >= data + 10);
  EXPECT_EQ(h->dim[1].extent, 2);
  EXPECT_EQ(std::vector<float>(gathered, gathered + 4), (std::vector<float>{8, 9, 0, 1}));

  batches.fillRange(d, 3, 2);
  EXPECT_EQ(reinterpret_cast<const float *>(h->host), data + 6);
  EXPECT_EQ(std::vector<float>(gathered, gathered + 4), (std::vector<float>{8, 9, 0, 1}));
}

} // namespace

// The arena of a program's temps: temps alive at the same time never share
// bytes, temps that are not may, offsets are 64-byte aligned, and the batch
// scales only the batched temps.
TEST(Program, ArenaSharesOnlyDisjointLiveRanges) {
  using mlc::rt::DType;
  using mlc::rt::kBatch;
  // t0 [0, 1], t1 [1, 2], t2 [2, 3], t3 [3, 3]: t0 and t2 (and t3) are disjoint.
  const mlc::rt::TempSpec temps[] = {
      {DType::F32, 2, {kBatch, 100}, 0, 1},
      {DType::F32, 1, {10}, 1, 2},
      {DType::F32, 2, {kBatch, 100}, 2, 3},
      {DType::I64, 0, {}, 3, 3},
  };
  mlc::rt::KernelSpec kernels[4] = {};
  mlc::rt::ProgramSpec program = {4, kernels, 4, temps, 0};
  mlc::rt::ArenaPlan plan = mlc::rt::planArena(program, 8);
  ASSERT_EQ(plan.offsets.size(), 4u);
  auto bytes = [](int64_t n) { return (n + 63) / 64 * 64; };
  auto overlap = [&](int a, int b, int64_t sa, int64_t sb) {
    return plan.offsets[a] < plan.offsets[b] + sb && plan.offsets[b] < plan.offsets[a] + sa;
  };
  int64_t big = bytes(8 * 100 * 4), small = bytes(10 * 4), scalar = bytes(8);
  for (int64_t off : plan.offsets)
    EXPECT_EQ(off % 64, 0);
  EXPECT_FALSE(overlap(0, 1, big, small)); // both alive at kernel 1
  EXPECT_FALSE(overlap(1, 2, small, big)); // both alive at kernel 2
  EXPECT_FALSE(overlap(2, 3, big, scalar));
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]); // disjoint: the big ones share
  EXPECT_EQ(plan.unshared, 2 * big + small + scalar);
  EXPECT_EQ(plan.bytes, big + small);
  // A larger batch grows only the batched temps.
  mlc::rt::ArenaPlan plan2 = mlc::rt::planArena(program, 16);
  EXPECT_EQ(plan2.bytes, bytes(16 * 100 * 4) + small);
  // GPU models: no two temps share bytes (Halide may copy a device-dirty
  // temp back to the host at any time).
  mlc::rt::ArenaPlan unshared = mlc::rt::planArena(program, 8, /*share=*/false);
  EXPECT_EQ(unshared.bytes, unshared.unshared);
  const int64_t sizes[] = {big, small, big, scalar};
  for (int a = 0; a < 4; ++a)
    for (int b = a + 1; b < 4; ++b) {
      auto o = [&](int t) { return unshared.offsets[size_t(t)]; };
      EXPECT_TRUE(o(a) + sizes[a] <= o(b) || o(b) + sizes[b] <= o(a)) << a << " " << b;
    }
}

// Which updated parameters may be written into their own memory: only an
// output written by one in-place kernel whose input no later kernel reads.
TEST(Program, InPlaceOutputsNeedOneInPlaceWriterAndNoLaterReader) {
  using mlc::rt::ArgSpec;
  // Arguments: 0 param 0 in, 1 param 1 in, 2 state 0 in, 3 param 0 out,
  // 4 param 1 out, 5 state 0 out.
  const ArgSpec args[] = {{ArgSpec::Param, 0, false}, {ArgSpec::Param, 1, false},
                          {ArgSpec::State, 0, false}, {ArgSpec::Param, 0, true},
                          {ArgSpec::Param, 1, true},  {ArgSpec::State, 0, true}};
  // k0 reads both parameters; k1 updates param 0 and state 0 in place; k2
  // updates param 1 in place but k3 reads param 1 after it.
  const int k0[] = {0, 1, 6}, k1[] = {0, 2, 6, 3, 5}, k2[] = {1, 6, 4}, k3[] = {1, 7};
  mlc::rt::KernelSpec kernels[] = {{"k0", nullptr, 3, k0, 1, false},
                                   {"k1", nullptr, 5, k1, 2, true},
                                   {"k2", nullptr, 3, k2, 1, true},
                                   {"k3", nullptr, 2, k3, 1, false}};
  mlc::rt::ProgramSpec program = {4, kernels, 0, nullptr, -1};
  mlc::rt::FunctionSpec fn = {"train_step", nullptr, 6, args, &program};
  EXPECT_EQ(mlc::rt::inPlaceOutputs(fn),
            (std::vector<bool>{false, false, false, true, false, true}));
  kernels[1].inPlace = false; // a kernel that may read a neighbour element
  EXPECT_EQ(mlc::rt::inPlaceOutputs(fn),
            (std::vector<bool>{false, false, false, false, false, false}));
  kernels[1].inPlace = true;
  kernels[0].args = k1; // param 0's output referenced by two kernels
  kernels[0].numArgs = 5;
  kernels[0].numOutputs = 2;
  EXPECT_EQ(mlc::rt::inPlaceOutputs(fn)[3], false);
}

namespace {
int packCalls = 0, productCalls = 0;
int countPack(void **) { return ++packCalls, 0; }
int countProduct(void **) { return ++productCalls, 0; }
} // namespace

// An invariant kernel (a frozen weight's packing) runs at the first call,
// is skipped while the caller vouches for the frozen parameters and they
// are the same buffers, and runs again otherwise; checkProgram accepts it
// only reading parameters and writing a temp alive for the whole program.
TEST(Program, InvariantKernelsRunOnlyWhenFrozenInputsMayHaveChanged) {
  using mlc::rt::ArgSpec;
  using mlc::rt::DType;
  // Arguments: 0 param 0 (frozen), 1 data 0, 2 output 0; slot 3 is temp 0.
  const ArgSpec args[] = {{ArgSpec::Param, 0, false}, {ArgSpec::Data, 0, false},
                          {ArgSpec::Output, 0, true}};
  const mlc::rt::TempSpec temps[] = {{DType::F32, 1, {16}, 0, 1}};
  const int pack[] = {0, 3}, product[] = {3, 1, 2};
  mlc::rt::KernelSpec kernels[] = {{"pack", countPack, 2, pack, 1, false, true},
                                   {"product", countProduct, 3, product, 1, false, false}};
  mlc::rt::ProgramSpec program = {2, kernels, 1, temps, -1};
  mlc::rt::FunctionSpec fn = {"train_step", nullptr, 3, args, &program};
  EXPECT_EQ(mlc::rt::checkProgram(fn), "");

  float w1[16] = {}, w2[16] = {}, x[4] = {}, y[1] = {};
  halide_buffer_t weight{}, data{}, out{};
  weight.host = reinterpret_cast<uint8_t *>(w1);
  data.host = reinterpret_cast<uint8_t *>(x);
  out.host = reinterpret_cast<uint8_t *>(y);
  void *argv[] = {&weight, &data, &out};
  std::string failed;
  auto run = [&](bool frozenUnchanged) {
    EXPECT_EQ(mlc::rt::runProgram(fn, argv, failed, frozenUnchanged), 0);
    return std::make_pair(packCalls, productCalls);
  };
  EXPECT_EQ(run(true), std::make_pair(1, 1));  // nothing kept yet
  EXPECT_EQ(run(true), std::make_pair(1, 2));  // kept
  EXPECT_EQ(run(false), std::make_pair(2, 3)); // not vouched for
  weight.host = reinterpret_cast<uint8_t *>(w2);
  EXPECT_EQ(run(true), std::make_pair(3, 4)); // another buffer
  EXPECT_EQ(run(true), std::make_pair(3, 5));

  // Reading data, or writing a temp other temps could share: rejected.
  const int fromData[] = {1, 3};
  kernels[0].args = fromData;
  EXPECT_NE(mlc::rt::checkProgram(fn).find("invariant kernel 'pack'"), std::string::npos);
  kernels[0].args = pack;
  const mlc::rt::TempSpec shortLived[] = {{DType::F32, 1, {16}, 0, 0}};
  program.temps = shortLived;
  EXPECT_NE(mlc::rt::checkProgram(fn).find("invariant kernel 'pack'"), std::string::npos);
}
