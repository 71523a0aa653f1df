# A tiny causal character-level language model: token and position
# embeddings, two pre-LN transformer blocks with causal self-attention, and
# a linear head over the vocabulary.

model Block(d: int, heads: int) {
  ln1 = LayerNorm(d)
  q = Linear(d, d)
  k = Linear(d, d)
  v = Linear(d, d)
  o = Linear(d, d)
  ln2 = LayerNorm(d)
  mlp = Sequential(Linear(d, 4 * d), GELU(), Linear(4 * d, d))

  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    let a = ln1(x)
    let Q = split_heads(q(a), heads)                  # [N, heads, T, d/heads]
    let K = split_heads(k(a), heads)
    let V = split_heads(v(a), heads)
    let S = causal_mask(Q @ transpose(K, -1, -2) / sqrt(d / heads))
    let h = x + o(merge_heads(softmax(S, axis=-1) @ V))
    return h + mlp(ln2(h))
  }
}

model GPT {
  tok = Embedding(96, 64)
  pos = Embedding(128, 64)
  blocks = Sequential(Block(64, 4), Block(64, 4))
  ln_f = LayerNorm(64)
  head = Linear(64, 96)

  def forward(tokens: i64[N, 128]) -> f32[N, 128, 96] {
    let h = tok(tokens) + pos(arange(128))            # [N, 128, 64]
    return head(ln_f(blocks(h)))
  }
}

train lm(model: GPT) {
  data tokens: i64[N, 128]      # characters t .. t+127
  data targets: i64[N, 128]     # characters t+1 .. t+128
  loss = cross_entropy(model(tokens), targets)
  optimizer = AdamW(lr=0.001, betas=(0.9, 0.99), weight_decay=0.01)
  batch_size = 16
  epochs = 30
}
