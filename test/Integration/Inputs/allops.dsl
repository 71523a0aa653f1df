# Small, but uses every op the language has (forward and backward): the
# compiled pipelines are checked against the oracle on it.
model Attn(d: int, heads: int) {
  q = Linear(d, d)
  kv = Linear(d, 2 * d)
  o = Linear(d, d, bias=false)
  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    let h = reshape(kv(x), [N, T, 2, d])
    let k = mean(transpose(h, 2, 3), axis=3)          # [N, T, d]
    let Q = split_heads(q(x), heads)
    let Kh = split_heads(k, heads)
    let S = causal_mask(Q @ transpose(Kh, -1, -2) / sqrt(d / heads))
    return o(merge_heads(softmax(S, axis=-1) @ Kh))
  }
}

model K {
  tok = Embedding(7, 8)
  pos = Embedding(5, 8)
  ln = LayerNorm(8)
  attn = Attn(8, 2)
  ff = Sequential(Linear(8, 16), GELU(), Linear(16, 8), Tanh())
  head = Linear(8, 3)
  def forward(ids: i64[N, 5]) -> f32[N, 3] {
    let h = tok(ids) + pos(arange(5))
    let a = h + attn(ln(h))
    let b = a + ff(a) * sigmoid(a) - relu(a) / (1 + exp(a))
    let m = max(b, axis=1) + log(sum(exp(b), axis=1)) + sqrt(mean(b * b, axis=1) + 1)
    return head(log_softmax(m, axis=-1) - max(m, axis=-1, keepdim=true))
  }
}

train t(model: K) {
  data ids: i64[N, 5]
  data y: i64[N]
  data z: f32[N, 3]
  loss = cross_entropy(model(ids), y) + 0.5 * mse(model(ids), z)
  metric acc = accuracy(model(ids), y)
  optimizer = AdamW(lr=0.01, weight_decay=0.1)
}
