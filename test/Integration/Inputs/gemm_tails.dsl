# Products big enough for the register-blocked GEMM schedule, with tails in
# every blocked dim: 37 and 19 output columns (blocks of 16), 13 rows
# (blocks of 6, the batch), a batched Q K^T with T = 18 and the epilogues
# (relu, relu_grad) fused into the products.
model G {
  a = Linear(40, 37)
  b = Linear(37, 19)
  q = Linear(19, 18)
  def forward(x: f32[N, 40]) -> f32[N, 19] {
    let h = b(relu(a(x)))
    let t = reshape(q(h), [N, 18, 1])
    let s = softmax(t @ transpose(t, -1, -2) / 4, axis=-1)   # [N, 18, 18]
    return h + mean(s @ t, axis=1)                             # [N, 1] broadcast
  }
}
train t(model: G) {
  data x: f32[N, 40]
  data y: f32[N, 19]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}
