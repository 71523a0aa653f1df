# RUN: not mlc compile %s 2>&1 | FileCheck %s
# RUN: not mlc compile %s 2>&1 | grep -c 'error:' | FileCheck %s --check-prefix=COUNT
# RUN: not mlc compile %s --max-errors=2 2>&1 | FileCheck %s --check-prefix=LIMIT
# One run reports every independent error: the parser resynchronises at the
# next line, Sema keeps checking after a bad member or statement, and an
# error does not cascade into follow-up errors.

model M {
  l = Linear(8, 4
  r = Relu()
  def forward(x: f32[N, 8]) -> f32[N, 4] {
    let y = l(x) + zz
    let w = r(y)
    return y @ y
  }
}

train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam(lr=0.1, momentum=0.9)
  batch_size = 0
}

# CHECK: recovery.dsl:10:3: error: expected ',' or ')', found 'r'
# CHECK: recovery.dsl:10:7: error: unknown layer or model 'Relu'; did you mean 'ReLU'?
# CHECK: recovery.dsl:21:28: error: unknown keyword argument 'momentum' for 'Adam'
# CHECK: recovery.dsl:22:16: error: 'batch_size' must be a positive integer
# CHECK: recovery.dsl:12:20: error: unknown name 'zz'
# CHECK-NOT: error:

# LIMIT: error: expected ',' or ')'
# LIMIT: error: unknown layer or model 'Relu'
# LIMIT: error: too many errors emitted, stopping now
# LIMIT-NOT: error:

# COUNT: 5
