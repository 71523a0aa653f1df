# The seed autoencoder: 1000 -> 2 -> 1000, ReLU between layers and none after
# the last layer of the encoder or of the decoder. Pre-trained with MSE + Adam.

model Autoencoder {
  encoder = Sequential(
    Linear(1000, 256), ReLU(), Linear(256, 128), ReLU(), Linear(128, 64), ReLU(),
    Linear(64, 32), ReLU(), Linear(32, 16), ReLU(), Linear(16, 8), ReLU(),
    Linear(8, 4), ReLU(), Linear(4, 2))
  decoder = Sequential(
    Linear(2, 4), ReLU(), Linear(4, 8), ReLU(), Linear(8, 16), ReLU(), Linear(16, 32), ReLU(),
    Linear(32, 64), ReLU(), Linear(64, 128), ReLU(), Linear(128, 256), ReLU(), Linear(256, 1000))

  def forward(x: f32[N, 1000]) -> f32[N, 1000] {
    return decoder(encoder(x))
  }
}

train pretrain(model: Autoencoder) {
  data x: f32[N, 1000]
  loss = mse(model(x), x)
  optimizer = Adam(lr=0.001)
  batch_size = 64
  epochs = 100
}
