# Weight gradients summed over a sequence (positions N x 5), with tails in
# every blocked dim: dW [256, 10] is computed transposed (vectors along
# its 256 rows, columns in blocks of 6: one block and 4 guarded columns),
# dW [8, 256] with positions in blocks (ScheduleCPU.cpp); batch 13 makes
# the last block of positions partial. (Small enough for the oracle's
# command line.)
model S {
  up = Linear(10, 256)
  down = Linear(256, 8)
  def forward(x: f32[N, 5, 10]) -> f32[N, 5, 8] { return down(relu(up(x))) }
}
train t(model: S) {
  data x: f32[N, 5, 10]
  data y: f32[N, 5, 8]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.01)
}
