# A weight of 257 x 256 = 65792 elements: its Adam update runs as two
# halves of its rows over the threads (129 and 128 rows, the second half
# guarded), chosen at run time from 2^16 elements (ScheduleCPU.cpp,
# splitUpdateInHalves); the bias's update stays one task.
model L {
  l = Linear(256, 257)
  def forward(x: f32[N, 256]) -> f32[N, 257] { return l(x) }
}
train t(model: L) {
  data x: f32[N, 256]
  data y: f32[N, 257]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.001)
}
