# Attention-like scores scaled before the softmax: the gradient's scale is
# read by two products, so softmax_grad fuses into it.
model M {
  l = Linear(16, 64)
  def forward(x: f32[N, 16]) -> f32[N, 8, 8] {
    let a = reshape(l(x), [N, 8, 8])
    return softmax(a @ transpose(a, -1, -2) / 4, axis=-1)
  }
}
train t(model: M) {
  data x: f32[N, 16]
  data y: f32[N, 8, 8]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
