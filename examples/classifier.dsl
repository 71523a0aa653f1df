# Fine-tuning: the pretrained autoencoder's encoder plus a new linear head.
# The encoder's weights come from the autoencoder's checkpoint; the names in
# that file ("encoder.0.weight", ...) are this model's names without the
# "pretrained." prefix.
import "autoencoder.dsl"

model Classifier {
  pretrained = Autoencoder()
  classifier = Linear(2, 10)

  def forward(x: f32[N, 1000]) -> f32[N, 10] {
    return classifier(pretrained.encoder(x))
  }
}

train finetune(model: Classifier) {
  data x: f32[N, 1000]
  data y: i64[N]
  init model.pretrained from "ae.safetensors"   # --init on the command line overrides it
  freeze model.pretrained.encoder               # delete this line to fine-tune the encoder too
  loss = cross_entropy(model(x), y)
  metric accuracy = accuracy(model(x), y)
  optimizer = Adam(lr=0.001)
  batch_size = 64
  epochs = 10
}
