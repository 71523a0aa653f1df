# A pre-LN transformer encoder block classifier. Multi-head self-attention is
# written from primitives: softmax(Q K^T / sqrt(d_k)) V.

model SelfAttention(d: int, heads: int) {
  q = Linear(d, d)
  k = Linear(d, d)
  v = Linear(d, d)
  o = Linear(d, d)

  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    let Q = split_heads(q(x), heads)                  # [N, heads, T, d/heads]
    let K = split_heads(k(x), heads)
    let V = split_heads(v(x), heads)
    let A = softmax(Q @ transpose(K, -1, -2) / sqrt(d / heads), axis=-1)
    return o(merge_heads(A @ V))                      # [N, T, d]
  }
}

model EncoderBlock(d: int, heads: int, hidden: int) {
  ln1 = LayerNorm(d)
  attn = SelfAttention(d, heads)
  ln2 = LayerNorm(d)
  ffn = Sequential(Linear(d, hidden), GELU(), Linear(hidden, d))

  def forward(x: f32[N, T, d]) -> f32[N, T, d] {
    let h = x + attn(ln1(x))
    return h + ffn(ln2(h))
  }
}

# Classifies sequences of 32 tokens from a vocabulary of 16 into 2 classes.
model AttentionClassifier {
  embed = Embedding(16, 64)
  pos = Embedding(32, 64)
  block = EncoderBlock(64, 4, 256)
  ln = LayerNorm(64)
  head = Linear(64, 2)

  def forward(tokens: i64[N, 32]) -> f32[N, 2] {
    let h = block(embed(tokens) + pos(arange(32)))
    return head(mean(ln(h), axis=1))                  # mean pooling over T
  }
}

train classify(model: AttentionClassifier) {
  data tokens: i64[N, 32]
  data label: i64[N]
  loss = cross_entropy(model(tokens), label)
  metric accuracy = accuracy(model(tokens), label)
  optimizer = AdamW(lr=0.001, weight_decay=0.01)
  batch_size = 32
  epochs = 5
}
