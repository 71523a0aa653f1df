# RUN: not mlc compile %s --split-input-file 2>&1 | FileCheck %s
# Every semantic error, one per split, with its line, column, source line and caret.

model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) + y }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:58: error: unknown name 'y'
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) + y }
# CHECK-NEXT:                                                          ^
# -----
model M {
  l = Lineer(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: unknown layer or model 'Lineer'; did you mean 'Linear'?
# CHECK-NEXT:   l = Lineer(8, 4)
# CHECK-NEXT:       ^~~~~~
# -----
model M {
  l = Linear(8)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: 'Linear' takes 2 arguments, but 1 was given
# CHECK-NEXT:   l = Linear(8)
# CHECK-NEXT:       ^~~~~~~~~
# -----
model M {
  l = Linear(8, 0)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:17: error: 'out_features' must be positive, got 0
# CHECK-NEXT:   l = Linear(8, 0)
# CHECK-NEXT:                 ^
# -----
model M {
  l = Linear(8, 4, bias=1)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:25: error: 'bias' must be 'true' or 'false'
# CHECK-NEXT:   l = Linear(8, 4, bias=1)
# CHECK-NEXT:                         ^
# -----
model M {
  l = Linear(8, 4, biass=false)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:20: error: unknown keyword argument 'biass' for 'Linear'; expected 'bias'
# CHECK-NEXT:   l = Linear(8, 4, biass=false)
# CHECK-NEXT:                    ^~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 7]) -> f32[N, 4] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: 'Linear' at 'l' expects the last dimension to be 8 (in_features), but the input is f32[N, 7]
# CHECK-NEXT:   def forward(x: f32[N, 7]) -> f32[N, 4] { return l(x) }
# CHECK-NEXT:                                                   ^~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 5] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:32: error: 'M.forward' returns f32[N, 4], but its declared result type is f32[N, 5]
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 5] { return l(x) }
# CHECK-NEXT:                                ^~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8], y: f32[N, 4]) -> f32[N, 8] { return x + y }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:65: error: cannot broadcast f32[N, 8] and f32[N, 4] in '+'
# CHECK-NEXT:   def forward(x: f32[N, 8], y: f32[N, 4]) -> f32[N, 8] { return x + y }
# CHECK-NEXT:                                                                 ^~~~~
# -----
model M {
  def forward(x: f32[N, 8, 4], y: f32[N, 4, 3]) -> f32[N, 8, 3] { return y @ x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:74: error: inner dimensions of '@' do not match: f32[N, 4, 3] @ f32[N, 8, 4]
# CHECK-NEXT:   def forward(x: f32[N, 8, 4], y: f32[N, 4, 3]) -> f32[N, 8, 3] { return y @ x }
# CHECK-NEXT:                                                                          ^~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N] { return softmax(x, axis=2) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:48: error: axis 2 is out of range for a tensor of rank 2
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N] { return softmax(x, axis=2) }
# CHECK-NEXT:                                                ^~~~~~~~~~~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return sum(x, axis=[1, 1]) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: an axis is given twice
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] { return sum(x, axis=[1, 1]) }
# CHECK-NEXT:                                                   ^~~~~~~~~~~~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 3] { return reshape(x, [N, 3]) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: cannot reshape f32[N, 8] to f32[N, 3]
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 3] { return reshape(x, [N, 3]) }
# CHECK-NEXT:                                                   ^~~~~~~~~~~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8, 6]) -> f32[N, 8, 6] { return merge_heads(split_heads(x, 4)) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:84: error: the model width 6 is not divisible by 4 heads
# CHECK-NEXT:   def forward(x: f32[N, 8, 6]) -> f32[N, 8, 6] { return merge_heads(split_heads(x, 4)) }
# CHECK-NEXT:                                                                                    ^
# -----
model M {
  def forward(x: f32[N, 8, 6]) -> f32[N, 8, 6] { return causal_mask(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:57: error: 'causal_mask' expects scores [..., T, T], got f32[N, 8, 6]
# CHECK-NEXT:   def forward(x: f32[N, 8, 6]) -> f32[N, 8, 6] { return causal_mask(x) }
# CHECK-NEXT:                                                         ^~~~~~~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return exp(x, 2) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: 'exp' takes 1 argument, but 2 were given
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] { return exp(x, 2) }
# CHECK-NEXT:                                                   ^~~~~~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return expp(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: unknown function 'expp'; did you mean 'exp'?
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] { return expp(x) }
# CHECK-NEXT:                                                   ^~~~
# -----
model M {
  e = Embedding(10, 4)
  def forward(x: f32[N, 8]) -> f32[N, 8, 4] { return e(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:54: error: 'Embedding' at 'e' needs integer indices (i64), got f32[N, 8]
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8, 4] { return e(x) }
# CHECK-NEXT:                                                      ^~~~
# -----
model M {
  def forward(x: i64[N, 8]) -> f32[N, 8] { return x * 2 }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: '*' needs a floating-point tensor, got i64[N, 8]
# CHECK-NEXT:   def forward(x: i64[N, 8]) -> f32[N, 8] { return x * 2 }
# CHECK-NEXT:                                                   ^~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:7: error: model 'M' defines 'forward' more than once
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
# CHECK-NEXT:       ^~~~~~~
# -----
model M {
  l = Linear(8, 8)
  l = Linear(8, 8)
  def forward(x: f32[N, 8]) -> f32[N, 8] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:3: error: duplicate member 'l' in model 'M'
# CHECK-NEXT:   l = Linear(8, 8)
# CHECK-NEXT:   ^
# CHECK: sema-model-errors.dsl:[[@LINE-7]]:3: note: previous declaration is here
# CHECK-NEXT:   l = Linear(8, 8)
# CHECK-NEXT:   ^
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] {
    let y = x
    let y = x
    return y
  }
}
# CHECK: sema-model-errors.dsl:[[@LINE-4]]:9: error: 'y' is already defined
# CHECK-NEXT:     let y = x
# CHECK-NEXT:         ^
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] {
    let y = x
  }
}
# CHECK: sema-model-errors.dsl:[[@LINE-4]]:7: error: 'forward' must end with a 'return'
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] {
# CHECK-NEXT:       ^~~~~~~
# -----
model M {
  m = M()
  def forward(x: f32[N, 8]) -> f32[N, 8] { return m(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: model 'M' contains itself
# CHECK-NEXT:   m = M()
# CHECK-NEXT:       ^~~
# -----
model M(d: float) {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:12: error: model parameters must have type 'int', found 'float'
# CHECK-NEXT: model M(d: float) {
# CHECK-NEXT:            ^~~~~
# -----
model M(d: int) {
  l = Linear(d, d)
  def forward(x: f32[N, d]) -> f32[N, d] { return l(x) }
}
model K {
  m = M(4, 5)
  def forward(x: f32[N, 4]) -> f32[N, 4] { return m(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: 'M' takes 1 argument, but 2 were given
# CHECK-NEXT:   m = M(4, 5)
# CHECK-NEXT:       ^~~~~~~
# -----
model M(d: int) {
  def forward(x: f32[N, d]) -> f32[N, d] { return x }
}
model K {
  m = M(6)
  def forward(x: f32[N, 4]) -> f32[N, 4] { return m(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: argument 'x' of 'M.forward' expects f32[N, d], got f32[N, 4]
# CHECK-NEXT:   def forward(x: f32[N, 4]) -> f32[N, 4] { return m(x) }
# CHECK-NEXT:                                                   ^~~~
# CHECK: sema-model-errors.dsl:[[@LINE-9]]:18: note: declared here
# CHECK-NEXT:   def forward(x: f32[N, d]) -> f32[N, d] { return x }
# CHECK-NEXT:                  ^~~~~~~~~
# -----
model M {
  def forward(x: f16[N, 8]) -> f32[N, 8] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:18: error: unknown element type 'f16'; expected 'f32' or 'i64'
# CHECK-NEXT:   def forward(x: f16[N, 8]) -> f32[N, 8] { return x }
# CHECK-NEXT:                  ^~~
# -----
model M {
  def forward(x: f32[N, N]) -> f32[N, N] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:18: error: the batch dimension 'N' may appear only once in a type
# CHECK-NEXT:   def forward(x: f32[N, N]) -> f32[N, N] { return x }
# CHECK-NEXT:                  ^~~~~~~~~
# -----
model M {
  l = Linear(100000, 100000)
  def forward(x: f32[N, 100000]) -> f32[N, 100000] { return l(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: tensor f32[100000, 100000] has more than 4294967296 elements
# CHECK-NEXT:   l = Linear(100000, 100000)
# CHECK-NEXT:       ^~~~~~~~~~~~~~~~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: 'l' is a module; call it, as in 'l(x)'
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 4] { return l }
# CHECK-NEXT:                                                   ^
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return Linear(8, 8)(x) }
}
# CHECK: sema-model-errors.dsl:[[@LINE-2]]:51: error: only functions and modules can be called
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 8] { return Linear(8, 8)(x) }
# CHECK-NEXT:                                                   ^~~~~~~~~~~~
# -----
model Linear {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: model name 'Linear' is taken by a built-in layer
# CHECK-NEXT: model Linear {
# CHECK-NEXT:       ^~~~~~
# -----
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
}
model M {
  def forward(x: f32[N, 8]) -> f32[N, 8] { return x }
}
# CHECK: sema-model-errors.dsl:[[@LINE-3]]:7: error: redefinition of model 'M'
# CHECK-NEXT: model M {
# CHECK-NEXT:       ^
# CHECK: sema-model-errors.dsl:[[@LINE-9]]:7: note: previous definition is here
# CHECK-NEXT: model M {
# CHECK-NEXT:       ^
