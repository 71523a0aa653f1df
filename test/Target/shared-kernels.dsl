# eval_step's and predict's forward kernels compute what train_step's do, so
# they call train_step's compiled code instead of being compiled again;
# kernels that print alike but differ in shape (a and b below, both
# relu(linear) of an argument) stay separate.
# RUN: rm -rf %t && mlc compile %s --emit=obj -o %t
# RUN: FileCheck %s < %t/model.cpp
model M {
  a = Linear(16, 32)
  b = Linear(32, 32)
  c = Linear(32, 8)
  def forward(x: f32[N, 16]) -> f32[N, 8] { return c(relu(b(relu(a(x))))) }
}
train t(model: M) {
  data x: f32[N, 16]
  data y: f32[N, 8]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}

# CHECK: extern "C" int train_step_k0_relu_argv(void **args);
# CHECK-NEXT: extern "C" int train_step_k1_relu_argv(void **args);
# CHECK-NOT: extern "C" int eval_step_k0_relu_argv
# CHECK-NOT: extern "C" int predict_k
# CHECK: {"train_step_k0_relu", train_step_k0_relu_argv, 5, train_step_k0_relu_slots, 1, false},
# CHECK-NEXT: {"train_step_k1_relu", train_step_k1_relu_argv, 5, train_step_k1_relu_slots, 1, false},
# CHECK: {"eval_step_k0_relu", train_step_k0_relu_argv, 5, eval_step_k0_relu_slots, 1, false},
# CHECK-NEXT: {"eval_step_k1_relu", train_step_k1_relu_argv, 5, eval_step_k1_relu_slots, 1, false},
# CHECK-NEXT: {"eval_step_k2_linear", train_step_k2_linear_argv, 5, eval_step_k2_linear_slots, 1, false},
# CHECK: {"predict_k0_relu", train_step_k0_relu_argv, 5, predict_k0_relu_slots, 1, false},
# CHECK-NEXT: {"predict_k1_relu", train_step_k1_relu_argv, 5, predict_k1_relu_slots, 1, false},
# CHECK-NEXT: {"predict_k2_linear", train_step_k2_linear_argv, 5, predict_k2_linear_slots, 1, false},
