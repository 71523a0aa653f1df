# Adam with (coupled) L2 weight decay: its new moments read the parameter,
# so it is not updated in place; the plain SGD of sgd_plain.dsl is.
model R {
  net = Sequential(Linear(5, 7), Tanh(), Linear(7, 2))
  def forward(x: f32[N, 5]) -> f32[N, 2] { return net(x) }
}
train t(model: R) {
  data x: f32[N, 5]
  data y: f32[N, 2]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.05, weight_decay=0.5)
}
