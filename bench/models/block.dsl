# Benchmark model: one pre-LN transformer block (d 128, 4 heads, T 64,
# FFN 512, GELU) regressed onto a target sequence with MSE, Adam.
model Block {
  ln1 = LayerNorm(128)
  q = Linear(128, 128)
  k = Linear(128, 128)
  v = Linear(128, 128)
  o = Linear(128, 128)
  ln2 = LayerNorm(128)
  ffn = Sequential(Linear(128, 512), GELU(), Linear(512, 128))

  def forward(x: f32[N, 64, 128]) -> f32[N, 64, 128] {
    let a = ln1(x)
    let Q = split_heads(q(a), 4)
    let K = split_heads(k(a), 4)
    let V = split_heads(v(a), 4)
    let A = softmax(Q @ transpose(K, -1, -2) / sqrt(32), axis=-1)
    let h = x + o(merge_heads(A @ V))
    return h + ffn(ln2(h))
  }
}
train fit(model: Block) {
  data x: f32[N, 64, 128]
  data y: f32[N, 64, 128]
  loss = mse(model(x), y)
  optimizer = Adam(lr=0.001)
  batch_size = 32
}
