//===- FrontendTest.cpp - Unit tests of the lexer and of elaboration ------===//
//
// What lit cannot see easily: token values, and the Program that Sema builds
// (parameter names, shapes, initializer scales) before MLIR is involved.
//
//===----------------------------------------------------------------------===//

#include "mlc/Frontend/Frontend.h"
#include "mlc/Frontend/Lexer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace mlc;

namespace {

struct Analyzed {
  Compilation compilation;
  std::vector<Program> programs;
  unsigned errors = 0;
};

std::unique_ptr<Analyzed> analyzeText(const std::string &text) {
  auto a = std::make_unique<Analyzed>();
  static FILE *sink = std::fopen("/dev/null", "w");
  DiagnosticEngine diags(a->compilation.sources, sink);
  if (loadProgramFromText("test.dsl", text, a->compilation, diags))
    a->programs = analyze(a->compilation, diags);
  a->errors = diags.numErrors();
  return a;
}

const Parameter *findParam(const Program &p, const std::string &name) {
  for (const Parameter &q : p.params)
    if (q.name == name)
      return &q;
  return nullptr;
}

TEST(Lexer, NumbersKeywordsAndPunctuation) {
  SourceManager sm;
  FILE *sink = std::fopen("/dev/null", "w");
  DiagnosticEngine diags(sm, sink);
  uint32_t id = sm.addFile("t.dsl", "let x = 1e-3 -> 42 # comment\n model");
  std::vector<Token> toks = lex(sm, id, diags);
  ASSERT_EQ(toks.size(), 8u); // with Eof
  EXPECT_EQ(toks[0].kind, Tok::KwLet);
  EXPECT_EQ(toks[1].kind, Tok::Ident);
  EXPECT_EQ(toks[1].text, "x");
  EXPECT_EQ(toks[3].kind, Tok::Float);
  EXPECT_DOUBLE_EQ(toks[3].floatValue, 1e-3);
  EXPECT_EQ(toks[4].kind, Tok::Arrow);
  EXPECT_EQ(toks[5].kind, Tok::Int);
  EXPECT_EQ(toks[5].intValue, 42);
  EXPECT_EQ(toks[6].kind, Tok::KwModel);
  EXPECT_TRUE(toks[6].atLineStart);
  EXPECT_FALSE(toks[5].atLineStart);
  EXPECT_EQ(diags.numErrors(), 0u);
  std::fclose(sink);
}

TEST(Lexer, LineAndColumn) {
  SourceManager sm;
  uint32_t id = sm.addFile("t.dsl", "ab\ncd\n\nx");
  LineCol lc = sm.file(id).lineCol(7);
  EXPECT_EQ(lc.line, 4u);
  EXPECT_EQ(lc.col, 1u);
  EXPECT_EQ(sm.file(id).lineText(4), "cd");
}

const char *kMlp = R"(
model M {
  body = Sequential(Linear(8, 4), ReLU(), Linear(4, 2, bias=false))
  def forward(x: f32[N, 8]) -> f32[N, 2] { return body(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  data y: i64[N]
  freeze model.body.0
  loss = cross_entropy(model(x), y)
  optimizer = AdamW(lr=0.01, betas=(0.8, 0.9))
  batch_size = 16
}
)";

TEST(Sema, StateDictNamesShapesAndInit) {
  auto a = analyzeText(kMlp);
  ASSERT_EQ(a->errors, 0u);
  ASSERT_EQ(a->programs.size(), 1u);
  const Program &p = a->programs[0];
  ASSERT_EQ(p.params.size(), 3u);
  const Parameter *w0 = findParam(p, "body.0.weight");
  ASSERT_NE(w0, nullptr);
  EXPECT_EQ(w0->type.str(), "f32[4, 8]");
  EXPECT_EQ(w0->init, InitKind::Uniform);
  EXPECT_DOUBLE_EQ(w0->scale, 1 / std::sqrt(8.0));
  EXPECT_TRUE(w0->frozen);
  EXPECT_TRUE(findParam(p, "body.0.bias")->frozen);
  const Parameter *w2 = findParam(p, "body.2.weight");
  ASSERT_NE(w2, nullptr);
  EXPECT_FALSE(w2->frozen);
  EXPECT_EQ(findParam(p, "body.2.bias"), nullptr); // bias=false
  EXPECT_EQ(p.batchSize, 16);
  EXPECT_EQ(p.epochs, 1);
}

TEST(Sema, OptimizerDefaultsFollowPyTorch) {
  auto a = analyzeText(kMlp);
  ASSERT_EQ(a->programs.size(), 1u);
  const Optimizer &opt = a->programs[0].optimizer;
  EXPECT_EQ(opt.kind, "AdamW");
  ASSERT_EQ(opt.hyper.size(), 4u);
  EXPECT_EQ(opt.hyper[0].first, "lr");
  EXPECT_DOUBLE_EQ(opt.hyper[0].second[0], 0.01);
  EXPECT_EQ(opt.hyper[1].second, (std::vector<double>{0.8, 0.9}));
  EXPECT_DOUBLE_EQ(opt.hyper[2].second[0], 1e-8);
  EXPECT_DOUBLE_EQ(opt.hyper[3].second[0], 0.01); // AdamW's default decay
}

TEST(Sema, SplitHeadsIsReshapeThenPermute) {
  auto a = analyzeText(R"(
model A(d: int, h: int) {
  q = Linear(d, d)
  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    return merge_heads(split_heads(q(x), h))
  }
}
model B {
  a = A(12, 3)
  def forward(x: f32[N, 5, 12]) -> f32[N, 5, 12] { return a(x) }
}
train t(model: B) {
  data x: f32[N, 5, 12]
  loss = mean(model(x))
  optimizer = SGD(lr=0.1, momentum=0.9)
}
)");
  ASSERT_EQ(a->errors, 0u);
  const Graph &g = a->programs[0].loss;
  std::vector<std::string> shapes;
  for (const Node &n : g.nodes)
    if (n.kind == OpKind::Reshape || n.kind == OpKind::Permute)
      shapes.push_back(n.type.str());
  EXPECT_EQ(shapes, (std::vector<std::string>{"f32[N, 5, 3, 4]", "f32[N, 3, 5, 4]",
                                              "f32[N, 5, 3, 4]", "f32[N, 5, 12]"}));
}

TEST(Sema, ErrorsAreCountedAndProduceNoProgram) {
  auto a = analyzeText(R"(
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 7]
  loss = mean(model(x))
  optimizer = Adam(lr=-1)
}
)");
  EXPECT_EQ(a->errors, 2u); // the shape mismatch and the negative lr
  EXPECT_TRUE(a->programs.empty());
}

} // namespace
