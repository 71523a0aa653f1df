# RUN: not mlc compile %s --split-input-file --emit=ast 2>&1 | FileCheck %s
# Every parser error, one per split, with its line, column, source line and caret.

model {
  def forward(x: f32[N]) -> f32[N] { return x }
}
# CHECK: parser-errors.dsl:[[@LINE-3]]:7: error: expected a model name, found '{'
# CHECK-NEXT: model {
# CHECK-NEXT:       ^
# -----
model M {
  l = Linear(8, 4
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:3: error: expected ',' or ')', found 'def'
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
# CHECK-NEXT:   ^~~
# -----
model M {
  def forward(x: f32[N]) -> f32[N] {
    let = x
    return x
  }
}
# CHECK: parser-errors.dsl:[[@LINE-4]]:9: error: expected a name after 'let', found '='
# CHECK-NEXT:     let = x
# CHECK-NEXT:         ^
# -----
model M {
  def forward(x: f32[N]) -> f32[N] {
    y = x
    return x
  }
}
# CHECK: parser-errors.dsl:[[@LINE-4]]:5: error: expected 'let' or 'return', found 'y'
# CHECK-NEXT:     y = x
# CHECK-NEXT:     ^
# -----
model M {
  def forward(x f32[N]) -> f32[N] { return x }
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:17: error: expected ':', found 'f32'
# CHECK-NEXT:   def forward(x f32[N]) -> f32[N] { return x }
# CHECK-NEXT:                 ^~~
# -----
model M {
  def forward(x: f32[N]) f32[N] { return x }
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:26: error: expected '->', found 'f32'
# CHECK-NEXT:   def forward(x: f32[N]) f32[N] { return x }
# CHECK-NEXT:                          ^~~
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return x + }
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:49: error: expected an expression, found '}'
# CHECK-NEXT:   def forward(x: f32[N]) -> f32[N] { return x + }
# CHECK-NEXT:                                                 ^
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return f(x, axis=1, x) }
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:58: error: positional argument after a keyword argument
# CHECK-NEXT:   def forward(x: f32[N]) -> f32[N] { return f(x, axis=1, x) }
# CHECK-NEXT:                                                          ^
# -----
train t(model M) {
  loss = 1
}
# CHECK: parser-errors.dsl:[[@LINE-3]]:15: error: expected ':', found 'M'
# CHECK-NEXT: train t(model M) {
# CHECK-NEXT:               ^
# -----
train t(model: M) {
  data x f32[N]
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:10: error: expected ':', found 'f32'
# CHECK-NEXT:   data x f32[N]
# CHECK-NEXT:          ^~~
# -----
train t(model: M) {
  init model from bad
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:19: error: expected a checkpoint file name in quotes, found 'bad'
# CHECK-NEXT:   init model from bad
# CHECK-NEXT:                   ^~~
# -----
train t(model: M) {
  "loss" = 1
}
# CHECK: parser-errors.dsl:[[@LINE-2]]:3: error: expected 'data', 'metric', 'init', 'freeze' or a setting such as 'loss = ...', found string
# CHECK-NEXT:   "loss" = 1
# CHECK-NEXT:   ^~~~~~
# -----
import model
# CHECK: parser-errors.dsl:[[@LINE-1]]:8: error: expected a file name in quotes after 'import', found 'model'
# CHECK-NEXT: import model
# CHECK-NEXT:        ^~~~~
# -----
foo bar
# CHECK: parser-errors.dsl:[[@LINE-1]]:1: error: expected 'model', 'train' or 'import', found 'foo'
# CHECK-NEXT: foo bar
# CHECK-NEXT: ^~~
# -----
model M {
  def forward(x: f32[N]) -> f32[N] { return x }
# The missing '}' is reported at the end of the file, after these lines.
# CHECK: parser-errors.dsl:{{[0-9]+}}:1: error: expected '}', found end of file
