# SGD without momentum: one output per parameter, updated in place.
model R {
  net = Sequential(Linear(5, 7), Tanh(), Linear(7, 2))
  def forward(x: f32[N, 5]) -> f32[N, 2] { return net(x) }
}
train t(model: R) {
  data x: f32[N, 5]
  data y: f32[N, 2]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.2)
}
