# RUN: not mlc compile %s --split-input-file 2>&1 | FileCheck %s
# Every semantic error, one per split, with its line, column, source line and caret.

model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-4]]:7: error: train block 't' has no 'loss = ...'
# CHECK-NEXT: train t(model: M) {
# CHECK-NEXT:       ^
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
}
# CHECK: sema-train-errors.dsl:[[@LINE-4]]:7: error: train block 't' has no 'optimizer = ...'
# CHECK-NEXT: train t(model: M) {
# CHECK-NEXT:       ^
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = model(x)
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:10: error: the loss must be a scalar, got f32[N, 4]; reduce it, e.g. with 'mean'
# CHECK-NEXT:   loss = model(x)
# CHECK-NEXT:          ^~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  data y: i64[N]
  loss = cross_entropy(model(x), x)
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:10: error: 'cross_entropy' expects logits f32[N, C] or f32[N, T, C] and integer labels of the same shape without C, got f32[N, 4] and f32[N, 8]
# CHECK-NEXT:   loss = cross_entropy(model(x), x)
# CHECK-NEXT:          ^~~~~~~~~~~~~~~~~~~~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adamm(lr=0.1)
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:15: error: unknown optimizer 'Adamm'; expected 'SGD', 'Adam' or 'AdamW'
# CHECK-NEXT:   optimizer = Adamm(lr=0.1)
# CHECK-NEXT:               ^~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam(lr=-0.1)
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:23: error: 'lr' must be positive, got -0.1
# CHECK-NEXT:   optimizer = Adam(lr=-0.1)
# CHECK-NEXT:                       ^~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam(betas=0.9)
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:26: error: 'betas' must be a pair of numbers, as in (0.9, 0.999)
# CHECK-NEXT:   optimizer = Adam(betas=0.9)
# CHECK-NEXT:                          ^~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = SGD(lr=0.1, nesterov=true)
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:27: error: unknown keyword argument 'nesterov' for 'SGD'; expected 'lr', 'momentum', 'weight_decay'
# CHECK-NEXT:   optimizer = SGD(lr=0.1, nesterov=true)
# CHECK-NEXT:                           ^~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam(0.1)
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:20: error: 'Adam' takes keyword arguments only, as in 'Adam(lr=0.01)'
# CHECK-NEXT:   optimizer = Adam(0.1)
# CHECK-NEXT:                    ^~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  batch_size = 2.5
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:16: error: 'batch_size' must be a positive integer
# CHECK-NEXT:   batch_size = 2.5
# CHECK-NEXT:                ^~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  epochs = 3
  epochs = 4
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:3: error: 'epochs' is set more than once
# CHECK-NEXT:   epochs = 4
# CHECK-NEXT:   ^~~~~~
# CHECK: sema-train-errors.dsl:[[@LINE-6]]:3: note: first set here
# CHECK-NEXT:   epochs = 3
# CHECK-NEXT:   ^~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  learning_rate = 3
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:3: error: unknown setting 'learning_rate'; expected 'loss', 'optimizer', 'batch_size' or 'epochs'
# CHECK-NEXT:   learning_rate = 3
# CHECK-NEXT:   ^~~~~~~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  data z: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-4]]:8: error: data 'z' is never used
# CHECK-NEXT:   data z: f32[N, 8]
# CHECK-NEXT:        ^
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  freeze model.head
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:10: error: 'model.head' names no module or parameter with parameters in 'M'
# CHECK-NEXT:   freeze model.head
# CHECK-NEXT:          ^~~~~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  freeze model
}
# CHECK: sema-train-errors.dsl:[[@LINE-6]]:7: error: every parameter is frozen; nothing would be trained
# CHECK-NEXT: train t(model: M) {
# CHECK-NEXT:       ^
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x))
  optimizer = Adam()
  init l from "w.safetensors"
}
# CHECK: sema-train-errors.dsl:[[@LINE-2]]:8: error: expected a path starting with 'model', as in 'model.encoder'
# CHECK-NEXT:   init l from "w.safetensors"
# CHECK-NEXT:        ^
# -----
train t(model: Linear) {
  loss = 1
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:16: error: train blocks train a model; wrap 'Linear' in a model
# CHECK-NEXT: train t(model: Linear) {
# CHECK-NEXT:                ^~~~~~
# -----
train t(model: Nothing) {
  loss = 1
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:16: error: unknown model 'Nothing'
# CHECK-NEXT: train t(model: Nothing) {
# CHECK-NEXT:                ^~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model(x, x))
  metric loss = mean(model(x))
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:10: error: a metric cannot be called 'loss'
# CHECK-NEXT:   metric loss = mean(model(x))
# CHECK-NEXT:          ^~~~
# CHECK: sema-train-errors.dsl:[[@LINE-7]]:15: error: 'M.forward' takes 1 argument, but 2 were given
# CHECK-NEXT:   loss = mean(model(x, x))
# CHECK-NEXT:               ^~~~~~~~~~~
# CHECK: sema-train-errors.dsl:[[@LINE-14]]:7: note: 'forward' is declared here
# CHECK-NEXT:   def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
# CHECK-NEXT:       ^~~~~~~
# -----
model M {
  l = Linear(8, 4)
  def forward(x: f32[N, 8]) -> f32[N, 4] { return l(x) }
}
train t(model: M) {
  data x: f32[N, 8]
  loss = mean(model.k(x))
  optimizer = Adam()
}
# CHECK: sema-train-errors.dsl:[[@LINE-3]]:15: error: 'M' has no submodule 'k'
# CHECK-NEXT:   loss = mean(model.k(x))
# CHECK-NEXT:               ^~~~~~~
