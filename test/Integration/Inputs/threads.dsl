# Parallel loops everywhere: products of 64 x 256 x 256 (column strips over
# the threads), a [N, 256] MSE summed per half of the batch, Adam updates of
# 65536 values split in halves (ScheduleCPU.cpp).
model P {
  body = Sequential(Linear(256, 256), ReLU(), Linear(256, 256))
  def forward(x: f32[N, 256]) -> f32[N, 256] { return body(x) }
}
train t(model: P) {
  data x: f32[N, 256]
  data y: f32[N, 256]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.001)
  batch_size = 64
}
