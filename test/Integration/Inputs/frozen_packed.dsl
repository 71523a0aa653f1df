# A frozen encoder's weights are packed into panels by invariant kernels
# that run at the first step only (KernelSpec::invariant): a layer over
# [N, 6] positions (Linear(24, 32)) and one over the batch's rows
# (Linear(32, 16)). The head is trained on the kept panels' products.
model Enc {
  a = Linear(24, 32)
  b = Linear(32, 16)
  def forward(x: f32[N, 6, 24]) -> f32[N, 16] {
    return b(mean(relu(a(x)), axis=1))
  }
}
model M {
  enc = Enc()
  head = Linear(16, 3)
  def forward(x: f32[N, 6, 24]) -> f32[N, 3] {
    return head(tanh(enc(x)))
  }
}
train t(model: M) {
  data x: f32[N, 6, 24]
  data y: i64[N]
  freeze model.enc
  loss = cross_entropy(model(x), y)
  optimizer = Adam(lr=0.01)
}
