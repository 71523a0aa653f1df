# The seed autoencoder at the width of scikit-learn's digits (8x8 images,
# pixels scaled to [0, 1]): 64 -> 32 -> 16 -> 8 -> 16 -> 32 -> 64, ReLU
# between layers and none after the last layer of the encoder or decoder.
#
# The bottleneck is 8 wide, not 2: the classifier fine-tuned from it keeps
# the encoder frozen and puts a single Linear layer on the code, and a linear
# head can cut a 2-d code into 10 classes only along straight lines through
# it; with 8 dims the frozen encoder still separates the digits (see
# docs/tutorial.md for the accuracies of both).

model DigitsAutoencoder {
  encoder = Sequential(Linear(64, 32), ReLU(), Linear(32, 16), ReLU(), Linear(16, 8))
  decoder = Sequential(Linear(8, 16), ReLU(), Linear(16, 32), ReLU(), Linear(32, 64))

  def forward(x: f32[N, 64]) -> f32[N, 64] {
    return decoder(encoder(x))
  }
}

train pretrain(model: DigitsAutoencoder) {
  data x: f32[N, 64]
  loss = mse(model(x), x)
  optimizer = Adam(lr=0.003)
  batch_size = 64
  epochs = 60
}
