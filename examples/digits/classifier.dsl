# Fine-tuning on digits: the pretrained encoder plus a linear head over its
# 8-d code. The encoder's weights come from the autoencoder's checkpoint.
import "autoencoder.dsl"

model DigitsClassifier {
  pretrained = DigitsAutoencoder()
  classifier = Linear(8, 10)

  def forward(x: f32[N, 64]) -> f32[N, 10] {
    return classifier(pretrained.encoder(x))
  }
}

train finetune(model: DigitsClassifier) {
  data x: f32[N, 64]
  data y: i64[N]
  init model.pretrained from "digits_ae.safetensors"   # --init on the command line overrides it
  freeze model.pretrained.encoder                      # delete this line to fine-tune the encoder too
  loss = cross_entropy(model(x), y)
  metric accuracy = accuracy(model(x), y)
  optimizer = Adam(lr=0.003)
  batch_size = 64
  epochs = 60
}
