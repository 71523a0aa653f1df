# Softmax over rows of 16: its gradient (softmax_grad) sums dy * y along each row.
model M {
  l = Linear(16, 64)
  def forward(x: f32[N, 16]) -> f32[N, 4, 16] {
    return softmax(reshape(l(x), [N, 4, 16]), axis=-1)
  }
}
train t(model: M) {
  data x: f32[N, 16]
  data y: f32[N, 4, 16]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
