# Benchmark model: an MLP 784 -> 512 -> 512 -> 10 (MNIST-sized), Adam.
model MLP {
  body = Sequential(Linear(784, 512), ReLU(), Linear(512, 512), ReLU(), Linear(512, 10))
  def forward(x: f32[N, 784]) -> f32[N, 10] { return body(x) }
}
train fit(model: MLP) {
  data x: f32[N, 784]
  data y: i64[N]
  loss = cross_entropy(model(x), y)
  optimizer = Adam(lr=0.001)
  batch_size = 128
}
