# An MSE over [N, 300]: its loss summed per half of the batch on the two
# threads and its gradient over the rows in two halves (ScheduleCPU.cpp,
# splitTotalReduction and parallelInHalves); an odd batch leaves the
# second half shorter.
model W {
  l = Linear(16, 300)
  def forward(x: f32[N, 16]) -> f32[N, 300] { return l(x) }
}
train t(model: W) {
  data x: f32[N, 16]
  data y: f32[N, 300]
  loss = mse(model(x), y)
  optimizer = SGD(lr=0.1)
}
